"""An import batch that hands its records on while it is still being read.

The readers (`hsds_json`, `hsds_tabular`) add records to a batch one by one. `StreamedBatch` keeps
everything an `ImportBatch` keeps (so every check and every problem is exactly as before), and
also passes each newly found record to `send`, a chunk at a time, so a writer in another process
can store chunk N while chunk N+1 is being read.

A record may be seen again after it was sent (an organisation embedded in each of its services):
a later sighting that adds a column the first lacked *amends* it, and `amended()` gives those
records' final values, for the writer to apply at the end. A sighting that disagrees is a problem,
as in any batch, and refuses the import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from carepath.interop.hsds_records import ImportBatch, ParsedRecord, Severity

# table -> [values of each record], as found since the last chunk
Chunk = dict[str, list[dict[str, Any]]]


@dataclass
class ChunkNews:
    """What a chunk says besides its records: how far reading is, and whether it has failed yet."""

    records_found: int  # distinct records found so far, this chunk's included
    origins_read: int  # top-level records or rows read so far
    origins_expected: int  # as many as are known to be coming (grows as files are opened)
    has_errors: bool

    def records_expected(self) -> int:
        """How many records the whole import will hold, judged from the share of it read so far."""
        if self.origins_read >= self.origins_expected or not self.origins_read:
            return self.records_found
        return max(self.records_found, self.records_found * self.origins_expected // self.origins_read)


Send = Callable[[Chunk, ChunkNews], None]


@dataclass
class StreamedBatch(ImportBatch):
    send: Send | None = None
    chunk_size: int = 2000  # records per chunk
    _pending: Chunk = field(default_factory=dict)
    _pending_count: int = 0
    _sent: set[tuple[str, str]] = field(default_factory=set)
    _amended: set[tuple[str, str]] = field(default_factory=set)
    _has_errors: bool = False

    def report(self, problem: Any) -> None:
        super().report(problem)
        if problem.severity is Severity.ERROR:
            self._has_errors = True

    def add(self, record: ParsedRecord) -> None:
        key = (record.table, record.id)
        known = self.records.get(key)
        if known is None:
            self.records[key] = record
            self._pending.setdefault(record.table, []).append(record.values)
            self._pending_count += 1
            if self._pending_count >= self.chunk_size:
                self.flush()
            return
        columns_before = len(known.values)
        super().add(record)
        if len(known.values) != columns_before and key in self._sent:
            self._amended.add(key)

    def flush(self) -> None:
        """Send the records found since the last chunk (an empty chunk still tells the progress)."""
        pending, self._pending, self._pending_count = self._pending, {}, 0
        for table, rows in pending.items():
            self._sent.update((table, str(values["id"])) for values in rows)
        if self.send is not None:
            expected = max(self.expected, len(self.origins))
            news = ChunkNews(len(self.records), len(self.origins), expected, self._has_errors)
            self.send(pending, news)

    def amended(self) -> Chunk:
        """Final values of the records a later sighting completed after they were sent."""
        found: Chunk = {}
        for key in sorted(self._amended):
            found.setdefault(key[0], []).append(self.records[key].values)
        return found
