"""What an imported HSDS record becomes in the directory: the stored fields of a new row, and an update.

Shared by the import (`hsds_import`) and the bulk writer (`hsds_bulk`), so a record is stored the
same way whichever writes it. Values are HSDS column -> value as the readers produce them
(`carepath.interop.hsds_values`); fields are model attributes (a link's attribute ends in `_id`).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from django.db import models

from carepath.directory.models import HSDS_MODELS
from carepath.directory.selectors.hsds import stored_attributes
from carepath.interop.hsds_tables import TABLES

CARE_PATH_COLUMNS = ("position_usable",)  # values Carepath derives, stored beside the HSDS ones
KEEP_DEFAULT = object()  # a new record's field the import leaves at the model's default


@cache
def new_record_fields(table: str) -> tuple[tuple[str, str, Any], ...]:
    """(model attribute, column of the record's values, value when absent) for a new record.

    Absent text is empty text, any other absent value None; an absent link is None; a value
    Carepath derives (`position_usable`) keeps the model's default when absent. The id is not listed.
    """
    links = TABLES[table].link_columns
    found = [
        (attribute, column, None if column in links else empty_value(table, attribute))
        for column, attribute in stored_attributes(table).items()
        if column != "id"
    ]
    own = {field.name for field in HSDS_MODELS[table]._meta.concrete_fields}
    found += [(column, column, KEEP_DEFAULT) for column in CARE_PATH_COLUMNS if column in own]
    return tuple(found)


def new_hsds_instance(table: str, values: Mapping[str, Any]) -> models.Model:
    """The unsaved model instance an import creates for a new record (`values`: HSDS column -> value)."""
    instance = HSDS_MODELS[table](id=values["id"])
    for attribute, column, absent in new_record_fields(table):
        value = values.get(column, absent)
        if value is not KEEP_DEFAULT:
            setattr(instance, attribute, value)
    return instance


@cache
def compared_fields(table: str) -> tuple[str, ...]:
    """The fields an import compares and rewrites: every stored HSDS column but the id, then Carepath's."""
    names = [attribute for attribute in stored_attributes(table).values() if attribute != "id"]
    own = {field.name for field in HSDS_MODELS[table]._meta.concrete_fields}
    return tuple(names + [name for name in CARE_PATH_COLUMNS if name in own])


@cache
def _update_plan(table: str) -> tuple[tuple[str, str, Any, bool], ...]:
    """(column, attribute, value when absent, is a link) for each HSDS column an update may set."""
    links = TABLES[table].link_columns
    return tuple(
        (column, attribute, None if column in links else empty_value(table, attribute), column in links)
        for column, attribute in stored_attributes(table).items()
        if column != "id"
    )


def updated_fields(table: str, stored: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """The record's fields after the import: `stored` (field -> value) with the imported `values`.

    Scalars are replaced (absent means empty); a link the import does not mention is kept; a value
    Carepath derives is replaced when the import gives one.
    """
    after = dict(stored)
    for column, attribute, absent, is_link in _update_plan(table):
        if is_link and column not in values:
            continue
        after[attribute] = values.get(column, absent)
    for column in CARE_PATH_COLUMNS:
        if column in values and column in after:
            after[column] = values[column]
    return after


@cache
def empty_value(table: str, attribute: str) -> Any:
    """What an absent value is stored as: empty text for a text field, else None."""
    field_object = HSDS_MODELS[table]._meta.get_field(attribute)
    is_text = (
        isinstance(field_object, models.Field)
        and field_object.empty_strings_allowed
        and not field_object.null
    )
    return "" if is_text else None
