"""Importing an HSDS path with two processes: one reads and checks while the other writes.

Reading (JSON parsing, schema validation, taking records apart) and writing (the database's
inserts, the search index) each cost about as much CPU as the other, and one Python process can
use only one core. So `import_hsds_path` forks a reader, which fills a `StreamedBatch` and sends
each chunk of newly found records down a pipe, while this process writes every chunk it receives
in the import's one transaction and re-indexes the services the chunk touched.

Nothing the import promises changes:
- All or nothing: every chunk is written in one transaction. The first error the reader finds
  stops the writing; the reader still reads to the end, so every problem is reported, then the
  transaction is rolled back (`ImportRefused`). A killed import leaves nothing, as before.
- References: the reader works out which links name no record of the import (`outside_links`);
  the writer asks the directory about those, as the one-process import does.
- A record seen again after its chunk was sent (an organisation embedded in each of its services)
  and completed by that later sighting is rewritten at the end (`StreamedBatch.amended`); it still
  counts once, as new, updated or unchanged.
- The search index: for nested JSON, each chunk's services are re-indexed after the chunk is
  written, and so is any service a later chunk touches (a touched service whose own record is
  still to come waits for it); for a package, every touched service once at the end. Either way
  the index at the commit is the one a rebuild would make (`test_hsds_import_pipeline` compares).

`--skip-invalid` and `--dry-run` need the whole batch before deciding what to write, so they read
first and write after, in this process (`import_hsds`).
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections import defaultdict
from contextlib import suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from django.db import connections, transaction

from carepath.directory.models import HSDS_MODELS
from carepath.directory.selectors.hsds import has_records
from carepath.directory.services.hsds_bulk import (
    bulk_load_session,
    insert_attributes,
    insert_prepared,
    prepare_rows,
    unprepared_rows,
)
from carepath.directory.services.hsds_fresh_index import FreshDirectory
from carepath.directory.services.hsds_import import (
    ImportOutcome,
    ImportRefused,
    Progress,
    Written,
    import_hsds,
    record_imported,
    write_table_chunk,
)
from carepath.directory.services.hsds_references import OutsideLink, outside_links, outside_problems
from carepath.directory.services.search_index import (
    compact_cell_positions,
    refresh_search_entries,
    windows_memo,
)
from carepath.errors import ApplicationError
from carepath.interop.hsds_reader import read_hsds
from carepath.interop.hsds_records import Problem, Severity
from carepath.interop.hsds_stream import Chunk, ChunkNews, StreamedBatch
from carepath.interop.hsds_tabular import is_tabular_package

Prepared = dict[str, tuple[list[str], list[list[Any]]]]  # table -> (ids, INSERT rows, not yet prepared)
CHUNK_RECORDS = 4000  # records per chunk: a few hundred services, enough to keep statements few


class ReaderFailed(ApplicationError):
    """The reading process stopped without finishing; nothing was written."""


def import_hsds_path(
    path: Path,
    kind: str | None = None,
    *,
    actor: Any = None,
    actor_label: str = "",
    skip_invalid: bool = False,
    dry_run: bool = False,
    keep_unknown_references: bool = False,
    progress: Progress | None = None,
) -> ImportOutcome:
    """Read and import whatever HSDS the path holds; raises ImportRefused (nothing written) on any error
    unless skip_invalid. What `import_hsds(read_hsds(path, kind), ...)` does, reading and writing at once."""
    if skip_invalid or dry_run or "fork" not in multiprocessing.get_all_start_methods():
        return import_hsds(
            read_hsds(path, kind),
            actor=actor,
            actor_label=actor_label,
            skip_invalid=skip_invalid,
            dry_run=dry_run,
            keep_unknown_references=keep_unknown_references,
            progress=progress,
        )
    # fork, not spawn: the reader starts at once with Django and the schemas already loaded. It
    # never uses a database connection it inherits (`_let_go_of_inherited`), and leaves by os._exit
    # (multiprocessing's way), so nothing is sent on or finalised from the writer's connections.
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    # A nested JSON record brings a service with what describes it, so each chunk's services are
    # indexed at once, while reading goes on. A package brings one table at a time (services,
    # then their schedules, then their places...): indexed per chunk, each service would be
    # indexed again for each later table, so a package's services are indexed once, at the end.
    writer = _Writer(progress, index_each_chunk=not is_tabular_package(path))
    empty = frozenset(table for table, known in writer.known.items() if not known)
    reader = context.Process(
        target=_read, args=(path, kind, empty, sender, receiver), daemon=True, name="hsds-reader"
    )
    reader.start()
    sender.close()
    try:
        with bulk_load_session(), transaction.atomic():
            finished = writer.write_all(receiver)
            problems = finished.problems + outside_problems(
                finished.outside, keep_unknown_references=keep_unknown_references
            )
            if any(problem.severity is Severity.ERROR for problem in problems):
                raise ImportRefused(problems)
            writer.write(finished.amended, final=True)
            writer.index_the_rest()
            compact_cell_positions()
            outcome = writer.outcome(problems)
            record_imported(outcome, actor=actor, actor_label=actor_label)
            return outcome
    finally:
        receiver.close()
        reader.join(timeout=5)
        if reader.is_alive():  # the writer gave up early: the reader's work is no longer wanted
            reader.kill()
            reader.join()


@dataclass
class _Finished:
    """The reader's last message: every problem found, the records to complete, the outside links."""

    problems: list[Problem]
    amended: Chunk
    outside: list[OutsideLink]


def _read(
    path: Path, kind: str | None, empty: frozenset[str], sender: Connection, writers_end: Connection
) -> None:
    """The reader process: chunks of records as they are found, then `_Finished` (or the failure).

    Records of a table that was empty before the import are all new: they go as the rows of their
    INSERT (`unprepared_rows`), so the writer only has to prepare the few values that need it and
    run it (and, into an empty directory, can index them from those rows: `hsds_fresh_index`)."""
    _let_go_of_inherited(writers_end)
    try:

        def send(chunk: Chunk, news: ChunkNews) -> None:
            if news.has_errors:  # the import is sure to be refused: records are no longer worth sending
                sender.send(("chunk", {}, {}, news))
                return
            prepared = {}
            for table in [table for table in chunk if table in empty]:
                rows = sorted(chunk.pop(table), key=_id_of)
                prepared[table] = ([_id_of(values) for values in rows], unprepared_rows(table, rows))
            sender.send(("chunk", chunk, prepared, news))

        batch = StreamedBatch(send=send, chunk_size=CHUNK_RECORDS)
        read_hsds(path, kind, batch)
        batch.flush()
        outside = outside_links(batch.records.values())
        sender.send(("finished", _Finished(batch.problems, batch.amended(), outside)))
    except BaseException:  # noqa: BLE001 # whatever it was, the writer must learn it and roll back
        with suppress(OSError):  # the writer has already stopped listening
            sender.send(("failed", traceback.format_exc()))
    finally:
        sender.close()


def _let_go_of_inherited(writers_end: Connection) -> None:
    """Close, in the reader, what it inherited from the writer and must not keep open.

    The pipe's reading end: while the reader held it, a killed writer would leave the reader
    blocked on a full pipe rather than failing on a broken one. And the writer's database sockets:
    while a copy stays open, the server does not see the connection of a killed writer end, so its
    transaction would hold its locks until the reader finished. Only the descriptors are closed
    (the reader never uses the connections, and leaves by os._exit, so nothing runs on them)."""
    writers_end.close()
    for alias in connections:
        raw = connections[alias].connection
        if raw is not None and connections[alias].vendor == "postgresql":
            with suppress(OSError):
                os.close(raw.fileno())


class _Writer:
    """Writes the chunks as they come, keeping the counts an `ImportOutcome` reports."""

    def __init__(self, progress: Progress | None, *, index_each_chunk: bool) -> None:
        self.progress = progress
        self.index_each_chunk = index_each_chunk
        self.to_index: set[str] = set()  # services touched by what was written, not yet re-indexed
        self.services_read: set[str] = set()  # services whose own record has come
        self.known = {table: has_records(table) for table in HSDS_MODELS}  # before this import
        self.received: dict[str, int] = defaultdict(int)
        self.created: dict[str, int] = defaultdict(int)
        self.created_ids: dict[str, set[str]] = defaultdict(set)  # in tables known before, for amends
        self.updated_ids: dict[str, set[str]] = defaultdict(set)
        self.refused = False
        self.windows_of = windows_memo()  # services in different chunks often share their hours
        # Into an empty directory, every row is new and comes through here: the services' search
        # facts are built from those rows rather than read back (until a record is amended).
        self.fresh = FreshDirectory() if not any(self.known.values()) else None

    def write_all(self, receiver: Connection) -> _Finished:
        while True:
            try:
                message = receiver.recv()
            except EOFError as error:
                raise ReaderFailed("the process reading the import stopped before the end") from error
            if message[0] == "chunk":
                _kind, chunk, prepared, news = message
                self.refused = self.refused or news.has_errors
                if not self.refused:
                    self.write(chunk, prepared)
                    if self.progress is not None:  # in records, as the one-process import counts
                        self.progress(sum(self.received.values()), news.records_expected())
            elif message[0] == "finished":
                finished: _Finished = message[1]
                return finished
            else:
                raise ReaderFailed(f"reading the import failed:\n{message[1]}")

    def write(self, chunk: Chunk, prepared: Prepared | None = None, *, final: bool = False) -> None:
        """Write a chunk of records and re-index the services it touched. `prepared`: the INSERT
        rows of new records (`unprepared_rows`). `final`: the amended records, each already written
        once in this import (so neither counted nor new again)."""
        written = Written()
        self.services_read.update(prepared["service"][0] if prepared and "service" in prepared else ())
        self.services_read.update(_id_of(values) for values in chunk.get("service", ()))
        if chunk:  # records written otherwise (the amended ones): the rows held no longer say it all
            self.fresh = None
        for table, (ids, new_rows) in sorted((prepared or {}).items()):
            if self.fresh is not None:  # before preparing: the rows as they read back, not as they go
                self.fresh.add(table, insert_attributes(table), new_rows)
            insert_prepared(table, prepare_rows(table, new_rows))
            written.ids.setdefault(table, []).extend(ids)
            self.received[table] += len(ids)
            self.created[table] += len(ids)
        for table in sorted(chunk):
            rows = sorted(chunk[table], key=_id_of)  # id order: each primary-key index grows at its end
            known = final or self.known[table]
            new_ids, changed_ids = write_table_chunk(table, rows, written, known=known)
            if final:
                if self.known[table]:
                    self.updated_ids[table].update(set(changed_ids) - self.created_ids[table])
                continue
            self.received[table] += len(rows)
            self.created[table] += len(new_ids)
            self.updated_ids[table].update(changed_ids)
            if self.known[table]:
                self.created_ids[table].update(new_ids)
        if self.fresh is not None and not chunk:
            self.to_index |= self.fresh.services_touched_by(written.ids)
        elif any(written.ids.values()) or written.services_before:
            self.to_index |= written.services_to_refresh()
        if self.index_each_chunk:
            # A touched service whose own record is still to come (a revised organisation touches
            # all its services) waits for it: indexed now, it would be indexed again then.
            self.index_the_rest(self.to_index & self.services_read)

    def index_the_rest(self, services: set[str] | None = None) -> None:
        """Re-index these services now (by default all that wait), touched by what was written."""
        services = self.to_index if services is None else services
        if services:
            facts_of = None if self.fresh is None else self.fresh.service_facts
            refresh_search_entries(services, self.windows_of, facts_of)
            self.to_index -= services

    def outcome(self, problems: list[Problem]) -> ImportOutcome:
        outcome = ImportOutcome(problems=problems)
        for table in sorted(self.received):
            created, updated = self.created[table], len(self.updated_ids[table])
            outcome.created[table] = created
            outcome.updated[table] = updated
            outcome.unchanged[table] = self.received[table] - created - updated
        return outcome


def _id_of(values: dict[str, Any]) -> str:
    return str(values["id"])
