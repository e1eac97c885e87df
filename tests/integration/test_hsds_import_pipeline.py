"""Reading in one process while another writes (`hsds_pipeline`) gives what the one-process import gives.

Small chunks, so a few dozen services make many chunks, records completed after their chunk was
sent, and services indexed in one chunk and touched again by a later one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from carepath.audit.models import AuditAction, AuditEvent
from carepath.demo.directory_generator import demo_directory
from carepath.directory.models import HSDS_MODELS, Location, Organization, Service, ServiceAtLocation
from carepath.directory.selectors.search_facts import services_touched_by
from carepath.directory.services import hsds_pipeline
from carepath.directory.services.hsds_import import ImportOutcome, ImportRefused, import_hsds
from carepath.directory.services.hsds_pipeline import ReaderFailed, import_hsds_path
from carepath.directory.services.search_index import rebuild_search_index
from carepath.interop.hsds_export import write_json_export, write_tabular_export
from carepath.interop.hsds_reader import read_hsds
from tests.integration.test_hsds_import_speed import _index

pytestmark = pytest.mark.django_db
SERVICES = 30
SHARED_ORGANIZATION = "5b0c3a62-9d0e-4c4e-8a51-0d1e2f3a4b5c"
NOWHERE = "0f1e2d3c-4b5a-4968-8776-655443322110"  # in neither the import nor the directory


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hsds_pipeline, "CHUNK_RECORDS", 40)


def _demo_rows(revised: bool = False) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {}
    for batch in demo_directory(SERVICES, seed=5):
        for table, table_rows in batch.rows.items():
            rows.setdefault(table, []).extend(table_rows)
    rows["service"][0] = {**rows["service"][0], "status": "inactive"}  # the unlisted index too
    if revised:
        rows["service"] = [
            {**row, "description": f"{row['description']} Revised."} for row in rows["service"]
        ]
        rows["address"] = [{**row, "city": f"New {row['city']}"} for row in rows["address"]]
    return rows


def _written(tmp_path: Path, form: str, revised: bool = False) -> Path:
    folder = tmp_path / f"{form}-{'revised' if revised else 'original'}"
    if not folder.exists():
        write = write_json_export if form == "json" else write_tabular_export
        write(_demo_rows(revised), folder)
    return folder


def _directory() -> dict[str, Any]:
    """Every stored HSDS row (but an organisation's own last-changed time) and the search index."""
    tables = {}
    for table, model in HSDS_MODELS.items():
        rows = [dict(row) for row in model._default_manager.order_by("pk").values()]
        if model is Organization:
            for row in rows:
                row.pop("last_modified")
        tables[table] = rows
    return {"tables": tables, "index": _index()}


def _counts(outcome: ImportOutcome) -> tuple[dict[str, int], ...]:
    return outcome.created, outcome.updated, outcome.unchanged


@contextmanager
def _rolled_back() -> Iterator[None]:
    """Whatever the block writes is undone after it (a savepoint inside the test's transaction)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _one_process(path: Path) -> tuple[tuple[dict[str, int], ...], dict[str, Any]]:
    outcome = import_hsds(read_hsds(path), actor_label="test")
    return _counts(outcome), _directory()


def _two_processes(path: Path) -> tuple[tuple[dict[str, int], ...], dict[str, Any]]:
    outcome = import_hsds_path(path, actor_label="test")
    return _counts(outcome), _directory()


@pytest.mark.parametrize("form", ["json", "tabular"])
def test_two_processes_write_what_one_process_writes_new_again_and_revised(tmp_path: Path, form: str) -> None:
    original, revised = _written(tmp_path, form), _written(tmp_path, form, revised=True)
    with _rolled_back():
        expected = [_one_process(original), _one_process(original), _one_process(revised)]
    assert not Service.objects.exists()

    found = [_two_processes(original), _two_processes(original), _two_processes(revised)]

    for (expected_counts, expected_directory), (counts, directory) in zip(expected, found, strict=True):
        assert counts == expected_counts
        assert directory == expected_directory
    created, updated, unchanged = found[0][0]
    assert sum(created.values()) > 200 and not any(updated.values()) and not any(unchanged.values())
    assert sum(found[1][0][2].values()) == sum(created.values())  # again: every record unchanged
    assert found[2][0][1]["service"] == SERVICES and found[2][0][1]["address"] > 0
    rebuild_search_index()
    assert _index() == found[2][1]["index"]


def test_a_record_completed_after_its_chunk_was_sent_is_stored_whole_and_counted_once(
    tmp_path: Path,
) -> None:
    services = json.loads((_written(tmp_path, "json") / "services.json").read_text())["contents"]
    first, last = services[0], services[-1]
    shared = dict(last["organization"], id=SHARED_ORGANIZATION)
    shared.pop("locations", None)
    first["organization"] = {key: value for key, value in shared.items() if key != "website"}
    first["organization_id"] = SHARED_ORGANIZATION
    last["organization"], last["organization_id"] = shared, SHARED_ORGANIZATION
    path = tmp_path / "services.json"
    path.write_text(json.dumps(services))

    outcome = import_hsds_path(path, actor_label="test")

    assert Organization.objects.get(id=SHARED_ORGANIZATION).website == shared["website"]
    assert outcome.created["organization"] == Organization.objects.count()
    assert not outcome.updated["organization"] and not outcome.unchanged["organization"]
    rebuilt_from = _index()
    rebuild_search_index()
    assert _index() == rebuilt_from


def test_an_error_late_in_the_file_refuses_everything_and_reports_what_one_process_reports(
    tmp_path: Path,
) -> None:
    services = json.loads((_written(tmp_path, "json") / "services.json").read_text())["contents"]
    services[-1]["phones"][0]["number"] = 12345  # long after the first chunks were written
    services[-2].pop("organization")
    services[-2]["organization_id"] = NOWHERE
    path = tmp_path / "services.json"
    path.write_text(json.dumps(services))
    expected = [str(problem) for problem in _refusal(lambda: import_hsds(read_hsds(path))).problems]

    refusal = _refusal(lambda: import_hsds_path(path, actor_label="test"))

    assert [str(problem) for problem in refusal.problems] == expected
    assert any("[29].phones[0]" in text and "number" in text for text in expected)
    assert any(f"'{NOWHERE}'" in text for text in expected)
    assert not any(model._default_manager.exists() for model in HSDS_MODELS.values())
    assert not AuditEvent.objects.filter(action=AuditAction.HSDS_IMPORTED).exists()


def test_a_reader_that_fails_leaves_nothing_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _written(tmp_path, "json")
    real_read = hsds_pipeline.read_hsds

    def read_then_fail(*args: Any) -> Any:
        real_read(*args)  # every chunk is sent and written first
        raise MemoryError("the reader ran out of memory")

    monkeypatch.setattr(hsds_pipeline, "read_hsds", read_then_fail)

    with pytest.raises(ReaderFailed, match="the reader ran out of memory"):
        import_hsds_path(path, actor_label="test")

    assert not any(model._default_manager.exists() for model in HSDS_MODELS.values())


def test_dry_run_and_skip_invalid_read_first_and_write_after(tmp_path: Path) -> None:
    path = _written(tmp_path, "json")
    outcome = import_hsds_path(path, dry_run=True)
    assert outcome.dry_run and sum(outcome.created.values()) > 200
    assert not Service.objects.exists()


def test_a_completed_import_is_audited_once_with_its_counts(tmp_path: Path) -> None:
    outcome = import_hsds_path(_written(tmp_path, "json"), actor_label="test")

    event = AuditEvent.objects.get(action=AuditAction.HSDS_IMPORTED)
    assert event.details["created"] == outcome.created
    assert event.details["skipped"] == 0


def _refusal(run: Any) -> ImportRefused:
    with pytest.raises(ImportRefused) as refused:
        run()
    return refused.value


def test_a_changed_location_touches_every_service_of_its_organisation(tmp_path: Path) -> None:
    """An online service is filed under the countries of its organisation's locations, so a change
    to any of them re-indexes it, even where the service is not offered."""
    import_hsds_path(_written(tmp_path, "json"), actor_label="test")
    cases = []
    for location in Location.objects.exclude(organization_id=None):
        of_organisation = set(
            Service.objects.filter(organization_id=location.organization_id).values_list("id", flat=True)
        )
        offered_there = set(
            ServiceAtLocation.objects.filter(location_id=location.id).values_list("service_id", flat=True)
        )
        if of_organisation - offered_there:  # services the location's own links do not reach
            cases.append((location, of_organisation | offered_there))
    assert cases

    for location, expected in cases:
        assert services_touched_by({"location": [location.id]}) >= expected
