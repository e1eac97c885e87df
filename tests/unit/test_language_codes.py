"""Language codes as the search files them: ISO 639 three-letter codes under their two-letter twins."""

from __future__ import annotations

import datetime as dt
import importlib.machinery
import importlib.util
import re
from pathlib import Path

import pytest

from carepath_core.search.query import parse_query
from carepath_core.vocabulary import search_languages
from carepath_core.vocabulary.language_codes import language_twins, search_language

TWINS = sorted(language_twins().items())
ISO_CODES = Path("/usr/share/iso-codes/json")
SCRIPT = Path(__file__).parents[2] / "scripts" / "make-language-twins"


def test_the_kept_pairs_are_iso_639_codes() -> None:
    assert len(TWINS) > 180  # every language ISO 639-1 names, some with two three-letter codes
    for three, two in TWINS:
        assert re.fullmatch(r"[a-z]{3}", three) and re.fullmatch(r"[a-z]{2}", two), (three, two)


@pytest.mark.parametrize(("three", "two"), TWINS)
def test_every_three_letter_twin_is_filed_under_its_two_letter_code(three: str, two: str) -> None:
    assert search_language(three) == two
    assert search_language(three.upper()) == two
    assert search_language(f"{three}-GB") == two
    assert search_language(two) == two  # the two-letter code is already the one searched


@pytest.mark.parametrize(
    ("code", "language"),
    [
        ("eng", "en"),
        ("fra", "fr"),
        ("fre", "fr"),  # ISO 639-2's bibliographic code beside its terminological one
        ("cym", "cy"),
        ("wel", "cy"),
        ("gle", "ga"),
        ("deu", "de"),
        ("ger", "de"),
        ("zho", "zh"),
        ("chi", "zh"),
        ("mri", "mi"),
        ("mao", "mi"),
    ],
)
def test_well_known_codes(code: str, language: str) -> None:
    assert search_language(code) == language


@pytest.mark.parametrize(
    ("code", "language"),
    [(" ENG ", "en"), ("Fre-CA", "fr"), ("WEL_gb", "cy"), ("Eng-Latn-GB", "en"), ("EN-gb", "en")],
)
def test_case_spaces_and_subtags_do_not_matter(code: str, language: str) -> None:
    assert search_language(code) == language


@pytest.mark.parametrize("code", ["yue", "cmn", "sgn", "bsl", "xyz", "qaa", "english", ""])
def test_codes_without_a_twin_are_left_as_they_are(code: str) -> None:
    # Cantonese, Mandarin and sign languages have no two-letter code; ISO's macrolanguage Chinese
    # (`zh`) is not the same language as Mandarin, so neither is filed under the other.
    assert search_language(code) == code


def test_the_search_forms_codes_are_the_codes_searched() -> None:
    for code in search_languages():
        assert search_language(code) == code


def test_the_filter_asks_for_the_twin_of_what_it_is_given() -> None:
    query = parse_query(
        {"near": ["Leeds"], "language": ["eng,FRE", "pt-BR", "yue"]}, now=dt.datetime.now(dt.UTC)
    )
    assert query.languages == {"en", "fr", "pt", "yue"}


@pytest.mark.skipif(not ISO_CODES.is_dir(), reason="Debian's iso-codes tables are not installed")
def test_the_kept_pairs_are_those_of_the_installed_iso_codes_tables() -> None:
    # Fails after iso-codes changes a pair: run scripts/make-language-twins again.
    loader = importlib.machinery.SourceFileLoader("make_language_twins", str(SCRIPT))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    script = importlib.util.module_from_spec(spec)
    loader.exec_module(script)
    assert script.twins(ISO_CODES) == language_twins()
