"""The batch-assignment file: both forms read, every kind of bad input named by record and field."""

from __future__ import annotations

import json
from typing import Any

import pytest

from carepath_core.errors import InvalidData
from carepath_core.matching import Modality, WeeklyWindow
from carepath_core.matching.instance import assign_instance, parse_instance, read_instance, result_document
from carepath_core.matching.profiles import MINUTES_PER_DAY
from carepath_core.search.geo import Point

PROFILES: dict[str, Any] = {
    "seekers": [
        {
            "id": "s1",
            "languages": ["pl", "en"],
            "topics": ["anxiety", "bereavement"],
            "availability": [{"days": ["TU"], "from": "18:00", "to": "21:00"}, [600, 660]],
            "utc_offset": "+01:00",
            "modalities": ["online", "in_person"],
            "location": {"latitude": 51.5, "longitude": -0.12},
            "max_distance_km": 8,
            "excluded_supporters": ["p2"],
            "experience": "Panic attacks since my father died",
        },
        {"id": 7, "languages": ["en"]},
    ],
    "supporters": [
        {
            "id": "p1",
            "capacity": 2,
            "current_load": 1,
            "languages": ["pl"],
            "topics": ["anxiety"],
            "modalities": ["online"],
            "experience": "My father died suddenly",
        },
        {"id": "p2", "capacity": 1, "languages": ["en"], "modalities": ["phone", "online"]},
    ],
}
SCORES: dict[str, Any] = {
    "seekers": [{"id": "s1"}, {"id": "s2"}],
    "supporters": [{"id": "p1", "capacity": 1}, {"id": "p2", "capacity": 2, "current_load": 1}],
    "scores": [["s1", "p1", 0.9], ["s2", "p1", 0.8], ["s2", "p2", 0.1]],
}


def with_change(document: dict[str, Any], path: tuple[Any, ...], value: Any) -> str:
    changed = json.loads(json.dumps(document))
    place = changed
    for key in path[:-1]:
        place = place[key]
    place[path[-1]] = value
    return json.dumps(changed)


def test_profiles_are_read_with_local_hours_turned_into_utc() -> None:
    instance = parse_instance(json.dumps(PROFILES))
    person, other = instance.seekers
    assert person.availability == (
        WeeklyWindow(MINUTES_PER_DAY + 17 * 60, MINUTES_PER_DAY + 20 * 60),
        WeeklyWindow(600, 660),
    )
    assert (person.utc_offset_minutes, person.max_distance_km, person.location) == (
        60,
        8.0,
        Point(51.5, -0.12),
    )
    assert person.modalities == {Modality.ONLINE, Modality.IN_PERSON}
    assert other.id == "7"  # a whole number is read as its digits
    assert instance.supporters[0].free_places == 1
    assert instance.scores is None


def test_a_profiles_instance_is_assigned_and_written_in_the_result_shape() -> None:
    document = result_document(assign_instance(parse_instance(json.dumps(PROFILES))))
    assert list(document) == ["assignments", "loads", "total_score"]
    first, second = document["assignments"]
    assert (first["seeker"], first["supporter"]) == ("s1", "p1")
    assert first["reasons"][0] == "You both have lived experience of anxiety"
    assert (second["seeker"], second["supporter"], second["score"]) == ("7", "p2", second["score"])
    assert document["loads"] == {"p1": 2, "p2": 1}
    assert document["total_score"] == pytest.approx(first["score"] + second["score"], abs=1e-6)


def test_a_three_letter_language_code_is_the_same_language_as_its_two_letter_twin() -> None:
    document = with_change(PROFILES, ("seekers", 1, "languages"), ["eng", "en"])
    instance = parse_instance(with_change(json.loads(document), ("supporters", 0, "languages"), ["pol"]))
    assert instance.seekers[1].languages == ("en",) and instance.supporters[0].languages == ("pl",)
    first, second = result_document(assign_instance(instance))["assignments"]
    assert (first["seeker"], first["supporter"]) == ("s1", "p1")  # "pol" shares Polish with "pl"
    assert (second["seeker"], second["supporter"]) == ("7", "p2")  # "eng" shares English with "en"


def test_a_scores_instance_is_solved_on_the_scores_alone() -> None:
    document = result_document(assign_instance(parse_instance(json.dumps(SCORES))))
    assert [(row["seeker"], row["supporter"], row["score"]) for row in document["assignments"]] == [
        ("s1", "p1", 0.9),
        ("s2", "p2", 0.1),
    ]
    assert document["loads"] == {"p1": 1, "p2": 2}
    assert document["total_score"] == 1.0


@pytest.mark.parametrize(
    ("text", "field", "problem"),
    [
        ("not json", "instance", "is not JSON: Expecting value at line 1, column 1"),
        (
            '{"seekers": [], "supporters": [], "scores": [["a", "b", NaN]]}',
            "instance",
            "is not JSON: NaN is not a JSON value",
        ),
        ("[]", "instance", "must be an object"),
        ('{"seekers": []}', "supporters", "must be a list"),
        ('{"seekers": [], "supporters": [], "extra": 1}', "instance.extra", "is not a part of an instance"),
    ],
)
def test_a_file_that_is_not_an_instance(text: str, field: str, problem: str) -> None:
    with pytest.raises(InvalidData) as refusal:
        parse_instance(text)
    assert (refusal.value.field, refusal.value.problem) == (field, problem)


@pytest.mark.parametrize(
    ("path", "value", "field", "problem"),
    [
        (("seekers", 1, "id"), "s1", "seekers[1].id", "'s1' is listed twice"),
        (("seekers", 1, "id"), True, "seekers[1].id", "is required: text or a whole number"),
        (("supporters", 1, "id"), "p1", "supporters[1].id", "'p1' is listed twice"),
        (("supporters", 1, "capacity"), -1, "supporters[1].capacity", "-1 is negative: must be 0 or more"),
        (("supporters", 1, "capacity"), "2", "supporters[1].capacity", "must be a whole number"),
        (("supporters", 0, "current_load"), 3, "supporters[0].current_load",
         "must be from 0 to the capacity (2)"),
        (("supporters", 1, "modalities"), [], "supporters[1].modalities", "must list at least one"),
        (("supporters", 1, "langauges"), ["en"], "supporters[1].langauges", "is not a field of a supporter"),
        (("seekers", 0, "excluded_supporters"), ["p9"], "seekers[0].excluded_supporters[0]",
         "no supporter has the id 'p9'"),
        (("seekers", 0, "topics"), ["anxeity"], "seekers[0].topics[0]",
         "'anxeity' is not a known lived-experience topic"),
        (("seekers", 0, "languages"), [], "seekers[0].languages", "must list at least one"),
        (("seekers", 0, "languages"), ["Polish"], "seekers[0].languages[0]",
         "'Polish' is not a language code like 'en'"),
        (("seekers", 0, "modalities"), ["video"], "seekers[0].modalities[0]",
         "'video' is not one of in_person, online, phone"),
        (("seekers", 0, "utc_offset"), "CET", "seekers[0].utc_offset", '"CET" is not an offset like +01:00'),
        (("seekers", 0, "utc_offset"), "+15:00", "seekers[0].utc_offset",
         "is further from UTC than any time zone"),
        (("seekers", 0, "max_distance_km"), 0, "seekers[0].max_distance_km", "must be more than 0"),
        (("seekers", 0, "max_distance_km"), "far", "seekers[0].max_distance_km", '"far" is not a number'),
        (("seekers", 0, "location"), {"latitude": 95, "longitude": 0}, "seekers[0].location",
         "is not a place on Earth"),
        (("seekers", 0, "availability"), [[700, 600]], "seekers[0].availability[0]",
         "must be [start, end] in minutes of the UTC week, 0 to 10080"),
        (("seekers", 0, "availability"), [{"days": ["XX"], "from": "18:00", "to": "19:00"}],
         "seekers[0].availability[0]", "'XX' is not a day code (MO, TU, WE, TH, FR, SA, SU)"),
        (("seekers", 0, "availability"), [{"days": ["MO"], "from": "18:00"}], "seekers[0].availability[0]",
         'needs "from" and "to" times like 18:00'),
    ],
)  # fmt: skip
def test_bad_profiles_are_named_by_record_and_field(
    path: tuple[Any, ...], value: Any, field: str, problem: str
) -> None:
    with pytest.raises(InvalidData) as refusal:
        parse_instance(with_change(PROFILES, path, value))
    assert (refusal.value.field, refusal.value.problem) == (field, problem)


@pytest.mark.parametrize(
    ("path", "value", "field", "problem"),
    [
        (("scores", 1), ["s2", "p1"], "scores[1]", "must be a list of three: seeker id, supporter id, score"),
        (("scores", 1), ["s9", "p1", 0.5], "scores[1][0]", "no seeker has the id 's9'"),
        (("scores", 1), ["s2", "p9", 0.5], "scores[1][1]", "no supporter has the id 'p9'"),
        (("scores", 1), ["s2", "p1", "high"], "scores[1][2]", '"high" is not a number'),
        (("scores", 1), ["s2", "p1", None], "scores[1][2]", "null is not a number"),
        (("scores", 1), ["s2", "p1", 1.5], "scores[1][2]", "1.5 is not a number from 0 to 1"),
        (("scores", 1), ["s1", "p1", 0.5], "scores[1]", "the pair (s1, p1) is listed twice"),
        (("seekers", 1, "id"), "s1", "seekers[1].id", "'s1' is listed twice"),
        (("seekers", 0, "languages"), ["en"], "seekers[0].languages",
         "is not used when scores are given: leave it out"),
        (("supporters", 0, "capacity"), -2, "supporters[0].capacity", "-2 is negative: must be 0 or more"),
    ],
)  # fmt: skip
def test_bad_scores_are_named_by_record_and_field(
    path: tuple[Any, ...], value: Any, field: str, problem: str
) -> None:
    with pytest.raises(InvalidData) as refusal:
        parse_instance(with_change(SCORES, path, value))
    assert (refusal.value.field, refusal.value.problem) == (field, problem)


def test_an_instance_can_come_already_decoded() -> None:
    assert read_instance(SCORES).scores is not None
