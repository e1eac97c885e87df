"""The compiled yes-or-no schema checks say exactly what jsonschema says, on valid and invalid records."""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from carepath.interop.hsds_schema import (
    profile_field_validator,
    profile_field_verdict,
    record_validator,
    record_verdict,
)
from carepath.interop.hsds_tables import TABLES
from carepath.interop.json_schema_verdict import Uncompilable, compile_verdict

EXAMPLES = Path(__file__).parents[3] / "shared" / "hsds" / "examples"
KINDS = {
    "service": "service",
    "organization": "organization",
    "service_at_location": "service_at_location",
    "location": "location",
    "taxonomy_term": "taxonomy_term",
    "taxonomy": "taxonomy",
}
ODD_VALUES: tuple[Any, ...] = (
    None,
    True,
    0,
    1,
    -2.5,
    Decimal("3.25"),
    "",
    "text",
    "not-a-uuid",
    "2bc1c94f0deb43e992a14775189ec9f8",  # a UUID without hyphens: jsonschema's uuid format refuses it
    "nobody-at-example.org",
    "active",
    [],
    ["x"],
    [1],
    {},
    {"id": "x"},
)

pytestmark = pytest.mark.skipif(not EXAMPLES.exists(), reason="shared/hsds sits beside the clone in CI")


def example_records() -> Iterator[tuple[str, dict[str, Any]]]:
    """(kind, record) for every record of the official JSON examples."""
    for path in sorted(EXAMPLES.glob("*.json")):
        stems = sorted(KINDS, key=len, reverse=True)
        kind = next((KINDS[stem] for stem in stems if path.stem.startswith(stem)), None)
        if kind is None:
            continue
        document = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
        for record in document.get("contents", [document]):
            yield kind, record


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from paths(inner, (*prefix, index))


def replaced(record: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(record)
    target: Any = changed
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return changed


def removed(record: dict[str, Any], path: tuple[Any, ...]) -> dict[str, Any]:
    changed = copy.deepcopy(record)
    target: Any = changed
    for step in path[:-1]:
        target = target[step]
    del target[path[-1]]
    return changed


def mutations(record: dict[str, Any], rng: random.Random, count: int) -> Iterator[dict[str, Any]]:
    places = [path for path in paths(record) if path]
    for _ in range(count):
        path = rng.choice(places)
        if isinstance(path[-1], str) and rng.random() < 0.2:
            yield removed(record, path)
        else:
            yield replaced(record, path, copy.deepcopy(rng.choice(ODD_VALUES)))


def test_every_official_example_record_gets_jsonschemas_verdict() -> None:
    records = list(example_records())
    assert len(records) >= 10
    for kind, record in records:
        assert record_verdict(kind)(record) is record_validator(kind).is_valid(record) is True


def test_changed_records_get_jsonschemas_verdict() -> None:
    rng = random.Random(20261125)
    verdicts = {True: 0, False: 0}
    for kind, record in example_records():
        for changed in mutations(record, rng, 40):
            expected = record_validator(kind).is_valid(changed)
            assert record_verdict(kind)(changed) is expected, (kind, changed)
            verdicts[expected] += 1
    assert verdicts[True] > 50
    assert verdicts[False] > 200


def test_a_nested_profile_field_and_a_bad_uuid_deep_inside_are_refused() -> None:
    kind, record = next(item for item in example_records() if item[0] == "organization")
    service = record["services"][0]
    for bad in (
        replaced(record, ("services", 0, "support_type"), "friend"),
        replaced(record, ("services", 0, "confidentiality_limits"), ["risk_to_life", "gossip"]),
        replaced(record, ("services", 0, "crisis_capable"), "yes"),
        replaced(record, ("services", 0, "phones", 0, "id"), "1234"),
    ):
        assert service  # the example nests its services
        assert record_verdict(kind)(bad) is record_validator(kind).is_valid(bad) is False


@pytest.mark.parametrize("column", TABLES["service"].profile_columns)
def test_profile_field_verdicts_match(column: str) -> None:
    for value in (*ODD_VALUES, ["risk_to_life"], ["depression", "grief"], "peer", "crisis", False):
        expected = profile_field_validator("service", column).is_valid(value)
        assert profile_field_verdict("service", column)(value) is expected, (column, value)


def test_types_agree_with_jsonschemas_type_checker() -> None:
    for name in ("string", "object", "array", "boolean", "null", "number", "integer"):
        check = compile_verdict({"type": name}, validator_class=Draft202012Validator)
        for value in (*ODD_VALUES, 2**70, float("nan"), 1.0, ("a",)):
            assert check(value) is Draft202012Validator({"type": name}).is_valid(value), (name, value)


@pytest.mark.parametrize(
    "schema",
    [
        {"minimum": 3},
        {"properties": {"a": {"pattern": "^x"}}},
        {"enum": [1, 2]},
        {"items": {"$id": "other.json"}},
        {"anyOf": [{"type": "string"}]},
    ],
)
def test_a_schema_beyond_the_compiled_keywords_is_refused(schema: dict[str, Any]) -> None:
    with pytest.raises(Uncompilable):
        compile_verdict(schema, validator_class=Draft202012Validator)


def test_annotations_and_unknown_keywords_are_ignored_as_jsonschema_ignores_them() -> None:
    schema = {"title": "t", "constraints": {"unique": True}, "core": "Y", "type": "string"}
    check = compile_verdict(schema, validator_class=Draft202012Validator)
    assert check("a") is True
    assert check(1) is False
