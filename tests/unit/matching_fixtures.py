"""Small people and supporters for the matching tests, and an independent check of the hard rules."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from carepath_core.matching import Modality, Seeker, Supporter, local_windows
from carepath_core.matching.profiles import MINUTES_PER_WEEK, WeeklyWindow
from carepath_core.search.geo import Point, distance_km

CENTRE = Point(51.5074, -0.1278)
NEARBY = Point(51.5450, -0.0800)  # about 5.3 km from CENTRE, 12.1 km from ACROSS_TOWN
ACROSS_TOWN = Point(51.6500, -0.1278)  # about 15.9 km from CENTRE
TUESDAY_EVENING = local_windows(["TU"], "18:00", "21:00")


def seeker(identifier: str = "s1", **overrides: Any) -> Seeker:
    values: dict[str, Any] = {"languages": ("en",)}
    values.update(overrides)
    return Seeker(id=identifier, **values)


def supporter(identifier: str = "p1", **overrides: Any) -> Supporter:
    values: dict[str, Any] = {"languages": ("en",), "capacity": 3, "modalities": frozenset({Modality.ONLINE})}
    values.update(overrides)
    return Supporter(id=identifier, **values)


def _free_minutes(windows: tuple[WeeklyWindow, ...]) -> set[int]:
    return {minute for window in windows for minute in range(window.start, window.end)}


def shared_whole_half_hours(ours: tuple[WeeklyWindow, ...], theirs: tuple[WeeklyWindow, ...]) -> int:
    """Half-hour slots of the UTC week both are free for all of, counted minute by minute."""
    both = _free_minutes(ours) & _free_minutes(theirs)
    return sum(
        all(minute in both for minute in range(start, start + 30)) for start in range(0, MINUTES_PER_WEEK, 30)
    )


NEAR_THRESHOLD_KM = 0.01  # distances this close to a person's limit may go either way in floating point


def may_be_matched(person: Seeker, helper: Supporter) -> bool | None:
    """The hard constraints written out plainly; None when a distance sits right on the limit."""
    if helper.id in person.excluded_supporter_ids or helper.free_places <= 0:
        return False
    if not set(person.languages) & set(helper.languages):
        return False
    ways = (person.modalities or frozenset(Modality)) & helper.modalities
    if Modality.IN_PERSON in ways:
        if person.location is None or helper.location is None:
            ways -= {Modality.IN_PERSON}
        else:
            distance = distance_km(person.location, helper.location)
            if abs(distance - person.max_distance_km) < NEAR_THRESHOLD_KM:
                return None
            if distance > person.max_distance_km:
                ways -= {Modality.IN_PERSON}
    if not ways:
        return False
    if person.availability and helper.availability:
        return shared_whole_half_hours(person.availability, helper.availability) >= 2
    return True


# Hypothesis strategies: small programmes with every kind of constraint in play --------------------

LANGUAGES = ("en", "pl", "ur")
TOPICS = ("anxiety", "depression", "bereavement", "trauma")
PLACES = (CENTRE, NEARBY, ACROSS_TOWN)
STORIES = ("panic attacks at work", "grief after my mother died", "lonely at night after moving", "")
WINDOWS = (
    ("MO", "09:00", "12:00"),
    ("TU", "18:00", "21:00"),
    ("TU", "20:00", "22:00"),
    ("SA", "10:00", "11:00"),
)


def _hours(draw: st.DrawFn) -> tuple[WeeklyWindow, ...]:
    chosen = draw(st.lists(st.sampled_from(WINDOWS), max_size=2, unique=True))
    return tuple(window for day, starts, ends in chosen for window in local_windows([day], starts, ends))


def _some(draw: st.DrawFn, values: tuple[Any, ...], min_size: int = 0) -> Any:
    return draw(st.lists(st.sampled_from(values), min_size=min_size, max_size=len(values), unique=True))


@st.composite
def people(draw: st.DrawFn, min_size: int = 0, max_size: int = 6, supporter_ids: int = 4) -> list[Seeker]:
    count = draw(st.integers(min_size, max_size))
    return [
        Seeker(
            id=f"s{number}",
            languages=tuple(_some(draw, LANGUAGES, 1)),
            topics=frozenset(_some(draw, TOPICS)),
            availability=_hours(draw),
            modalities=frozenset(_some(draw, tuple(Modality))),
            location=draw(st.sampled_from((None, *PLACES))),
            max_distance_km=draw(st.sampled_from((3.0, 10.0, 30.0))),
            excluded_supporter_ids=frozenset(_some(draw, tuple(f"p{n}" for n in range(supporter_ids)))),
            experience=draw(st.sampled_from(STORIES)),
        )
        for number in range(count)
    ]


@st.composite
def supporters(draw: st.DrawFn, min_size: int = 0, max_size: int = 4) -> list[Supporter]:
    count = draw(st.integers(min_size, max_size))
    found = []
    for number in range(count):
        capacity = draw(st.integers(0, 3))
        found.append(
            Supporter(
                id=f"p{number}",
                languages=tuple(_some(draw, LANGUAGES, 1)),
                capacity=capacity,
                current_load=draw(st.integers(0, capacity)),
                topics=frozenset(_some(draw, TOPICS)),
                availability=_hours(draw),
                modalities=frozenset(_some(draw, tuple(Modality))),
                location=draw(st.sampled_from((None, *PLACES))),
                experience=draw(st.sampled_from(STORIES)),
            )
        )
    return found
