"""The match score part by part, values either side of each line, and the reasons in words."""

from __future__ import annotations

import pytest

from carepath_core.matching import WEIGHTS, Modality, Part, assess_pair, local_windows
from carepath_core.matching.scoring import SCORE_SCALE
from carepath_core.search.geo import distance_km
from tests.unit.matching_fixtures import ACROSS_TOWN, CENTRE, NEARBY, TUESDAY_EVENING, seeker, supporter

ONLINE = frozenset({Modality.ONLINE})
IN_PERSON = frozenset({Modality.IN_PERSON})


def parts_of(**pair: object) -> dict[str, float]:
    person = seeker(**{key[7:]: value for key, value in pair.items() if key.startswith("seeker_")})
    helper = supporter(**{key[10:]: value for key, value in pair.items() if key.startswith("supporter_")})
    return dict(assess_pair(person, helper).parts)


def test_the_weights_add_up_to_one() -> None:
    assert sum(WEIGHTS.values()) == pytest.approx(1.0)
    assert set(WEIGHTS) == set(Part)


@pytest.mark.parametrize(
    ("wanted", "offered", "expected"),
    [({"anxiety", "bereavement"}, {"anxiety", "bereavement", "trauma"}, 1.0),
     ({"anxiety", "bereavement"}, {"anxiety"}, 0.5),
     ({"anxiety", "caring", "loneliness"}, {"caring"}, 1 / 3),
     ({"anxiety"}, {"trauma"}, 0.0),
     (set(), {"trauma"}, 0.0)],
)  # fmt: skip
def test_shared_topics_is_the_share_of_what_the_person_asked_for(
    wanted: set[str], offered: set[str], expected: float
) -> None:
    parts = parts_of(seeker_topics=frozenset(wanted), supporter_topics=frozenset(offered))
    assert parts["shared_topics"] == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize(
    ("starts", "ends", "expected"),
    [("18:00", "19:00", 1 / 3), ("18:00", "20:00", 2 / 3), ("18:00", "21:00", 1.0), ("17:00", "23:00", 1.0)],
)  # fmt: skip
def test_shared_hours_reach_full_marks_at_three_hours(starts: str, ends: str, expected: float) -> None:
    parts = parts_of(
        seeker_availability=local_windows(["TU"], "17:00", "23:00"),
        supporter_availability=local_windows(["TU"], starts, ends),
    )
    assert parts["shared_hours"] == pytest.approx(expected, abs=1e-6)


def test_hours_not_given_count_for_nothing() -> None:
    assert parts_of(seeker_availability=TUESDAY_EVENING)["shared_hours"] == 0.0


@pytest.mark.parametrize(
    ("ours", "theirs", "expected"),
    [(("pl", "en"), ("pl",), 1.0), (("pl", "en"), ("en", "fr"), 0.5), (("en",), ("fr", "en"), 1.0)],
)
def test_language_prefers_the_persons_first_language(
    ours: tuple[str, ...], theirs: tuple[str, ...], expected: float
) -> None:
    assert parts_of(seeker_languages=ours, supporter_languages=theirs)["language"] == expected


@pytest.mark.parametrize(
    ("wanted", "offered", "expected"),
    [({Modality.ONLINE, Modality.PHONE}, {Modality.ONLINE}, 0.5),
     ({Modality.ONLINE, Modality.PHONE}, {Modality.ONLINE, Modality.PHONE, Modality.IN_PERSON}, 1.0),
     (set(), {Modality.ONLINE}, 1 / 3),
     (set(), {Modality.ONLINE, Modality.PHONE}, 2 / 3)],
)  # fmt: skip
def test_ways_of_meeting_is_the_share_of_the_ways_the_person_wants(
    wanted: set[Modality], offered: set[Modality], expected: float
) -> None:
    parts = parts_of(seeker_modalities=frozenset(wanted), supporter_modalities=frozenset(offered))
    assert parts["ways_of_meeting"] == pytest.approx(expected, abs=1e-6)


def test_distance_counts_only_for_people_who_want_to_meet_in_person() -> None:
    near = distance_km(CENTRE, NEARBY)
    in_person = parts_of(
        seeker_modalities=IN_PERSON,
        seeker_location=CENTRE,
        seeker_max_distance_km=10.0,
        supporter_modalities=IN_PERSON,
        supporter_location=NEARBY,
    )
    assert in_person["distance"] == pytest.approx(1 - near / 10, abs=1e-5)
    online = parts_of(seeker_modalities=ONLINE, seeker_location=CENTRE, supporter_location=ACROSS_TOWN)
    assert online["distance"] == 1.0
    out_of_reach = parts_of(
        seeker_modalities=IN_PERSON | ONLINE,
        seeker_location=CENTRE,
        seeker_max_distance_km=10.0,
        supporter_modalities=IN_PERSON | ONLINE,
        supporter_location=ACROSS_TOWN,
    )
    assert (out_of_reach["distance"], out_of_reach["ways_of_meeting"]) == (0.0, 0.5)
    any_way = parts_of(seeker_location=CENTRE, supporter_modalities=IN_PERSON, supporter_location=NEARBY)
    assert any_way["distance"] == 1.0  # they did not ask to meet in person


def test_like_descriptions_score_high_and_unlike_ones_nothing() -> None:
    story = "Panic attacks on the train every morning before work"
    assert parts_of(seeker_experience=story, supporter_experience=story)["experience_text"] == 1.0
    assert (
        parts_of(seeker_experience=story, supporter_experience="Grief after my mother died")[
            "experience_text"
        ]
        == 0.0
    )
    assert parts_of(seeker_experience="", supporter_experience=story)["experience_text"] == 0.0


def test_the_score_is_the_weighted_sum_of_the_parts() -> None:
    result = assess_pair(
        seeker(topics=frozenset({"anxiety", "trauma"}), languages=("en",), availability=TUESDAY_EVENING),
        supporter(topics=frozenset({"anxiety"}), availability=local_windows(["TU"], "18:00", "19:00")),
    )
    expected = sum(WEIGHTS[Part(name)] * value for name, value in result.parts.items())
    assert result.score == pytest.approx(expected, abs=2 / SCORE_SCALE)
    # topics 0.5, hours 1/3, language 1, ways 1/3 (any way, online offered), distance 1
    assert result.score == pytest.approx(0.35 * 0.5 + 0.2 / 3 + 0.1 + 0.1 / 3 + 0.1, abs=2 / SCORE_SCALE)


def test_reasons_name_what_the_two_share_strongest_first() -> None:
    person = seeker(
        languages=("pl", "en"),
        topics=frozenset({"bereavement", "anxiety"}),
        availability=local_windows(["TU", "TH"], "18:00", "21:00", 60),
        utc_offset_minutes=60,
        modalities=IN_PERSON | ONLINE,
        location=CENTRE,
        experience="I lost my job and then my father, and could not sleep for months",
    )
    helper = supporter(
        languages=("en", "pl"),
        topics=frozenset({"anxiety", "bereavement", "trauma"}),
        availability=local_windows(["TU", "TH"], "17:00", "21:00"),
        modalities=IN_PERSON | ONLINE,
        location=NEARBY,
        experience="After my father died I had months when I could not sleep",
    )
    assert assess_pair(person, helper).reasons == (
        "You both have lived experience of anxiety and bereavement and grief",
        "Your free hours overlap on Tuesday and Thursday evenings (6 hours a week)",
        "What they wrote about their own experience shares words with yours: father, months and sleep",
        "Speaks Polish",
        "Meets in person and online",
        "About 5 km from you",
    )


def test_a_part_that_found_nothing_gives_no_reason() -> None:
    reasons = assess_pair(
        seeker(topics=frozenset({"anxiety"})), supporter(topics=frozenset({"trauma"}))
    ).reasons
    assert reasons == ("Speaks English", "Meets online")


def test_a_supporter_very_near_is_less_than_a_kilometre_away() -> None:
    person = seeker(modalities=IN_PERSON, location=CENTRE)
    assert (
        "Less than 1 km from you"
        in assess_pair(person, supporter(modalities=IN_PERSON, location=CENTRE)).reasons
    )
