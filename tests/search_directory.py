"""A small hand-made directory for search tests: every service differs from the others in one way.

Positions are real places (central London, 5 km east of it, Manchester, Montreal); all data is
fictional. Loaded through the same bulk insert and index refresh the demo loader uses.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import connection, transaction

from carepath.directory.services.hsds_bulk import insert_hsds_rows
from carepath.directory.services.search_index import refresh_search_entries
from carepath.directory.text_index import text_index

LONDON = (Decimal("51.507400"), Decimal("-0.127800"))
LONDON_EAST = (Decimal("51.507400"), Decimal("-0.055600"))  # about 5 km east of LONDON
MANCHESTER = (Decimal("53.480900"), Decimal("-2.242600"))
MONTREAL = (Decimal("45.501700"), Decimal("-73.567300"))

IDS = {
    name: f"00000000-0000-4000-8000-{index:012d}"
    for index, name in enumerate(
        (
            "org", "org_ca", "london", "east", "manchester", "montreal", "online_gb",
            "peer_group", "counselling", "line", "recovery", "ecoute", "closed", "youth", "full", "hybrid",
        ),
        start=1,
    )
}  # fmt: skip


def _service(key: str, name: str, support_type: str, description: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": IDS[key],
        "organization_id": IDS["org"],
        "name": name,
        "description": description,
        "status": extra.pop("status", "active"),
        "support_type": support_type,
        "last_modified": extra.pop("last_modified", "2026-11-01T10:00:00Z"),
        **extra,
    }


def _weekly(key: str, index: int, days: str, opens: str, closes: str, offset: str = "0") -> dict[str, Any]:
    return {
        "id": f"00000000-0000-4000-9000-{index:012d}",
        "service_id": IDS[key],
        "freq": "WEEKLY",
        "byday": days,
        "opens_at": opens,
        "closes_at": closes,
        "timezone": Decimal(offset),
    }


def _location(key: str, position: tuple[Decimal, Decimal] | None, kind: str = "physical") -> dict[str, Any]:
    row: dict[str, Any] = {"id": IDS[key], "location_type": kind, "organization_id": IDS["org"], "name": key}
    if position is not None:
        row["latitude"], row["longitude"] = position
    if kind == "virtual":
        row["url"] = "https://example.org/online"
    return row


def _address(index: int, location: str, city: str, code: str, country: str) -> dict[str, Any]:
    return {
        "id": f"00000000-0000-4000-a000-{index:012d}",
        "location_id": IDS[location],
        "address_1": f"{index} Test Street",
        "city": city,
        "state_province": "Test",
        "postal_code": code,
        "country": country,
        "address_type": "physical",
    }


def _at(index: int, service: str, location: str) -> dict[str, Any]:
    return {
        "id": f"00000000-0000-4000-b000-{index:012d}",
        "service_id": IDS[service],
        "location_id": IDS[location],
    }


def _cost(index: int, service: str, option: str, amount: str, text: str = "") -> dict[str, Any]:
    return {
        "id": f"00000000-0000-4000-c000-{index:012d}",
        "service_id": IDS[service],
        "option": option,
        "amount": Decimal(amount),
        "currency": "GBP",
        "amount_description": text,
    }


def _language(index: int, service: str, code: str, name: str) -> dict[str, Any]:
    return {
        "id": f"00000000-0000-4000-d000-{index:012d}",
        "service_id": IDS[service],
        "code": code,
        "name": name,
    }


def directory_rows() -> dict[str, list[dict[str, Any]]]:
    return {
        "organization": [
            {"id": IDS["org"], "name": "Test Harbour Trust", "description": "Fictional."},
            {"id": IDS["org_ca"], "name": "Test Quebec Trust", "description": "Fictional."},
        ],
        "location": [
            _location("london", LONDON),
            _location("east", LONDON_EAST),
            _location("manchester", MANCHESTER),
            {**_location("montreal", MONTREAL), "organization_id": IDS["org_ca"]},
            _location("online_gb", None, "virtual"),
        ],
        "address": [
            _address(1, "london", "London", "WC2N 5DU", "GB"),
            _address(2, "east", "London", "E1 6AN", "GB"),
            _address(3, "manchester", "Manchester", "M1 1AE", "GB"),
            _address(4, "montreal", "Montréal", "H2X 1Y4", "CA"),
        ],
        "service": [
            _service(
                "peer_group",
                "Harbour Anxiety Peer Group",
                "peer",
                "Weekly groups run by people who have lived with anxiety.",
                lived_experience_topics=["anxiety"],
                peer_certification="Peer support certificate",
                confidentiality_policy="What you say stays in the group.",
                confidentiality_limits=["risk_to_life"],
                crisis_capable=False,
            ),
            _service(
                "counselling",
                "Quayside Counselling",
                "professional",
                "Counselling sessions with registered counsellors, including for anxiety.",
                licence_type="Registered counsellor",
                licensing_body="Test Counselling Board",
            ),
            _service(
                "line",
                "Night Listening Line",
                "crisis",
                "A listening line by phone, day and night.",
                hours_24_7=True,
            ),
            _service(
                "recovery",
                "Mill Town Recovery Café",
                "peer",
                "A café run by people in recovery from addiction.",
                lived_experience_topics=["addiction_recovery"],
            ),
            {
                **_service(
                    "ecoute", "Montréal Écoute", "professional", "Psychothérapie et écoute, en français."
                ),
                "organization_id": IDS["org_ca"],
            },
            _service("closed", "Harbour Closed Anxiety Service", "peer", "Closed now.", status="inactive"),
            _service(
                "youth",
                "Harbour Youth Anxiety Circle",
                "peer",
                "For young people with anxiety.",
                minimum_age=Decimal(16),
                maximum_age=Decimal(25),
                lived_experience_topics=["anxiety"],
            ),
            _service(
                "full", "Harbour Full Therapy Clinic", "professional", "Therapy for anxiety; a waiting list."
            ),
            _service(
                "hybrid",
                "Old Dock Peer and Therapy Hub",
                "hybrid",
                "Peer support and therapy together.",
                last_modified="2019-01-01T10:00:00Z",
            ),
        ],
        "service_at_location": [
            _at(1, "peer_group", "london"),
            _at(2, "counselling", "east"),
            _at(3, "line", "online_gb"),
            _at(4, "recovery", "manchester"),
            _at(5, "ecoute", "montreal"),
            _at(6, "closed", "london"),
            _at(7, "youth", "london"),
            _at(8, "full", "london"),
            _at(9, "hybrid", "east"),
        ],
        "schedule": [
            _weekly("peer_group", 1, "MO,TU,WE,TH,FR", "09:00", "17:00"),
            _weekly("counselling", 2, "TU", "18:00", "20:00"),
            _weekly("recovery", 3, "SA", "10:00", "13:00"),
            _weekly("ecoute", 4, "MO,TU,WE,TH,FR", "09:00", "17:00", "-5"),
        ],
        "cost_option": [
            _cost(1, "peer_group", "Free", "0", "No charge."),
            _cost(2, "counselling", "Sliding scale", "20", "from 20 to 60 depending on income"),
            _cost(3, "full", "Per session", "90"),
            _cost(4, "hybrid", "Per session", "35", "Insurance accepted"),
            _cost(5, "line", "Free", "0"),
        ],
        "language": [
            _language(1, "peer_group", "en", "English"),
            _language(2, "peer_group", "pl", "Polish"),
            _language(3, "counselling", "en", "English"),
            _language(4, "ecoute", "fr-CA", "French"),  # a tag, as real directories send
            _language(5, "line", "en", "English"),
        ],
        "service_capacity": [
            {
                "id": "00000000-0000-4000-e000-000000000001",
                "service_id": IDS["full"],
                "available": Decimal(0),
            },
            {
                "id": "00000000-0000-4000-e000-000000000002",
                "service_id": IDS["peer_group"],
                "available": Decimal(3),
            },
        ],
    }


def load_search_directory() -> None:
    rows = directory_rows()
    with transaction.atomic():
        insert_hsds_rows(rows)
        refresh_search_entries(row["id"] for row in rows["service"])


def file_words_by_place() -> None:
    """What migration 0012 does, for tests that replay an index written before it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's writes checked: DDL follows
        text_index().file_words_by_place(cursor)
