"""Episodes of support against a real database: services, audit, measure series, policy, reminders."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import hypothesis
import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from hypothesis import strategies as st

from carepath import policy
from carepath.audit.models import AuditAction, AuditEvent
from carepath.directory.models import Service
from carepath.errors import FieldProblem, NotPermitted
from carepath.outcomes import selectors, services
from carepath.outcomes.models import Episode, Pathway
from carepath.screening.models import Assessment
from carepath_core.outcomes import Change

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 31)
NOW = dt.datetime(2026, 3, 31, 12, 0, tzinfo=dt.UTC)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def keep(person: Any, instrument: str, total: int, when: dt.datetime) -> Assessment:
    """A stored check-in; only the total matters to the series (the band is re-read from the definition)."""
    return Assessment.objects.create(
        person=person,
        instrument=instrument,
        instrument_version="1",
        answers={},
        total=total,
        band_index=0,
        band_label="stored",
        completed_at=when,
    )


def start(person: Any, **extra: Any) -> Episode:
    values = {"pathway": "peer", "started_on": dt.date(2026, 1, 5), "today": TODAY, **extra}
    return services.start_episode(person=person, **values)


def events(action: AuditAction) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


# --- services and audit ----------------------------------------------------------------------


def test_starting_an_episode_stores_it_and_audits_it(personas: dict[str, Any]) -> None:
    seeker = personas["help_seeker"]
    episode = start(seeker, pathway="both", requested_on=dt.date(2025, 12, 20))
    assert (episode.pathway, episode.sessions_attended, episode.ended_on) == (Pathway.BOTH, 0, None)
    assert episode.requested_on == dt.date(2025, 12, 20) and episode.first_contact_on is None
    (event,) = events(AuditAction.EPISODE_STARTED)
    assert (event.actor, event.subject_type, event.subject_id) == (seeker, "episode", str(episode.pk))
    assert event.details["pathway"] == "both"


def test_an_episode_can_name_a_directory_service(personas: dict[str, Any]) -> None:
    service = Service.objects.create(name="Harbour peer group", status="active")
    episode = start(personas["help_seeker"], service_id=f"  {service.pk} ")
    assert episode.service == service
    service.delete()
    episode.refresh_from_db()
    assert episode.service is None  # the listing went; the episode stays


@pytest.mark.parametrize(
    ("change", "field", "problem"),
    [
        ({"pathway": "friends"}, "pathway", "must be one of peer, professional, both"),
        ({"started_on": TODAY + dt.timedelta(days=1)}, "started_on", "cannot be in the future"),
        ({"requested_on": TODAY + dt.timedelta(days=1)}, "requested_on", "cannot be in the future"),
        ({"requested_on": dt.date(2026, 1, 6)}, "requested_on", "cannot be after the start date"),
        (
            {"service_id": "no-such-service"},
            "service",
            "no service in the directory has the id 'no-such-service'",
        ),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(
    personas: dict[str, Any], change: dict[str, Any], field: str, problem: str
) -> None:
    with pytest.raises(FieldProblem) as refusal:
        start(personas["help_seeker"], **change)
    assert (refusal.value.field, refusal.value.problem) == (field, problem)
    assert not Episode.objects.exists() and not AuditEvent.objects.exists()


def test_recording_sessions_counts_them_and_sets_first_contact_once(personas: dict[str, Any]) -> None:
    seeker = personas["help_seeker"]
    episode = start(seeker)
    services.record_session(actor=seeker, episode=episode, today=dt.date(2026, 1, 12))
    services.record_session(actor=seeker, episode=episode, today=dt.date(2026, 1, 19))
    episode.refresh_from_db()
    assert episode.sessions_attended == 2
    assert episode.first_contact_on == dt.date(2026, 1, 12)
    assert [e.details["sessions_attended"] for e in events(AuditAction.EPISODE_SESSION_RECORDED)] == [2, 1]


def test_ending_an_episode_checks_the_date_and_is_audited(personas: dict[str, Any]) -> None:
    seeker = personas["help_seeker"]
    episode = start(seeker)
    with pytest.raises(FieldProblem) as before_start:
        services.end_episode(actor=seeker, episode=episode, ended_on=dt.date(2026, 1, 4), today=TODAY)
    assert before_start.value.field == "ended_on" and "before the start" in before_start.value.problem
    with pytest.raises(FieldProblem, match="ended_on: cannot be in the future"):
        services.end_episode(
            actor=seeker, episode=episode, ended_on=TODAY + dt.timedelta(days=1), today=TODAY
        )
    assert not events(AuditAction.EPISODE_ENDED)

    services.end_episode(actor=seeker, episode=episode, ended_on=dt.date(2026, 3, 1), today=TODAY)
    episode.refresh_from_db()
    assert episode.ended_on == dt.date(2026, 3, 1) and not episode.is_open
    assert len(events(AuditAction.EPISODE_ENDED)) == 1
    with pytest.raises(FieldProblem, match="ended_on: this episode has already ended"):
        services.end_episode(actor=seeker, episode=episode, ended_on=dt.date(2026, 3, 2), today=TODAY)
    with pytest.raises(FieldProblem) as closed:
        services.record_session(actor=seeker, episode=episode)
    assert closed.value.field == "sessions_attended"


def test_the_database_refuses_an_end_before_the_start(personas: dict[str, Any]) -> None:
    episode = start(personas["help_seeker"])
    episode.ended_on = dt.date(2026, 1, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        episode.save()


# --- policy ----------------------------------------------------------------------------------


def test_only_the_owner_sees_or_changes_an_episode(personas: dict[str, Any]) -> None:
    episode = start(personas["help_seeker"])
    assert policy.can_view_episode(personas["help_seeker"], episode)
    assert policy.can_change_episode(personas["help_seeker"], episode)
    for name in ("other_help_seeker", "peer_supporter", "professional", "coordinator"):
        assert not policy.can_view_episode(personas[name], episode), name
        assert not policy.can_change_episode(personas[name], episode), name


def test_someone_elses_episode_is_refused_by_the_services(personas: dict[str, Any]) -> None:
    episode = start(personas["help_seeker"])
    other = personas["other_help_seeker"]
    with pytest.raises(NotPermitted):
        services.record_session(actor=other, episode=episode)
    with pytest.raises(NotPermitted):
        services.end_episode(actor=other, episode=episode, ended_on=TODAY)
    episode.refresh_from_db()
    assert (episode.sessions_attended, episode.ended_on) == (0, None)


def test_an_anonymous_visitor_cannot_start_an_episode() -> None:
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotPermitted):
        services.start_episode(person=AnonymousUser(), pathway="peer", started_on=TODAY)


def test_a_persons_episodes_are_their_own(personas: dict[str, Any]) -> None:
    mine = start(personas["help_seeker"])
    start(personas["other_help_seeker"])
    assert list(selectors.episodes_of(personas["help_seeker"])) == [mine]


# --- measure series --------------------------------------------------------------------------


def test_the_series_holds_the_check_ins_inside_the_episode_with_bands_caseness_and_reliable_marks(
    personas: dict[str, Any],
) -> None:
    seeker = personas["help_seeker"]
    episode = start(seeker)
    services.end_episode(actor=seeker, episode=episode, ended_on=dt.date(2026, 3, 1), today=TODAY)
    keep(seeker, "phq9", 25, at(dt.date(2026, 1, 4), 23))  # the evening before: not in the episode
    keep(seeker, "phq9", 18, at(dt.date(2026, 1, 5), 0))  # the first minute of the start day
    keep(seeker, "phq9", 14, at(dt.date(2026, 1, 20)))
    keep(seeker, "phq9", 12, at(dt.date(2026, 2, 3)))  # a drop of 6 from 18: reliable
    keep(seeker, "phq9", 9, at(dt.date(2026, 3, 1), 23))  # the last day counts
    keep(seeker, "phq9", 2, at(dt.date(2026, 3, 2)))  # after the end: not in the episode
    keep(personas["other_help_seeker"], "phq9", 27, at(dt.date(2026, 2, 1)))

    (phq9,) = selectors.measure_series(episode)  # no GAD-7 stored, so no GAD-7 series
    assert phq9.instrument.code == "phq9" and phq9.rule.reliable_change == 6
    assert [(p.completed_at.date().isoformat(), p.total) for p in phq9.points] == [
        ("2026-01-05", 18),
        ("2026-01-20", 14),
        ("2026-02-03", 12),
        ("2026-03-01", 9),
    ]
    assert [p.band.label for p in phq9.points] == ["Moderately severe", "Moderate", "Moderate", "Mild"]
    assert [p.at_caseness for p in phq9.points] == [True, True, True, False]
    assert [p.change_from_first for p in phq9.points] == [0, -4, -6, -9]
    assert [p.change for p in phq9.points] == [Change.NONE, Change.NONE, Change.IMPROVED, Change.IMPROVED]
    assert [p.step_change for p in phq9.points] == [Change.NONE] * 4  # no single step moved 6


def test_gad7_uses_its_own_cut_off_and_reliable_change_size(personas: dict[str, Any]) -> None:
    seeker = personas["help_seeker"]
    episode = start(seeker)
    for day, total in ((6, 7), (20, 8), (34, 11)):
        keep(seeker, "gad7", total, at(dt.date(2026, 1, 1) + dt.timedelta(days=day)))
    (gad7,) = selectors.measure_series(episode)
    assert [p.at_caseness for p in gad7.points] == [False, True, True]  # GAD-7 caseness is 8, not 10
    assert [p.change for p in gad7.points] == [Change.NONE, Change.NONE, Change.DETERIORATED]  # +4


def test_the_episode_outcome_comes_from_the_talking_therapies_definitions(personas: dict[str, Any]) -> None:
    seeker = personas["help_seeker"]
    episode = start(seeker)
    keep(seeker, "phq9", 18, at(dt.date(2026, 1, 6)))
    keep(seeker, "gad7", 14, at(dt.date(2026, 1, 6)))
    series = selectors.measure_series(episode)
    assert selectors.episode_outcome(episode, series) is None  # one score each: nothing to compare yet

    keep(seeker, "phq9", 6, at(dt.date(2026, 3, 1)))
    keep(seeker, "gad7", 5, at(dt.date(2026, 3, 1)))
    for _ in range(2):
        services.record_session(actor=seeker, episode=episode)
    episode.refresh_from_db()
    series = selectors.measure_series(episode)
    assert [s.instrument.code for s in series] == ["phq9", "gad7"]
    outcome = selectors.episode_outcome(episode, series)
    assert outcome is not None
    assert outcome.finished and outcome.recovered and outcome.reliable_recovery
    assert not outcome.reliable_deterioration


# --- reminders -------------------------------------------------------------------------------


def remind(*args: str) -> str:
    out = io.StringIO()
    call_command("outcomes", "remind-due", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def due_people(make_account: Any) -> dict[str, Any]:
    """Four people with open episodes: two due (one without email), one recent, one too new."""
    people = {
        "due": make_account("due", email="due@example.org"),
        "no_email": make_account("no-email"),
        "checked_in": make_account("checked-in", email="checked@example.org"),
        "new": make_account("new", email="new@example.org"),
    }
    today = timezone.localdate()
    for name, person in people.items():
        began = today - dt.timedelta(days=3 if name == "new" else 40)
        services.start_episode(person=person, pathway="peer", started_on=began)
    two_episodes = services.start_episode(
        person=people["due"], pathway="professional", started_on=today - dt.timedelta(days=30)
    )
    assert two_episodes.pk
    keep(people["due"], "phq9", 12, at(today - dt.timedelta(days=20)))
    keep(people["checked_in"], "phq9", 12, at(today - dt.timedelta(days=2)))
    ended = services.start_episode(
        person=people["checked_in"], pathway="both", started_on=today - dt.timedelta(days=90)
    )
    services.end_episode(actor=people["checked_in"], episode=ended, ended_on=today - dt.timedelta(days=60))
    return people


def test_remind_due_emails_each_due_person_once_and_not_again_the_next_day(
    due_people: dict[str, Any],
) -> None:
    out = remind()
    assert out.strip() == (
        "3 open episodes without a check-in for 14 days; emailed 1 people; 1 have no email address."
    )
    (sent,) = mail.outbox
    assert sent.to == ["due@example.org"]
    assert "check-in" in sent.body and "PHQ" not in sent.body  # nothing about scores in a mailbox
    assert len(events(AuditAction.CHECK_IN_REMINDER_SENT)) == 2  # both of that person's episodes
    assert Episode.objects.filter(person=due_people["due"], reminded_at__isnull=False).count() == 2

    assert "emailed 0 people" in remind()  # run again by cron: nothing new to send
    assert len(mail.outbox) == 1


def test_remind_due_dry_run_sends_nothing_and_changes_nothing(due_people: dict[str, Any]) -> None:
    out = remind("--dry-run")
    assert "would email 1 people" in out
    assert not mail.outbox and not events(AuditAction.CHECK_IN_REMINDER_SENT)
    assert not Episode.objects.filter(reminded_at__isnull=False).exists()


def test_remind_due_takes_the_number_of_days(due_people: dict[str, Any], settings: Any) -> None:
    assert remind("--days", "50", "--dry-run").startswith("0 open episodes without a check-in for 50 days")
    settings.CAREPATH_CHECKIN_DAYS = 1
    assert remind("--dry-run").startswith("5 open episodes without a check-in for 1 days")
    with pytest.raises(CommandError, match="--days: must be a whole number of at least 1"):
        remind("--days", "0")


@hypothesis.settings(max_examples=60, deadline=None)
@hypothesis.given(st.lists(st.integers(min_value=0, max_value=27), min_size=1, max_size=12))
def test_every_point_is_marked_reliable_exactly_when_it_is_6_or_more_from_the_first(
    totals: list[int],
) -> None:
    from carepath.screening.selectors import instrument_registry

    rules = selectors.talking_therapies_rules()
    moments = [NOW + dt.timedelta(days=7 * index) for index in range(len(totals))]
    series = selectors.series_of(
        instrument_registry()["phq9"], rules.depression, list(zip(moments, totals, strict=True))
    )
    for point in series.points:
        difference = point.total - totals[0]
        assert point.change_from_first == difference
        assert point.is_reliable_change == (abs(difference) >= 6)
        assert (point.change is Change.IMPROVED) == (difference <= -6)
        assert point.band.min <= point.total <= point.band.max
        assert point.at_caseness == (point.total >= 10)
