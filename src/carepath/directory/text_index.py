"""The words of each listing, indexed by the database's own full-text engine: one interface, two engines.

- SQLite: an FTS5 table (`porter unicode61 remove_diacritics 2`: stemmed, accent-insensitive),
  ranked with BM25.
- PostgreSQL: a `tsvector` column on the search entry with a GIN index (English stemming),
  ranked with `ts_rank`.

Each document has three weighted parts (the name, keywords such as topics and the support type,
the description) and a fourth part, `places`, holding grid-cell tokens (and one token per country
for online services) that is searchable but weighs nothing in the rank: a text search near a place
asks the engine for "these words AND one of these cells" in one indexed lookup.

Queries are built only from words made of letters and digits (`carepath_core.search.text`) and from
tokens made here, so nothing a person types can reach the engine's query syntax.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

SQLITE_TABLE = "directory_search_text"
ENTRY_TABLE = "directory_searchentry"


@dataclass(frozen=True)
class Document:
    entry_id: int
    name: str
    keywords: str
    body: str
    places: str  # space-separated tokens from `place_token` / `online_token`


def place_token(cell: int) -> str:
    return f"zzc{cell}"


def online_token(country: str) -> str:
    return f"zzo{country.lower() or 'any'}"


class TextIndex(Protocol):
    def create_sql(self) -> list[str]: ...

    def drop_sql(self) -> list[str]: ...

    def write(self, cursor: Any, documents: Sequence[Document]) -> None: ...

    def clear(self, cursor: Any) -> None:
        """Forget every document (before a rebuild)."""
        ...

    def delete(self, cursor: Any, entry_ids: Sequence[int]) -> None: ...

    def matches(self, words: Sequence[str], places: Sequence[str]) -> tuple[str, list[Any]]:
        """SQL selecting (entry_id, score) of the matching entries, a higher score ranking first."""
        ...


class SqliteFts5:
    WEIGHTS = "10.0, 4.0, 1.0, 0.0"  # name, keywords, body, places (places never rank)

    def create_sql(self) -> list[str]:
        return [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_TABLE} USING fts5("
            "name, keywords, body, places, tokenize = 'porter unicode61 remove_diacritics 2')"
        ]

    def drop_sql(self) -> list[str]:
        return [f"DROP TABLE IF EXISTS {SQLITE_TABLE}"]

    def write(self, cursor: Any, documents: Sequence[Document]) -> None:
        cursor.executemany(
            f"INSERT INTO {SQLITE_TABLE} (rowid, name, keywords, body, places) VALUES (%s, %s, %s, %s, %s)",
            [(d.entry_id, d.name, d.keywords, d.body, d.places) for d in documents],
        )

    def clear(self, cursor: Any) -> None:
        for statement in self.drop_sql() + self.create_sql():  # faster than deleting row by row
            cursor.execute(statement)

    def delete(self, cursor: Any, entry_ids: Sequence[int]) -> None:
        for chunk in _chunks(entry_ids):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {SQLITE_TABLE} WHERE rowid IN ({marks})", list(chunk))

    def matches(self, words: Sequence[str], places: Sequence[str]) -> tuple[str, list[Any]]:
        parts = []
        if words:
            parts.append("{name keywords body} : (" + " AND ".join(f'"{word}"' for word in words) + ")")
        if places:
            parts.append("places : (" + " OR ".join(places) + ")")
        expression = " AND ".join(parts)
        sql = (
            f"SELECT rowid AS entry_id, -bm25({SQLITE_TABLE}, {self.WEIGHTS}) AS score "
            # LIMIT -1 (no limit) keeps SQLite from flattening this into a join, where bm25() cannot run.
            f"FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s LIMIT -1"
        )
        return sql, [expression]


class PostgresFullText:
    CONFIG = "english"

    def create_sql(self) -> list[str]:
        return [
            f"ALTER TABLE {ENTRY_TABLE} ADD COLUMN IF NOT EXISTS document tsvector",
            f"CREATE INDEX IF NOT EXISTS search_entry_document ON {ENTRY_TABLE} USING GIN (document)",
        ]

    def drop_sql(self) -> list[str]:
        return [
            "DROP INDEX IF EXISTS search_entry_document",
            f"ALTER TABLE {ENTRY_TABLE} DROP COLUMN IF EXISTS document",
        ]

    def write(self, cursor: Any, documents: Sequence[Document]) -> None:
        cursor.executemany(
            f"UPDATE {ENTRY_TABLE} SET document = "
            f"setweight(to_tsvector('{self.CONFIG}', %s), 'A') || "
            f"setweight(to_tsvector('{self.CONFIG}', %s), 'B') || "
            f"setweight(to_tsvector('{self.CONFIG}', %s), 'C') || "
            "setweight(to_tsvector('simple', %s), 'D') WHERE id = %s",
            [(d.name, d.keywords, d.body, d.places, d.entry_id) for d in documents],
        )

    def clear(self, cursor: Any) -> None:
        """Documents are a column of the entries, cleared with them."""

    def delete(self, cursor: Any, entry_ids: Sequence[int]) -> None:
        """The document is a column of the entry row, so it goes when the row goes."""

    def matches(self, words: Sequence[str], places: Sequence[str]) -> tuple[str, list[Any]]:
        text_query = f"plainto_tsquery('{self.CONFIG}', %s)"
        conditions, params = [], []
        if words:
            conditions.append(text_query)
            params.append(" ".join(words))
        if places:
            conditions.append("to_tsquery('simple', %s)")
            params.append(" | ".join(places))
        # D (places) weighs 0: cells and countries find entries but never rank them.
        score = f"ts_rank('{{0, 0.2, 0.5, 1.0}}', document, {text_query})" if words else "0"
        score_params = [" ".join(words)] if words else []
        sql = (
            f"SELECT id AS entry_id, {score} AS score FROM {ENTRY_TABLE} "
            f"WHERE document @@ ({' && '.join(conditions)})"
        )
        return sql, score_params + params


def _chunks(values: Sequence[int], size: int = 500) -> list[Sequence[int]]:
    return [values[start : start + size] for start in range(0, len(values), size)]


def text_index(database: BaseDatabaseWrapper | None = None) -> TextIndex:
    vendor = (database or connection).vendor
    if vendor == "sqlite":
        return SqliteFts5()
    if vendor == "postgresql":
        return PostgresFullText()
    raise NotImplementedError(f"no full-text index for the {vendor} database")
