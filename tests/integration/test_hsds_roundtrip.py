"""Every official HSDS 3.1 example goes in and comes out again with nothing lost or changed.

Comparison rule (docs/hsds.md, "Round trip"): both documents are taken apart into records per
table by a flattener written here, independently of the importer. Records are compared by
(table, id) and their fields by value; key order does not matter; a field that is absent,
null or empty text counts as absent; a link that nesting expresses (a phone inside a service)
counts as the same link written out (`phone.service_id`), and a nested attribute or metadata
record without link_entity / resource_type takes its parent's table, as the importer does.
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import frictionless
import pytest
from django.core.management import call_command
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

HSDS = Path(__file__).parents[3] / "shared" / "hsds"
EXAMPLES = HSDS / "examples"

# Which table a nested key holds; children point back at their parent with "<parent>_id".
CHILD_TABLES = {
    "phones": "phone",
    "schedules": "schedule",
    "service_areas": "service_area",
    "service_at_locations": "service_at_location",
    "languages": "language",
    "funding": "funding",
    "cost_options": "cost_option",
    "required_documents": "required_document",
    "contacts": "contact",
    "capacities": "service_capacity",
    "attributes": "attribute",
    "metadata": "metadata",
    "additional_urls": "url",
    "additional_websites": "url",
    "locations": "location",
    "programs": "program",
    "organization_identifiers": "organization_identifier",
    "services": "service",
    "addresses": "address",
    "accessibility": "accessibility",
}
# Single records embedded in their parent, which names them with "<key>_id".
EMBEDDED_TABLES = {
    "organization": ("organization", "organization_id"),
    "program": ("program", "program_id"),
    "location": ("location", "location_id"),
    "service": ("service", "service_id"),
    "unit": ("unit", "unit_id"),
    "taxonomy_term": ("taxonomy_term", "taxonomy_term_id"),
    "taxonomy_detail": ("taxonomy", "taxonomy_id"),
}
POLYMORPHIC = {"attribute": ("link_id", "link_entity"), "metadata": ("resource_id", "resource_type")}

JSON_EXAMPLES = {
    "service_full.json": "service",
    "service_list.json": "service",
    "organization_full.json": "organization",
    "organization_list.json": "organization",
    "service_at_location_full.json": "service_at_location",
    "service_at_location_list.json": "service_at_location",
    "location.json": "location",
    "taxonomy.json": "taxonomy",
    "taxonomy_list.json": "taxonomy",
    "taxonomy_term.json": "taxonomy_term",
    "taxonomy_term_list.json": "taxonomy_term",
}
EXPORT_FILES = {
    "services.json": "service",
    "organizations.json": "organization",
    "locations.json": "location",
    "taxonomy_terms.json": "taxonomy_term",
    "taxonomies.json": "taxonomy",
}

Records = dict[tuple[str, str], dict[str, Any]]


def _keep(records: Records, table: str, fields: dict[str, Any]) -> None:
    known = records.setdefault((table, fields["id"]), {})
    for name, value in fields.items():
        assert known.get(name, value) == value, f"{table} {fields['id']}: {name} differs within one document"
        known[name] = value


def flatten(
    record: dict[str, Any], table: str, records: Records, parent: tuple[str, str] | None = None
) -> None:
    fields = {key: value for key, value in record.items() if not isinstance(value, (dict, list))}
    fields = {key: value for key, value in fields.items() if value is not None and value != ""}
    if parent is not None:
        parent_table, parent_id = parent
        link, entity = POLYMORPHIC.get(table, (f"{parent_table}_id", None))
        fields[link] = parent_id
        if entity:
            fields.setdefault(entity, parent_table)
    for key, value in record.items():
        if isinstance(value, dict):
            inner_table, link = EMBEDDED_TABLES[key]
            fields[link] = value["id"]
            flatten(value, inner_table, records)
        elif isinstance(value, list):
            for item in value:
                flatten(item, CHILD_TABLES[key], records, parent=(table, record["id"]))
    _keep(records, table, fields)


def flatten_document(path: Path, table: str, records: Records | None = None) -> Records:
    records = {} if records is None else records
    document = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    items = document["contents"] if isinstance(document, dict) and "contents" in document else document
    for item in items if isinstance(items, list) else [items]:
        flatten(item, table, records)
    return records


def flatten_export(folder: Path) -> Records:
    records: Records = {}
    for name, table in EXPORT_FILES.items():
        flatten_document(folder / name, table, records)
    return records


def read_package(folder: Path) -> Records:
    """CSV rows by (table, id), empty cells left out; the table is the file's HSDS resource."""
    descriptor = json.loads((HSDS / "datapackage.json").read_text(encoding="utf-8"))
    records: Records = {}
    for resource in descriptor["resources"]:
        file = folder / resource["path"]
        if file.exists():
            with file.open(encoding="utf-8-sig", newline="") as handle:
                for row in csv.DictReader(handle):
                    records[(resource["name"], row["id"])] = {
                        key: value for key, value in row.items() if value
                    }
    return records


def differences(original: Records, exported: Records) -> list[str]:
    found = [f"lost {key}" for key in original.keys() - exported.keys()]
    found += [f"added {key}" for key in exported.keys() - original.keys()]
    for key in original.keys() & exported.keys():
        for name in original[key].keys() | exported[key].keys():
            before, after = original[key].get(name), exported[key].get(name)
            if before != after:
                found.append(f"{key} {name}: {before!r} -> {after!r}")
    return sorted(found)


def official_validator(schema_file: str) -> Draft202012Validator:
    compiled = HSDS / "schema" / "compiled" / schema_file
    if compiled.exists():
        return Draft202012Validator(json.loads(compiled.read_text(encoding="utf-8")))
    resources = [
        (path.name, Resource.from_contents(json.loads(path.read_text(encoding="utf-8")), DRAFT202012))
        for path in (HSDS / "schema").glob("*.json")
    ]
    return Draft202012Validator({"$ref": schema_file}, registry=Registry().with_resources(resources))


def import_path(path: Path, *options: str) -> None:
    call_command("import-hsds", str(path), *options, stdout=open_null(), stderr=open_null())


def open_null() -> Any:
    import io

    return io.StringIO()


@pytest.fixture
def official_package(tmp_path: Path) -> Path:
    """The official CSV examples with the official descriptor: the examples' own datapackage.json
    is a Git symbolic link stored as a text file (it holds "../../datapackage.json")."""
    folder = tmp_path / "package"
    folder.mkdir()
    for file in EXAMPLES.glob("csv/*.csv"):
        (folder / file.name).write_bytes(file.read_bytes())
    (folder / "datapackage.json").write_bytes((HSDS / "datapackage.json").read_bytes())
    return folder


pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not HSDS.exists(), reason="shared/hsds sits beside the clone in CI"),
]


@pytest.mark.parametrize("example", sorted(JSON_EXAMPLES))
def test_each_official_json_example_survives_import_and_export(example: str, tmp_path: Path) -> None:
    import_path(EXAMPLES / example)
    call_command("export-hsds", str(tmp_path), "--format", "json", stdout=open_null(), stderr=open_null())

    original = flatten_document(EXAMPLES / example, JSON_EXAMPLES[example])
    assert differences(original, flatten_export(tmp_path)) == []


@pytest.mark.parametrize("example", sorted(JSON_EXAMPLES))
def test_exported_json_validates_against_the_official_schemas(example: str, tmp_path: Path) -> None:
    import_path(EXAMPLES / example)
    call_command("export-hsds", str(tmp_path), "--format", "json", stdout=open_null())

    for name, table in EXPORT_FILES.items():
        document = json.loads((tmp_path / name).read_text(encoding="utf-8"))
        assert {
            "total_items",
            "total_pages",
            "page_number",
            "size",
            "first_page",
            "last_page",
            "empty",
        } <= set(document)
        validator = official_validator(f"{table}.json")
        for item in document["contents"]:
            assert [error.message for error in validator.iter_errors(item)] == [], name


def test_the_official_csv_package_survives_import_and_export(official_package: Path, tmp_path: Path) -> None:
    # The official package links six records to records it does not hold (docs/hsds.md).
    import_path(official_package, "--keep-unknown-references")
    out = tmp_path / "out"
    call_command("export-hsds", str(out), "--format", "tabular", stdout=open_null())

    assert differences(read_package(official_package), read_package(out)) == []


def test_the_official_csv_examples_folder_imports_as_it_is() -> None:
    # Its datapackage.json is not a descriptor; the files are read by their HSDS names.
    import_path(EXAMPLES / "csv", "--keep-unknown-references")
    from carepath.directory.models import Service

    assert Service.objects.filter(name="Community Counselling").exists()


def test_the_exported_package_validates_with_frictionless(tmp_path: Path) -> None:
    import_path(EXAMPLES / "service_full.json")
    call_command("export-hsds", str(tmp_path), "--format", "tabular", stdout=open_null())

    report = frictionless.Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["title", "rowNumber", "fieldName", "note"])


def test_the_exported_official_package_fails_only_on_its_own_dangling_links(
    official_package: Path, tmp_path: Path
) -> None:
    import_path(official_package, "--keep-unknown-references")
    call_command("export-hsds", str(tmp_path), "--format", "tabular", stdout=open_null())

    report = frictionless.Package(str(tmp_path / "datapackage.json")).validate()
    problems = {(task.name, error.type) for task in report.tasks for error in task.errors}
    assert problems == {
        ("location", "foreign-key"),
        ("contact", "foreign-key"),
        ("service_area", "foreign-key"),
        ("taxonomy_term", "foreign-key"),
        ("service_capacity", "foreign-key"),
    }


def test_the_json_export_reads_back_as_the_same_directory(tmp_path: Path) -> None:
    import_path(EXAMPLES / "organization_full.json")
    first, second = tmp_path / "first", tmp_path / "second"
    call_command("export-hsds", str(first), "--format", "json", stdout=open_null())
    import_path(first)
    call_command("export-hsds", str(second), "--format", "json", stdout=open_null())

    for name in EXPORT_FILES:
        assert (first / name).read_text(encoding="utf-8") == (second / name).read_text(encoding="utf-8")
