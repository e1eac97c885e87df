"""`carepath import-hsds`: errors named by file, place and field; all or nothing; updates by id."""

from __future__ import annotations

import copy
import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from carepath.audit.models import AuditAction, AuditEvent
from carepath.directory.models import Location, Organization, Phone, Schedule, Service
from carepath.directory.selectors.hsds import hsds_record_count
from tests.integration.test_hsds_roundtrip import EXAMPLES, HSDS

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not HSDS.exists(), reason="shared/hsds sits beside the clone in CI"),
]

ORGANIZATION = {
    "id": "7f3c0a38-0d2c-4c49-9f5e-5b1f7c4d2a10",
    "name": "Harbour Peer Network",
    "description": "Peers.",
}


def service(number: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"00000000-0000-4000-8000-{number:012d}",
        "name": f"Service {number}",
        "status": "active",
        "organization": ORGANIZATION,
        **extra,
    }


def write_json(folder: Path, name: str, document: Any) -> Path:
    path = folder / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def run_import(path: Path, *options: str, stdout: Any = None) -> tuple[str, str]:
    out, err = stdout or io.StringIO(), io.StringIO()
    call_command("import-hsds", str(path), *options, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(path: Path, *options: str) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was written") as raised:
        call_command("import-hsds", str(path), *options, stdout=io.StringIO(), stderr=err)
    assert raised.value.returncode == 2
    return err.getvalue()


def official_service() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((EXAMPLES / "service_full.json").read_text(encoding="utf-8"))
    return loaded


def package_with(tmp_path: Path, **tables: list[dict[str, str]]) -> Path:
    """A small tabular package: file name -> rows."""
    folder = tmp_path / "package"
    folder.mkdir()
    (folder / "datapackage.json").write_bytes((HSDS / "datapackage.json").read_bytes())
    for file_name, rows in tables.items():
        with (folder / f"{file_name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return folder


ORGANIZATION_ROW = {"id": ORGANIZATION["id"], "name": "Harbour Peer Network", "description": "Peers."}
SERVICE_ROW = {
    "id": service(1)["id"],
    "organization_id": ORGANIZATION["id"],
    "name": "Listening",
    "status": "active",
}


def test_malformed_json_is_refused_with_its_line_and_nothing_changes(tmp_path: Path) -> None:
    run_import(EXAMPLES / "taxonomy.json")
    before = hsds_record_count()
    path = tmp_path / "broken.json"
    path.write_text('{"id": "x", "name": ', encoding="utf-8")

    report = refused(path, "--kind", "service")

    assert "broken.json: line 1 column 21: is not valid JSON" in report
    assert hsds_record_count() == before


def test_a_wrong_type_is_named_by_file_path_and_field(tmp_path: Path) -> None:
    document = official_service()
    document["phones"][0]["extension"] = "one hundred"
    report = refused(write_json(tmp_path, "service.json", document))

    assert "service.json: phones[0]: extension: must be of type number" in report
    assert hsds_record_count() == 0


def test_a_missing_required_field_and_a_bad_id_are_named(tmp_path: Path) -> None:
    document = service(1, id="not-a-uuid")
    del document["name"]
    report = refused(write_json(tmp_path, "service.json", [document]))

    assert "service.json: [0]: name: is required" in report
    assert 'service.json: [0]: id: "not-a-uuid" is not a valid uuid' in report


def test_a_service_naming_a_missing_organization_in_a_package_is_refused(tmp_path: Path) -> None:
    folder = package_with(
        tmp_path,
        organizations=[ORGANIZATION_ROW],
        services=[
            SERVICE_ROW,
            {**SERVICE_ROW, "id": service(2)["id"], "organization_id": service(9)["id"]},
        ],
    )
    report = refused(folder)

    assert (
        f"services.csv: row 3: organization_id: names organization '{service(9)['id']}', "
        "which is neither in this import nor in the directory"
    ) in report
    assert hsds_record_count() == 0


def test_a_reference_to_a_record_already_in_the_directory_is_accepted(tmp_path: Path) -> None:
    run_import(package_with(tmp_path, organizations=[ORGANIZATION_ROW]))
    later = tmp_path / "later"
    later.mkdir()
    run_import(package_with(later, services=[SERVICE_ROW]))

    assert Service.objects.get().organization_id == ORGANIZATION["id"]


def test_duplicate_ids_in_a_csv_file_are_refused(tmp_path: Path) -> None:
    folder = package_with(tmp_path, organizations=[ORGANIZATION_ROW, {**ORGANIZATION_ROW, "name": "Again"}])
    report = refused(folder)

    assert "organizations.csv: row 3" in report
    assert hsds_record_count() == 0


def test_the_same_record_twice_in_a_json_list_is_refused(tmp_path: Path) -> None:
    report = refused(write_json(tmp_path, "services.json", [service(1), service(1)]))

    assert "services.json: [1]: id: service '00000000-0000-4000-8000-000000000001' appears twice" in report


def test_one_id_nested_with_two_different_contents_is_refused(tmp_path: Path) -> None:
    other = {**ORGANIZATION, "name": "Somebody else"}
    report = refused(write_json(tmp_path, "services.json", [service(1), service(2, organization=other)]))

    assert (
        "[1].organization: name: organization '7f3c0a38-0d2c-4c49-9f5e-5b1f7c4d2a10' appears again" in report
    )


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        ({"freq": "DAILY"}, 'schedules[0]: freq: "DAILY" is not one of WEEKLY, MONTHLY'),
        ({"freq": "WEEKLY", "byday": "MO,XX"}, "schedules[0]: byday: 'XX' is not a weekday"),
        (
            {"freq": "WEEKLY", "byday": "2MO"},
            "schedules[0]: byday: '2MO': a numbered weekday needs freq MONTHLY",
        ),
        ({"freq": "MONTHLY", "bymonthday": "0,32"}, "schedules[0]: bymonthday: 0 is outside 1 to 31"),
        ({"opens_at": "25:00"}, "schedules[0]: opens_at: '25:00' is not a time"),
        ({"interval": 0}, "schedules[0]: interval: must be 1 or more"),
    ],
)
def test_bad_schedule_rules_are_refused(tmp_path: Path, schedule: dict[str, Any], expected: str) -> None:
    document = service(1, schedules=[{"id": service(5)["id"], **schedule}])
    report = refused(write_json(tmp_path, "service.json", document))

    assert expected in report
    assert not Schedule.objects.exists()


def test_a_bad_schedule_rule_in_a_package_names_the_row(tmp_path: Path) -> None:
    schedule_row = {
        "id": service(5)["id"],
        "service_id": SERVICE_ROW["id"],
        "freq": "WEEKLY",
        "byday": "MO,FUNDAY",
    }
    folder = package_with(
        tmp_path, organizations=[ORGANIZATION_ROW], services=[SERVICE_ROW], schedules=[schedule_row]
    )
    report = refused(folder)

    assert "schedules.csv: row 2: byday: 'FUNDAY' is not a weekday" in report


def test_out_of_range_coordinates_are_reported_and_the_location_kept_off_the_map() -> None:
    _out, report = run_import(EXAMPLES / "location.json")

    assert "WARNING: location.json: document: latitude: 100 is outside -90 to 90" in report
    location = Location.objects.get()
    assert (location.latitude, location.longitude) == (Decimal(100), Decimal(101))
    assert location.position_usable is False


def test_coordinates_in_range_make_a_usable_position(tmp_path: Path) -> None:
    place = {"id": service(7)["id"], "location_type": "physical", "latitude": 51.5074, "longitude": -0.1278}
    run_import(write_json(tmp_path, "location.json", place))

    location = Location.objects.get()
    assert location.position_usable is True
    assert location.latitude == Decimal("51.5074")


def test_all_or_nothing_by_default_and_the_good_records_with_skip_invalid(tmp_path: Path) -> None:
    bad = service(2, phones=[{"id": service(8)["id"], "number": "1", "extension": "x"}])
    path = write_json(tmp_path, "services.json", [service(1), bad])

    refused(path)
    assert hsds_record_count() == 0

    out, report = run_import(path, "--skip-invalid")
    assert set(Service.objects.values_list("name", flat=True)) == {"Service 1"}
    assert not Phone.objects.exists()
    assert "skipped 1 invalid record(s)" in out
    assert "ERROR: services.json: [1].phones[0]: extension" in report


def test_skip_invalid_also_leaves_out_rows_that_would_link_to_a_skipped_row(tmp_path: Path) -> None:
    bad_service = {**SERVICE_ROW, "status": "closed for good"}
    phone = {"id": service(6)["id"], "service_id": SERVICE_ROW["id"], "number": "0100 000"}
    folder = package_with(tmp_path, organizations=[ORGANIZATION_ROW], services=[bad_service], phones=[phone])

    _out, report = run_import(folder, "--skip-invalid")

    assert Organization.objects.filter(pk=ORGANIZATION["id"]).exists()
    assert not Service.objects.exists()
    assert not Phone.objects.exists()
    assert "services.csv: row 2: status" in report
    assert "phones.csv: row 2: service_id" in report


def test_re_import_updates_by_id_instead_of_duplicating(tmp_path: Path) -> None:
    run_import(EXAMPLES / "service_full.json")
    count = hsds_record_count()
    changed = official_service()
    changed["name"] = "Community Counselling (renamed)"

    out, _report = run_import(write_json(tmp_path, "service.json", changed))

    assert hsds_record_count() == count
    assert Service.objects.get().name == "Community Counselling (renamed)"
    assert "0 new, 1 updated, 22 unchanged" in out


def test_a_number_change_seen_in_one_place_only_is_a_disagreement(tmp_path: Path) -> None:
    changed = official_service()
    changed["phones"][0]["number"] = "+44 1234 000000"  # the same phone sits under the contact unchanged
    report = refused(write_json(tmp_path, "service.json", changed))

    assert "phone '1554f2e2-a373-45db-a3fa-9fc48a61c15e' appears again with a different number" in report


def test_dry_run_counts_and_writes_nothing() -> None:
    out, _report = run_import(EXAMPLES / "service_full.json", "--dry-run")

    assert "Would import 23 HSDS records from service_full.json: 23 new, 0 updated, 0 unchanged" in out
    assert hsds_record_count() == 0
    assert not AuditEvent.objects.filter(action=AuditAction.HSDS_IMPORTED).exists()


def test_a_completed_import_is_audited_with_counts_only() -> None:
    run_import(EXAMPLES / "organization_list.json")

    event = AuditEvent.objects.get(action=AuditAction.HSDS_IMPORTED)
    assert event.details == {
        "created": {"organization": 1},
        "updated": {"organization": 0},
        "unchanged": {"organization": 0},
        "skipped": 0,
        "warnings": 2,
    }
    assert event.actor_label == "command line"


def test_a_terminal_gets_a_progress_bar(tmp_path: Path) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out, _report = run_import(EXAMPLES / "service_full.json", stdout=Terminal())

    assert "\rImporting [##############################] 23/23\n" in out
    assert out.rstrip().endswith("4 warning(s).")


def test_the_report_file_lists_every_problem(tmp_path: Path) -> None:
    report_file = tmp_path / "problems.csv"
    document = copy.deepcopy(official_service())
    document["schedules"][0]["byday"] = "XX"
    with pytest.raises(CommandError):
        call_command(
            "import-hsds",
            str(write_json(tmp_path, "service.json", document)),
            "--report",
            str(report_file),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )

    rows = list(csv.DictReader(report_file.open(encoding="utf-8")))
    errors = [row for row in rows if row["severity"] == "error"]
    # The rule itself, and the same schedule seen unchanged elsewhere in the document.
    assert {(row["file"], row["field"]) for row in errors} == {("service.json", "byday")}
    assert any("'XX' is not a weekday" in row["problem"] for row in errors)
    assert len(rows) - len(errors) == 4  # two out-of-range latitudes, two outside references


def test_importing_the_same_file_again_changes_nothing() -> None:
    run_import(EXAMPLES / "service_full.json")
    out, _report = run_import(EXAMPLES / "service_full.json")

    assert "0 new, 0 updated, 23 unchanged" in out
    assert hsds_record_count() == 23


def test_a_tabular_export_imports_back_unchanged(tmp_path: Path) -> None:
    run_import(EXAMPLES / "location.json")  # opens_at "10:00": HSDS's HH:MM, not HH:MM:SS
    call_command("export-hsds", str(tmp_path), "--format", "tabular", stdout=io.StringIO())

    out, _report = run_import(tmp_path)

    assert "0 new, 0 updated, 7 unchanged" in out
    assert Schedule.objects.get().opens_at == "10:00"


def test_an_import_is_searchable_at_once_and_a_re_import_keeps_the_index_in_step(tmp_path: Path) -> None:
    from django.utils import timezone

    from carepath.directory.models import SearchEntry
    from carepath.directory.selectors.find import find_services

    def found(words: str) -> list[str]:
        page = find_services({"q": [words]}, home_country="", now=timezone.now())
        return [card.name for card in page.cards]

    run_import(write_json(tmp_path, "one.json", [service(1, name="Lantern listening circle")]))
    assert found("lantern") == ["Lantern listening circle"] and SearchEntry.objects.count() == 1
    closed = service(1, name="Beacon listening circle", status="inactive")
    run_import(write_json(tmp_path, "two.json", [closed]))
    assert found("lantern") == [] and found("beacon") == [] and SearchEntry.objects.count() == 0
    run_import(write_json(tmp_path, "three.json", [service(1, name="Beacon listening circle")]))
    assert found("beacon") == ["Beacon listening circle"]
    run_import(write_json(tmp_path, "dry.json", [service(2, name="Quiet harbour")]), "--dry-run")
    assert found("quiet") == []
