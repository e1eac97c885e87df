"""Batch assignment: worked cases, and properties over many random programmes.

Properties: no supporter over capacity, nobody with two supporters, no pair a hard constraint
rules out, the total is the sum of the scores, and the total is the best there is, checked
against every possible assignment of small programmes.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carepath_core.errors import InvalidData
from carepath_core.matching import (
    Assignment,
    GivenScore,
    Seeker,
    Supporter,
    SupporterPool,
    assign_given_scores,
    assign_profiles,
)
from carepath_core.matching.flow import UNASSIGNED, Edges, solve
from carepath_core.matching.reasons import reasons_in_block
from carepath_core.matching.scoring import SCORE_SCALE, score_block
from tests.unit.matching_fixtures import may_be_matched, people, seeker, supporter, supporters


def pairs(result: Assignment) -> dict[str, str | None]:
    return {placement.seeker_id: placement.supporter_id for placement in result.placements}


def test_the_best_total_is_not_the_greedy_one() -> None:
    # Greedy would give s1 its favourite (p1, 0.9) and leave s2 with p2 (0.1): 1.0 in all.
    scores = [GivenScore("s1", "p1", 0.9), GivenScore("s1", "p2", 0.8), GivenScore("s2", "p1", 0.85),
              GivenScore("s2", "p2", 0.1)]  # fmt: skip
    result = assign_given_scores(
        ["s1", "s2"], [supporter("p1", capacity=1), supporter("p2", capacity=1)], scores
    )
    assert pairs(result) == {"s1": "p2", "s2": "p1"}
    assert result.total_score == 1.65
    assert result.placements[0].reasons == ("The score was given in the input",)


def test_capacity_current_load_and_the_reasons_for_no_supporter() -> None:
    scores = [GivenScore("s1", "p1", 0.5), GivenScore("s2", "p1", 0.7), GivenScore("s3", "p1", 0.2)]
    helper = supporter("p1", capacity=3, current_load=1)
    result = assign_given_scores(["s1", "s2", "s3", "s4"], [helper], scores)
    assert pairs(result) == {"s1": "p1", "s2": "p1", "s3": None, "s4": None}
    assert result.loads == {"p1": 3}
    assert result.placements[2].reasons == (
        "The one supporter scored for this person is full after this assignment",
    )
    assert result.placements[3].reasons == ("No score was given for this person with any supporter",)


def test_a_score_of_zero_still_gets_someone_a_supporter() -> None:
    result = assign_given_scores(["s1"], [supporter("p1")], [GivenScore("s1", "p1", 0.0)])
    assert pairs(result) == {"s1": "p1"}
    assert result.total_score == 0.0


def test_from_profiles_with_reasons_and_why_not() -> None:
    persons = [
        seeker("s1", topics=frozenset({"anxiety"})),
        seeker("s2", topics=frozenset({"trauma"})),
        seeker("s3", languages=("pl",)),
    ]
    helpers = [supporter("p1", topics=frozenset({"anxiety"}), capacity=1), supporter("p2", capacity=1)]
    result = assign_profiles(persons, helpers)
    assert pairs(result) == {"s1": "p1", "s2": "p2", "s3": None}
    assert result.placements[0].reasons[0] == "You both have lived experience of anxiety"
    assert result.placements[2].reasons == ("No supporter fits this person: 2 share no language with them",)
    assert result.loads == {"p1": 1, "p2": 1}
    assert result.total_score == pytest.approx(sum(p.score or 0 for p in result.placements), abs=1e-9)


def test_everyone_full_is_said_plainly() -> None:
    result = assign_profiles([seeker("s1"), seeker("s2")], [supporter("p1", capacity=1)])
    assert sorted(p.reasons[0] for p in result.placements if p.supporter_id is None) == [
        "The one supporter who fits this person is full after this assignment"
    ]


def test_the_same_programme_in_any_order_gives_the_same_assignment() -> None:
    rng = random.Random(3)
    persons = [
        seeker(f"s{n}", topics=frozenset(rng.sample(["anxiety", "trauma", "caring"], 1))) for n in range(12)
    ]
    helpers = [supporter(f"p{n}", capacity=2, topics=frozenset({"anxiety", "caring"})) for n in range(4)]
    first = assign_profiles(persons, helpers)
    rng.shuffle(persons)
    rng.shuffle(helpers)
    again = assign_profiles(persons, helpers)
    assert pairs(first) == pairs(again)
    assert first.total_score == again.total_score


def test_ids_listed_twice_are_refused() -> None:
    with pytest.raises(InvalidData, match=r"seekers\[1\]\.id: 's1' is listed twice"):
        assign_profiles([seeker("s1"), seeker("s1")], [])
    with pytest.raises(InvalidData, match=r"supporters\[1\]\.id"):
        assign_given_scores(["s1"], [supporter("p1"), supporter("p1")], [])


# Properties ----------------------------------------------------------------------------------


def scaled_scores(persons: list[Seeker], helpers: list[Supporter]) -> dict[tuple[str, str], int]:
    """Every allowed pair's score in millionths, as the assignment sees it."""
    if not persons or not helpers:
        return {}
    scaled = score_block(persons, SupporterPool(helpers)).scaled
    return {
        (person.id, helper.id): int(scaled[row, column])
        for row, person in enumerate(persons)
        for column, helper in enumerate(helpers)
        if scaled[row, column] >= 0
    }


def best_by_trying_everything(
    person_ids: list[str], free_places: dict[str, int], scores: dict[tuple[str, str], int]
) -> tuple[int, int]:
    """The best (total, people matched) over every assignment that fits the places."""
    options = [
        [None, *[helper for (person, helper) in scores if person == person_id]] for person_id in person_ids
    ]
    best = (0, 0)
    for choice in itertools.product(*options):
        load = Counter(helper for helper in choice if helper is not None)
        if all(load[helper] <= free_places[helper] for helper in load):
            total = sum(
                scores[person, helper] for person, helper in zip(person_ids, choice, strict=True) if helper
            )
            best = max(best, (total, sum(load.values())))
    return best


def check_invariants(result: Assignment, persons: list[Seeker], helpers: list[Supporter]) -> None:
    by_id = {helper.id: helper for helper in helpers}
    assert [placement.seeker_id for placement in result.placements] == [person.id for person in persons]
    assigned = Counter(p.supporter_id for p in result.placements if p.supporter_id is not None)
    for helper in helpers:
        assert result.loads[helper.id] == helper.current_load + assigned[helper.id] <= helper.capacity
    for person, placement in zip(persons, result.placements, strict=True):
        if placement.supporter_id is None:
            assert placement.score is None and len(placement.reasons) == 1
        else:
            assert may_be_matched(person, by_id[placement.supporter_id]) is not False
    total = sum(round((p.score or 0) * SCORE_SCALE) for p in result.placements)
    assert round(result.total_score * SCORE_SCALE) == total


@settings(max_examples=150, deadline=None)
@given(people(max_size=6), supporters(max_size=3))
def test_assignment_from_profiles_is_valid_and_the_best_there_is(
    persons: list[Seeker], helpers: list[Supporter]
) -> None:
    result = assign_profiles(persons, helpers)
    check_invariants(result, persons, helpers)
    scores = scaled_scores(persons, helpers)
    best_total, _ = best_by_trying_everything(
        [p.id for p in persons], {h.id: h.free_places for h in helpers}, scores
    )
    assert round(result.total_score * SCORE_SCALE) == best_total


@settings(max_examples=100, deadline=None)
@given(people(max_size=12), supporters(max_size=4), st.integers(1, 2))
def test_leaving_pairs_out_at_first_never_costs_score(
    persons: list[Seeker], helpers: list[Supporter], candidates: int
) -> None:
    pruned = assign_profiles(persons, helpers, candidates_per_seeker=candidates)
    full = assign_profiles(persons, helpers, candidates_per_seeker=None)
    check_invariants(pruned, persons, helpers)
    assert pruned.total_score == full.total_score


def test_a_larger_programme_pruned_hard_still_gets_the_best_total() -> None:
    rng = random.Random(11)
    topics = ["anxiety", "depression", "bereavement", "trauma", "caring"]
    persons = [
        seeker(
            f"s{n:03d}",
            topics=frozenset(rng.sample(topics, 2)),
            languages=rng.choice([("en",), ("pl", "en")]),
        )
        for n in range(240)
    ]
    helpers = [
        supporter(f"p{n:02d}", topics=frozenset(rng.sample(topics, 2)), capacity=rng.randint(1, 6),
                  languages=rng.choice([("en",), ("pl",), ("en", "pl")]))
        for n in range(30)
    ]  # fmt: skip
    pruned = assign_profiles(persons, helpers, candidates_per_seeker=1)
    full = assign_profiles(persons, helpers, candidates_per_seeker=None)
    assert pruned.rounds > 1 and pruned.pairs_solved < pruned.pairs_allowed
    assert pruned.total_score == full.total_score
    check_invariants(pruned, persons, helpers)


@st.composite
def scored_programmes(draw: st.DrawFn) -> tuple[list[str], list[Supporter], list[GivenScore]]:
    person_ids = [f"s{n}" for n in range(draw(st.integers(0, 6)))]
    helpers = []
    for number in range(draw(st.integers(0, 3))):
        capacity = draw(st.integers(0, 3))
        helpers.append(
            supporter(f"p{number}", capacity=capacity, current_load=draw(st.integers(0, capacity)))
        )
    scores = [
        GivenScore(person, helper.id, draw(st.sampled_from([0.0, 0.25, 0.5, 0.5, 0.75, 1.0, 0.123456])))
        for person in person_ids
        for helper in helpers
        if draw(st.booleans())
    ]
    return person_ids, helpers, scores


@settings(max_examples=200, deadline=None)
@given(scored_programmes())
def test_given_scores_get_the_best_total_then_the_most_people(
    programme: tuple[list[str], list[Supporter], list[GivenScore]],
) -> None:
    person_ids, helpers, scores = programme
    result = assign_given_scores(person_ids, helpers, scores)
    given = {(s.seeker_id, s.supporter_id): round(s.score * SCORE_SCALE) for s in scores}
    matched = [p for p in result.placements if p.supporter_id is not None]
    assert all((p.seeker_id, p.supporter_id) in given for p in matched)
    load = Counter(p.supporter_id for p in matched)
    assert all(load[h.id] <= h.free_places for h in helpers)
    best = best_by_trying_everything(person_ids, {h.id: h.free_places for h in helpers}, given)
    assert (round(result.total_score * SCORE_SCALE), len(matched)) == best


@settings(max_examples=100, deadline=None)
@given(people(max_size=10), supporters(max_size=4))
def test_the_reasons_of_a_programme_are_those_of_each_pair_alone(
    persons: list[Seeker], helpers: list[Supporter]
) -> None:
    # Reasons are put together for everyone placed at once; each must read as the pair's own.
    result = assign_profiles(persons, helpers)
    pool = SupporterPool(sorted(helpers, key=lambda helper: helper.id))
    by_id = {person.id: person for person in persons}
    for placement in result.placements:
        if placement.supporter_id is None:
            continue
        person, column = by_id[placement.seeker_id], pool.positions[placement.supporter_id]
        alone = reasons_in_block(score_block([person], pool), pool, person, 0, column)
        assert placement.reasons == alone


def plain_potentials(graph: Edges, seeker_count: int, places: list[int], chosen: set[int]) -> list[int]:
    """Bellman-Ford over every node of the residual graph, written out plainly for comparison."""
    sink = seeker_count + len(places)
    arcs = [
        (graph.seeker[e], seeker_count + graph.supporter[e], -graph.scaled[e])
        for e in range(len(graph))
        if e not in chosen
    ]
    arcs += [(seeker_count + graph.supporter[e], graph.seeker[e], graph.scaled[e]) for e in chosen]
    placed = {int(graph.seeker[e]) for e in chosen}
    load = Counter(int(graph.supporter[e]) for e in chosen)
    arcs += [(person, sink, 0) if person in placed else (sink, person, 0) for person in range(seeker_count)]
    arcs += [(seeker_count + j, sink, 0) for j in range(len(places)) if load[j] < places[j]]
    arcs += [(sink, seeker_count + j, 0) for j in range(len(places)) if load[j] > 0]
    distance = [0] * (sink + 1)
    for _ in range(sink + 1):
        for tail, head, cost in arcs:
            distance[head] = min(distance[head], distance[tail] + int(cost))
    return distance


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_the_potentials_are_the_shortest_paths_of_the_whole_residual_graph(data: st.DataObject) -> None:
    seeker_count = data.draw(st.integers(0, 7))
    places = data.draw(st.lists(st.integers(0, 3), max_size=4))
    pairs = [
        (person, helper, data.draw(st.integers(0, 1_000_000)))
        for person in range(seeker_count)
        for helper in range(len(places))
        if data.draw(st.booleans())
    ]
    graph = Edges(
        np.array([p for p, _, _ in pairs], dtype=np.int64),
        np.array([h for _, h, _ in pairs], dtype=np.int64),
        np.array([s for _, _, s in pairs], dtype=np.int64),
    )
    solution = solve(graph, seeker_count, np.array(places, dtype=np.int64))
    chosen = {int(edge) for edge in solution.edge_of if edge != UNASSIGNED}
    assert solution.potentials.tolist() == plain_potentials(graph, seeker_count, places, chosen)
