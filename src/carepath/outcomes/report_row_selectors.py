"""Reading the programme report from the episodes' report rows: the database adds, the core decides.

Each `EpisodeReportRow` holds what its episode adds to its group's counts, as decided by
`carepath_core.outcomes.report_tally.episode_counts` when the row was written. The report asks the
database for the sums per group (one GROUP BY over narrow rows) and for how many episodes waited
each number of days (for the median); no row becomes a Python object. Rows written by other
versions of the definitions are left out here and their episodes worked out from the check-ins
instead (`episodes_without_current_row`, in `report_services`), so a report is never built from
flags the current code would not set.
"""

from __future__ import annotations

import hashlib
import inspect
from decimal import Decimal
from functools import cache
from types import ModuleType
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from carepath.outcomes import report_selectors
from carepath.outcomes.models import Episode, EpisodeReportRow
from carepath.outcomes.report_query import ReportQuery
from carepath.outcomes.selectors import talking_therapies_rules
from carepath_core.outcomes import change, checked, course, report_tally, rules, talking_therapies
from carepath_core.outcomes.report import GroupBy
from carepath_core.outcomes.report_tally import GroupTally

# Every flag that adds one to the group count of the same name.
FLAGS = (
    "started",
    "dropped_out",
    "finished",
    "scored",
    "not_case_at_start",
    "recovered",
    "reliable_improvement",
    "reliable_recovery",
    "reliable_deterioration",
    "costed_recovered",
)
_DEFINING_MODULES: tuple[ModuleType, ...] = (report_tally, talking_therapies, course, rules, change, checked)


@cache
def definitions_version() -> str:
    """A fingerprint of everything that decides a row's flags: the rules read from the definition
    files, the core code that applies them, and the SQL that picks the first and last scores. Any
    change to these gives a new version, and rows of the old one stop being trusted."""
    parts = [repr(talking_therapies_rules())]
    parts += [inspect.getsource(module) for module in _DEFINING_MODULES]
    parts += [inspect.getsource(report_selectors._scores_of), inspect.getsource(report_selectors._pair)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def report_rows(query: ReportQuery) -> QuerySet[EpisodeReportRow]:
    """Rows of ended episodes matching the filters, the same filters `report_episodes` applies."""
    return report_selectors.ended_matching(EpisodeReportRow.objects.all(), query)


def row_tallies(query: ReportQuery) -> tuple[dict[str, GroupTally], int]:
    """Counts per group from the rows of the current definitions, and how many episodes they cover.

    One scan: the rows are grouped by group and waiting time together, so the same sums also give
    how many episodes waited each number of days.
    """
    rows = report_rows(query).filter(definitions=definitions_version())
    # Grouping on an expression, not the bare column, keeps SQLite from walking the service index
    # to get the rows in order (a random read per row; a sort of the scanned rows is cheaper).
    key = F("pathway") if query.group_by is GroupBy.PATHWAY else Coalesce("service_id", Value(""))
    sums = (
        rows.annotate(group=key)
        .values("group", "wait_days")
        .annotate(
            n_episodes=Count("pk"),
            n_costed=Count("cost_cents"),
            n_cost_cents=Sum("cost_cents"),
            **{f"n_{flag}": Count("pk", filter=Q(**{flag: True})) for flag in FLAGS},
        )
    )
    tallies: dict[str, GroupTally] = {}
    covered = 0
    for found in sums:
        tally = tallies.setdefault(found["group"], GroupTally())
        tally.merge(_tally(found))
        if found["wait_days"] is not None:
            tally.waits[found["wait_days"]] += found["n_episodes"]
        covered += found["n_episodes"]
    return tallies, covered


def _tally(found: dict[str, Any]) -> GroupTally:
    tally = GroupTally(costed=found["n_costed"])
    for flag in FLAGS:
        setattr(tally, flag, found[f"n_{flag}"])
    # Decimal(0) plus the costs, as the core adds them up, whole cents back to currency units.
    tally.cost_total = Decimal(0) + Decimal(found["n_cost_cents"] or 0).scaleb(-2)
    return tally


def episodes_matching(query: ReportQuery) -> int:
    return report_selectors.report_episodes(query).count()


def episodes_without_current_row(query: ReportQuery | None = None) -> QuerySet[Episode]:
    """Episodes (matching the report's filters, if given) with no row, or a row from other definitions."""
    episodes = Episode.objects.all() if query is None else report_selectors.report_episodes(query)
    return episodes.exclude(report_row__definitions=definitions_version())
