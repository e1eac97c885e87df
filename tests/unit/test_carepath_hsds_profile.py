"""The Carepath HSDS profile: merge patches per RFC 7386, compiled schemas that match the patches."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from carepath.interop.hsds_profile import compile_profile, merge_patch, profile_meta, shipped_schema

HSDS = Path(__file__).parents[3] / "shared" / "hsds"

# The examples of RFC 7386, Appendix A.
RFC_7386_EXAMPLES = [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"a": "foo"}, None, None),
    ({"a": "foo"}, "bar", "bar"),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
]


@pytest.mark.parametrize(("target", "patch", "expected"), RFC_7386_EXAMPLES)
def test_merge_patch_follows_rfc_7386(target: Any, patch: Any, expected: Any) -> None:
    assert merge_patch(target, patch) == expected


def validator() -> Draft202012Validator:
    return Draft202012Validator(shipped_schema("schema/compiled/service.json"))


def test_the_profile_declares_a_stable_uri_and_version() -> None:
    meta = profile_meta()
    assert meta["uri"].endswith(f"/hsds-profile/{meta['version']}")
    assert meta["hsds_version"] == "3.1"


@pytest.mark.skipif(not HSDS.is_dir(), reason="shared/hsds is not beside the checkout")
def test_the_shipped_compiled_schemas_are_exactly_the_patched_official_ones() -> None:
    for relative, schema in compile_profile(HSDS / "schema").items():
        assert shipped_schema(relative) == schema, f"{relative} is stale: run `carepath hsds-profile compile`"


@pytest.mark.skipif(not HSDS.is_dir(), reason="shared/hsds is not beside the checkout")
def test_every_official_service_is_still_valid_under_the_profile() -> None:
    official = json.loads((HSDS / "examples" / "service_full.json").read_text(encoding="utf-8"))
    assert list(validator().iter_errors(official)) == []


def profiled_service(**fields: Any) -> dict[str, Any]:
    base = {"id": "c8b6b2a1-7f5e-4b5c-9a0e-1a2b3c4d5e6f", "name": "Harbour peer group", "status": "active"}
    return {**base, **fields}


def test_a_service_with_every_profile_field_validates() -> None:
    service = profiled_service(
        support_type="peer",
        lived_experience_topics=["depression", "bereavement"],
        licence_type="",
        licensing_body="",
        peer_certification="Certified Peer Specialist",
        training_standard="N.A.P.S. National Practice Guidelines",
        supervision="Monthly group supervision",
        confidentiality_policy="What you say stays in the group.",
        confidentiality_limits=["risk_to_life", "safeguarding_child"],
        crisis_capable=False,
        hours_24_7=False,
        evidence_notes="Trials of peer support are few and small.",
        outcome_measures=["phq9", "who5"],
    )
    assert list(validator().iter_errors(service)) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("support_type", "guru"),
        ("lived_experience_topics", "depression"),
        ("confidentiality_limits", ["whenever we like"]),
        ("crisis_capable", "yes"),
        ("outcome_measures", [9]),
    ],
)
def test_wrong_profile_values_are_refused_by_the_schema(field: str, value: Any) -> None:
    errors = list(validator().iter_errors(profiled_service(**{field: value})))
    assert errors and errors[0].absolute_path[0] == field
