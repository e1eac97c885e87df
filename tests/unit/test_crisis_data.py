"""The crisis lines Carepath ships, checked against the rules in shared/reference/crisis-lines.md."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from carepath_core.crisis import ContactMethod, CrisisRegistry, CrisisResource, parse_registry

DATA_FILE = Path(__file__).parents[2] / "src" / "carepath" / "crisis" / "data" / "crisis_resources.json"


@pytest.fixture(scope="module")
def registry() -> CrisisRegistry:
    return parse_registry(json.loads(DATA_FILE.read_text(encoding="utf-8")))


def dialled(resources: tuple[CrisisResource, ...], method: ContactMethod) -> set[str]:
    return {c.value for r in resources for c in r.contacts if c.method is method}


def test_every_region_the_foundation_promises_is_there(registry: CrisisRegistry) -> None:
    assert set(registry.codes) >= {
        "US",
        "GB-ENG",
        "GB-WLS",
        "GB-SCT",
        "GB-NIR",
        "IE",
        "CA",
        "AU",
        "NZ",
        "INTL",
    }


@pytest.mark.parametrize(
    ("code", "numbers"),
    [
        ("US", ("911",)),
        ("GB-ENG", ("999",)),
        ("GB-WLS", ("999",)),
        ("GB-SCT", ("999",)),
        ("GB-NIR", ("999",)),
        ("IE", ("112", "999")),
        ("CA", ("911",)),
        ("AU", ("000",)),
        ("NZ", ("111",)),
    ],
)
def test_each_country_shows_its_emergency_number(
    registry: CrisisRegistry, code: str, numbers: tuple[str]
) -> None:
    emergency = registry.region(code).emergency
    assert emergency is not None and emergency.numbers == numbers


@pytest.mark.parametrize(
    ("code", "method", "number"),
    [
        ("US", ContactMethod.CALL, "988"),
        ("US", ContactMethod.TEXT, "988"),
        ("US", ContactMethod.TEXT, "741741"),
        ("GB-ENG", ContactMethod.CALL, "116123"),
        ("GB-ENG", ContactMethod.CALL, "111"),
        ("GB-WLS", ContactMethod.CALL, "116123"),
        ("GB-SCT", ContactMethod.CALL, "111"),
        ("GB-NIR", ContactMethod.CALL, "08088088000"),
        ("IE", ContactMethod.CALL, "116123"),
        ("CA", ContactMethod.CALL, "988"),
        ("CA", ContactMethod.TEXT, "988"),
        ("AU", ContactMethod.CALL, "131114"),
        ("NZ", ContactMethod.CALL, "1737"),
        ("NZ", ContactMethod.TEXT, "1737"),
    ],
)
def test_the_national_lines_are_reachable(
    registry: CrisisRegistry, code: str, method: ContactMethod, number: str
) -> None:
    assert number in dialled(registry.region(code).resources, method)


def test_988_press_3_is_never_offered() -> None:
    # SAMHSA ended the LGBTQI+ youth "press 3" option on 17 July 2025.
    assert "press 3" not in DATA_FILE.read_text(encoding="utf-8").lower()


def test_england_says_mental_health_option_not_option_2(registry: CrisisRegistry) -> None:
    text = " ".join(
        f"{r.name} {r.notes} {' '.join(c.label for c in r.contacts)}"
        for r in registry.region("GB-ENG").resources
    ).lower()
    assert "mental health option" in text
    assert "option 2" not in text and "press 2" not in text


def test_wales_uses_111_press_2(registry: CrisisRegistry) -> None:
    labels = " ".join(c.label for r in registry.region("GB-WLS").resources for c in r.contacts).lower()
    assert "press 2" in labels


def test_northern_ireland_has_no_111_route(registry: CrisisRegistry) -> None:
    assert "111" not in dialled(registry.region("GB-NIR").resources, ContactMethod.CALL)


def test_the_fallback_points_to_international_directories(registry: CrisisRegistry) -> None:
    links = {c.value for r in registry.region("INTL").resources for c in r.contacts}
    assert any("findahelpline.com" in link for link in links)


def test_every_item_was_checked_within_six_months_of_compiling(registry: CrisisRegistry) -> None:
    compiled = dt.date.fromisoformat(registry.compiled)
    for region in registry.regions:
        for line in region.resources:
            assert compiled - dt.date.fromisoformat(line.last_verified) <= dt.timedelta(days=183), line.id
            assert line.source_url.startswith("http"), line.id
