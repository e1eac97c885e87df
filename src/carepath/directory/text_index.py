"""The words of each listing, indexed by the database's own full-text engine: one interface, two engines.

- SQLite: an FTS5 table (`porter unicode61 remove_diacritics 2`: stemmed, accent-insensitive),
  ranked by the weighted count of the words in each part (see `SqliteFts5`).
- PostgreSQL: a `tsvector` column on the search entry with a GIN index (English stemming),
  ranked with `ts_rank`.

Each document has three weighted parts (the name, keywords such as topics and the support type,
the description) and a fourth part, `places`, holding grid-cell tokens (and one token per country
for online services) and the values people filter on (`search_facets`), searchable but weighing
nothing in the rank: a text search near a place asks the engine for "these words AND one of these
cells AND one of these languages ..." in one indexed lookup.

Queries are built only from words made of letters and digits (`carepath_core.search.text`) and from
tokens made here, so nothing a person types can reach the engine's query syntax.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

SQLITE_TABLE = "directory_search_text"
ENTRY_TABLE = "directory_searchentry"
POINT_TABLE = "directory_searchpoint"


@dataclass(frozen=True)
class Document:
    entry_id: int
    name: str
    keywords: str
    body: str
    # Space-separated tokens from `place_token`, `fine_place_token`, `online_token`, then the
    # facet tokens (`search_facets.entry_facets`).
    places: str


# Every place token starts so; the porter stemmer never changes how a word starts.
TOKEN_PREFIX = "zz"  # nosec B105 # a search-index token prefix, not a password


def place_token(cell: int) -> str:
    """A coarse cell (`geo.COARSE_CELL_DEGREES`): few tokens cover a wide radius."""
    return f"{TOKEN_PREFIX}c{cell}"


def fine_place_token(cell: int) -> str:
    """A search cell (`geo.CELL_DEGREES`): a small radius matches few listings beyond it."""
    return f"{TOKEN_PREFIX}f{cell}"


def online_token(country: str) -> str:
    return f"{TOKEN_PREFIX}o{country.lower() or 'any'}"


class TextIndex(Protocol):
    costly_scores: bool  # scoring a match costs much more than finding it: narrow matches first
    stops_early: bool  # a LIMIT stops the reading of matches, rather than every match found first

    def create_sql(self) -> list[str]: ...

    def drop_sql(self) -> list[str]: ...

    def write(self, cursor: Any, documents: Sequence[Document]) -> None: ...

    def clear(self, cursor: Any) -> None:
        """Forget every document (before a rebuild)."""
        ...

    def delete(self, cursor: Any, entry_ids: Sequence[int]) -> None: ...

    def append_places(self, cursor: Any, tokens: Sequence[tuple[int, str]]) -> None:
        """Add tokens after the `places` of these documents ((entry id, space-separated tokens))."""
        ...

    def optimize(self, cursor: Any) -> None:
        """Merge what a bulk load left in pieces, so each search reads one structure per word."""
        ...

    def matches(
        self,
        words: Sequence[str],
        places: Sequence[str],
        *,
        scored: bool = True,
        facets: Sequence[Sequence[str]] = (),
        entries: tuple[str, list[Any]] | None = None,
        near: tuple[str, list[Any]] | None = None,
        among_first: int | None = None,
    ) -> tuple[str, list[Any]]:
        """SQL selecting (entry_id, score) of the matching entries, a higher score ranking first.

        `places` is any of those tokens; `facets` are groups of facet tokens, one of each group.
        Unscored, every score is 0 and the engine does not rank: cheaper, for an order that is not
        by relevance (`scores` then gives the scores of the few entries shown). `entries` is a
        condition on the search entry (alias `e`) that a match must meet, and `near` one that one of
        its positions (alias `p`) must meet, checked before a match is scored, so only the matches
        that can be shown are. `among_first` keeps only the matches among the first that many the
        engine reads (in its own order, before `entries` and `near`), so a common word never reads
        everything however few matches pass the conditions.
        """
        ...

    def scores(self, words: Sequence[str], entry_ids: Sequence[int]) -> tuple[str, list[Any]]:
        """SQL selecting (entry_id, score) of these entries, which match the words, scored as by `matches`."""
        ...

    def listings_holding(self, cursor: Any, token: str, at_most: int) -> int:
        """About how many listings' `places` hold the token, read no further than `at_most` + 1.

        Cheap enough to ask before a search (`selectors.facet_sizes`): exact on SQLite, PostgreSQL's
        own estimate (its planner's statistics of the documents) there.
        """
        ...


class SqliteFts5:
    """FTS5, scored by how often the words occur in each weighted part.

    FTS5's bm25() works out, on every query, how many listings hold each word by reading the
    word's whole list: for a common word ("support") that is most of the directory, about 50 ms
    at a million listings, however few matches are scored. The score here reads only the
    matching rows: each part's count of the words' occurrences (from highlight(), which marks
    them), at most SATURATION per part, times the part's weight. It is the same idea as
    PostgreSQL's ts_rank with weights (term frequency, no corpus statistics), so both engines
    rank alike.
    """

    costly_scores = True  # highlight() tokenizes each part again: about 25 µs a match
    stops_early = True  # matches come from the word lists in rowid order, one at a time
    WEIGHTS = (("name", 10.0), ("keywords", 4.0), ("body", 1.0))  # places never rank
    SATURATION = 3  # a part that repeats a word many times gains nothing more after the third

    @staticmethod
    def _word(word: str) -> str:
        """One word of the query, kept out of the `places` column.

        Only a word that looks like a place token ("zz...") needs a column filter: no other word
        can match there.
        """
        return "{name keywords body} : " + f'"{word}"' if word.startswith(TOKEN_PREFIX) else f'"{word}"'

    def _score(self) -> str:
        mark = "char(1)"  # never in indexed text: folded text keeps letters, digits and spaces
        return " + ".join(
            f"{weight} * min({self.SATURATION}, "
            f"length(highlight({SQLITE_TABLE}, {column}, {mark}, '')) - length({name}))"
            for column, (name, weight) in enumerate(self.WEIGHTS)
        )

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

    def append_places(self, cursor: Any, tokens: Sequence[tuple[int, str]]) -> None:
        cursor.executemany(
            f"UPDATE {SQLITE_TABLE} SET places = CASE places WHEN '' THEN %s ELSE places || ' ' || %s END "
            "WHERE rowid = %s",
            [(added, added, entry_id) for entry_id, added in tokens],
        )

    def optimize(self, cursor: Any) -> None:
        # A bulk load leaves FTS5's index in several segments, and every word of every search is
        # then read from each of them and merged: at a million listings, 10 segments made a
        # search's processor time about a fifth higher. Merging takes about 15 s there.
        cursor.execute(f"INSERT INTO {SQLITE_TABLE} ({SQLITE_TABLE}) VALUES ('optimize')")

    def matches(
        self,
        words: Sequence[str],
        places: Sequence[str],
        *,
        scored: bool = True,
        facets: Sequence[Sequence[str]] = (),
        entries: tuple[str, list[Any]] | None = None,
        near: tuple[str, list[Any]] | None = None,
        among_first: int | None = None,
    ) -> tuple[str, list[Any]]:
        score = self._score() if scored and words else "0"
        parts = [self._words(words)] if words else []
        parts.extend(self._places(group) for group in (places, *facets) if group)
        expression = " AND ".join(parts)
        checks, params = [], list[Any]()
        if entries is not None:
            checks.append(
                f"EXISTS (SELECT 1 FROM {ENTRY_TABLE} e WHERE e.id = {SQLITE_TABLE}.rowid AND {entries[0]})"
            )
            params.extend(entries[1])
        if near is not None:
            # By the match's own id: no lookup of its search entry (the position index covers this).
            checks.append(
                f"EXISTS (SELECT 1 FROM {POINT_TABLE} p "
                f"WHERE p.entry_id = {SQLITE_TABLE}.rowid AND {near[0]})"
            )
            params.extend(near[1])
        if among_first is not None:
            # One read of the first matches (FTS5 gives them in rowid order and stops at the LIMIT):
            # each is checked, and scored only if it passes (CASE evaluates the score only then).
            # Bounding the read by the id of match number N instead read the matches twice.
            passes = " AND ".join(checks) if checks else "1"
            sql = (
                f"SELECT entry_id, score FROM (SELECT rowid AS entry_id, "
                f"CASE WHEN {passes} THEN {score} END AS score FROM {SQLITE_TABLE} "
                f"WHERE {SQLITE_TABLE} MATCH %s ORDER BY rowid LIMIT {among_first}) first_read "
                "WHERE score IS NOT NULL"
            )
            return sql, [*params, expression]
        condition = "".join(f" AND {check}" for check in checks)
        sql = (
            f"SELECT rowid AS entry_id, {score} AS score "
            # LIMIT -1 (no limit) keeps SQLite from flattening this into a join, where highlight() cannot run.
            f"FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s{condition} LIMIT -1"
        )
        return sql, [expression, *params]

    def scores(self, words: Sequence[str], entry_ids: Sequence[int]) -> tuple[str, list[Any]]:
        marks = ", ".join(["%s"] * len(entry_ids))
        # The ids are looked up one by one: a page's worth costs a few seeks per word.
        # LIMIT -1 keeps a query using this as a subquery from flattening it into a join (`matches`).
        sql = (
            f"SELECT rowid AS entry_id, {self._score()} AS score "
            f"FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s AND rowid IN ({marks}) LIMIT -1"
        )
        return sql, [self._words(words), *entry_ids]

    def listings_holding(self, cursor: Any, token: str, at_most: int) -> int:
        # FTS5 reads the token's list only as far as the LIMIT: a bounded read, a few ms at 50,000.
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM {SQLITE_TABLE} "
            f"WHERE {SQLITE_TABLE} MATCH %s LIMIT %s) held",
            [self._places([token]), at_most + 1],
        )
        (count,) = cursor.fetchone()
        return int(count)

    def _words(self, words: Sequence[str]) -> str:
        return "(" + " AND ".join(self._word(word) for word in words) + ")"

    @staticmethod
    def _places(places: Sequence[str]) -> str:
        return "places : (" + " OR ".join(places) + ")"


class PostgresFullText:
    costly_scores = False  # ts_rank reads the stored tsvector
    stops_early = False  # a bitmap index scan finds every match before the first row is read
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

    def append_places(self, cursor: Any, tokens: Sequence[tuple[int, str]]) -> None:
        # `||` numbers the right-hand positions after the left's last, so the document is the one
        # `write` makes from the longer `places` (its last part, weight D).
        for chunk in _chunks(tokens):
            rows = ", ".join(["(%s, %s)"] * len(chunk))
            cursor.execute(
                f"UPDATE {ENTRY_TABLE} e SET document = e.document || "
                f"setweight(to_tsvector('simple', added.tokens), 'D') FROM (VALUES {rows}) "
                "AS added (id, tokens) WHERE e.id = added.id",
                [value for row in chunk for value in row],
            )

    def optimize(self, cursor: Any) -> None:
        # GIN takes new entries into a pending list, read in full by every search until VACUUM
        # (or the list's size limit) moves them into the index proper: move them now.
        cursor.execute("SELECT gin_clean_pending_list('search_entry_document'::regclass)")

    def matches(
        self,
        words: Sequence[str],
        places: Sequence[str],
        *,
        scored: bool = True,
        facets: Sequence[Sequence[str]] = (),
        entries: tuple[str, list[Any]] | None = None,
        near: tuple[str, list[Any]] | None = None,
        among_first: int | None = None,
    ) -> tuple[str, list[Any]]:
        conditions, params = [], []
        if words:
            conditions.append(self.TEXT_QUERY)
            params.append(" ".join(words))
        tokens = " & ".join(f"({' | '.join(group)})" for group in (places, *facets) if group)
        if tokens:
            conditions.append("to_tsquery('simple', %s)")
            params.append(tokens)
        score, score_params = (self.SCORE, [" ".join(words)]) if scored and words else ("0", [])
        found = f"e.document @@ ({' && '.join(conditions)})"
        source = f"{ENTRY_TABLE} e"
        if among_first is not None:
            # The first N matches the index gives (a bitmap scan stops there), then the condition on
            # the rows already read: an `id IN (...)` here would read each match's row a second time.
            source = f"(SELECT * FROM {ENTRY_TABLE} e WHERE {found} LIMIT {among_first}) e"
            found = "TRUE"
        condition, entry_params = ("", []) if entries is None else (f" AND {entries[0]}", list(entries[1]))
        if near is not None:
            condition += f" AND EXISTS (SELECT 1 FROM {POINT_TABLE} p WHERE p.entry_id = e.id AND {near[0]})"
            entry_params.extend(near[1])
        sql = f"SELECT e.id AS entry_id, {score} AS score FROM {source} WHERE {found}{condition}"
        return sql, score_params + params + entry_params

    def scores(self, words: Sequence[str], entry_ids: Sequence[int]) -> tuple[str, list[Any]]:
        marks = ", ".join(["%s"] * len(entry_ids))
        sql = f"SELECT id AS entry_id, {self.SCORE} AS score FROM {ENTRY_TABLE} WHERE id IN ({marks})"
        return sql, [" ".join(words), *entry_ids]

    def listings_holding(self, cursor: Any, token: str, at_most: int) -> int:
        # Counting would read the token's whole GIN list and a heap row per listing (a bitmap scan
        # cannot stop at a LIMIT): from a cold cache, seconds for the common values of a search with
        # every filter. The planner's estimate comes from the statistics ANALYZE keeps of the
        # documents' most common lexemes, without reading the index.
        cursor.execute(
            f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {ENTRY_TABLE} WHERE document @@ to_tsquery('simple', %s)",
            [token],
        )
        (plan,) = cursor.fetchone()
        if isinstance(plan, str):
            plan = json.loads(plan)
        return min(int(plan[0]["Plan"]["Plan Rows"]), at_most + 1)


def _chunks(values: Sequence[Any], size: int = 500) -> list[Sequence[Any]]:
    return [values[start : start + size] for start in range(0, len(values), size)]


def optimize_text_index() -> None:
    """Merge the text index after a bulk load (`TextIndex.optimize`)."""
    with connection.cursor() as cursor:
        text_index().optimize(cursor)


def text_index(database: BaseDatabaseWrapper | None = None) -> TextIndex:
    vendor = (database or connection).vendor
    if vendor == "sqlite":
        return SqliteFts5()
    if vendor == "postgresql":
        return PostgresFullText()
    raise NotImplementedError(f"no full-text index for the {vendor} database")
