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


TOKEN_PREFIX = "zz"  # every place token starts so; the porter stemmer never changes how a word starts


def place_token(cell: int) -> str:
    return f"{TOKEN_PREFIX}c{cell}"


def online_token(country: str) -> str:
    return f"{TOKEN_PREFIX}o{country.lower() or 'any'}"


class TextIndex(Protocol):
    def create_sql(self) -> list[str]: ...

    def drop_sql(self) -> list[str]: ...

    def write(self, cursor: Any, documents: Sequence[Document]) -> None: ...

    def clear(self, cursor: Any) -> None:
        """Forget every document (before a rebuild)."""
        ...

    def delete(self, cursor: Any, entry_ids: Sequence[int]) -> None: ...

    def matches(
        self,
        words: Sequence[str],
        places: Sequence[str],
        *,
        scored: bool = True,
        within: tuple[str, list[Any]] | None = None,
    ) -> tuple[str, list[Any]]:
        """SQL selecting (entry_id, score) of the matching entries, a higher score ranking first.

        Unscored, every score is 0 and the engine does not rank: cheaper, for an order that is not
        by relevance (`scores` then gives the scores of the few entries shown). `within` is SQL
        selecting the ids of the entries near the place (the place tokens' entries, or fewer), which
        an engine may use instead of the tokens.
        """
        ...

    def scores(self, words: Sequence[str], entry_ids: Sequence[int]) -> tuple[str, list[Any]]:
        """SQL selecting (entry_id, score) of these entries, which match the words, scored as by `matches`."""
        ...


class SqliteFts5:
    WEIGHTS = "10.0, 4.0, 1.0, 0.0"  # name, keywords, body, places (places never rank)
    MAX_RANKED_PLACES = 64  # more place tokens than this are matched apart from the ranked words

    @staticmethod
    def _word(word: str) -> str:
        """One word of the query, kept out of the `places` column.

        Only a word that looks like a place token ("zz...") is given a column filter: no other word
        can match there, and without the filter bm25 counts the rows holding a word (which it does
        for every query) about twice as fast, with the same matches and the same scores.
        """
        return "{name keywords body} : " + f'"{word}"' if word.startswith(TOKEN_PREFIX) else f'"{word}"'

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

    def matches(
        self,
        words: Sequence[str],
        places: Sequence[str],
        *,
        scored: bool = True,
        within: tuple[str, list[Any]] | None = None,
    ) -> tuple[str, list[Any]]:
        score = f"-bm25({SQLITE_TABLE}, {self.WEIGHTS})" if scored and words else "0"
        where_places, params = "", list[Any]()
        parts = [self._words(words)] if words else []
        if within is not None and scored and words and len(places) > self.MAX_RANKED_PLACES:
            # bm25 works through every phrase of the query on every row, and weighs places at 0:
            # with many cells, only the words are phrases (the same scores) and `within` keeps
            # the rows near the place ("+rowid": a filter; as a lookup, bm25 would start over).
            where_places = f" AND +rowid IN ({within[0]})"
            params.extend(within[1])
        elif places:
            parts.append(self._places(places))
        sql = (
            f"SELECT rowid AS entry_id, {score} AS score "
            # LIMIT -1 (no limit) keeps SQLite from flattening this into a join, where bm25() cannot run.
            f"FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s{where_places} LIMIT -1"
        )
        return sql, [" AND ".join(parts), *params]

    def scores(self, words: Sequence[str], entry_ids: Sequence[int]) -> tuple[str, list[Any]]:
        marks = ", ".join(["%s"] * len(entry_ids))
        # "+rowid" keeps the ids a filter: as a lookup, each id would make bm25 count the words again.
        sql = (
            f"SELECT rowid AS entry_id, -bm25({SQLITE_TABLE}, {self.WEIGHTS}) AS score "
            f"FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s AND +rowid IN ({marks})"
        )
        return sql, [self._words(words), *entry_ids]

    def _words(self, words: Sequence[str]) -> str:
        return "(" + " AND ".join(self._word(word) for word in words) + ")"

    @staticmethod
    def _places(places: Sequence[str]) -> str:
        return "places : (" + " OR ".join(places) + ")"


class PostgresFullText:
    CONFIG = "english"
    TEXT_QUERY = f"plainto_tsquery('{CONFIG}', %s)"
    # D (places) weighs 0: cells and countries find entries but never rank them.
    SCORE = f"ts_rank('{{0, 0.2, 0.5, 1.0}}', document, {TEXT_QUERY})"

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

    def matches(
        self,
        words: Sequence[str],
        places: Sequence[str],
        *,
        scored: bool = True,
        within: tuple[str, list[Any]] | None = None,  # the GIN index does better with the tokens
    ) -> tuple[str, list[Any]]:
        conditions, params = [], []
        if words:
            conditions.append(self.TEXT_QUERY)
            params.append(" ".join(words))
        if places:
            conditions.append("to_tsquery('simple', %s)")
            params.append(" | ".join(places))
        score, score_params = (self.SCORE, [" ".join(words)]) if scored and words else ("0", [])
        sql = (
            f"SELECT id AS entry_id, {score} AS score FROM {ENTRY_TABLE} "
            f"WHERE document @@ ({' && '.join(conditions)})"
        )
        return sql, score_params + params

    def scores(self, words: Sequence[str], entry_ids: Sequence[int]) -> tuple[str, list[Any]]:
        marks = ", ".join(["%s"] * len(entry_ids))
        sql = f"SELECT id AS entry_id, {self.SCORE} AS score FROM {ENTRY_TABLE} WHERE id IN ({marks})"
        return sql, [" ".join(words), *entry_ids]


def _chunks(values: Sequence[int], size: int = 500) -> list[Sequence[int]]:
    return [values[start : start + size] for start in range(0, len(values), size)]


def text_index(database: BaseDatabaseWrapper | None = None) -> TextIndex:
    vendor = (database or connection).vendor
    if vendor == "sqlite":
        return SqliteFts5()
    if vendor == "postgresql":
        return PostgresFullText()
    raise NotImplementedError(f"no full-text index for the {vendor} database")
