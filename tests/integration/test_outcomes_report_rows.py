"""The programme report from report rows against the report as it was computed before (on SQLite
and PostgreSQL): random demo programmes, random episodes and deletions (hypothesis), and every route
that changes an episode or a check-in keeping the rows equal to what a fresh rebuild would write."""

from __future__ import annotations

import datetime as dt
import io
import logging
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from carepath.accounts.models import User
from carepath.directory.models import Organization, Service
from carepath.outcomes import services
from carepath.outcomes.models import Episode, EpisodeReportRow
from carepath.outcomes.report_query import ReportQuery
from carepath.outcomes.report_row_selectors import episodes_matching, row_tallies
from carepath.outcomes.report_rows import rebuild_report_rows
from carepath.outcomes.report_selectors import report_facts
from carepath.outcomes.report_services import read_outcomes_report
from carepath.outcomes.selectors import talking_therapies_rules
from carepath.screening.models import Assessment
from carepath.screening.services import save_assessment
from carepath_core.outcomes.report import GroupBy, ProgrammeReport
from tests.outcomes_report_before import programme_report_before

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 1)
ROW_FIELDS = [f.attname for f in EpisodeReportRow._meta.concrete_fields]


def report_before(query: ReportQuery, threshold: int) -> ProgrammeReport:
    """Every episode's check-ins read with correlated subqueries, counted by the old loop."""
    rules = talking_therapies_rules()
    return programme_report_before(
        report_facts(query), group_by=query.group_by, rules=rules, threshold=threshold
    )


def report_now(query: ReportQuery) -> ProgrammeReport:
    return read_outcomes_report(actor=None, query=query, channel="test").figures


def assert_same_reports(
    configured: Any, queries: list[ReportQuery], thresholds: tuple[int, ...] = (1, 5)
) -> None:
    """`configured`: pytest-django's `settings`, which puts the threshold back after the test."""
    for threshold in thresholds:
        configured.CAREPATH_SUPPRESS_BELOW = threshold
        for query in queries:
            assert report_now(query) == report_before(query, threshold), (query, threshold)


def assert_rows_only(queries: list[ReportQuery]) -> None:
    """The report needed nothing but the rows: every matching episode had a current one."""
    for query in queries:
        assert row_tallies(query)[1] == episodes_matching(query), query


def stored_rows() -> list[tuple[Any, ...]]:
    return sorted(EpisodeReportRow.objects.values_list(*ROW_FIELDS))


def assert_rows_current() -> None:
    """Each episode has one row, equal to what rewriting it from scratch gives."""
    kept = stored_rows()
    assert len(kept) == Episode.objects.count()
    rebuild_report_rows(everything=True)
    assert stored_rows() == kept


def check_in(
    person_id: int, code: str, total: int, when: dt.datetime, pk: uuid.UUID | None = None
) -> Assessment:
    return Assessment(
        id=pk or uuid.uuid4(),
        person_id=person_id,
        instrument=code,
        instrument_version="1",
        answers={},
        total=total,
        band_index=0,
        band_label="stored",
        completed_at=when,
    )


@pytest.fixture
def places() -> dict[str, Any]:
    harbour = Organization.objects.create(name="Harbour", description="")
    river = Organization.objects.create(name="River", description="")
    found = {
        "harbour": harbour,
        "river": river,
        "services": [
            Service.objects.create(name="Harbour group", status="active", organization=harbour),
            Service.objects.create(name="Harbour one-to-one", status="active", organization=harbour),
            Service.objects.create(name="River clinic", status="active", organization=river),
            Service.objects.create(name="No organisation", status="active"),
        ],
    }
    return found


def queries_for(places: dict[str, Any]) -> list[ReportQuery]:
    service = places["services"][0].pk
    filters: list[dict[str, Any]] = [
        {},
        {"date_from": TODAY - dt.timedelta(days=200)},
        {"date_to": TODAY - dt.timedelta(days=100)},
        {"date_from": TODAY - dt.timedelta(days=150), "date_to": TODAY - dt.timedelta(days=60)},
        {"service_id": service},
        {"organisation_id": places["harbour"].pk},
        {"pathway": "both"},
        {"organisation_id": places["river"].pk, "pathway": "professional"},
    ]
    return [ReportQuery(group_by=group, **values) for values in filters for group in GroupBy]


# --- random demo programmes ----------------------------------------------------------------------


def load_random_programme(seed: int, count: int, services_: list[Service]) -> None:
    """The demo's episodes plus what demo data never has: people with two episodes, check-ins the
    day before and after, two check-ins at the same instant, other questionnaires, costs in cents,
    a first contact dated before the request, episodes without a service. Written with plain ORM
    calls, past the services, then given rows by a rebuild (what `migrate` does)."""
    import random

    from carepath.demo.outcomes_generator import demo_episodes

    rng = random.Random(seed)
    people = User.objects.bulk_create(User(username=f"r{seed}-{n}", role="help_seeker") for n in range(count))
    episodes, check_ins = [], []
    for item, person in zip(demo_episodes(count, seed, TODAY), people, strict=True):
        service = rng.choice([*services_, None])
        requested = item.requested_on + dt.timedelta(
            days=rng.choice([0, 0, 0, 40])
        )  # sometimes after contact
        cost = None if item.cost is None else Decimal(item.cost) + Decimal(rng.randint(0, 99)).scaleb(-2)
        episodes.append(
            Episode(
                person=person,
                pathway=item.pathway,
                service=service,
                started_on=item.started_on,
                ended_on=item.ended_on,
                sessions_attended=item.sessions_attended,
                requested_on=requested if rng.random() < 0.9 else None,
                first_contact_on=item.first_contact_on,
                cost=cost,
            )
        )
        for point in item.check_ins:
            at = dt.datetime.combine(point.day, dt.time(rng.choice([0, 12, 23])), tzinfo=dt.UTC)
            check_ins.append(check_in(person.pk, point.instrument, point.total, at))
        extra_day = rng.choice(
            [item.started_on - dt.timedelta(days=1), (item.ended_on or TODAY) + dt.timedelta(days=1)]
        )
        check_ins.append(
            check_in(
                person.pk,
                "phq9",
                rng.randint(0, 27),
                dt.datetime.combine(extra_day, dt.time(12), tzinfo=dt.UTC),
            )
        )
        check_ins.append(
            check_in(
                person.pk,
                "who5",
                rng.randint(0, 25),
                dt.datetime.combine(item.started_on, dt.time(9), tzinfo=dt.UTC),
            )
        )
        if rng.random() < 0.2:  # a tie: the same instant as the last GAD-7, broken by id
            last = [c for c in item.check_ins if c.instrument == "gad7"][-1]
            at = dt.datetime.combine(last.day, dt.time(12), tzinfo=dt.UTC)
            check_ins.append(check_in(person.pk, "gad7", rng.randint(0, 21), at))
        if rng.random() < 0.15 and item.ended_on is not None:  # a second, later episode
            episodes.append(
                Episode(
                    person=person,
                    pathway=rng.choice(["peer", "professional", "both"]),
                    service=service,
                    started_on=item.ended_on,
                    ended_on=min(TODAY, item.ended_on + dt.timedelta(days=rng.randint(0, 30))),
                    sessions_attended=rng.randint(0, 4),
                )
            )
    Episode.objects.bulk_create(episodes)
    Assessment.objects.bulk_create(check_ins)
    rebuild_report_rows()


@pytest.mark.parametrize("seed", [1, 2])
def test_rows_give_the_report_before_on_random_demo_programmes(
    seed: int, places: dict[str, Any], settings: Any
) -> None:
    load_random_programme(seed, 300, places["services"])
    queries = queries_for(places)
    assert_rows_only(queries)
    assert_same_reports(settings, queries)
    assert report_now(ReportQuery()).groups, "the programme has figures to compare"


# --- random episodes and deletions (hypothesis) --------------------------------------------------

# Dense on purpose: two people, episodes within a few weeks of each other, check-ins around them, so
# most examples have courses with a first and a last score that a deletion can change.
episode_st = st.fixed_dictionaries(
    {
        "person": st.integers(0, 1),
        "pathway": st.sampled_from(["peer", "professional", "both"]),
        "service": st.integers(0, 4),
        "start": st.integers(0, 30),
        "length": st.none() | st.integers(0, 30) | st.integers(0, 30),
        "sessions": st.integers(0, 5),
        "requested": st.none() | st.integers(-5, 5),
        "cost": st.none() | st.integers(0, 100_000),
    }
)
check_in_st = st.fixed_dictionaries(
    {
        "person": st.integers(0, 1),
        "instrument": st.sampled_from(["phq9", "gad7", "phq9", "gad7", "who5"]),
        "day": st.integers(-2, 62),
        "second": st.sampled_from([0, 1, 43_200, 86_399]),  # midnight, just after, noon, the last second
        "total": st.integers(0, 21),
        "id": st.integers(1, 2**64),
    }
)
START = dt.date(2026, 1, 1)


def write_random(
    episodes: list[dict[str, Any]], check_ins: list[dict[str, Any]], services_: list[Any]
) -> None:
    people = [User.objects.create(username=f"h{n}", role="help_seeker") for n in range(2)]
    for e in episodes:
        started = START + dt.timedelta(days=e["start"])
        Episode.objects.create(
            person=people[e["person"]],
            pathway=e["pathway"],
            service=services_[e["service"]] if e["service"] < len(services_) else None,
            started_on=started,
            ended_on=None if e["length"] is None else started + dt.timedelta(days=e["length"]),
            sessions_attended=e["sessions"],
            requested_on=None if e["requested"] is None else started - dt.timedelta(days=e["requested"]),
            first_contact_on=started,
            cost=None if e["cost"] is None else Decimal(e["cost"]).scaleb(-2),
        )
    for c in check_ins:
        when = dt.datetime.combine(START, dt.time(), tzinfo=dt.UTC) + dt.timedelta(
            days=c["day"], seconds=c["second"]
        )
        check_in(people[c["person"]].pk, c["instrument"], c["total"], when, uuid.UUID(int=c["id"])).save()


@hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(episode_st, min_size=1, max_size=8),
    st.lists(check_in_st, min_size=4, max_size=24, unique_by=lambda c: c["id"]),
    st.data(),
)
def test_random_episodes_and_deletions_give_the_report_before(
    places: dict[str, Any],
    settings: Any,
    episodes: list[dict[str, Any]],
    check_ins: list[dict[str, Any]],
    data: Any,
) -> None:
    Episode.objects.all().delete()
    Assessment.objects.all().delete()
    User.objects.filter(username__startswith="h").delete()
    write_random(episodes, check_ins, places["services"])
    rebuild_report_rows()
    queries = [ReportQuery(group_by=group) for group in GroupBy] + [
        ReportQuery(organisation_id=places["harbour"].pk),
        ReportQuery(date_from=START + dt.timedelta(days=30), group_by=GroupBy.SERVICE),
    ]
    assert_rows_only(queries)
    assert_same_reports(settings, queries, thresholds=(1,))
    # Deleting check-ins, one by one or a queryset at a time, rewrites the rows through the signal.
    kept = list(Assessment.objects.order_by("id").values_list("id", flat=True))
    gone = data.draw(st.lists(st.sampled_from(kept), min_size=1, max_size=6, unique=True))
    if gone:
        Assessment.objects.get(pk=gone[0]).delete()
        Assessment.objects.filter(pk__in=gone[1:]).delete()
    assert_rows_only(queries)
    assert_same_reports(settings, queries, thresholds=(1,))
    assert_rows_current()


# --- every route that changes an episode or a check-in ---------------------------------------------


def answers(code: str, each: int) -> dict[str, int]:
    items = 9 if code == "phq9" else 7
    return {f"{code}_{i}": each for i in range(1, items + 1)} | ({"phq9_9": 0} if code == "phq9" else {})


def test_the_services_keep_rows_right_through_an_episodes_life(
    personas: dict[str, Any], places: dict[str, Any], settings: Any
) -> None:
    person = personas["help_seeker"]
    today = dt.date.today()
    save_assessment(person=person, instrument_code="phq9", answers=answers("phq9", 2))  # before the episode
    episode = services.start_episode(
        person=person, pathway="both", started_on=today, service_id=places["services"][2].pk
    )
    row = EpisodeReportRow.objects.get(episode=episode)  # written with the episode
    assert (row.pathway, row.service_id, row.ended_on, row.started) == (
        "both",
        places["services"][2].pk,
        None,
        False,
    )
    save_assessment(person=person, instrument_code="gad7", answers=answers("gad7", 2))
    for _ in range(3):
        services.record_session(actor=person, episode=episode, today=today)
    save_assessment(person=person, instrument_code="phq9", answers=answers("phq9", 0))
    save_assessment(person=person, instrument_code="gad7", answers=answers("gad7", 0))
    assert_rows_current()
    services.end_episode(actor=person, episode=episode, ended_on=today, today=today)
    row.refresh_from_db()
    assert (row.depression_first, row.depression_last, row.anxiety_first, row.anxiety_last) == (16, 0, 14, 0)
    assert (row.ended_on, row.sessions_attended, row.finished, row.recovered) == (today, 3, True, True)
    assert_rows_current()
    queries = [ReportQuery(group_by=group) for group in GroupBy]
    assert_rows_only(queries)
    assert_same_reports(settings, queries, thresholds=(1,))


def test_deleting_a_check_in_a_service_an_episode_or_a_person_keeps_rows_right(
    make_account: Any, places: dict[str, Any], settings: Any
) -> None:
    people = [make_account(f"d{n}") for n in range(3)]
    service = places["services"][0]
    for person in people:
        Episode.objects.create(
            person=person,
            pathway="peer",
            service=service,
            started_on=START,
            ended_on=START + dt.timedelta(days=40),
            sessions_attended=4,
        )
        for code, first, last in (("phq9", 18, 4), ("gad7", 14, 3)):
            check_in(person.pk, code, first, dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)).save()
            check_in(person.pk, code, last, dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC)).save()
    rebuild_report_rows()
    queries = [ReportQuery(group_by=group) for group in GroupBy] + [ReportQuery(service_id=service.pk)]
    assert EpisodeReportRow.objects.filter(recovered=True).count() == 3

    Assessment.objects.filter(person=people[0], instrument="phq9").order_by("completed_at").last().delete()
    assert EpisodeReportRow.objects.get(episode__person=people[0]).depression_last is None
    Assessment.objects.filter(person=people[1], total=3).delete()  # a queryset delete
    assert EpisodeReportRow.objects.get(episode__person=people[1]).anxiety_last is None
    assert_rows_current()

    service.delete()  # the listing goes; the episodes and rows stay, without it
    assert not EpisodeReportRow.objects.filter(service__isnull=False).exists()
    Episode.objects.filter(person=people[2]).delete()
    people[1].delete()  # a person and everything of theirs
    assert EpisodeReportRow.objects.count() == Episode.objects.count() == 1
    assert_rows_current()
    assert_rows_only(queries[:2])
    assert_same_reports(settings, queries[:2], thresholds=(1,))


def test_demo_outcomes_come_with_their_rows(settings: Any) -> None:
    call_command("demo-outcomes", "--episodes", "120", "--seed", "3", stdout=io.StringIO())
    assert EpisodeReportRow.objects.count() == Episode.objects.count() == 120
    queries = [ReportQuery(group_by=group) for group in GroupBy]
    assert_rows_only(queries)
    assert_same_reports(settings, queries)
    assert_rows_current()


def test_missing_or_outdated_rows_are_worked_out_from_check_ins_and_rewritten_by_migrate_and_the_command(
    places: dict[str, Any], settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    load_random_programme(5, 60, places["services"])
    EpisodeReportRow.objects.all().delete()  # a database from before rows existed
    queries = queries_for(places)
    with caplog.at_level(logging.WARNING, logger="carepath.outcomes.report_services"):
        assert_same_reports(settings, queries, thresholds=(1,))
    assert "have no current report row" in caplog.text
    call_command("migrate", verbosity=0)
    assert_rows_only(queries)
    # A release that changes a definition: rows of the old one are not trusted, then rewritten.
    EpisodeReportRow.objects.filter(episode_id__in=Episode.objects.order_by("pk")[:20]).update(
        definitions="older", recovered=True, finished=True
    )
    assert_same_reports(settings, queries, thresholds=(1,))
    out = io.StringIO()
    call_command("outcomes", "rebuild-report-rows", stdout=out)
    assert out.getvalue().strip() == "20 episodes' report rows written."
    assert_rows_only(queries)
    assert_same_reports(settings, queries, thresholds=(1,))
    call_command("outcomes", "rebuild-report-rows", "--all", stdout=out)
    assert_rows_current()
