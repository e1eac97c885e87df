"""How many search positions each grid cell holds, kept by the database itself beside the positions.

Before a search near a place reads positions, it asks whether the box around its circle holds more
than the nearby stream may read (`selectors.search.POINT_BUDGET`), often for several rings. Counted
in the cell index, near a city that reads up to 20,001 index entries a ring. With a count per cell,
the cells wholly inside the box give a lower bound and every cell it touches an upper one; only when
the budget falls between the two are positions counted, and then only in the cells on the box's edge
(`selectors.search._within_budget`). The answer is the same as counting every position.

Triggers on the positions table keep the counts in the same transaction as every write, whatever
makes it (an import, a coordinator's edit, a rebuild, a restore):
- SQLite: one row per cell, added to and taken from by row triggers (one writer at a time anyway);
- PostgreSQL: a row per cell a statement changed, holding the change (+n or -n), added by statement
  triggers and summed when read. Updating one row per cell instead would make concurrent writers in
  the same cells (an import and a coordinator's edit) wait for each other until commit, or
  deadlock; inserting never waits. `compact` merges a cell's rows into one after bulk writes,
  skipping rows another transaction is merging, so it never waits either.

If a later migration rebuilds the positions table (SQLite remakes a table to alter a column), its
triggers go with it: create them again there (`tests/integration/test_search_cell_positions.py`
checks that they exist).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

TABLE = "directory_search_cell_positions"
TRIGGERS = (f"{TABLE}_insert", f"{TABLE}_delete", f"{TABLE}_update", f"{TABLE}_truncate")

_SQLITE_ADD = (
    "INSERT INTO directory_search_cell_positions (cell, positions) VALUES ({cell}, 1) "
    "ON CONFLICT (cell) DO UPDATE SET positions = positions + 1;"
)
_SQLITE_REMOVE = "UPDATE directory_search_cell_positions SET positions = positions - 1 WHERE cell = {cell};"
_FILL = (
    "INSERT INTO directory_search_cell_positions (cell, positions) "
    "SELECT cell, COUNT(*) FROM directory_searchpoint GROUP BY cell"
)


def create_sql(vendor: str) -> list[str]:
    """The table, filled from the positions already there, and the triggers that keep it."""
    return _sqlite_create() if vendor == "sqlite" else _postgresql_create()


def _sqlite_create() -> list[str]:
    insert, delete, update, _truncate = TRIGGERS  # no TRUNCATE in SQLite: emptying fires the row trigger
    add_new, remove_old = _SQLITE_ADD.format(cell="NEW.cell"), _SQLITE_REMOVE.format(cell="OLD.cell")
    return [
        "CREATE TABLE directory_search_cell_positions (cell INTEGER PRIMARY KEY, positions INTEGER NOT NULL)",
        _FILL,
        f"CREATE TRIGGER {insert} AFTER INSERT ON directory_searchpoint BEGIN {add_new} END",
        f"CREATE TRIGGER {delete} AFTER DELETE ON directory_searchpoint BEGIN {remove_old} END",
        f"CREATE TRIGGER {update} AFTER UPDATE OF cell ON directory_searchpoint "
        f"BEGIN {remove_old} {add_new} END",
    ]


_PG_ADDED = (
    "INSERT INTO directory_search_cell_positions (cell, positions) "
    "SELECT cell, COUNT(*) FROM added GROUP BY cell;"
)
_PG_REMOVED = (
    "INSERT INTO directory_search_cell_positions (cell, positions) "
    "SELECT cell, -COUNT(*) FROM removed GROUP BY cell;"
)
_PG_EMPTIED = "DELETE FROM directory_search_cell_positions;"


def _postgresql_create() -> list[str]:
    insert, delete, update, truncate = TRIGGERS
    bodies = {
        insert: _PG_ADDED,
        delete: _PG_REMOVED,
        update: f"{_PG_REMOVED} {_PG_ADDED}",
        truncate: _PG_EMPTIED,
    }
    return [
        "CREATE TABLE directory_search_cell_positions (cell integer NOT NULL, positions integer NOT NULL)",
        f"CREATE INDEX {TABLE}_cell ON directory_search_cell_positions (cell) INCLUDE (positions)",
        _FILL,
        *(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN {body} RETURN NULL; END $$"
            for name, body in bodies.items()
        ),
        f"CREATE TRIGGER {insert} AFTER INSERT ON directory_searchpoint REFERENCING NEW TABLE AS added "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {insert}()",
        f"CREATE TRIGGER {delete} AFTER DELETE ON directory_searchpoint REFERENCING OLD TABLE AS removed "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {delete}()",
        f"CREATE TRIGGER {update} AFTER UPDATE ON directory_searchpoint "
        f"REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION {update}()",
        f"CREATE TRIGGER {truncate} AFTER TRUNCATE ON directory_searchpoint "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {truncate}()",
    ]


def drop_sql(vendor: str) -> list[str]:
    triggers = [f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS]
    if vendor == "sqlite":
        return [*triggers, f"DROP TABLE IF EXISTS {TABLE}"]
    return [
        *(f"{drop} ON directory_searchpoint" for drop in triggers),
        *(f"DROP FUNCTION IF EXISTS {name}()" for name in TRIGGERS),
        f"DROP TABLE IF EXISTS {TABLE}",
    ]


def cells_condition(column: str, cells: Sequence[int], vendor: str) -> tuple[str, list[Any]]:
    """SQL for "`column` is one of these grid cells", and its parameters.

    PostgreSQL gets one array value, so the text is the same whatever the place and its plan is
    kept; SQLite gets the integers (from `geo.cells_within`) written into the text, as hundreds of
    parameters would cost more than the lookup (`selectors.prepared.any_of` is the same with
    parameters, for values in general)."""
    if vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(cells)]
    return f"{column} IN ({', '.join(str(int(cell)) for cell in cells)})", []


def held(cursor: Any, vendor: str, cells: Sequence[int]) -> dict[int, int]:
    """The positions each of these cells holds (cells holding none left out)."""
    where, params = cells_condition("cell", cells, vendor)
    cursor.execute(
        f"SELECT cell, SUM(positions) FROM {TABLE} WHERE {where} GROUP BY cell HAVING SUM(positions) > 0",  # noqa: S608
        params,
    )
    return {cell: int(count) for cell, count in cursor.fetchall()}


# Each cell with more than one row: its rows that no other transaction is merging, deleted, and
# their sum written back as one row (none when it is 0).
_COMPACT = f"""
WITH merged AS (
    DELETE FROM {TABLE} WHERE ctid = ANY (ARRAY(
        SELECT ctid FROM {TABLE}
        WHERE cell IN (SELECT cell FROM {TABLE} GROUP BY cell HAVING COUNT(*) > 1)
        FOR UPDATE SKIP LOCKED
    ))
    RETURNING cell, positions
)
INSERT INTO {TABLE} (cell, positions)
SELECT cell, SUM(positions) FROM merged GROUP BY cell HAVING SUM(positions) <> 0
"""  # noqa: S608


def compact(cursor: Any, vendor: str) -> None:
    """Merge each cell's rows into one (PostgreSQL; SQLite keeps one already), after bulk writes."""
    if vendor == "postgresql":
        cursor.execute(_COMPACT)
