"""Keeping each episode's report row (`EpisodeReportRow`) equal to what the report would work out.

A row is written from the same facts the report used to read for every episode on every request
(`report_selectors.episode_facts`), with the counts the core decides from them. Whatever changes an
episode or a check-in that falls inside one rewrites the rows it touches, in the same transaction:

- starting, ending, or adding a session to an episode (`outcomes.services`);
- keeping a check-in (`screening.services.save_assessment`, through `check_in_changed`);
- deleting a check-in, by any route (`outcomes.signals`, on `post_delete`): `update_only`, because
  the check-in may be going with its person, whose episodes and rows are being deleted too;
- loading demo episodes (`demo.services.load_demo_outcomes`);
- importing episodes' costs (`outcomes.cost_import.set_episode_costs`, through `lock_episode_people`);
- `migrate` and `carepath outcomes rebuild-report-rows`, for rows missing or written by other
  definitions (an upgraded database, a release that changes a definition).

Deleting an episode deletes its row (CASCADE); deleting a service empties both links (SET_NULL).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from carepath.accounts.models import User
from carepath.errors import ApplicationError
from carepath.outcomes import report_selectors
from carepath.outcomes.models import Episode, EpisodeReportRow
from carepath.outcomes.report_row_selectors import FLAGS, definitions_version, episodes_without_current_row
from carepath.outcomes.selectors import talking_therapies_rules
from carepath_core.outcomes.report_tally import EpisodeCounts, EpisodeFacts, OutcomeCache, episode_counts

_CHUNK = 2000  # episodes per round: read their facts, write their rows
_WRITTEN = (
    "pathway",
    "service_id",
    "ended_on",
    "sessions_attended",
    "depression_first",
    "depression_last",
    "anxiety_first",
    "anxiety_last",
    *FLAGS,
    "wait_days",
    "cost_cents",
    "definitions",
)


def check_in_changed(*, person_id: Any, instrument_code: str, update_only: bool = False) -> None:
    """A check-in was kept or deleted: rewrite its person's rows if the measure is one the report reads."""
    if instrument_code in {rule.code for rule in talking_therapies_rules().measures}:
        refresh_person_report_rows(person_id, update_only=update_only)


def refresh_person_report_rows(person_id: Any, *, update_only: bool = False) -> int:
    """Rewrite the rows of all of a person's episodes (a check-in can fall inside several)."""
    with transaction.atomic():
        _lock_people(User.objects.filter(pk=person_id))
        ids = list(Episode.objects.filter(person_id=person_id).values_list("pk", flat=True))
        return refresh_report_rows(ids, update_only=update_only)


def lock_episode_people(episode_ids: Iterable[int]) -> None:
    """Lock the people of these episodes before changing the episodes, as every writer does."""
    _lock_people(
        User.objects.filter(pk__in=Episode.objects.filter(pk__in=list(episode_ids)).values("person_id"))
    )


def _lock_people(people: QuerySet[Any]) -> None:
    """Every writer of a person's rows locks the person first, so two changes at once (a check-in
    and a new episode, say) take turns and the second one reads what the first one wrote. Needed on
    PostgreSQL; SQLite lets one writing transaction in at a time anyway."""
    list(people.select_for_update().order_by("pk").values_list("pk", flat=True))


def refresh_report_rows(episode_ids: Iterable[int], *, update_only: bool = False) -> int:
    """Rewrite the rows of these episodes; returns how many episodes were read."""
    wanted = list(episode_ids)
    done = 0
    for start in range(0, len(wanted), _CHUNK):
        done += _write(Episode.objects.filter(pk__in=wanted[start : start + _CHUNK]), update_only)
    return done


def rebuild_report_rows(*, everything: bool = False, progress: Callable[[int], None] | None = None) -> int:
    """Write the rows that are missing or from other definitions (all of them with `everything`),
    in rounds of episodes taken in id order so that memory stays flat at any size."""
    episodes = Episode.objects.all() if everything else episodes_without_current_row()
    done, after = 0, 0
    while True:
        ids = list(episodes.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:_CHUNK])
        if not ids:
            return done
        with transaction.atomic():
            _lock_people(User.objects.filter(pk__in=Episode.objects.filter(pk__in=ids).values("person_id")))
            done += _write(Episode.objects.filter(pk__in=ids), update_only=False)
        after = ids[-1]
        if progress is not None:
            progress(done)


def _write(episodes: QuerySet[Episode], update_only: bool) -> int:
    rules, version = talking_therapies_rules(), definitions_version()
    outcomes: OutcomeCache = {}
    rows = [
        _row(pk, ended_on, facts, episode_counts(facts, rules, outcomes), version)
        for pk, ended_on, facts in report_selectors.episode_facts(episodes)
    ]
    if update_only:
        # An UPDATE never brings back the row of an episode that is being deleted.
        EpisodeReportRow.objects.bulk_update(rows, _WRITTEN, batch_size=500)
    else:
        EpisodeReportRow.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["episode"], update_fields=_WRITTEN
        )
    return len(rows)


def _row(
    pk: int, ended_on: dt.date | None, facts: EpisodeFacts, counts: EpisodeCounts, version: str
) -> EpisodeReportRow:
    depression, anxiety = facts.depression, facts.anxiety
    return EpisodeReportRow(
        episode_id=pk,
        pathway=facts.pathway,
        service_id=facts.service_id,
        ended_on=ended_on,
        sessions_attended=facts.sessions_attended,
        depression_first=depression.first if depression else None,
        depression_last=depression.last if depression else None,
        anxiety_first=anxiety.first if anxiety else None,
        anxiety_last=anxiety.last if anxiety else None,
        **{flag: getattr(counts, flag) for flag in FLAGS},
        wait_days=counts.wait_days,
        cost_cents=_cents(counts.cost) if counts.cost is not None else None,
        definitions=version,
    )


def _cents(cost: Decimal) -> int:
    # The episode's field has two decimal places, so whole cents hold every cost exactly.
    cents = cost.scaleb(2)
    if cents != cents.to_integral_value():
        raise ApplicationError(f"a cost of {cost} has more than two decimal places")
    return int(cents)
