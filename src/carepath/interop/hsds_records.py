"""What reading an HSDS document yields: records per table, and every problem found on the way.

Readers (`hsds_json`, `hsds_tabular`) fill an `ImportBatch`; the directory's import service
checks references against the database and writes it. Nothing here touches the database.

Each problem names the file, the place in it (a spreadsheet row number, or a JSON path such
as `contents[0].phones[1]`), the field and what is wrong. Each record and problem also carries
its *origin*: the top-level JSON record or the CSV row it came from, so `--skip-invalid` can
leave out exactly the records whose origin has an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    file: str
    where: str
    field: str
    problem: str
    severity: Severity = Severity.ERROR
    origins: tuple[str, ...] = ()

    def __str__(self) -> str:
        parts = [self.file, self.where or "document", self.field]
        return ": ".join(part for part in parts if part) + f": {self.problem}"

    def as_row(self) -> dict[str, str]:
        return {
            "severity": self.severity.value,
            "file": self.file,
            "where": self.where,
            "field": self.field,
            "problem": self.problem,
        }


@dataclass
class ParsedRecord:
    table: str
    values: dict[str, Any]  # HSDS column -> value ready to store; absent columns are missing
    file: str
    where: str  # where it was first seen, for messages
    origins: set[str] = field(default_factory=set)
    # Asked often, and a record's id does not change once read: kept as a plain attribute, which
    # costs far less to read than a cached_property (whose every read takes a lock on Python 3.11).
    id: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.id = str(self.values["id"])


@dataclass
class ImportBatch:
    """Records keyed by (table, id), merged when the same record appears more than once."""

    records: dict[tuple[str, str], ParsedRecord] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)  # top-level records or rows, in reading order
    files: list[str] = field(default_factory=list)
    expected: int = 0  # top-level records announced so far (a JSON file's items), for progress

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity is Severity.WARNING]

    def report(self, problem: Problem) -> None:
        self.problems.append(problem)

    def add(self, record: ParsedRecord) -> None:
        """Keep the record; a second sighting of the same id adds what it knows and must agree."""
        key = (record.table, record.id)
        known = self.records.get(key)
        if known is None:
            self.records[key] = record
            return
        known.origins |= record.origins
        for column, value in record.values.items():
            if column not in known.values:
                known.values[column] = value
            elif known.values[column] != value:
                self._report_disagreement(known, record, column)

    def _report_disagreement(self, known: ParsedRecord, record: ParsedRecord, column: str) -> None:
        self.report(
            Problem(
                record.file,
                record.where,
                column,
                f"{record.table} '{record.id}' appears again with a different {column} "
                f"({_shown(known.values[column])} at {known.file}: {known.where or 'document'}, "
                f"{_shown(record.values[column])} here); an id must name one record",
                origins=tuple(sorted(known.origins | record.origins)),
            )
        )

    def merge(self, other: ImportBatch) -> None:
        self.files.extend(other.files)
        self.origins.extend(other.origins)
        self.problems.extend(other.problems)
        self.expected += other.expected
        if not self.records:  # nothing to merge with: take the other's records as they are
            self.records = dict(other.records)
            return
        for record in other.records.values():
            self.add(record)

    def counts(self) -> dict[str, int]:
        tally: dict[str, int] = {}
        for table, _id in self.records:
            tally[table] = tally.get(table, 0) + 1
        return dict(sorted(tally.items()))


def _shown(value: Any) -> str:
    return "nothing" if value is None else repr(str(value))
