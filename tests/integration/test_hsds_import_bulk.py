"""The import's bulk writing: new records inserted, changed ones rewritten, unchanged ones untouched."""

from __future__ import annotations

import datetime as dt
import gc
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carepath.directory.models import Location, Organization, Phone, Service
from carepath.directory.selectors.hsds import hsds_record_count
from carepath.interop.hsds_reader import garbage_collection_paused
from tests.integration.test_hsds_import import (
    ORGANIZATION,
    ORGANIZATION_ROW,
    SERVICE_ROW,
    official_service,
    package_with,
    refused,
    run_import,
    service,
    write_json,
)
from tests.integration.test_hsds_roundtrip import EXAMPLES, HSDS

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not HSDS.exists(), reason="shared/hsds sits beside the clone in CI"),
]
LONG_AGO = timezone.make_aware(dt.datetime(2020, 1, 1, 12, 0))


def test_one_changed_record_is_rewritten_and_the_others_left_untouched(tmp_path: Path) -> None:
    run_import(EXAMPLES / "service_full.json")
    Organization.objects.update(last_modified=LONG_AGO)
    phones = {phone.pk: phone.description for phone in Phone.objects.all()}
    changed = official_service()
    changed["description"] = "Counselling, now also by video."

    out, _report = run_import(write_json(tmp_path, "service.json", changed))

    assert "0 new, 1 updated, 22 unchanged" in out
    assert Service.objects.get().description == "Counselling, now also by video."
    assert {phone.pk: phone.description for phone in Phone.objects.all()} == phones
    # An organisation the import leaves unchanged keeps its own bookkeeping.
    assert set(Organization.objects.values_list("last_modified", flat=True)) == {LONG_AGO}


def test_a_changed_organisation_gets_a_new_last_modified(tmp_path: Path) -> None:
    run_import(write_json(tmp_path, "services.json", [service(1)]))
    Organization.objects.update(last_modified=LONG_AGO)

    renamed = service(1, organization={**ORGANIZATION, "name": "Harbour Peer Network (renamed)"})
    out, _report = run_import(write_json(tmp_path, "services.json", [renamed]))

    assert "0 new, 1 updated, 1 unchanged" in out
    organization = Organization.objects.get()
    assert organization.name == "Harbour Peer Network (renamed)"
    assert organization.last_modified > LONG_AGO


def test_many_records_update_in_a_few_statements(tmp_path: Path) -> None:
    services = [service(number) for number in range(1, 41)]
    run_import(write_json(tmp_path, "services.json", services))
    renamed = [{**item, "name": f"{item['name']} (renamed)"} for item in services]

    with CaptureQueriesContext(connection) as queries:
        out, _report = run_import(write_json(tmp_path, "services.json", renamed))

    assert "0 new, 40 updated, 1 unchanged" in out
    assert sorted(Service.objects.values_list("name", flat=True))[0] == "Service 1 (renamed)"
    updates = [
        query
        for query in queries.captured_queries
        if query["sql"].startswith("UPDATE") and "directory_" in query["sql"].split(" SET ")[0]
    ]  # the audit trail's chain head is updated too, once per import (not a directory record)
    assert len(updates) <= 1  # one prepared UPDATE run for every changed service (executemany)


def test_a_link_the_import_does_not_mention_is_kept_on_update(tmp_path: Path) -> None:
    run_import(package_with(tmp_path, organizations=[ORGANIZATION_ROW], services=[SERVICE_ROW]))
    without_link = {"id": SERVICE_ROW["id"], "name": "Listening (renamed)", "status": "active"}

    out, _report = run_import(write_json(tmp_path, "service.json", without_link), "--keep-unknown-references")

    assert "0 new, 1 updated, 0 unchanged" in out
    stored = Service.objects.get()
    assert (stored.name, stored.organization_id) == ("Listening (renamed)", ORGANIZATION["id"])


def test_a_dry_run_of_changes_counts_them_and_writes_nothing(tmp_path: Path) -> None:
    run_import(EXAMPLES / "service_full.json")
    changed = official_service()
    changed["name"] = "Renamed"

    out, _report = run_import(write_json(tmp_path, "service.json", changed), "--dry-run")

    assert "Would import 23 HSDS records from service.json: 0 new, 1 updated, 22 unchanged" in out
    assert Service.objects.get().name != "Renamed"


def test_position_usable_is_rewritten_when_coordinates_change(tmp_path: Path) -> None:
    document = json.loads((EXAMPLES / "location.json").read_text(encoding="utf-8"))
    run_import(write_json(tmp_path, "location.json", document))
    assert Location.objects.get().position_usable is False  # the example's latitude is 100

    document["latitude"], document["longitude"] = 51.5, -0.1
    run_import(write_json(tmp_path, "location.json", document))

    assert Location.objects.get().position_usable is True


def test_the_same_id_twice_in_one_json_import_is_still_refused(tmp_path: Path) -> None:
    report = refused(write_json(tmp_path, "services.json", [service(1), service(2), service(1)]))

    assert "services.json: [2]: id: service '00000000-0000-4000-8000-000000000001' appears twice" in report
    assert hsds_record_count() == 0


def test_the_same_id_twice_in_a_clean_looking_package_is_still_refused(tmp_path: Path) -> None:
    rows = [SERVICE_ROW, {**SERVICE_ROW, "name": "Another"}]
    report = refused(package_with(tmp_path, organizations=[ORGANIZATION_ROW], services=rows))

    assert "services.csv: row 3" in report
    assert hsds_record_count() == 0


def test_garbage_collection_is_paused_for_the_import_and_resumed_after() -> None:
    assert gc.isenabled()
    with garbage_collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with garbage_collection_paused():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()


def test_the_command_resumes_garbage_collection_after_a_refused_import(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="nothing was written"):
        call_command(
            "import-hsds",
            str(write_json(tmp_path, "services.json", [service(1), service(1)])),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert gc.isenabled()
