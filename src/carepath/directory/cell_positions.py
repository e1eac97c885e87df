"""How many search positions each grid cell holds, kept by SQLite itself beside the positions.

Before a search near a place reads positions, it asks whether the box around its circle holds more
than the nearby stream may read (`selectors.search.POINT_BUDGET`), often for several rings. Counted
in the cell index, near a city that reads up to 20,001 index entries a ring. With a count per cell,
the cells wholly inside the box give a lower bound and every cell it touches an upper one; only when
the budget falls between the two are positions counted, and then only in the cells on the box's edge
(`selectors.search._within_budget`). The answer is the same as counting every position.

Triggers on the positions table keep the counts in the same transaction as every write, whatever
makes it (an import, a coordinator's edit, a rebuild, a restore). If a later migration rebuilds the
positions table (SQLite remakes a table to alter a column), its triggers go with it: create them
again there (`tests/integration/test_search_cell_positions.py` checks that they exist).

SQLite only. On PostgreSQL the index count stays: a counter row per cell, updated by each write,
would make concurrent writers in the same cells (an import and a coordinator's edit) wait for
each other until commit, or deadlock; SQLite lets one writer in at a time anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from carepath.directory.text_index import POINT_TABLE

TABLE = "directory_search_cell_positions"
TRIGGERS = (f"{TABLE}_insert", f"{TABLE}_delete", f"{TABLE}_update")

_ADD = (
    "INSERT INTO directory_search_cell_positions (cell, positions) VALUES ({cell}, 1) "
    "ON CONFLICT (cell) DO UPDATE SET positions = positions + 1;"
)
_REMOVE = "UPDATE directory_search_cell_positions SET positions = positions - 1 WHERE cell = {cell};"


def create_sql() -> list[str]:
    """The table, filled from the positions already there, and the triggers that keep it."""
    add_new, remove_old = _ADD.format(cell="NEW.cell"), _REMOVE.format(cell="OLD.cell")
    return [
        "CREATE TABLE directory_search_cell_positions (cell INTEGER PRIMARY KEY, positions INTEGER NOT NULL)",
        "INSERT INTO directory_search_cell_positions (cell, positions) "
        "SELECT cell, COUNT(*) FROM directory_searchpoint GROUP BY cell",
        f"CREATE TRIGGER {TRIGGERS[0]} AFTER INSERT ON {POINT_TABLE} BEGIN {add_new} END",
        f"CREATE TRIGGER {TRIGGERS[1]} AFTER DELETE ON {POINT_TABLE} BEGIN {remove_old} END",
        f"CREATE TRIGGER {TRIGGERS[2]} AFTER UPDATE OF cell ON {POINT_TABLE} "
        f"BEGIN {remove_old} {add_new} END",
    ]


def drop_sql() -> list[str]:
    return [*(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS), f"DROP TABLE IF EXISTS {TABLE}"]


def held(cursor: Any, cells: Sequence[int]) -> dict[int, int]:
    """The positions each of these cells holds (cells holding none left out)."""
    # The cells are integers worked out by `geo.cells_within`, written into the text as the cell
    # index's own queries are (hundreds of parameters would cost more than the lookup).
    listed = ", ".join(str(int(cell)) for cell in cells)
    cursor.execute(f"SELECT cell, positions FROM {TABLE} WHERE cell IN ({listed}) AND positions > 0")  # noqa: S608
    return dict(cursor.fetchall())
