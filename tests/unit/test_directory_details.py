"""Cost options say the kinds search filters on; language codes are what the language filter matches."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from carepath_core.directory_details import (
    cost_problems,
    filter_language,
    kinds_of,
    language_code_problem,
    with_kinds,
)


def test_ticked_kinds_are_written_into_the_words_when_missing() -> None:
    kinded = with_kinds({"option": "Adults", "amount": Decimal(10)}, {"sliding_scale", "insurance"})
    assert kinded.values["option"] == "Adults (sliding scale, insurance accepted)"
    assert kinds_of(kinded.values) == {"sliding_scale", "insurance"} and not kinded.unticked


def test_words_already_saying_a_kind_are_left_alone() -> None:
    values = {"option": "Sliding scale", "amount": Decimal(5), "amount_description": "depending on income"}
    assert with_kinds(values, {"sliding_scale"}).values == values


def test_a_free_option_gets_the_amount_zero_and_the_word() -> None:
    kinded = with_kinds({"option": "", "amount": None}, {"free"})
    assert kinded.values == {"option": "", "amount": Decimal(0)}  # 0 already reads as free
    kinded = with_kinds({"option": "Drop-in", "amount": None, "amount_description": ""}, {"free"})
    assert kinded.values["amount"] == 0 and not kinded.unticked


def test_kinds_the_words_say_but_were_not_ticked_are_named() -> None:
    assert with_kinds({"option": "Free taster", "amount": Decimal(20)}, set()).unticked == {"free"}
    assert with_kinds({"option": "Per session", "amount": Decimal(0)}, {"insurance"}).unticked == {"free"}


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"amount": Decimal(-1), "currency": "GBP"}, "amount"),
        ({"amount": Decimal(40), "currency": ""}, "currency"),
        ({"amount": Decimal(40), "currency": "POUNDS"}, "currency"),
        ({"option": "x", "valid_from": dt.date(2026, 2, 1), "valid_to": dt.date(2026, 1, 1)}, "valid_to"),
        ({"option": "", "amount": None, "amount_description": ""}, "option"),
    ],
)
def test_cost_problems_name_the_field(values: dict[str, object], field: str) -> None:
    assert [problem_field for problem_field, _ in cost_problems(values)] == [field]


def test_a_free_option_needs_no_currency() -> None:
    assert cost_problems({"option": "Free", "amount": Decimal(0), "currency": ""}) == []


@pytest.mark.parametrize("code", ["en", "cy", "yue", "sgn"])
def test_bare_iso_639_codes_are_accepted(code: str) -> None:
    assert language_code_problem(code) == ""


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("pt-br", "give the language alone (pt)"),
        ("zh-hant", "(zh)"),
        ("english", "two letters"),
        ("e", "two"),
    ],
)
def test_other_codes_are_refused_with_the_reason(code: str, words: str) -> None:
    assert words in language_code_problem(code)


@pytest.mark.parametrize(
    ("code", "language"),
    [("en", "en"), ("en-GB", "en"), ("pt_BR", "pt"), (" FR-ca ", "fr"), ("zh-Hant-TW", "zh"), ("yue", "yue")],
)
def test_the_filter_knows_a_tagged_language_by_its_first_subtag(code: str, language: str) -> None:
    assert filter_language(code) == language
