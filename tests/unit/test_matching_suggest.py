"""Suggestions for one person: only supporters who may be matched, best first, with reasons."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from carepath_core.matching import Modality, Seeker, Supporter, SupporterPool, suggest
from carepath_core.matching.scoring import as_score, score_block
from tests.unit.matching_fixtures import may_be_matched, people, seeker, supporter, supporters


def test_best_first_with_the_reasons() -> None:
    pool = [
        supporter("p1", topics=frozenset({"trauma"})),
        supporter("p2", topics=frozenset({"anxiety", "trauma"})),
        supporter("p3", topics=frozenset({"anxiety"}), languages=("fr",)),
    ]
    found = suggest(seeker(topics=frozenset({"anxiety"})), pool)
    assert [item.supporter_id for item in found] == ["p2", "p1"]
    assert found[0].score > found[1].score
    assert found[0].reasons[0] == "You both have lived experience of anxiety"
    assert found[0].parts["shared_topics"] == 1.0


def test_equal_scores_come_in_supporter_id_order_and_the_limit_keeps_ties_fair() -> None:
    pool = [supporter(identifier) for identifier in ("p5", "p3", "p9", "p1", "p7")]
    assert [item.supporter_id for item in suggest(seeker(), pool, limit=3)] == ["p1", "p3", "p5"]
    assert suggest(seeker(), pool, limit=0) == []


def test_full_and_excluded_supporters_are_never_suggested() -> None:
    pool = [supporter("p1", capacity=1, current_load=1), supporter("p2"), supporter("p3")]
    person = seeker(excluded_supporter_ids=frozenset({"p3"}))
    assert [item.supporter_id for item in suggest(person, pool)] == ["p2"]


def test_a_pool_built_once_gives_the_same_suggestions() -> None:
    pool = [supporter(f"p{n}", topics=frozenset({"anxiety"} if n % 2 else {"trauma"})) for n in range(30)]
    person = seeker(topics=frozenset({"anxiety"}))
    assert suggest(person, SupporterPool(pool)) == suggest(person, pool)


@settings(max_examples=80, deadline=None)
@given(people(max_size=1, min_size=1), supporters(max_size=8), st.integers(0, 5))
def test_suggestions_are_the_best_allowed_supporters(
    persons: list[Seeker], pool: list[Supporter], limit: int
) -> None:
    person = persons[0]
    found = suggest(person, pool, limit=limit)
    scaled = score_block([person], SupporterPool(pool)).scaled[0]
    allowed = {
        helper.id: as_score(int(value)) for helper, value in zip(pool, scaled, strict=True) if value >= 0
    }
    for helper in pool:
        rule = may_be_matched(person, helper)
        if rule is not None:
            assert (helper.id in allowed) is rule, helper
    best = sorted(allowed.items(), key=lambda item: (-item[1], item[0]))[:limit]
    assert [(item.supporter_id, item.score) for item in found] == best
    assert all(item.reasons for item in found)


def test_in_person_only_people_see_only_supporters_within_reach() -> None:
    from tests.unit.matching_fixtures import ACROSS_TOWN, CENTRE, NEARBY

    person = seeker(modalities=frozenset({Modality.IN_PERSON}), location=CENTRE, max_distance_km=10)
    pool = [
        supporter("near", modalities=frozenset({Modality.IN_PERSON}), location=NEARBY),
        supporter("far", modalities=frozenset({Modality.IN_PERSON}), location=ACROSS_TOWN),
    ]
    assert [item.supporter_id for item in suggest(person, pool)] == ["near"]
