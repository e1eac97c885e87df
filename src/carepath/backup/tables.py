"""Which tables a backup holds, their columns, and the order a restore loads them in.

Every concrete table of every installed model is backed up, except:
- sessions: a restored database starts with everyone signed out (a session names an account by its
  id, and after a restore that id may be someone else's);
- derived rows that Carepath rebuilds from the others after a restore: the directory's search index
  (its entries, points and card facts, the unlisted index, and the full-text structures beside them, which are
  not models at all) and the programme report's rows per episode.

A few tables are filled by `migrate` itself (content types, permissions, the audit chain's head).
A restore replaces their rows with the backup's, so the ids other rows point at stay right.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models

from carepath.backup.codec import Kind, column_kind, decimal_places

LEFT_OUT = frozenset({"sessions.session"})
REBUILT = frozenset(
    {
        "directory.searchentry",
        "directory.searchpoint",
        "directory.searchcard",
        "directory.unlistedentry",
        "outcomes.episodereportrow",
    }
)
FILLED_BY_MIGRATE = frozenset({"contenttypes.contenttype", "auth.permission", "audit.auditchainhead"})


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    places: int | None = None  # a decimal's places


@dataclass(frozen=True)
class Table:
    name: str  # the database table
    label: str  # app_label.model_name
    primary_key: str  # its column
    columns: tuple[Column, ...]
    model: type[models.Model]

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def kinds(self) -> list[Kind]:
        return [column.kind for column in self.columns]

    @property
    def filled_by_migrate(self) -> bool:
        return self.label in FILLED_BY_MIGRATE


def _stored_models() -> list[type[models.Model]]:
    """Each table once: no proxies, no unmanaged models; many-to-many link tables included."""
    found: dict[str, type[models.Model]] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.swapped:
            continue
        found.setdefault(meta.db_table, model)
    return [found[name] for name in sorted(found)]


def backed_up_tables() -> list[Table]:
    """The tables a backup holds, in the order a restore loads them (a table after those it points at)."""
    chosen = [model for model in _stored_models() if model._meta.label_lower not in LEFT_OUT | REBUILT]
    return [_table(model) for model in _dependency_order(chosen)]


def rebuilt_models() -> list[type[models.Model]]:
    """Tables emptied by a restore and then rebuilt, or left empty (sessions)."""
    return [model for model in _stored_models() if model._meta.label_lower in LEFT_OUT | REBUILT]


def _table(model: type[models.Model]) -> Table:
    meta = model._meta
    pk = meta.pk
    if pk is None or not getattr(pk, "column", None):
        raise TypeError(f"{meta.label}: a backup needs a single-column primary key")
    columns = tuple(
        Column(field.column, column_kind(field), decimal_places(field))
        for field in meta.concrete_fields
        # A generated column is computed by the database and cannot be written.
        if field.column and not getattr(field, "generated", False)
    )
    return Table(
        name=meta.db_table, label=meta.label_lower, primary_key=pk.column, columns=columns, model=model
    )


def _dependency_order(chosen: list[type[models.Model]]) -> list[type[models.Model]]:
    """Tables after the tables they point at; ties by table name, so the order is stable.

    Where tables point at each other in a cycle, one of the cycle goes first: the foreign keys
    are checked at the end of the transaction on both databases, so that order works too.
    """
    tables = {model._meta.db_table: model for model in chosen}
    needs = {name: _pointed_at(model) & (tables.keys() - {name}) for name, model in tables.items()}
    ordered: list[str] = []
    while needs:
        ready = sorted(name for name, wanted in needs.items() if not wanted)
        if not ready:
            ready = [next(name for name in sorted(needs) if _in_a_cycle(name, needs))]
        for name in ready:
            ordered.append(name)
            del needs[name]
        for wanted in needs.values():
            wanted.difference_update(ready)
    return [tables[name] for name in ordered]


def _in_a_cycle(start: str, needs: dict[str, set[str]]) -> bool:
    seen: set[str] = set()
    waiting = list(needs[start])
    while waiting:
        name = waiting.pop()
        if name == start:
            return True
        if name not in seen:
            seen.add(name)
            waiting.extend(needs.get(name, ()))
    return False


def _pointed_at(model: type[models.Model]) -> set[str]:
    """The tables a model's foreign keys point at (resolved models: the registry is ready)."""
    found = set()
    for field in model._meta.concrete_fields:
        target: Any = field.related_model
        if field.is_relation and target is not None:
            found.add(target._meta.db_table)
    return found
