"""The crisis registry parser: strict on every field, because a wrong number harms."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carepath_core.crisis import ContactMethod, Verification, parse_registry
from carepath_core.errors import InvalidData, UnknownRegion


def resource(**overrides: Any) -> dict[str, Any]:
    base = {
        "id": "xx-line",
        "name": "Example Line",
        "contacts": [{"method": "call", "value": "116123", "label": "Call 116 123"}],
        "hours": "Always open",
        "always_open": True,
        "languages": ["en"],
        "for_whom": "Anyone",
        "notes": "",
        "source_url": "https://example.org/line",
        "source_dated": "undated",
        "last_verified": "2026-11-25",
        "status": "primary",
    }
    return {**base, **overrides}


def document(**region_overrides: Any) -> dict[str, Any]:
    region = {
        "code": "XX",
        "name": "Exampleland",
        "emergency": {
            "number": "112",
            "source_url": "https://example.org/112",
            "source_dated": "2025",
            "status": "primary",
        },
        "resources": [resource()],
    }
    region.update(region_overrides)
    fallback = {
        "code": "INTL",
        "name": "Elsewhere",
        "emergency": None,
        "resources": [resource(id="intl-dir")],
    }
    return {"compiled": "2026-11-25", "regions": [region, fallback]}


def test_a_valid_document_parses_into_frozen_values() -> None:
    registry = parse_registry(document())
    region = registry.region("XX")
    assert region.emergency is not None and region.emergency.numbers == ("112",)
    line = region.resources[0]
    assert line.contacts[0].method is ContactMethod.CALL
    assert line.contacts[0].href == "tel:116123"
    assert line.status is Verification.PRIMARY and line.is_confirmed
    with pytest.raises(AttributeError):
        line.name = "changed"  # type: ignore[misc]


def test_unknown_region_falls_back_to_the_international_directories() -> None:
    registry = parse_registry(document())
    assert registry.region_or_fallback("ZZ").code == "INTL"
    assert registry.region_or_fallback(None).code == "INTL"
    with pytest.raises(UnknownRegion):
        registry.region("ZZ")


def test_text_contacts_carry_their_keyword_into_the_link() -> None:
    line = resource(contacts=[{"method": "text", "value": "741741", "keyword": "HOME", "label": "Text HOME"}])
    contact = parse_registry(document(resources=[line])).region("XX").resources[0].contacts[0]
    assert contact.href == "sms:741741?&body=HOME"


def test_emergency_numbers_can_have_equivalents() -> None:
    doc = document()
    doc["regions"][0]["emergency"]["also"] = ["999"]
    emergency = parse_registry(doc).region("XX").emergency
    assert emergency is not None and emergency.numbers == ("112", "999")


@pytest.mark.parametrize(
    ("mutate", "field", "problem"),
    [
        (
            lambda d: d["regions"][0]["resources"][0]["contacts"][0].update(value="116 123"),
            "regions[0].resources[0].contacts[0].value",
            "digits",
        ),
        (
            lambda d: d["regions"][0]["resources"][0]["contacts"][0].update(method="fax"),
            "regions[0].resources[0].contacts[0].method",
            "not one of",
        ),
        (
            lambda d: d["regions"][0]["resources"][0]["contacts"].clear(),
            "regions[0].resources[0].contacts",
            "at least one",
        ),
        (
            lambda d: d["regions"][0]["resources"][0].update(status="maybe"),
            "regions[0].resources[0].status",
            "not one of",
        ),
        (
            lambda d: d["regions"][0]["resources"][0].update(source_url="example.org"),
            "regions[0].resources[0].source_url",
            "web address",
        ),
        (
            lambda d: d["regions"][0]["resources"][0].update(last_verified="last week"),
            "regions[0].resources[0].last_verified",
            "date",
        ),
        (lambda d: d["regions"][0]["resources"][0].pop("name"), "regions[0].resources[0].name", "required"),
        (lambda d: d["regions"][0].update(emergency=None), "regions[0].emergency", "emergency number"),
        (
            lambda d: d["regions"][0]["emergency"].update(number="1-1-2"),
            "regions[0].emergency.number",
            "digits",
        ),
        (lambda d: d["regions"].pop(1), "regions", "fallback region INTL"),
        (lambda d: d["regions"].append(copy.deepcopy(d["regions"][0])), "regions", "appears twice"),
        (lambda d: d.update(compiled="soon"), "compiled", "date"),
    ],
)
def test_bad_data_is_refused_naming_the_field(mutate: Any, field: str, problem: str) -> None:
    doc = document()
    mutate(doc)
    with pytest.raises(InvalidData) as refusal:
        parse_registry(doc)
    assert refusal.value.field == field
    assert problem in refusal.value.problem


@given(st.from_regex(r"\+?[0-9]{3,15}", fullmatch=True))
def test_any_diallable_number_becomes_a_tel_link(number: str) -> None:
    line = resource(contacts=[{"method": "call", "value": number, "label": "Call"}])
    contact = parse_registry(document(resources=[line])).region("XX").resources[0].contacts[0]
    assert contact.href == f"tel:{number}"


@given(st.text(min_size=1).filter(lambda s: not s.lstrip("+").isdigit() or not 3 <= len(s.lstrip("+")) <= 15))
def test_anything_else_is_refused_as_a_phone_number(value: str) -> None:
    line = resource(contacts=[{"method": "call", "value": value, "label": "Call"}])
    with pytest.raises(InvalidData):
        parse_registry(document(resources=[line]))
