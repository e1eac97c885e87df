"""The words of each listing, indexed by the database's own full-text engine: one interface, two engines.

- SQLite: an FTS5 table (`porter unicode61 remove_diacritics 2`: stemmed, accent-insensitive),
  ranked by the weighted count of the words in each part (see `SqliteFts5`).
- PostgreSQL: a `tsvector` column on the search entry with a GIN index (English stemming),
  ranked with `ts_rank`.

Each document has three weighted parts (the name, keywords such as topics and the support type,
the description) and a fourth part, `places`, holding grid-cell tokens (and one token per country
for online services), the values people filter on (`search_facets`) and the words filed by place
(`word_place_token`), searchable but weighing nothing in the rank: a text search near a place asks
the engine for "these words in one of these coarse cells AND one of these cells AND one of these
languages ..." in one indexed lookup, reading lists as short as the place's share of each word.

Queries are built only from words made of letters and digits (`carepath_core.search.text`) and from
tokens made here, so nothing a person types can reach the engine's query syntax.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
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


# The place tokens a listing's words are also filed under (`TextIndex.words_by_place`).
WORD_PLACE_KINDS = (f"{TOKEN_PREFIX}c", f"{TOKEN_PREFIX}o")  # a coarse cell, online in a country


def word_places(places: Sequence[str]) -> list[str]:
    """Of a document's place tokens, those its words are filed under (coarse cells, online countries)."""
    return sorted(token for token in places if token.startswith(WORD_PLACE_KINDS))


def word_place_token(place: str, term: str) -> str:
    """A word (as the engine indexes it: its stem) in a coarse cell or online in a country.

    A search near a place asks for these instead of the word's own list: a common word's list holds
    most of the directory, and reading it is most of such a search's time; one cell's share is
    short. The closing digit keeps a stemmer off the token."""
    return f"{TOKEN_PREFIX}w{place[len(TOKEN_PREFIX) :]}x{term}0"


class TextIndex(Protocol):
    costly_scores: bool  # scoring a match costs much more than finding it: narrow matches first
    stops_early: bool  # a LIMIT stops the reading of matches, rather than every match found first
    # Each word of a document is filed under its coarse cells and online country too
    # (`word_place_token`), so `matches` with `word_places` reads short lists.
    words_by_place: bool
    # With words filed by place, how many search cells are worth asking for as well, where the
    # query checks the circle itself afterwards (None: any number): they narrow the lookup to the
    # circle, at a cost that grows with their number on some engines.
    most_cells_with_words: int | None

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

    def file_words_by_place(self, cursor: Any) -> int:
        """File the words of documents written before words were filed by place under their
        places, as `write` files them; returns how many documents it went through."""
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
        word_places: Sequence[str] = (),
    ) -> tuple[str, list[Any]]:
        """SQL selecting (entry_id, score) of the matching entries, a higher score ranking first.

        `places` is any of those tokens; `facets` are groups of facet tokens, one of each group.
        `word_places` (coarse cells, online countries) cover `places`: every listing in one of
        `places` is in one of them. An engine that files words by place (`words_by_place`) looks
        the words up there; the others find the same listings through `places`.
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

    def lexemes(self, words: Sequence[str]) -> tuple[str, ...]:
        """The words as the index files them (its terms: stemmed, as the engine stems them)."""
        ...

    def text_terms(self, cursor: Any, text: str) -> list[str]:
        """The terms the engine makes of a text, asked of the engine itself (`lexemes` keeps them)."""
        ...

    def listings_holding(self, cursor: Any, token: str, at_most: int) -> int:
        """About how many listings' `places` hold the token, read no further than `at_most` + 1.

        Cheap enough to ask before a search (`selectors.facet_sizes`): exact on SQLite, PostgreSQL's
        own estimate (its planner's statistics of the documents) there.
        """
        ...


class _WordsByPlace:
    """What both engines share of words filed by place: a query's words as the index files them
    (asked of the engine once per process and text), and the token groups a lookup asks for."""

    def text_terms(self, cursor: Any, text: str) -> list[str]:
        """The terms the engine makes of a text (the words as it indexes them)."""
        raise NotImplementedError

    def lexemes(self, words: Sequence[str]) -> tuple[str, ...]:
        """The words as the index files them (the query's phrases match exactly these)."""
        return _lexemes(connection.vendor, " ".join(words))

    def _word_place_groups(
        self, words: Sequence[str], places: Sequence[str], word_places: Sequence[str]
    ) -> tuple[Sequence[str], list[list[str]]]:
        """`places`, and a group of tokens per word to ask for (one of each): empty when the
        lookup has no word places or the engine leaves every word out ("the" on PostgreSQL)."""
        terms = self.lexemes(words) if words and word_places else ()
        groups = [[word_place_token(place, term) for place in word_places] for term in terms]
        if groups and set(places) <= set(word_places):
            places = ()  # the words' places say it all (online in a country)
        return places, groups


class SqliteFts5(_WordsByPlace):
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
    words_by_place = True  # in `places`, with the terms FTS5 itself makes of the words (`terms`)
    # FTS5 merges the cells' sorted lists: cheap, and fewer matches to check (at most 16 of them
    # measured the same over the benchmark's words searches).
    most_cells_with_words: int | None = None
    TOKENIZE = "porter unicode61 remove_diacritics 2"  # stemmed, accent-insensitive
    # A scratch FTS5 table of this connection (schema temp), and its list of (document, term):
    # SQL cannot ask FTS5 for the terms it makes of a text, but it can for those of a table.
    TERMS = "carepath_terms"
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
            f"name, keywords, body, places, tokenize = '{self.TOKENIZE}')"
        ]

    def terms(self, cursor: Any, texts: Sequence[tuple[int, str]]) -> dict[int, list[str]]:
        """The terms FTS5 makes of each text (by its number): the words as they are indexed."""
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{self.TERMS} USING fts5("
            f"words, tokenize = '{self.TOKENIZE}', detail = none)"
        )
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{self.TERMS}_found "
            f"USING fts5vocab(temp, {self.TERMS}, instance)"
        )
        cursor.executemany(f"INSERT INTO temp.{self.TERMS} (rowid, words) VALUES (%s, %s)", list(texts))
        cursor.execute(f"SELECT doc, term FROM temp.{self.TERMS}_found")  # one row a term and text
        found: dict[int, list[str]] = {}
        for number, term in cursor.fetchall():
            found.setdefault(number, []).append(term)
        cursor.execute(f"DELETE FROM temp.{self.TERMS}")
        return found

    def text_terms(self, cursor: Any, text: str) -> list[str]:
        return self.terms(cursor, [(1, text)]).get(1, [])

    def _with_words_by_place(self, cursor: Any, documents: Sequence[Document]) -> list[Document]:
        """The documents with their words filed under their places (`word_place_token`), in `places`."""
        terms = self.terms(cursor, [(d.entry_id, f"{d.name} {d.keywords} {d.body}") for d in documents])
        return [
            replace(d, places=_filed(d.places, word_places(d.places.split()), terms.get(d.entry_id, ())))
            for d in documents
        ]

    def drop_sql(self) -> list[str]:
        return [f"DROP TABLE IF EXISTS {SQLITE_TABLE}"]

    def write(self, cursor: Any, documents: Sequence[Document]) -> None:
        cursor.executemany(
            f"INSERT INTO {SQLITE_TABLE} (rowid, name, keywords, body, places) VALUES (%s, %s, %s, %s, %s)",
            [
                (d.entry_id, d.name, d.keywords, d.body, d.places)
                for d in self._with_words_by_place(cursor, documents)
            ],
        )

    def clear(self, cursor: Any) -> None:
        for statement in self.drop_sql() + self.create_sql():  # faster than deleting row by row
            cursor.execute(statement)

    def delete(self, cursor: Any, entry_ids: Sequence[int]) -> None:
        for chunk in _chunks(entry_ids):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {SQLITE_TABLE} WHERE rowid IN ({marks})", list(chunk))

    def append_places(self, cursor: Any, tokens: Sequence[tuple[int, str]]) -> None:
        places = {entry_id: word_places(added.split()) for entry_id, added in tokens}
        terms = self._document_terms(cursor, [entry_id for entry_id, found in places.items() if found])
        # The words are filed under the added places too (`write`).
        self._append(
            cursor,
            [
                (entry_id, _filed(added, places[entry_id], terms.get(entry_id, ())))
                for entry_id, added in tokens
            ],
        )

    def _append(self, cursor: Any, tokens: Sequence[tuple[int, str]]) -> None:
        cursor.executemany(
            f"UPDATE {SQLITE_TABLE} SET places = CASE places WHEN '' THEN %s ELSE places || ' ' || %s END "
            "WHERE rowid = %s",
            [(added, added, entry_id) for entry_id, added in tokens if added],
        )

    def _document_terms(self, cursor: Any, entry_ids: Sequence[int]) -> dict[int, list[str]]:
        texts: list[tuple[int, str]] = []
        for chunk in _chunks(entry_ids):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT rowid, name || ' ' || keywords || ' ' || body FROM {SQLITE_TABLE} "
                f"WHERE rowid IN ({marks})",
                list(chunk),
            )
            texts.extend(cursor.fetchall())
        return self.terms(cursor, texts) if texts else {}

    def file_words_by_place(self, cursor: Any, batch: int = 5000) -> int:
        """File the words of documents written before under their places (migration 0012), a batch
        at a time, as `write` files them; returns how many documents it went through."""
        done, after, marker = 0, 0, f" {TOKEN_PREFIX}w"
        while True:
            cursor.execute(
                f"SELECT rowid, places FROM {SQLITE_TABLE} WHERE rowid > %s ORDER BY rowid LIMIT %s",
                [after, batch],
            )
            rows = cursor.fetchall()
            if not rows:
                self.optimize(cursor)  # every document was written again: merge the pieces
                return done
            # A document already filed (a write since, or a run stopped half way) is left as it is.
            places = {
                entry_id: word_places(text.split()) for entry_id, text in rows if marker not in f" {text}"
            }
            terms = self._document_terms(cursor, [entry_id for entry_id, found in places.items() if found])
            self._append(
                cursor,
                [
                    (entry_id, _filed("", found, terms.get(entry_id, ())))
                    for entry_id, found in places.items()
                ],
            )
            done, after = done + len(rows), rows[-1][0]

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
        word_places: Sequence[str] = (),
    ) -> tuple[str, list[Any]]:
        score = self._score() if scored and words else "0"
        places, by_place = self._word_place_groups(words, places, word_places)
        # highlight() marks only the query's own phrases: a scored query asks for the words too.
        parts = [self._words(words)] if words and (scored or not by_place) else []
        parts.extend(self._places(group) for group in (places, *by_place, *facets) if group)
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


class PostgresFullText(_WordsByPlace):
    costly_scores = False  # ts_rank reads the stored tsvector
    stops_early = False  # a bitmap index scan finds every match before the first row is read
    words_by_place = True
    # GIN checks the whole query for each listing any of its terms holds: with 150 cells ORed, a
    # ranked search at a million listings took 30 to 110 ms in the index, 3 to 13 ms without them.
    # A few keep a small ring's matches to the ring rather than its coarse cells' (22 km across).
    most_cells_with_words: int | None = 16
    CONFIG = "english"
    TEXT_QUERY = f"plainto_tsquery('{CONFIG}', %s)"
    # D (places) weighs 0: cells and countries find entries but never rank them.
    SCORE = f"ts_rank('{{0, 0.2, 0.5, 1.0}}', document, {TEXT_QUERY})"
    WORDS = (
        f"setweight(to_tsvector('{CONFIG}', %s), 'A') || setweight(to_tsvector('{CONFIG}', %s), 'B') || "
        f"setweight(to_tsvector('{CONFIG}', %s), 'C')"
    )

    @staticmethod
    def _by_place(places: str, words: str) -> str:
        """The words' lexemes filed under the places (`word_place_token`), weight D: the SQL of
        a tsvector, from SQL giving a text[] of place tokens and a tsvector of the words. The
        lexemes are the engine's own, so a word of a query finds exactly the listings it would."""
        prefix = len(TOKEN_PREFIX) + 1
        return (
            "setweight(array_to_tsvector(ARRAY("
            f"SELECT '{TOKEN_PREFIX}w' || substr(place, {prefix}) || 'x' || lexeme || '0' "
            f"FROM unnest({places}) place, unnest(tsvector_to_array({words})) lexeme)), 'D')"
        )

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
            f"UPDATE {ENTRY_TABLE} e SET document = parts.words || "
            f"setweight(to_tsvector('simple', %s), 'D') || {self._by_place('%s::text[]', 'parts.words')} "
            f"FROM (SELECT {self.WORDS} AS words) parts WHERE e.id = %s",
            [
                (d.places, word_places(d.places.split()), d.name, d.keywords, d.body, d.entry_id)
                for d in documents
            ],
        )

    def file_words_by_place(self, cursor: Any) -> int:
        """File the words of documents written before under their places (migration 0012), from
        each document alone: its words are its lexemes of weights A to C, its places the
        coarse-cell and online tokens of weight D; returns how many it went through. The index is
        made again afterwards rather than kept up to date row by row (at a million listings,
        minutes instead of hours)."""
        kinds = ", ".join(f"'{kind}'" for kind in WORD_PLACE_KINDS)
        places = (
            "ARRAY(SELECT token FROM unnest(tsvector_to_array(ts_filter(e.document, '{d}'))) token "
            f"WHERE left(token, {len(WORD_PLACE_KINDS[0])}) IN ({kinds}))"
        )
        words = "ts_filter(e.document, '{a,b,c}')"
        cursor.execute("DROP INDEX IF EXISTS search_entry_document")
        cursor.execute(
            f"UPDATE {ENTRY_TABLE} e SET document = e.document || {self._by_place(places, words)} "
            "WHERE e.document IS NOT NULL"
        )
        done = int(cursor.rowcount)
        for statement in self.create_sql():
            cursor.execute(statement)
        # The planner's statistics of the documents (`listings_holding`) as they are now.
        cursor.execute(f"ANALYZE {ENTRY_TABLE}")
        return done

    def clear(self, cursor: Any) -> None:
        """Documents are a column of the entries, cleared with them."""

    def delete(self, cursor: Any, entry_ids: Sequence[int]) -> None:
        """The document is a column of the entry row, so it goes when the row goes."""

    def append_places(self, cursor: Any, tokens: Sequence[tuple[int, str]]) -> None:
        # `||` numbers the right-hand positions after the left's last, so the document is the one
        # `write` makes from the longer `places` (its last part, weight D); the words (weights A
        # to C) are filed under the added places too.
        words = "ts_filter(e.document, '{a,b,c}')"
        for chunk in _chunks(tokens):
            rows = ", ".join(["(%s, %s, %s::text[])"] * len(chunk))
            cursor.execute(
                f"UPDATE {ENTRY_TABLE} e SET document = e.document || "
                f"setweight(to_tsvector('simple', added.tokens), 'D') || "
                f"{self._by_place('added.places', words)} FROM (VALUES {rows}) "
                "AS added (id, tokens, places) WHERE e.id = added.id",
                [value for id_, added in chunk for value in (id_, added, word_places(added.split()))],
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
        word_places: Sequence[str] = (),
    ) -> tuple[str, list[Any]]:
        conditions, params = [], []
        places, by_place = self._word_place_groups(words, places, word_places)
        if words and not by_place:  # no place, or only words the engine leaves out ("the")
            conditions.append(self.TEXT_QUERY)
            params.append(" ".join(words))
        tokens = " & ".join(f"({' | '.join(group)})" for group in (places, *by_place, *facets) if group)
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

    def text_terms(self, cursor: Any, text: str) -> list[str]:
        # `plainto_tsquery` asks for each of these lexemes.
        cursor.execute(f"SELECT tsvector_to_array(to_tsvector('{self.CONFIG}', %s))", [text])
        (found,) = cursor.fetchone()
        return list(found)

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


def _filed(text: str, places: Sequence[str], terms: Iterable[str]) -> str:
    """`text` (space-separated tokens) and after it each term filed under each place."""
    filed = " ".join(word_place_token(place, term) for place in places for term in sorted(terms))
    return f"{text} {filed}" if text and filed else text or filed


@functools.lru_cache(maxsize=1024)
def _lexemes(vendor: str, text: str) -> tuple[str, ...]:
    # The same text always gives the same terms (the engine's configuration is fixed), and a
    # search asks for them up to a dozen times: once per process and text (and engine: `vendor`).
    with connection.cursor() as cursor:
        return tuple(sorted(text_index().text_terms(cursor, text)))


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
