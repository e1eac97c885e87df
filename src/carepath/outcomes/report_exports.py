"""The programme report as JSON (API and `--format json`), CSV and PDF. Suppression is already in
the figures, so no export can show a number the dashboard withholds."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.template.loader import render_to_string

from carepath.outcomes.report_chart import recovery_chart
from carepath.outcomes.report_lines import figure_lines
from carepath.outcomes.report_services import OutcomesReport
from carepath_core.outcomes import ShownCount, ShownRate
from carepath_core.outcomes.report_figures import GroupFigures, RateFigure

CSV_COLUMNS = (
    "group_by",
    "group",
    "group_name",
    "figure",
    "value",
    "ci_low",
    "ci_high",
    "numerator",
    "denominator",
)


def report_payload(report: OutcomesReport) -> dict[str, Any]:
    """The JSON document: a withheld number is null with `"suppressed": true` beside it."""
    return {
        "group_by": report.figures.group_by.value,
        "filters": report.query.as_filters(),
        "suppress_below": report.threshold,
        "generated_at": report.generated_at.isoformat(),
        "groups": [
            _group_payload(group, report.labels.get(group.key, group.key)) for group in report.figures.groups
        ],
    }


def _count(count: ShownCount) -> dict[str, Any]:
    return {"value": count.value, "suppressed": count.suppressed}


def _rate(figure: RateFigure) -> dict[str, Any]:
    rate: ShownRate = figure.rate
    return {
        "numerator": _count(figure.numerator),
        "denominator": _count(figure.denominator),
        "rate": rate.value,
        "ci_low": rate.interval.low if rate.interval else None,
        "ci_high": rate.interval.high if rate.interval else None,
        "suppressed": rate.suppressed,
    }


def _group_payload(group: GroupFigures, label: str) -> dict[str, Any]:
    cost = group.cost_per_recovered
    return {
        "key": group.key,
        "name": label,
        "finished": _count(group.finished),
        "scored": _count(group.scored),
        "recovery": _rate(group.recovery),
        "reliable_improvement": _rate(group.reliable_improvement),
        "reliable_recovery": _rate(group.reliable_recovery),
        "reliable_deterioration": _rate(group.reliable_deterioration),
        "drop_out": _rate(group.dropped_out),
        "median_days_to_first_contact": {
            "value": group.waiting.median_days,
            "episodes": _count(group.waiting.episodes),
            "suppressed": group.waiting.median_days is None,
        },
        "cost_per_recovered": {
            "value": str(cost.per_recovered) if cost.per_recovered is not None else None,
            "costed_episodes": _count(cost.costed_episodes),
            "suppressed": cost.per_recovered is None,
        },
    }


def report_csv(report: OutcomesReport) -> str:
    """Long format, one row per group and figure, so a spreadsheet can pivot it either way."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    group_by = report.figures.group_by.value
    for group in report.figures.groups:
        name = report.labels.get(group.key, group.key)
        for line in figure_lines(group, report.threshold):
            writer.writerow(
                (
                    group_by,
                    group.key,
                    name,
                    line.code,
                    line.number,
                    line.low,
                    line.high,
                    line.numerator,
                    line.denominator,
                )
            )
    return out.getvalue()


def report_pdf(report: OutcomesReport) -> bytes:
    # Imported here: WeasyPrint needs Pango from the system, and only the printable files use it
    # (the safety plan does the same).
    from weasyprint import HTML

    html = render_to_string("outcomes/programme_pdf.html", report_context(report))
    return bytes(HTML(string=html).write_pdf())


def report_context(report: OutcomesReport) -> dict[str, Any]:
    """What the dashboard and the PDF show: per group its name and lines, and the chart."""
    groups = [
        {
            "key": group.key,
            "name": report.labels.get(group.key, group.key),
            "lines": figure_lines(group, report.threshold),
        }
        for group in report.figures.groups
    ]
    return {"report": report, "groups": groups, "chart": recovery_chart(report)}
