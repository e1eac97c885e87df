"""Setting episodes' costs from a programme's finance records: a CSV file `episode_id,cost`.

Every row is read and checked before anything is written; any problem refuses the whole file and
each one is named as "line N, field F: problem". A good file changes the costs, rewrites those
episodes' report rows and records one audit event, all in one transaction. The event holds counts
only, never an episode id, since ids lead to people.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from carepath import policy
from carepath.audit.models import AuditAction
from carepath.audit.services import record_event
from carepath.errors import ApplicationError, NotPermitted
from carepath.outcomes.models import Episode
from carepath.outcomes.report_rows import lock_episode_people, refresh_report_rows

HEADER = ("episode_id", "cost")
_AMOUNT = re.compile(r"-?\d+(?:\.\d+)?")
_WHOLE_DIGITS = 10  # Episode.cost: 12 digits, 2 of them after the point
_LARGEST_ID = 2**63 - 1  # a bigger number is no episode's id, and PostgreSQL would refuse to compare it


class CostFileProblems(ApplicationError):
    """The file was refused as a whole; `problems` holds one "line N, field F: problem" each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True, slots=True)
class CostRow:
    line: int
    episode_id: int
    cost: Decimal | None  # None: back to unknown


@dataclass(frozen=True, slots=True)
class CostImport:
    rows: int
    changed: int  # costs set to a new value
    cleared: int  # costs emptied back to unknown
    unchanged: int
    dry_run: bool


def set_episode_costs(rows: Iterable[str], *, actor: Any | None = None, dry_run: bool = False) -> CostImport:
    """`rows` are the lines of the CSV file, header first. `actor` None is the command line."""
    if actor is not None and not policy.can_import_episode_costs(actor):
        raise NotPermitted("only coordinators import episode costs")
    wanted, problems = read_cost_rows(rows)
    ids = [row.episode_id for row in wanted if row.episode_id <= _LARGEST_ID]
    with transaction.atomic():
        if not dry_run:
            lock_episode_people(ids)
        current = dict(Episode.objects.filter(pk__in=ids).values_list("pk", "cost"))
        problems += [
            f"line {row.line}, field episode_id: no episode has the id {row.episode_id}"
            for row in wanted
            if row.episode_id not in current
        ]
        if problems:
            raise CostFileProblems(sorted(problems, key=_line_number))
        changes = [row for row in wanted if row.cost != current[row.episode_id]]
        cleared = sum(1 for row in changes if row.cost is None)
        result = CostImport(len(wanted), len(changes) - cleared, cleared, len(wanted) - len(changes), dry_run)
        if not dry_run:
            _write(changes, actor, result)
    return result


def _write(changes: list[CostRow], actor: Any | None, result: CostImport) -> None:
    now = timezone.now()
    episodes = [Episode(pk=row.episode_id, cost=row.cost, updated_at=now) for row in changes]
    Episode.objects.bulk_update(episodes, ["cost", "updated_at"], batch_size=500)
    refresh_report_rows(row.episode_id for row in changes)
    record_event(
        actor=actor,
        actor_label="" if actor is not None else "command line",
        action=AuditAction.OUTCOMES_COSTS_IMPORTED,
        subject_type="episode_costs",
        details={"rows": result.rows, "changed": result.changed, "cleared": result.cleared},
    )


def read_cost_rows(lines: Iterable[str]) -> tuple[list[CostRow], list[str]]:
    """The file's rows and every problem found in them (the database is not asked here)."""
    reader = csv.reader(lines)
    header = [cell.strip().lstrip("\ufeff") for cell in next(reader, [])]
    problems = _header_problems(header)
    if problems:
        return [], problems
    rows: list[CostRow] = []
    first_line: dict[int, int] = {}
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue  # a blank line
        line = reader.line_num
        episode_id, cost, found = _row(line, cells)
        if episode_id is not None and episode_id in first_line:
            earlier = first_line[episode_id]
            found.insert(
                0, f"line {line}, field episode_id: episode {episode_id} is already on line {earlier}"
            )
        elif episode_id is not None:
            first_line[episode_id] = line
        problems += found
        if episode_id is not None and not found:
            rows.append(CostRow(line=line, episode_id=episode_id, cost=cost))
    return rows, problems


def _header_problems(header: list[str]) -> list[str]:
    if not any(header):
        return [f"line 1, field header: the file is empty; its first line must be {','.join(HEADER)}"]
    missing = [f"line 1, field {name}: missing from the header" for name in HEADER if name not in header]
    extra = [
        f"line 1, field {name or '(blank)'}: not a column of this file (only {','.join(HEADER)})"
        for name in header
        if name not in HEADER
    ]
    twice = [f"line 1, field {name}: named twice in the header" for name in HEADER if header.count(name) > 1]
    if missing or extra or twice:
        return missing + extra + twice
    if tuple(header) != HEADER:
        return [f"line 1, field header: the columns must come in the order {','.join(HEADER)}"]
    return []


def _row(line: int, cells: list[str]) -> tuple[int | None, Decimal | None, list[str]]:
    """The row's episode id (None if unreadable), its cost and its problems."""
    if len(cells) != len(HEADER):
        return (
            None,
            None,
            [f"line {line}, field cost: expected 2 values (episode_id,cost), found {len(cells)}"],
        )
    raw_id, raw_cost = (cell.strip() for cell in cells)
    problems: list[str] = []
    episode_id = int(raw_id) if raw_id.isdigit() and raw_id.isascii() else None
    if episode_id is None:
        problems.append(f"line {line}, field episode_id: must be a whole number, not '{raw_id}'")
    cost, cost_problem = _cost(raw_cost)
    if cost_problem:
        problems.append(f"line {line}, field cost: {cost_problem}")
    return episode_id, cost, problems


def _cost(raw: str) -> tuple[Decimal | None, str]:
    if raw == "":
        return None, ""
    if not _AMOUNT.fullmatch(raw):
        return None, f"must be an amount such as 120 or 120.50 (or empty for unknown), not '{raw}'"
    if raw.startswith("-"):
        return None, f"cannot be negative ({raw})"
    whole, _, fraction = raw.partition(".")
    if len(fraction) > 2:
        return None, f"has more than 2 decimal places ({raw})"
    if len(whole.lstrip("0")) > _WHOLE_DIGITS:
        return None, f"is too large ({raw}); the most is {'9' * _WHOLE_DIGITS}.99"
    return Decimal(raw), ""


def _line_number(problem: str) -> int:
    return int(problem.split(",", 1)[0].removeprefix("line "))
