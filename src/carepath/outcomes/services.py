"""Changing episodes of support: start one, count a session, end it. Each change is audited, and the
episode's report row rewritten, in its own transaction; a refused change stores nothing and names
the field at fault."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext

from carepath import policy
from carepath.audit.models import AuditAction
from carepath.audit.services import record_event, record_read
from carepath.directory.models import Service
from carepath.errors import FieldProblem, NotPermitted
from carepath.outcomes import selectors
from carepath.outcomes.models import Episode, Pathway
from carepath.outcomes.report_rows import refresh_person_report_rows


def start_episode(
    *,
    person: Any,
    pathway: str,
    started_on: dt.date,
    service_id: str | None = None,
    requested_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Episode:
    if not policy.can_keep_episodes(person):
        raise NotPermitted("log in to keep a record of your support")
    today = today or timezone.localdate()
    if pathway not in Pathway.values:
        raise FieldProblem("pathway", f"must be one of {', '.join(Pathway.values)}")
    _check_not_future("started_on", started_on, today)
    if requested_on is not None:
        _check_not_future("requested_on", requested_on, today)
        if requested_on > started_on:
            raise FieldProblem("requested_on", "cannot be after the start date")
    service = _service(service_id)
    with transaction.atomic():
        episode = Episode.objects.create(
            person=person,
            pathway=pathway,
            service=service,
            started_on=started_on,
            requested_on=requested_on,
        )
        # Check-ins kept before the episode was recorded may already fall inside its dates.
        refresh_person_report_rows(person.pk)
        record_event(
            actor=person,
            action=AuditAction.EPISODE_STARTED,
            subject_type="episode",
            subject_id=episode.pk,
            details={"pathway": pathway, "started_on": started_on.isoformat(), "service": service_id or ""},
        )
    return episode


def record_session(*, actor: Any, episode: Episode, today: dt.date | None = None) -> Episode:
    """One more attended session. The first one also counts as first contact if none is known."""
    _check_may_change(actor, episode)
    if not episode.is_open:
        raise FieldProblem("sessions_attended", "this episode has ended, so no more sessions can be added")
    today = today or timezone.localdate()
    with transaction.atomic():
        # An UPDATE with F() so two quick submissions both count, whatever the row held before.
        Episode.objects.filter(pk=episode.pk).update(sessions_attended=F("sessions_attended") + 1)
        Episode.objects.filter(pk=episode.pk, first_contact_on__isnull=True).update(first_contact_on=today)
        episode.refresh_from_db()
        refresh_person_report_rows(episode.person_id)
        record_event(
            actor=actor,
            action=AuditAction.EPISODE_SESSION_RECORDED,
            subject_type="episode",
            subject_id=episode.pk,
            details={"sessions_attended": episode.sessions_attended},
        )
    return episode


def end_episode(*, actor: Any, episode: Episode, ended_on: dt.date, today: dt.date | None = None) -> Episode:
    _check_may_change(actor, episode)
    if not episode.is_open:
        raise FieldProblem("ended_on", "this episode has already ended")
    _check_not_future("ended_on", ended_on, today or timezone.localdate())
    if ended_on < episode.started_on:
        raise FieldProblem("ended_on", "cannot be before the start date")
    with transaction.atomic():
        episode.ended_on = ended_on
        episode.save(update_fields=["ended_on", "updated_at"])
        refresh_person_report_rows(episode.person_id)
        record_event(
            actor=actor,
            action=AuditAction.EPISODE_ENDED,
            subject_type="episode",
            subject_id=episode.pk,
            details={"ended_on": ended_on.isoformat(), "sessions_attended": episode.sessions_attended},
        )
    return episode


def _check_may_change(actor: Any, episode: Episode) -> None:
    if not policy.can_change_episode(actor, episode):
        raise NotPermitted("this episode is not yours to change")


def _check_not_future(field: str, day: dt.date, today: dt.date) -> None:
    if day > today:
        raise FieldProblem(field, "cannot be in the future")


def _service(service_id: str | None) -> Service | None:
    wanted = (service_id or "").strip()
    if not wanted:
        return None
    service = Service.objects.filter(pk=wanted).first()
    if service is None:
        raise FieldProblem("service", f"no service in the directory has the id '{wanted}'")
    return service


# --- Episodes that follow a referral (docs/matching.md, "Referrals open and close episodes") ----
# The referral service calls these inside its own transaction, once its policy has allowed the
# move, so an episode starts when a relationship becomes active and ends when it ends, audited
# beside the move. The actor is whoever moved the referral, not necessarily the person.


def start_referral_episode(
    *,
    actor: Any,
    person: Any,
    pathway: str,
    started_on: dt.date,
    requested_on: dt.date | None,
    service: Service | None,
    referral_id: int,
) -> Episode:
    with transaction.atomic():
        episode = Episode.objects.create(
            person=person, pathway=pathway, service=service, started_on=started_on, requested_on=requested_on
        )
        refresh_person_report_rows(person.pk)
        record_event(
            actor=actor,
            action=AuditAction.EPISODE_STARTED,
            subject_type="episode",
            subject_id=episode.pk,
            details={
                "pathway": pathway,
                "started_on": started_on.isoformat(),
                "service": service.pk if service is not None else "",
                "referral": referral_id,
            },
        )
    return episode


def end_referral_episode(*, actor: Any, episode: Episode, ended_on: dt.date, referral_id: int) -> Episode:
    """End the episode with its relationship; one the person already ended is left as it is."""
    if not episode.is_open:
        return episode
    with transaction.atomic():
        episode.ended_on = max(ended_on, episode.started_on)
        episode.save(update_fields=["ended_on", "updated_at"])
        refresh_person_report_rows(episode.person_id)
        record_event(
            actor=actor,
            action=AuditAction.EPISODE_ENDED,
            subject_type="episode",
            subject_id=episode.pk,
            details={
                "ended_on": episode.ended_on.isoformat(),
                "sessions_attended": episode.sessions_attended,
                "referral": referral_id,
            },
        )
    return episode


# --- Check-in reminders ------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderRun:
    due_episodes: int
    emailed_people: int
    without_email: int


def send_check_in_reminders(
    *, days: int, now: dt.datetime | None = None, dry_run: bool = False
) -> ReminderRun:
    """Email each person with an open episode whose last check-in is older than `days` days.

    One email per person however many episodes are due. There is no in-app notice yet, so a
    person without an email address is counted and left alone. The email says nothing about
    scores or support: mailboxes are often shared.
    """
    now = now or timezone.now()
    due = list(selectors.episodes_due_for_check_in(days=days, now=now))
    by_person: dict[int, list[Episode]] = {}
    for episode in due:
        by_person.setdefault(episode.person_id, []).append(episode)
    reachable = {pk: found for pk, found in by_person.items() if found[0].person.email}
    if not dry_run:
        for episodes in reachable.values():
            _remind(episodes, now)
    return ReminderRun(
        due_episodes=len(due), emailed_people=len(reachable), without_email=len(by_person) - len(reachable)
    )


def _remind(episodes: list[Episode], now: dt.datetime) -> None:
    person = episodes[0].person
    send_mail(
        subject=gettext("A check-in from Carepath"),
        message=render_to_string("outcomes/reminder_email.txt", {"name": person.shown_name}),
        from_email=None,
        recipient_list=[person.email],
    )
    # Marked only after the mail went, so a failed send is tried again on the next run.
    with transaction.atomic():
        Episode.objects.filter(pk__in=[e.pk for e in episodes]).update(reminded_at=now)
        for episode in episodes:
            record_event(
                actor=None,
                actor_label="system",
                action=AuditAction.CHECK_IN_REMINDER_SENT,
                subject_type="episode",
                subject_id=episode.pk,
            )


def record_episode_read(*, actor: Any, episode: Episode, measures: int) -> None:
    """The episode page showed its check-in scores to `actor` (policy has allowed it)."""
    record_read(
        actor=actor,
        action=AuditAction.EPISODE_VIEWED,
        subject_type="episode",
        subject_id=episode.pk,
        details={"measures": measures},
    )
