"""Carepath's description of HSDS 3.1 agrees with the official files, and the models with it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from carepath.directory.models import HSDS_MODELS
from carepath.directory.selectors.hsds import hsds_attributes
from carepath.interop.hsds_schema import object_schema, tabular_descriptor
from carepath.interop.hsds_tables import TABLES

HSDS = Path(__file__).parents[3] / "shared" / "hsds"
SHIPPED = Path(__file__).parents[2] / "src" / "carepath" / "directory" / "hsds_spec"
# The official descriptor lists 2 of service_capacity's columns and none of unit's (docs/hsds.md).
DESCRIPTOR_DEFECTS = {"service_capacity", "unit"}

needs_shared = pytest.mark.skipif(not HSDS.exists(), reason="shared/hsds sits beside the clone in CI")


@needs_shared
@pytest.mark.parametrize("name", sorted(path.name for path in SHIPPED.glob("schema/*.json")))
def test_shipped_schemas_are_the_official_files(name: str) -> None:
    assert (SHIPPED / "schema" / name).read_bytes() == (HSDS / "schema" / name).read_bytes()


@needs_shared
def test_shipped_descriptor_is_the_official_file() -> None:
    assert (SHIPPED / "datapackage.json").read_bytes() == (HSDS / "datapackage.json").read_bytes()


@pytest.mark.parametrize("table", sorted(TABLES))
def test_columns_are_the_scalar_fields_of_the_official_schema(table: str) -> None:
    properties = object_schema(table)["properties"]
    scalars = {name for name, spec in properties.items() if spec.get("type") not in ("array", None)}
    assert set(TABLES[table].columns) == scalars


@needs_shared
@pytest.mark.parametrize("table", sorted(set(TABLES) - DESCRIPTOR_DEFECTS))
def test_columns_are_in_the_official_descriptor_order(table: str) -> None:
    descriptor = json.loads((HSDS / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(resource for resource in descriptor["resources"] if resource["name"] == table)
    assert tuple(field["name"] for field in resource["schema"]["fields"]) == TABLES[table].columns
    assert resource["path"] == TABLES[table].path


def test_the_corrected_descriptor_describes_every_column() -> None:
    for resource in tabular_descriptor()["resources"]:
        assert (
            tuple(field["name"] for field in resource["schema"]["fields"]) == TABLES[resource["name"]].columns
        )


@pytest.mark.parametrize("table", sorted(TABLES))
def test_each_model_stores_exactly_its_tables_columns(table: str) -> None:
    assert set(hsds_attributes(table)) == set(TABLES[table].columns)
    assert HSDS_MODELS[table]._meta.pk.column == "id"


def test_every_link_names_a_table() -> None:
    for table in TABLES.values():
        for target in (*table.links.values(), *table.cross_references.values()):
            assert target in TABLES
        for child in table.children:
            assert child.link in TABLES[child.table].columns
