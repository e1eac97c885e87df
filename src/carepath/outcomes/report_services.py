"""Reading the programme report: permission, the figures, and the audit event, in one transaction.

Every read is audited, whether on the dashboard, through the API, as a download or from the
command line, because an aggregate report is still built from people's health records.
"""

from __future__ import annotations

import datetime as dt
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
from carepath.outcomes import report_selectors
from carepath.outcomes.models import Pathway
from carepath.outcomes.report_query import ReportQuery
from carepath.outcomes.selectors import talking_therapies_rules
from carepath_core.errors import InvalidData
from carepath_core.outcomes.report import GroupBy, ProgrammeReport, programme_report


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
        figures = programme_report(
            report_selectors.report_facts(query),
            group_by=query.group_by,
            rules=talking_therapies_rules(),
            threshold=settings.CAREPATH_SUPPRESS_BELOW,
        )
        record_event(
            actor=actor,
            actor_label="" if actor is not None else "command line",
            action=AuditAction.OUTCOMES_REPORT_READ,
            subject_type="outcomes_report",
            details={"filters": query.as_filters(), "channel": channel, "groups": len(figures.groups)},
        )
    return OutcomesReport(query=query, figures=figures, labels=_labels(figures), generated_at=timezone.now())


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
