"""Reading the programme report: permission, the figures, and the audit event, in one transaction.

Every read is audited, whether on the dashboard, through the API, as a download or from the
command line, because an aggregate report is still built from people's health records.

The figures are added up by the database from each episode's report row (`report_row_selectors`,
docs/decisions/0003-outcomes-report-rows.md); the core turns the sums into published figures.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from carepath import policy
from carepath.audit.models import AuditAction
from carepath.audit.services import record_event
from carepath.errors import NotPermitted
from carepath.outcomes import report_row_selectors, report_selectors
from carepath.outcomes.models import Pathway
from carepath.outcomes.report_query import ReportQuery
from carepath.outcomes.selectors import talking_therapies_rules
from carepath_core.errors import InvalidData
from carepath_core.outcomes.report import GroupBy, ProgrammeReport, report_from_tallies, tally_facts
from carepath_core.outcomes.report_tally import GroupTally

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutcomesReport:
    query: ReportQuery
    figures: ProgrammeReport
    labels: dict[str, str]  # group key -> what a reader calls it
    generated_at: dt.datetime

    @property
    def threshold(self) -> int:
        return self.figures.threshold


def read_outcomes_report(*, actor: Any | None, query: ReportQuery, channel: str) -> OutcomesReport:
    """`actor` None is the command line: whoever can run it already holds the whole database."""
    if actor is not None and not policy.can_view_programme_outcomes(actor):
        raise NotPermitted("only coordinators read programme reports")
    _check_filters_exist(query)
    with transaction.atomic():
        figures = report_from_tallies(
            _tallies(query), group_by=query.group_by, threshold=settings.CAREPATH_SUPPRESS_BELOW
        )
        record_event(
            actor=actor,
            actor_label="" if actor is not None else "command line",
            action=AuditAction.OUTCOMES_REPORT_READ,
            subject_type="outcomes_report",
            details={"filters": query.as_filters(), "channel": channel, "groups": len(figures.groups)},
        )
    return OutcomesReport(query=query, figures=figures, labels=_labels(figures), generated_at=timezone.now())


def _tallies(query: ReportQuery) -> dict[str, GroupTally]:
    """Sums of the report rows, plus, for any matching episode without a current row (written
    outside the services, or before a definition changed), its counts worked out from the check-ins."""
    tallies, covered = report_row_selectors.row_tallies(query)
    if covered == report_row_selectors.episodes_matching(query):
        return tallies
    late = report_row_selectors.episodes_without_current_row(query)
    missing = late.count()
    if missing:
        # Right but slow at scale, so it is said where an operator will see it.
        logger.warning(
            "outcomes report: %s episodes have no current report row; "
            "`carepath outcomes rebuild-report-rows` writes them",
            missing,
        )
    facts = (facts for _, _, facts in report_selectors.episode_facts(late))
    for key, tally in tally_facts(facts, group_by=query.group_by, rules=talking_therapies_rules()).items():
        tallies.setdefault(key, GroupTally()).merge(tally)
    return tallies


def _check_filters_exist(query: ReportQuery) -> None:
    if query.service_id is not None and not report_selectors.service_exists(query.service_id):
        raise InvalidData("service", f"no service in the directory has the id '{query.service_id}'")
    if query.organisation_id is not None and not report_selectors.organisation_exists(query.organisation_id):
        raise InvalidData(
            "organisation", f"no organisation in the directory has the id '{query.organisation_id}'"
        )


def _labels(figures: ProgrammeReport) -> dict[str, str]:
    keys = [group.key for group in figures.groups]
    if figures.group_by is GroupBy.PATHWAY:
        names = {value: str(label) for value, label in Pathway.choices}
        return {key: names.get(key, key) for key in keys}
    names = report_selectors.service_names(keys)
    return {key: names.get(key, key) if key else gettext("No service recorded") for key in keys}
