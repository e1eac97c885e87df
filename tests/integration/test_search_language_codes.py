"""Three-letter language codes in an imported file are found by the search's two-letter filter."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from carepath.directory.models import Language, SearchEntry
from carepath.directory.selectors.find import find_services

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
ORGANIZATION = {
    "id": "7f3c0a38-0d2c-4c49-9f5e-5b1f7c4d2a10",
    "name": "Estuary Trust",
    "description": "Fictional.",
}


def listing(number: int, name: str, *codes: str) -> dict[str, Any]:
    service_id = f"00000000-0000-4000-8000-{number:012d}"
    return {
        "id": service_id,
        "name": name,
        "description": "Talking support for people living with low mood.",
        "status": "active",
        "organization": ORGANIZATION,
        "languages": [
            {"id": f"00000000-0000-4000-d000-{number:06d}{index:06d}", "service_id": service_id, "code": code}
            for index, code in enumerate(codes, start=1)
        ],
    }


@pytest.fixture(autouse=True)
def imported(tmp_path: Path) -> None:
    services = [
        listing(1, "Estuary Listening Group", "eng"),
        listing(2, "Estuary Welsh Circle", "wel", "CYM"),
        listing(3, "Estuary French Line", "fre"),
        listing(4, "Estuary Cantonese Group", "yue"),
    ]
    path = tmp_path / "services.json"
    path.write_text(json.dumps(services), encoding="utf-8")
    call_command("import-hsds", str(path), stdout=io.StringIO(), stderr=io.StringIO())


def names(*languages: str) -> list[str]:
    params = {"q": ["estuary"], "language": list(languages), "sort": ["name"]}
    return [card.name for card in find_services(params, home_country="GB", now=NOW).cards]


def test_a_three_letter_code_is_found_by_its_two_letter_twin() -> None:
    assert names("en") == ["Estuary Listening Group"]
    assert names("cy") == ["Estuary Welsh Circle"]
    assert names("fr") == ["Estuary French Line"]


def test_the_filter_takes_either_code_and_codes_without_a_twin_stay_as_they_are() -> None:
    assert names("eng") == ["Estuary Listening Group"]  # API callers may send the three letters
    assert names("FRA", "wel") == ["Estuary French Line", "Estuary Welsh Circle"]
    assert names("yue") == ["Estuary Cantonese Group"]
    assert names("zh") == []  # Cantonese is not filed under Chinese: ISO does not call it the same


def test_the_index_files_the_twin_and_the_record_keeps_the_code_sent() -> None:
    assert sorted(SearchEntry.objects.values_list("languages", flat=True)) == [
        "|cy|",
        "|en|",
        "|fr|",
        "|yue|",
    ]
    assert sorted(Language.objects.values_list("code", flat=True)) == ["CYM", "eng", "fre", "wel", "yue"]


def test_a_card_names_a_language_listed_without_a_name() -> None:
    cards = find_services({"q": ["estuary"], "language": ["en"]}, home_country="GB", now=NOW).cards
    assert [card.languages for card in cards] == [["English"]]
