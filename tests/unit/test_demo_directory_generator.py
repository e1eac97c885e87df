"""The demo directory generator, without a database: deterministic, consistent, realistic rows."""

from __future__ import annotations

import uuid
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest

from carepath.demo.directory_generator import demo_directory
from carepath.demo.directory_listing import new_id
from carepath.demo.directory_words import LIVED_EXPERIENCE_TOPICS
from carepath.interop.hsds_schema import profile_field_validator
from carepath.interop.hsds_tables import TABLES
from carepath.interop.hsds_values import check_record

Rows = dict[str, list[dict[str, Any]]]


def generated(services: int, seed: int, batch_services: int = 2000) -> Rows:
    rows: Rows = {}
    for batch in demo_directory(services, seed, batch_services):
        for table, table_rows in batch.rows.items():
            rows.setdefault(table, []).extend(table_rows)
    return rows


@pytest.fixture(scope="module")
def directory() -> Rows:
    return generated(1500, 21)


def test_the_same_seed_gives_the_same_rows_however_they_are_batched() -> None:
    assert generated(300, 4) == generated(300, 4, batch_services=7)


def test_a_larger_directory_with_the_same_seed_starts_with_the_smaller_one() -> None:
    small, large = generated(100, 4), generated(250, 4)
    assert all(row in large["organization"] for row in small["organization"][:-1])


def test_another_seed_gives_other_rows() -> None:
    assert generated(50, 1)["service"] != generated(50, 2)["service"]


def test_exactly_the_asked_number_of_services_in_batches_of_about_the_asked_size() -> None:
    batches = list(demo_directory(5000, 3, batch_services=1000))
    assert sum(batch.services for batch in batches) == 5000
    assert all(1000 <= batch.services <= 1004 for batch in batches[:-1])
    assert sum(len(batch.rows["service"]) for batch in batches) == 5000


def test_ids_are_unique_version_4_uuids(directory: Rows) -> None:
    ids = [row["id"] for rows in directory.values() for row in rows]
    assert len(ids) == len(set(ids))
    assert all(uuid.UUID(value).version == 4 and str(uuid.UUID(value)) == value for value in ids[:500])


def test_every_link_names_a_generated_record(directory: Rows) -> None:
    present = {table: {row["id"] for row in rows} for table, rows in directory.items()}
    for table, rows in directory.items():
        for link, target in TABLES[table].links.items():
            for row in rows:
                if row.get(link) is not None:
                    assert row[link] in present[target], (table, link)


def test_every_column_is_an_hsds_or_profile_column_and_every_record_passes_the_import_checks(
    directory: Rows,
) -> None:
    for table, rows in directory.items():
        for row in rows:
            assert set(row) <= set(TABLES[table].all_columns), table
            assert check_record(table, dict(row)) == [], (table, row["id"])


def test_profile_values_are_valid_under_the_profile(directory: Rows) -> None:
    for row in directory["service"]:
        for column in TABLES["service"].profile_columns:
            if column in row:
                assert list(profile_field_validator("service", column).iter_errors(row[column])) == []
        assert set(row.get("lived_experience_topics", [])) <= set(LIVED_EXPERIENCE_TOPICS)


def test_the_support_mix_is_about_forty_forty(directory: Rows) -> None:
    kinds = Counter(row["support_type"] for row in directory["service"])
    total = len(directory["service"])
    assert 0.35 <= kinds["peer"] / total <= 0.45
    assert 0.35 <= kinds["professional"] / total <= 0.45
    assert 0.01 <= kinds["crisis"] / total <= 0.08
    assert kinds["hybrid"] > kinds["crisis"] and kinds["self_help"]


def test_all_six_countries_and_some_virtual_services(directory: Rows) -> None:
    currencies = Counter(row["currency"] for row in directory["cost_option"])
    assert set(currencies) == {"GBP", "EUR", "USD", "CAD", "AUD", "NZD"}
    kinds = Counter(row["location_type"] for row in directory["location"])
    assert kinds["virtual"] and kinds["physical"] > kinds["virtual"]
    assert all(row["url"].startswith("https://example.org/") for row in directory["location"] if "url" in row)


def test_free_peer_support_and_priced_professional_support(directory: Rows) -> None:
    kind = {row["id"]: row["support_type"] for row in directory["service"]}
    for row in directory["cost_option"]:
        if kind[row["service_id"]] in ("peer", "crisis", "self_help"):
            assert (row["option"], row["amount"]) == ("Free", Decimal(0))
    priced = [row for row in directory["cost_option"] if row["option"] not in ("Free", "Insurance")]
    assert priced and all(row["amount"] > 0 for row in priced)


def test_new_id_is_the_uuid_module_s_version_4_uuid() -> None:
    import random

    first, second = random.Random(9), random.Random(9)
    for _ in range(200):
        assert new_id(first) == str(uuid.UUID(int=second.getrandbits(128), version=4))
