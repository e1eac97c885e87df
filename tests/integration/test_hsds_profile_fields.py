"""The Carepath HSDS profile's service fields are stored, imported, checked and exported as data.

A service using every profile field goes through JSON and through a tabular package and comes
back the same; the exported JSON is valid under the profile's compiled schema (and the official
one); a wrong profile value is refused, naming the file, the place and the field; a plain HSDS
service is exported exactly as before (profile fields are written only when set).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import frictionless
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from jsonschema import Draft202012Validator

from carepath.directory.models import Service
from carepath.interop.hsds_profile import PROFILE_DIR, shipped_schema
from carepath.interop.hsds_tables import TABLES
from tests.integration.test_hsds_roundtrip import EXAMPLES, HSDS, official_validator

pytestmark = pytest.mark.django_db

ORGANIZATION = {
    "id": "7f3c0a38-0d2c-4c49-9f5e-5b1f7c4d2a10",
    "name": "Harbour Peer Network",
    "description": "Peers.",
}
PROFILE_VALUES: dict[str, Any] = {
    "support_type": "hybrid",
    "lived_experience_topics": ["depression", "bereavement"],
    "licence_type": "Registered counsellor",
    "licensing_body": "Health and Care Professions Council",
    "peer_certification": "Certified Peer Specialist",
    "training_standard": "N.A.P.S. National Practice Guidelines",
    "supervision": "Monthly group supervision with a clinical psychologist",
    "confidentiality_policy": "What you tell us stays between you and your supporter.",
    "confidentiality_limits": ["risk_to_life", "safeguarding_child"],
    "crisis_capable": False,
    "hours_24_7": True,
    "evidence_notes": "Group peer support for depression: trials are few and small.",
    "outcome_measures": ["phq9", "gad7"],
}
SERVICE_ID = "00000000-0000-4000-8000-000000000001"


def profiled_service(**changes: Any) -> dict[str, Any]:
    return {
        "id": SERVICE_ID,
        "name": "Riverside Peer Support Group",
        "status": "active",
        "organization": ORGANIZATION,
        **PROFILE_VALUES,
        **changes,
    }


def quiet() -> dict[str, Any]:
    return {"stdout": io.StringIO(), "stderr": io.StringIO()}


def write_json(folder: Path, document: Any, name: str = "service.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def refusal(path: Path) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import-hsds", str(path), stdout=io.StringIO(), stderr=err)
    assert not Service.objects.exists()
    return err.getvalue()


def exported_service(folder: Path) -> dict[str, Any]:
    document = json.loads((folder / "services.json").read_text(encoding="utf-8"))
    assert document["total_items"] == 1
    item: dict[str, Any] = document["contents"][0]
    return item


def profile_of(record: dict[str, Any]) -> dict[str, Any]:
    return {column: record[column] for column in TABLES["service"].profile_columns if column in record}


def services_csv(folder: Path) -> list[dict[str, str]]:
    with (folder / "services.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_table_description_lists_exactly_the_profile_fields() -> None:
    patch = json.loads((PROFILE_DIR / "patches" / "service.json").read_text(encoding="utf-8"))
    assert list(TABLES["service"].profile_columns) == list(patch["properties"])


def test_every_profile_field_is_stored_as_data(tmp_path: Path) -> None:
    call_command("import-hsds", str(write_json(tmp_path, profiled_service())), **quiet())

    stored = Service.objects.get(pk=SERVICE_ID)
    assert stored.support_type == "hybrid"
    assert stored.lived_experience_topics == ["depression", "bereavement"]
    assert stored.confidentiality_limits == ["risk_to_life", "safeguarding_child"]
    assert stored.crisis_capable is False and stored.hours_24_7 is True
    assert stored.outcome_measures == ["phq9", "gad7"]


def test_a_service_with_every_profile_field_round_trips_through_json(tmp_path: Path) -> None:
    call_command("import-hsds", str(write_json(tmp_path, profiled_service())), **quiet())
    first, second = tmp_path / "first", tmp_path / "second"
    call_command("export-hsds", str(first), "--format", "json", **quiet())
    assert profile_of(exported_service(first)) == PROFILE_VALUES

    Service.objects.all().delete()
    call_command("import-hsds", str(first), **quiet())
    call_command("export-hsds", str(second), "--format", "json", **quiet())
    assert (first / "services.json").read_bytes() == (second / "services.json").read_bytes()


def test_the_exported_json_validates_against_the_profile_and_the_official_schema(tmp_path: Path) -> None:
    call_command("import-hsds", str(write_json(tmp_path, profiled_service())), **quiet())
    call_command("export-hsds", str(tmp_path / "out"), "--format", "json", **quiet())

    item = exported_service(tmp_path / "out")
    profile = Draft202012Validator(shipped_schema("schema/compiled/service.json"))
    assert [error.message for error in profile.iter_errors(item)] == []
    if HSDS.exists():
        assert [error.message for error in official_validator("service.json").iter_errors(item)] == []


def test_a_service_with_every_profile_field_round_trips_through_a_tabular_package(tmp_path: Path) -> None:
    call_command("import-hsds", str(write_json(tmp_path, profiled_service())), **quiet())
    first, second = tmp_path / "first", tmp_path / "second"
    call_command("export-hsds", str(first), "--format", "tabular", **quiet())

    (row,) = services_csv(first)
    assert list(row)[-13:] == list(TABLES["service"].profile_columns)
    assert json.loads(row["lived_experience_topics"]) == ["depression", "bereavement"]
    assert (row["crisis_capable"], row["hours_24_7"], row["support_type"]) == ("false", "true", "hybrid")

    Service.objects.all().delete()
    call_command("import-hsds", str(first), **quiet())
    assert (
        profile_of({column: getattr(Service.objects.get(pk=SERVICE_ID), column) for column in PROFILE_VALUES})
        == PROFILE_VALUES
    )
    call_command("export-hsds", str(second), "--format", "tabular", **quiet())
    assert (first / "services.csv").read_bytes() == (second / "services.csv").read_bytes()


def test_the_exported_descriptor_types_the_profile_columns_and_frictionless_accepts_them(
    tmp_path: Path,
) -> None:
    call_command("import-hsds", str(write_json(tmp_path, profiled_service())), **quiet())
    call_command("export-hsds", str(tmp_path / "out"), "--format", "tabular", **quiet())

    descriptor = json.loads((tmp_path / "out" / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(resource for resource in descriptor["resources"] if resource["name"] == "service")
    types = {field["name"]: field["type"] for field in resource["schema"]["fields"]}
    assert [name for name in types][: len(TABLES["service"].columns)] == list(TABLES["service"].columns)
    assert types["support_type"] == "string"
    assert types["lived_experience_topics"] == types["confidentiality_limits"] == "array"
    assert types["outcome_measures"] == "array"
    assert types["crisis_capable"] == types["hours_24_7"] == "boolean"
    report = frictionless.Package(str(tmp_path / "out" / "datapackage.json")).validate()
    assert report.valid, report.flatten(["title", "rowNumber", "fieldName", "note"])


def test_re_importing_a_profiled_service_changes_nothing(tmp_path: Path) -> None:
    path = write_json(tmp_path, profiled_service())
    call_command("import-hsds", str(path), **quiet())
    out = io.StringIO()
    call_command("import-hsds", str(path), stdout=out, stderr=io.StringIO())
    assert "0 new, 0 updated, 2 unchanged" in out.getvalue()


def test_a_changed_profile_field_updates_the_service(tmp_path: Path) -> None:
    call_command("import-hsds", str(write_json(tmp_path, profiled_service())), **quiet())
    changed = profiled_service(confidentiality_limits=["court_order"])
    del changed["support_type"], changed["hours_24_7"]
    call_command("import-hsds", str(write_json(tmp_path, changed)), **quiet())

    stored = Service.objects.get(pk=SERVICE_ID)
    assert stored.confidentiality_limits == ["court_order"]
    assert stored.hours_24_7 is None and stored.support_type == ""


@pytest.mark.parametrize(
    ("change", "field", "expected"),
    [
        ({"support_type": "guru"}, "support_type", '"guru" is not one of peer, professional'),
        ({"lived_experience_topics": "depression"}, "lived_experience_topics", "must be of type array"),
        ({"confidentiality_limits": ["risk_to_life", "gossip"]}, "confidentiality_limits", "item 2:"),
        ({"crisis_capable": "yes"}, "crisis_capable", "must be of type boolean"),
        ({"outcome_measures": [9]}, "outcome_measures", "item 1: must be of type string"),
    ],
)
def test_a_bad_profile_value_in_json_is_refused_naming_the_field(
    tmp_path: Path, change: dict[str, Any], field: str, expected: str
) -> None:
    path = write_json(tmp_path, {"contents": [profiled_service(**change)], **page_fields()}, "services.json")
    errors = refusal(path)
    assert f"ERROR: services.json: contents[0]: {field}: {expected}" in errors


def page_fields() -> dict[str, Any]:
    return {
        "total_items": 1,
        "total_pages": 1,
        "page_number": 1,
        "size": 1,
        "first_page": True,
        "last_page": True,
        "empty": False,
    }


def test_a_bad_profile_value_nested_in_an_organization_is_refused(tmp_path: Path) -> None:
    service = profiled_service(support_type="guru")
    del service["organization"]
    organization = {**ORGANIZATION, "services": [service]}
    errors = refusal(write_json(tmp_path, organization, "organization.json"))
    assert "ERROR: organization.json: services[0]: support_type:" in errors


def profiled_package(tmp_path: Path, **cells: str) -> Path:
    call_command("import-hsds", str(write_json(tmp_path, profiled_service())), **quiet())
    folder = tmp_path / "package"
    call_command("export-hsds", str(folder), "--format", "tabular", **quiet())
    Service.objects.all().delete()
    rows = services_csv(folder)
    rows[0].update(cells)
    with (folder / "services.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return folder


@pytest.mark.parametrize(
    ("cells", "field", "expected"),
    [
        ({"support_type": "guru"}, "support_type", "constraint"),
        ({"lived_experience_topics": "depression"}, "lived_experience_topics", "is not a JSON array"),
        ({"confidentiality_limits": '["gossip"]'}, "confidentiality_limits", '"gossip" is not one of'),
        ({"outcome_measures": '["phq9", 9]'}, "outcome_measures", "must be a list of text"),
        ({"crisis_capable": "maybe"}, "crisis_capable", "'maybe' is not true or false"),
    ],
)
def test_a_bad_profile_cell_is_refused_naming_the_row_and_field(
    tmp_path: Path, cells: dict[str, str], field: str, expected: str
) -> None:
    errors = refusal(profiled_package(tmp_path, **cells))
    line = next(line for line in errors.splitlines() if line.startswith("ERROR: services.csv: row 2:"))
    assert line.startswith(f"ERROR: services.csv: row 2: {field}: ")
    assert expected in line


def test_a_package_without_profile_columns_still_imports(tmp_path: Path) -> None:
    folder = profiled_package(tmp_path)
    rows = services_csv(folder)
    official = list(TABLES["service"].columns)
    with (folder / "services.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=official, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    call_command("import-hsds", str(folder), **quiet())
    stored = Service.objects.get(pk=SERVICE_ID)
    assert stored.support_type == "" and stored.lived_experience_topics is None


@pytest.mark.skipif(not HSDS.exists(), reason="shared/hsds sits beside the clone in CI")
def test_a_plain_hsds_service_is_exported_without_profile_fields(tmp_path: Path) -> None:
    call_command("import-hsds", str(EXAMPLES / "service_full.json"), **quiet())
    call_command("export-hsds", str(tmp_path / "json"), "--format", "json", **quiet())
    call_command("export-hsds", str(tmp_path / "csv"), "--format", "tabular", **quiet())

    assert profile_of(exported_service(tmp_path / "json")) == {}
    (row,) = services_csv(tmp_path / "csv")
    assert all(row[column] == "" for column in TABLES["service"].profile_columns)
