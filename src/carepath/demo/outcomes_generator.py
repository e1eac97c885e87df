"""Synthetic episodes of support with PHQ-9 and GAD-7 check-ins, for the programme dashboard demo.

Plain data, no database: the same count, seed and day always give the same people, dates and
scores. The mix is set so that every kind of support shows real, unsuppressed figures: most people
who finish recover or improve, some do not change, a few get reliably worse, some come once and
stop, some start below the clinical level, and a few are still in support.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

PATHWAYS = ("peer", "professional", "both")
# What a session costs the programme, in the installation's currency, per kind of support.
SESSION_COST = {"peer": 25, "professional": 95, "both": 70}
# (kind of course, weight) per pathway: combined support does a little better in this story.
_MIX = {
    "peer": (
        ("recovers", 40),
        ("unchanged", 24),
        ("worsens", 8),
        ("mild", 12),
        ("drops_out", 12),
        ("ongoing", 4),
    ),
    "professional": (
        ("recovers", 45),
        ("unchanged", 22),
        ("worsens", 7),
        ("mild", 10),
        ("drops_out", 12),
        ("ongoing", 4),
    ),
    "both": (
        ("recovers", 50),
        ("unchanged", 18),
        ("worsens", 6),
        ("mild", 12),
        ("drops_out", 10),
        ("ongoing", 4),
    ),
}
_PHQ9_MAX, _GAD7_MAX = 27, 21


@dataclass(frozen=True)
class DemoCheckIn:
    instrument: str
    total: int
    day: dt.date


@dataclass(frozen=True)
class DemoEpisode:
    number: int
    pathway: str
    service_index: int  # which of the available demo services (modulo how many there are)
    requested_on: dt.date
    first_contact_on: dt.date
    started_on: dt.date
    ended_on: dt.date | None
    sessions_attended: int
    cost: int | None
    check_ins: tuple[DemoCheckIn, ...]


def demo_episodes(count: int, seed: int, today: dt.date) -> list[DemoEpisode]:
    rng = random.Random(seed)  # noqa: S311  # nosec B311 # repeatable demo data, not secrets
    decks: dict[str, list[str]] = {pathway: [] for pathway in PATHWAYS}
    episodes = []
    for number in range(count):
        pathway = PATHWAYS[number % len(PATHWAYS)]
        episodes.append(_episode(number, pathway, _draw(decks[pathway], pathway, rng), rng, today))
    return episodes


def _draw(deck: list[str], pathway: str, rng: random.Random) -> str:
    """Kinds of course dealt from a shuffled deck holding each kind as often as its weight (the
    weights add up to 100), so every 100 episodes of a pathway have the mix exactly, not by luck."""
    if not deck:
        deck.extend(kind for kind, weight in _MIX[pathway] for _ in range(weight))
        rng.shuffle(deck)
    return deck.pop()


def _episode(number: int, pathway: str, kind: str, rng: random.Random, today: dt.date) -> DemoEpisode:
    wait = rng.randint(0, 6) if pathway == "peer" else rng.randint(3, 24)
    length = rng.randint(42, 120)
    ended = today - dt.timedelta(days=rng.randint(3, 330))
    started = ended - dt.timedelta(days=length)
    requested = started - dt.timedelta(days=wait)
    sessions = 1 if kind == "drops_out" else rng.randint(3, 12)
    ended_on = None if kind == "ongoing" else ended
    phq9, gad7 = _trajectory(kind, rng)
    points = 1 if kind == "drops_out" else rng.randint(3, 5)
    last_day = ended_on or today
    return DemoEpisode(
        number=number,
        pathway=pathway,
        service_index=rng.randrange(1_000_000),
        requested_on=requested,
        first_contact_on=started,
        started_on=started,
        ended_on=ended_on,
        sessions_attended=sessions,
        # Some programmes do not record costs for every episode; the report uses those it has.
        cost=sessions * SESSION_COST[pathway] if rng.random() < 0.8 else None,
        check_ins=_series("phq9", phq9, _PHQ9_MAX, points, started, last_day, rng)
        + _series("gad7", gad7, _GAD7_MAX, points, started, last_day, rng),
    )


def _trajectory(kind: str, rng: random.Random) -> tuple[tuple[int, int], tuple[int, int]]:
    """First and last PHQ-9 and GAD-7 totals for a kind of course."""
    if kind == "mild":
        phq, gad = rng.randint(3, 9), rng.randint(2, 7)
        return (phq, max(0, phq - rng.randint(0, 3))), (gad, max(0, gad - rng.randint(0, 2)))
    if kind == "worsens":
        phq, gad = rng.randint(10, 15), rng.randint(8, 12)
        return (phq, min(_PHQ9_MAX, phq + rng.randint(6, 9))), (gad, min(_GAD7_MAX, gad + rng.randint(4, 6)))
    phq, gad = rng.randint(12, 22), rng.randint(9, 18)
    if kind == "recovers":
        return (phq, rng.randint(2, 8)), (gad, rng.randint(1, 6))
    # unchanged, drops_out and ongoing: small ups and downs around where they started
    return (phq, max(10, phq + rng.randint(-3, 2))), (gad, max(8, gad + rng.randint(-2, 2)))


def _series(  # noqa: PLR0917 - one private call site, names read clearer than a bundle
    code: str,
    ends: tuple[int, int],
    highest: int,
    points: int,
    first_day: dt.date,
    last_day: dt.date,
    rng: random.Random,
) -> tuple[DemoCheckIn, ...]:
    """`points` check-ins spread over the episode: exact first and last totals, noisy in between."""
    first, last = ends
    span = (last_day - first_day).days
    found = []
    for index in range(points):
        share = index / (points - 1) if points > 1 else 0.0
        total = round(first + (last - first) * share)
        if 0 < index < points - 1:
            total = min(highest, max(0, total + rng.randint(-2, 2)))
        found.append(DemoCheckIn(code, total, first_day + dt.timedelta(days=round(span * share))))
    return tuple(found)
