"""Hard constraints: each one either side of its line, the order they are reported in, and in words."""

from __future__ import annotations

import numpy as np
import pytest

from carepath_core.matching import Exclusion, Modality, Seeker, Supporter, assess_pair, local_windows
from carepath_core.matching.constraints import why_not
from carepath_core.search.geo import Point
from tests.unit.matching_fixtures import ACROSS_TOWN, CENTRE, NEARBY, TUESDAY_EVENING, seeker, supporter

IN_PERSON = frozenset({Modality.IN_PERSON})


def exclusion_of(person: Seeker, helper: Supporter) -> Exclusion | None:
    return assess_pair(person, helper).exclusion


def test_a_plain_pair_fits() -> None:
    assert exclusion_of(seeker(), supporter()) is None


def test_a_supporter_the_person_excluded_is_never_matched() -> None:
    assert (
        exclusion_of(seeker(excluded_supporter_ids=frozenset({"p1"})), supporter("p1")) is Exclusion.REQUESTED
    )
    assert exclusion_of(seeker(excluded_supporter_ids=frozenset({"p2"})), supporter("p1")) is None


@pytest.mark.parametrize(
    ("capacity", "load", "expected"), [(3, 2, None), (3, 3, Exclusion.FULL), (0, 0, Exclusion.FULL)]
)
def test_a_supporter_needs_a_free_place(capacity: int, load: int, expected: Exclusion | None) -> None:
    assert exclusion_of(seeker(), supporter(capacity=capacity, current_load=load)) is expected


def test_they_need_a_language_in_common() -> None:
    assert exclusion_of(seeker(languages=("pl",)), supporter(languages=("en",))) is Exclusion.LANGUAGE
    assert exclusion_of(seeker(languages=("pl", "en")), supporter(languages=("en", "fr"))) is None


def test_they_need_a_way_of_meeting_both_accept() -> None:
    phone_only = seeker(modalities=frozenset({Modality.PHONE}))
    assert exclusion_of(phone_only, supporter(modalities=frozenset({Modality.ONLINE}))) is Exclusion.MEETING
    assert (
        exclusion_of(phone_only, supporter(modalities=frozenset({Modality.PHONE, Modality.ONLINE}))) is None
    )
    assert exclusion_of(seeker(), supporter(modalities=frozenset())) is Exclusion.MEETING


@pytest.mark.parametrize(
    ("reach_km", "where", "expected"),
    [(6, NEARBY, None), (5, NEARBY, Exclusion.MEETING),
     (16, ACROSS_TOWN, None), (15.8, ACROSS_TOWN, Exclusion.MEETING)],
)  # fmt: skip
def test_meeting_in_person_needs_the_supporter_within_the_persons_distance(
    reach_km: float, where: Point, expected: Exclusion | None
) -> None:
    person = seeker(modalities=IN_PERSON, location=CENTRE, max_distance_km=reach_km)
    assert exclusion_of(person, supporter(modalities=IN_PERSON, location=where)) is expected


def test_meeting_in_person_needs_both_places() -> None:
    assert exclusion_of(seeker(modalities=IN_PERSON), supporter(modalities=IN_PERSON, location=CENTRE)) is (
        Exclusion.MEETING
    )
    assert exclusion_of(seeker(modalities=IN_PERSON, location=CENTRE), supporter(modalities=IN_PERSON)) is (
        Exclusion.MEETING
    )


def test_out_of_reach_in_person_still_fits_online() -> None:
    person = seeker(modalities=IN_PERSON | {Modality.ONLINE}, location=CENTRE, max_distance_km=2)
    helper = supporter(modalities=IN_PERSON | {Modality.ONLINE}, location=NEARBY)
    result = assess_pair(person, helper)
    assert result.exclusion is None
    assert "Meets online" in result.reasons


@pytest.mark.parametrize(
    ("starts", "ends", "expected"),
    [("18:00", "19:00", None), ("18:00", "18:59", Exclusion.HOURS), ("20:30", "21:30", Exclusion.HOURS),
     ("20:00", "22:00", None), ("09:00", "12:00", Exclusion.HOURS)],
)  # fmt: skip
def test_they_need_an_hour_a_week_free_at_the_same_time(
    starts: str, ends: str, expected: Exclusion | None
) -> None:
    helper = supporter(availability=local_windows(["TU"], starts, ends))
    assert exclusion_of(seeker(availability=TUESDAY_EVENING), helper) is expected


def test_hours_not_given_do_not_rule_anyone_out() -> None:
    assert exclusion_of(seeker(), supporter(availability=TUESDAY_EVENING)) is None
    assert exclusion_of(seeker(availability=TUESDAY_EVENING), supporter()) is None


def test_the_first_constraint_in_the_order_is_the_one_reported() -> None:
    person = seeker(languages=("pl",), excluded_supporter_ids=frozenset({"p1"}))
    assert exclusion_of(person, supporter("p1", capacity=0)) is Exclusion.REQUESTED
    assert exclusion_of(seeker(languages=("pl",)), supporter(capacity=0)) is Exclusion.FULL
    person = seeker(languages=("pl",), modalities=frozenset({Modality.PHONE}), availability=TUESDAY_EVENING)
    assert exclusion_of(person, supporter(availability=local_windows(["MO"], "09:00", "10:00"))) is (
        Exclusion.LANGUAGE
    )


def test_a_pair_that_cannot_be_matched_says_why_in_words() -> None:
    result = assess_pair(seeker(languages=("pl",)), supporter())
    assert (result.score, result.reasons) == (None, ("Shares no language with the person",))


def test_why_nobody_fits_counts_the_reasons() -> None:
    codes = np.array([Exclusion.LANGUAGE, Exclusion.LANGUAGE, Exclusion.FULL, Exclusion.HOURS], dtype=np.int8)
    assert why_not(codes) == (
        "No supporter fits this person: 1 has no free places, 2 share no language with them, "
        "1 is free at the same time as them for less than an hour a week"
    )
    assert why_not(np.array([], dtype=np.int8)) == (
        "No supporter fits this person: there are no supporters to choose from"
    )
