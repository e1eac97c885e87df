"""Finding services by the words of their name and description: the HSDS API's `search` and the
coordinators' name filter.

Every service is found, whatever its status, through two full-text indexes in the same engine, with
the same tokenizer and the same folding, so a word matches alike in both:
- the people's text index (`text_index`) holds the services people can find (the active ones); only
  its name and description parts are asked here (SQLite: an FTS5 column filter; PostgreSQL: the
  weight labels A and C), never its keywords or place tokens;
- the *unlisted* index holds the name and description of every other service (inactive, defunct,
  temporarily closed): an FTS5 table keyed by `UnlistedEntry.id` on SQLite, a `tsvector` column of
  `directory_unlistedentry` with a GIN index on PostgreSQL. `services.search_index` writes it beside
  the people's index, in the same transaction, so the two never disagree about a service.

Words are stemmed and accent-insensitive (text is folded by `carepath_core.search.text` before it
is indexed and before it is asked for). Queries are built only from words of letters and digits,
so nothing typed reaches an engine's query syntax.

A word condition comes in two shapes: `ids_with_words` lists the matching services (cheap when
they are few), `has_words` asks the indexes about one service at a time (cheap when matches are
many and the rows are read in an order, by id, that stops early); `count_with_words` tells which.
Both engines need telling: SQLite keeps no statistics here, and PostgreSQL's guess for several
words together can be several times off, when walking the wrong way costs seconds.

SQL here is made of constant names and bound parameters; the words inside the parameters are letters
and digits only (`query_words`), so the `noqa` marks below silence warnings about f-strings alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Exists, F, OuterRef, Q, QuerySet
from django.db.models.expressions import Expression, RawSQL

from carepath.directory.models import SearchEntry, UnlistedEntry
from carepath.directory.text_index import SQLITE_TABLE
from carepath_core.search.text import fold

UNLISTED_SQLITE_TABLE = "directory_unlisted_text"
UNLISTED_TABLE = "directory_unlistedentry"
TOKENIZER = "porter unicode61 remove_diacritics 2"  # as the people's index (text_index.SqliteFts5)
PG_CONFIG = "english"  # as the people's index (text_index.PostgresFullText)
CHUNK = 500


class Part(Enum):
    """A part of an indexed document: its FTS5 column and its PostgreSQL weight label."""

    NAME = ("name", "A")  # the name and alternate name
    DESCRIPTION = ("body", "C")  # the description and eligibility description


NAME_ONLY = (Part.NAME,)
NAME_AND_DESCRIPTION = (Part.NAME, Part.DESCRIPTION)


@dataclass(frozen=True)
class UnlistedDocument:
    entry_id: int
    name: str
    body: str


def unlisted_document(entry_id: int, service: Mapping[str, Any]) -> UnlistedDocument:
    """The parts of a service as the people's index writes them (`search_index._document`)."""
    return UnlistedDocument(
        entry_id,
        fold(f"{service['name']} {service['alternate_name'] or ''}"),
        fold(f"{service['description'] or ''} {service['eligibility_description'] or ''}"),
    )


# The engines ------------------------------------------------------------------------------------


class _SqliteWords:
    def create_sql(self) -> list[str]:
        return [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {UNLISTED_SQLITE_TABLE} "
            f"USING fts5(name, body, tokenize = '{TOKENIZER}')"
        ]

    def drop_sql(self) -> list[str]:
        return [f"DROP TABLE IF EXISTS {UNLISTED_SQLITE_TABLE}"]

    def write(self, cursor: Any, documents: Sequence[UnlistedDocument]) -> None:
        cursor.executemany(
            f"INSERT INTO {UNLISTED_SQLITE_TABLE} (rowid, name, body) VALUES (%s, %s, %s)",  # noqa: S608
            [(d.entry_id, d.name, d.body) for d in documents],
        )

    def delete(self, cursor: Any, entry_ids: Sequence[int]) -> None:
        for start in range(0, len(entry_ids), CHUNK):
            chunk = entry_ids[start : start + CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            sql = f"DELETE FROM {UNLISTED_SQLITE_TABLE} WHERE rowid IN ({marks})"  # noqa: S608
            cursor.execute(sql, list(chunk))

    def clear(self, cursor: Any) -> None:
        for statement in self.drop_sql() + self.create_sql():
            cursor.execute(statement)

    @staticmethod
    def _expression(words: Sequence[str], parts: Sequence[Part]) -> str:
        columns = " ".join(part.value[0] for part in parts)
        return f"{{{columns}}} : (" + " AND ".join(f'"{word}"' for word in words) + ")"

    def narrowed(
        self, entries: QuerySet[Any], table: str, words: Sequence[str], parts: Sequence[Part]
    ) -> QuerySet[Any]:
        expression = self._expression(words, parts)
        matched = RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [expression])  # noqa: S608, S611  # nosec B611 # names from code; words bound
        return entries.filter(id__in=matched)

    def count(
        self, entries: QuerySet[Any], table: str, words: Sequence[str], parts: Sequence[Part], at_most: int
    ) -> int:
        """The matches in the FTS5 table alone: its ids come in order and the read stops at the bound."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM (SELECT rowid FROM {table} WHERE {table} MATCH %s "  # noqa: S608
                f"LIMIT {int(at_most)})",
                [self._expression(words, parts)],
            )
            (found,) = cursor.fetchone()
        return int(found)


class _PostgresWords:
    def create_sql(self) -> list[str]:
        return [
            f"ALTER TABLE {UNLISTED_TABLE} ADD COLUMN IF NOT EXISTS document tsvector",
            f"CREATE INDEX IF NOT EXISTS unlisted_entry_document ON {UNLISTED_TABLE} USING GIN (document)",
        ]

    def drop_sql(self) -> list[str]:
        return [
            "DROP INDEX IF EXISTS unlisted_entry_document",
            f"ALTER TABLE {UNLISTED_TABLE} DROP COLUMN IF EXISTS document",
        ]

    def write(self, cursor: Any, documents: Sequence[UnlistedDocument]) -> None:
        cursor.executemany(
            f"UPDATE {UNLISTED_TABLE} SET document = "  # noqa: S608
            f"setweight(to_tsvector('{PG_CONFIG}', %s), 'A') || "
            f"setweight(to_tsvector('{PG_CONFIG}', %s), 'C') WHERE id = %s",
            [(d.name, d.body, d.entry_id) for d in documents],
        )

    def delete(self, cursor: Any, entry_ids: Sequence[int]) -> None:
        """The document is a column of the entry row, so it goes when the row goes."""

    def clear(self, cursor: Any) -> None:
        """Documents are a column of the entries, cleared with them."""

    def narrowed(
        self, entries: QuerySet[Any], table: str, words: Sequence[str], parts: Sequence[Part]
    ) -> QuerySet[Any]:
        labels = "".join(part.value[1] for part in parts)
        # Quoted, each word still goes through the configuration's stemmer; unquoted column name:
        # the entry table is the only one in the subquery that has a `document`.
        query = " & ".join(f"'{word}':{labels}" for word in words)
        matched = RawSQL(  # noqa: S611  # nosec B611 # configuration name from code; query bound
            f"document @@ to_tsquery('{PG_CONFIG}', %s)", [query], output_field=BooleanField()
        )
        return entries.filter(matched)

    def count(
        self, entries: QuerySet[Any], table: str, words: Sequence[str], parts: Sequence[Part], at_most: int
    ) -> int:
        return self.narrowed(entries, table, words, parts).values("id")[:at_most].count()


def _engine() -> _SqliteWords | _PostgresWords:
    if connection.vendor == "sqlite":
        return _SqliteWords()
    if connection.vendor == "postgresql":
        return _PostgresWords()
    raise NotImplementedError(f"no full-text index for the {connection.vendor} database")


def unlisted_index_sql(vendor: str, *, drop: bool = False) -> list[str]:
    """The statements that make (or remove) the unlisted index's text structure, for a migration."""
    engine = _SqliteWords() if vendor == "sqlite" else _PostgresWords()
    return engine.drop_sql() if drop else engine.create_sql()


# Conditions -------------------------------------------------------------------------------------


def _listed(words: Sequence[str], parts: Sequence[Part]) -> QuerySet[SearchEntry]:
    return _engine().narrowed(SearchEntry.objects.order_by(), SQLITE_TABLE, words, parts)


def _unlisted(words: Sequence[str], parts: Sequence[Part]) -> QuerySet[UnlistedEntry]:
    return _engine().narrowed(UnlistedEntry.objects.order_by(), UNLISTED_SQLITE_TABLE, words, parts)


def ids_with_words(words: Sequence[str], parts: Sequence[Part], field: str = "id") -> Q:
    """Rows whose service (`field` holds its id) has every word in these parts: the matches listed,
    one IN over both indexes, so the database drives from them (few: see `count_with_words`)."""
    if not words:
        return Q(pk__in=[])
    listed, listed_params = _listed(words, parts).values("service_id").query.sql_with_params()
    unlisted, unlisted_params = _unlisted(words, parts).values("service_id").query.sql_with_params()
    matched = RawSQL(f"{listed} UNION ALL {unlisted}", (*listed_params, *unlisted_params))  # noqa: S611  # nosec B611 # two compiled querysets
    return Q(**{f"{field}__in": matched})


class _MatchesExist(Expression):
    """PostgreSQL: whether either index holds the service in `column` with the tsquery's words."""

    output_field = BooleanField()

    def __init__(self, column: Any, query: str) -> None:
        super().__init__()
        self.column, self.query = column, query

    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(self, expressions: Sequence[Any]) -> None:
        (self.column,) = expressions

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        column, params = compiler.compile(self.column)
        sql = (
            f"EXISTS (SELECT 1 FROM (SELECT service_id, document FROM {SearchEntry._meta.db_table} "  # noqa: S608
            f"UNION ALL SELECT service_id, document FROM {UNLISTED_TABLE}) matched "
            f"WHERE matched.service_id = {column} AND matched.document @@ to_tsquery('{PG_CONFIG}', %s))"
        )
        return sql, [*params, self.query]


def has_words(words: Sequence[str], parts: Sequence[Part], field: str = "id") -> Q:
    """The same rows, asked of the indexes one service at a time, for rows read in id order.

    SQLite: each index's matches are read once into a list the rows are looked up in. PostgreSQL:
    one EXISTS over both indexes as a single relation, which its planner merges along the service
    ids (an IN over their UNION would first gather and de-duplicate every match)."""
    if not words:
        return Q(pk__in=[])
    if connection.vendor == "postgresql":
        labels = "".join(part.value[1] for part in parts)
        return Q(_MatchesExist(F(field), " & ".join(f"'{word}':{labels}" for word in words)))
    listed = _listed(words, parts).filter(service_id=OuterRef(field))
    unlisted = _unlisted(words, parts).filter(service_id=OuterRef(field))
    return Q(Exists(listed)) | Q(Exists(unlisted))


def count_with_words(words: Sequence[str], parts: Sequence[Part], at_most: int) -> int:
    """How many services have every word in these parts, counting no further than `at_most`.

    Only the indexes are read (on SQLite, the matches' ids alone), to choose a condition's shape."""
    if not words:
        return 0
    engine = _engine()
    listed = engine.count(SearchEntry.objects.order_by(), SQLITE_TABLE, words, parts, at_most)
    if listed >= at_most:
        return at_most
    unlisted = engine.count(UnlistedEntry.objects.order_by(), UNLISTED_SQLITE_TABLE, words, parts, at_most)
    return min(at_most, listed + unlisted)


def words_condition(words: Sequence[str], parts: Sequence[Part], field: str = "id", few: int = 20_000) -> Q:
    """The word condition in the shape its number of matches suits: listed when fewer than `few`."""
    if count_with_words(words, parts, few) < few:
        return ids_with_words(words, parts, field)
    return has_words(words, parts, field)


# Writing the unlisted index ---------------------------------------------------------------------


def forget_unlisted(service_ids: Iterable[str]) -> None:
    """Drop these services from the unlisted index (before they are indexed again, or deleted)."""
    ids = list(service_ids)
    old: list[int] = []
    for start in range(0, len(ids), CHUNK):
        found = UnlistedEntry.objects.filter(service_id__in=ids[start : start + CHUNK])
        old.extend(found.values_list("id", flat=True))
    if not old:
        return
    with connection.cursor() as cursor:
        _engine().delete(cursor, old)
    for start in range(0, len(old), CHUNK):
        UnlistedEntry.objects.filter(id__in=old[start : start + CHUNK]).delete()


def remember_unlisted(services: Sequence[Mapping[str, Any]]) -> None:
    """Index these services (rows with id, name, alternate_name, description, eligibility_description)."""
    if not services:
        return
    entries = UnlistedEntry.objects.bulk_create(
        [UnlistedEntry(service_id=service["id"]) for service in services], batch_size=CHUNK
    )
    if any(entry.pk is None for entry in entries):  # a database that cannot return new ids
        by_service = dict(
            UnlistedEntry.objects.filter(service_id__in=[s["id"] for s in services]).values_list(
                "service_id", "id"
            )
        )
        for entry in entries:
            entry.pk = by_service[entry.service_id]
    documents = [
        unlisted_document(entry.pk, service) for entry, service in zip(entries, services, strict=True)
    ]
    with connection.cursor() as cursor:
        engine = _engine()
        engine.delete(cursor, [document.entry_id for document in documents])  # ids a flushed table may reuse
        engine.write(cursor, documents)


def clear_unlisted() -> None:
    """Forget every unlisted service (before a rebuild)."""
    with connection.cursor() as cursor:
        _engine().clear(cursor)
    UnlistedEntry.objects.all().delete()
