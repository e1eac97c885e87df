"""The programme report against a real database: the selector (first and last scores inside the
episode's dates, filters, grouping), the service's audit event, and the command's three formats."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from carepath.audit.models import AuditAction, AuditEvent
from carepath.directory.models import Organization, Service
from carepath.errors import NotPermitted
from carepath.outcomes.models import Episode
from carepath.outcomes.report_query import ReportQuery, read_report_query
from carepath.outcomes.report_selectors import report_facts
from carepath.outcomes.report_services import read_outcomes_report
from carepath.screening.models import Assessment
from carepath_core.errors import InvalidData
from carepath_core.outcomes import ScorePair
from carepath_core.outcomes.report import GroupBy

pytestmark = pytest.mark.django_db

START, END = dt.date(2026, 1, 5), dt.date(2026, 3, 2)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def keep(person: Any, instrument: str, total: int, when: dt.datetime) -> None:
    Assessment.objects.create(
        person=person,
        instrument=instrument,
        instrument_version="1",
        answers={},
        total=total,
        band_index=0,
        band_label="stored",
        completed_at=when,
    )


def episode(person: Any, **extra: Any) -> Episode:
    values = {"pathway": "peer", "started_on": START, "ended_on": END, "sessions_attended": 6, **extra}
    return Episode.objects.create(person=person, **values)


def course(person: Any, phq9: tuple[int, int], gad7: tuple[int, int], **extra: Any) -> Episode:
    found = episode(person, **extra)
    start, end = found.started_on, found.ended_on or END
    for code, (first, last) in (("phq9", phq9), ("gad7", gad7)):
        keep(person, code, first, at(start, 0))  # the first instant of the first day counts
        keep(person, code, (first + last) // 2, at(start + dt.timedelta(days=20)))
        keep(person, code, last, at(end, 23))  # and the last hour of the last day
    return found


def test_first_and_last_scores_are_read_inside_the_episode_dates_only(make_account: Any) -> None:
    person = make_account("p1")
    course(person, (18, 6), (14, 5))
    keep(person, "phq9", 27, at(START - dt.timedelta(days=1), 23))  # the day before: outside
    keep(person, "phq9", 0, at(END + dt.timedelta(days=1), 0))  # the day after: outside
    keep(person, "who5", 3, at(START, 12))  # another questionnaire: ignored
    (facts,) = report_facts(ReportQuery())
    assert facts.depression == ScorePair(18, 6)
    assert facts.anxiety == ScorePair(14, 5)
    assert (facts.pathway, facts.sessions_attended) == ("peer", 6)


def test_a_measure_with_one_score_has_no_pair_and_ongoing_episodes_are_left_out(make_account: Any) -> None:
    person = make_account("p2")
    episode(
        person, requested_on=dt.date(2026, 1, 1), first_contact_on=dt.date(2026, 1, 4), cost=Decimal("120")
    )
    keep(person, "phq9", 15, at(START))
    keep(person, "gad7", 9, at(START))
    keep(person, "gad7", 4, at(END))
    episode(person, ended_on=None)
    (facts,) = report_facts(ReportQuery())
    assert facts.depression is None and facts.anxiety == ScorePair(9, 4)
    assert (facts.requested_on, facts.first_contact_on, facts.cost) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 1, 4),
        Decimal("120.00"),
    )


def test_another_persons_check_ins_never_count(make_account: Any) -> None:
    owner, other = make_account("owner"), make_account("other")
    episode(owner)
    keep(other, "phq9", 20, at(START))
    keep(other, "phq9", 2, at(END))
    (facts,) = report_facts(ReportQuery())
    assert facts.depression is None


def test_filters_by_period_service_organisation_and_pathway(make_account: Any) -> None:
    org = Organization.objects.create(name="Harbour", description="")
    mine = Service.objects.create(name="Harbour group", status="active", organization=org)
    elsewhere = Service.objects.create(name="Elsewhere", status="active")
    person = make_account("p3")
    episode(person, ended_on=dt.date(2026, 2, 1), service=mine)
    episode(person, ended_on=dt.date(2026, 3, 1), service=elsewhere, pathway="professional")
    episode(person, ended_on=dt.date(2026, 4, 1), pathway="both")

    def count(**raw: str) -> int:
        return sum(1 for _ in report_facts(read_report_query(raw)))

    assert count() == 3
    assert count(**{"from": "2026-02-01", "to": "2026-03-01"}) == 2  # both ends inclusive
    assert count(**{"from": "2026-02-02"}) == 2
    assert count(service=mine.pk) == 1
    assert count(organisation=org.pk) == 1
    assert count(pathway="professional") == 1


def test_the_report_groups_by_pathway_or_service_and_suppresses(make_account: Any, settings: Any) -> None:
    settings.CAREPATH_SUPPRESS_BELOW = 2
    service = Service.objects.create(name="Riverside", status="active")
    for index in range(3):
        course(make_account(f"r{index}"), (18, 4), (14, 3), service=service)
        course(make_account(f"s{index}"), (18, 17), (14, 13), pathway="both")
        course(make_account(f"m{index}"), (5, 4), (4, 3), pathway="both")
    by_pathway = read_outcomes_report(actor=None, query=ReportQuery(), channel="test")
    assert [g.key for g in by_pathway.figures.groups] == ["both", "peer"]
    assert by_pathway.labels == {"both": "Peer and professional support", "peer": "Peer support"}
    both = by_pathway.figures.groups[0]
    assert both.finished.value == 6 and both.recovery.denominator.value == 3
    assert both.recovery.numerator.value is None  # nobody recovered: 0 is under the threshold
    by_service = read_outcomes_report(actor=None, query=ReportQuery(group_by=GroupBy.SERVICE), channel="test")
    assert by_service.labels == {"": "No service recorded", service.pk: "Riverside"}


def test_every_read_is_audited_and_only_coordinators_may_read(personas: dict[str, Any]) -> None:
    read_outcomes_report(
        actor=personas["coordinator"], query=read_report_query({"pathway": "peer"}), channel="api"
    )
    (event,) = AuditEvent.objects.filter(action=AuditAction.OUTCOMES_REPORT_READ)
    assert event.actor == personas["coordinator"]
    assert event.details == {
        "filters": {"pathway": "peer", "group_by": "pathway"},
        "channel": "api",
        "groups": 0,
    }
    with pytest.raises(NotPermitted):
        read_outcomes_report(actor=personas["peer_supporter"], query=ReportQuery(), channel="api")
    assert AuditEvent.objects.filter(action=AuditAction.OUTCOMES_REPORT_READ).count() == 1


def test_unknown_service_or_organisation_is_refused_by_name() -> None:
    with pytest.raises(InvalidData, match=r"^service: no service"):
        read_outcomes_report(actor=None, query=ReportQuery(service_id="nope"), channel="test")
    with pytest.raises(InvalidData, match=r"^organisation: no organisation"):
        read_outcomes_report(actor=None, query=ReportQuery(organisation_id="nope"), channel="test")


# --- the command ------------------------------------------------------------------------------


@pytest.fixture
def ten_people(make_account: Any) -> None:
    for index in range(6):
        course(make_account(f"a{index}"), (18, 4), (14, 3))
    for index in range(6):
        course(make_account(f"b{index}"), (18, 17), (14, 13))
    for index in range(5):
        course(make_account(f"c{index}"), (6, 4), (5, 3))


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("report", "outcomes", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_csv_has_one_row_per_figure_and_says_fewer_than_for_small_counts(ten_people: None) -> None:
    rows = list(csv.DictReader(io.StringIO(run("--format", "csv"))))
    by_figure = {row["figure"]: row for row in rows}
    assert {row["group"] for row in rows} == {"peer"}
    assert by_figure["finished"]["value"] == "17"
    assert (by_figure["recovery"]["numerator"], by_figure["recovery"]["denominator"]) == ("6", "12")
    assert by_figure["recovery"]["value"] == "0.5000"
    assert by_figure["reliable_deterioration"]["value"] == "withheld"
    assert by_figure["reliable_deterioration"]["numerator"] == "fewer than 5"
    assert AuditEvent.objects.get(action=AuditAction.OUTCOMES_REPORT_READ).actor_label == "command line"


def test_json_and_pdf_to_files(ten_people: None, tmp_path: Path) -> None:
    data = json.loads(run("--format", "json", "--group-by", "service", "--from", "2026-01-01"))
    assert data["group_by"] == "service" and data["suppress_below"] == 5
    (group,) = data["groups"]
    assert group["key"] == "" and group["recovery"]["rate"] == pytest.approx(0.5)
    assert group["reliable_deterioration"] == {
        "numerator": {"value": None, "suppressed": True},
        "denominator": {"value": 17, "suppressed": False},
        "rate": None,
        "ci_low": None,
        "ci_high": None,
        "suppressed": True,
    }
    pdf = tmp_path / "report.pdf"
    run("--format", "pdf", "--output", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")


def test_bad_options_name_the_option() -> None:
    with pytest.raises(CommandError, match=r"^--from: must be a date"):
        run("--from", "yesterday")
    with pytest.raises(CommandError, match=r"^--output: "):
        run("--format", "pdf")


# --- demo data ----------------------------------------------------------------------------------


def test_demo_outcomes_fill_every_pathway_with_real_figures(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("demo-outcomes", "--episodes", "300", "--seed", "1", stdout=out)
    call_command("demo-outcomes", "--if-empty", stdout=out)
    assert Episode.objects.count() == 300
    report = read_outcomes_report(actor=None, query=ReportQuery(), channel="test")
    assert [g.key for g in report.figures.groups] == ["both", "peer", "professional"]
    for group in report.figures.groups:
        for figure in (
            group.recovery,
            group.reliable_improvement,
            group.reliable_recovery,
            group.dropped_out,
        ):
            assert figure.rate.value is not None, (group.key, figure)
        assert group.waiting.median_days is not None and group.cost_per_recovered.per_recovered is not None
    # A few deteriorate: shown as a figure in at least one group, withheld or not elsewhere.
    assert any(g.reliable_deterioration.numerator.value for g in report.figures.groups)


def test_demo_outcomes_are_the_same_for_the_same_seed_and_day() -> None:
    from carepath.demo.outcomes_generator import demo_episodes

    today = dt.date(2026, 11, 1)
    assert demo_episodes(50, 7, today) == demo_episodes(50, 7, today)
    assert demo_episodes(50, 7, today) != demo_episodes(50, 8, today)
