"""A nested record seen again, equal to its first sighting, is not taken apart again (`hsds_json`).

Only its origin is added to the records it gave, which is all taking it apart again would change;
every other repeat (one that completes or contradicts a record, or whose first sighting had a
problem) is taken apart as before. Either way the batch holds the same records, origins and problems.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from carepath.interop import hsds_json
from carepath.interop.hsds_json import read_json_file
from carepath.interop.hsds_records import ImportBatch

ORGANIZATION = "1a4a0d96-aa1a-4bf2-b0a6-3007ddadb367"
LOCATION = "2b5b1ea7-bb2b-4cc3-81c7-4118eebec478"


def _organization(**location: Any) -> dict[str, Any]:
    return {
        "id": ORGANIZATION,
        "name": "Birchwood Collective",
        "description": "A fictional organisation.",
        "locations": [
            {
                "id": LOCATION,
                "location_type": "physical",
                "name": "Birchwood House",
                "latitude": 51.5,
                "longitude": -0.12,
                "addresses": [
                    {
                        "id": "3c6c2fb8-cc3c-4dd4-92d8-5229ffcfd589",
                        "address_1": "1 High Street",
                        "city": "Utica",
                        "state_province": "NY",
                        "postal_code": "13501",
                        "country": "US",
                        "address_type": "physical",
                    }
                ],
                **location,
            }
        ],
    }


def _service(number: int, organization: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": f"00000000-0000-4000-8000-{number:012d}",
        "name": f"Service {number}",
        "status": "active",
        "organization_id": ORGANIZATION,
        "organization": copy.deepcopy(organization),
    }


def _read_both_ways(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[ImportBatch, ImportBatch]:
    """The file read as it is, and with every repeat taken apart again."""
    read = read_json_file(path)
    with monkeypatch.context() as patched:
        patched.setattr(hsds_json._Flattener, "flatten", hsds_json._Flattener._flatten)
        taken_apart_again = read_json_file(path)
    return read, taken_apart_again


def _held(batch: ImportBatch) -> dict[str, Any]:
    return {
        "records": {key: (record.values, sorted(record.origins)) for key, record in batch.records.items()},
        "problems": [(str(problem), problem.severity, problem.origins) for problem in batch.problems],
    }


def test_an_organisation_embedded_in_each_of_its_services_counts_each_as_an_origin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "services.json"
    path.write_text(json.dumps([_service(number, _organization()) for number in range(3)]))

    read, taken_apart_again = _read_both_ways(path, monkeypatch)

    assert _held(read) == _held(taken_apart_again)
    address = read.records[("address", "3c6c2fb8-cc3c-4dd4-92d8-5229ffcfd589")]
    assert len(address.origins) == 3 and not read.problems


def test_repeats_after_a_contradiction_or_a_completion_are_reported_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = [
        _service(0, _organization()),
        _service(1, _organization(name="Birchwood Hall")),  # contradicts the location
        _service(2, _organization()),  # equal to the first sighting: contradicts again
        _service(3, _organization(description="Ground floor")),  # completes it
        _service(4, _organization()),
        _service(5, _organization(latitude=1234.5)),  # out of range: a warning each time
        _service(6, _organization(latitude=1234.5)),
    ]
    path = tmp_path / "services.json"
    path.write_text(json.dumps(services))

    read, taken_apart_again = _read_both_ways(path, monkeypatch)

    assert _held(read) == _held(taken_apart_again)
    contradictions = [problem for problem in read.problems if "appears again" in problem.problem]
    assert len(contradictions) >= 2
    assert sum("outside -90 to 90" in problem.problem for problem in read.problems) == 2
