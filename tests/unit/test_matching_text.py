"""Likeness of free-text descriptions: the lexical scorer, and a place for another scorer."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from carepath_core.matching import LexicalExperiences, SupporterPool, suggest
from carepath_core.matching.experience_text import WORD, experience_words, text_words
from tests.unit.matching_fixtures import seeker, supporter


def test_words_are_folded_stop_words_dropped_and_plurals_joined() -> None:
    assert experience_words("The PANIC attacks, and Attack after attack; I'm in Zürich") == {
        "panic": "panic",
        "attack": "attacks",
        "zurich": "zurich",
    }
    assert list(experience_words("worries, stress, bus, crisis, families")) == [
        "worry",
        "stress",
        "bus",
        "crisis",
        "family",
    ]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_plain_ascii_text_splits_into_the_same_words_as_the_pattern(text: str) -> None:
    assert text_words(text) == WORD.findall(text.lower())


def test_text_beyond_ascii_splits_by_the_pattern_after_folding() -> None:
    assert text_words("Zoë's CAFÉ_2 in Łódź") == ["zoe", "s", "cafe", "in", "łodz"]


def test_the_same_words_score_one_and_no_shared_words_zero() -> None:
    scorer = LexicalExperiences(["panic attacks at work", "grief after my mother died", ""])
    likeness = scorer.similarity(["Panic attack at work!", "nothing in common here", ""])
    assert likeness[0].tolist() == pytest.approx([1.0, 0.0, 0.0], abs=1e-6)
    assert likeness[1].tolist() == [0.0, 0.0, 0.0]
    assert likeness[2].tolist() == [0.0, 0.0, 0.0]


def test_rare_shared_words_count_more_than_common_ones() -> None:
    pool = ["lonely after moving city", "lonely at night", "lonely at weekends", "postnatal depression"]
    scorer = LexicalExperiences(pool)
    likeness = scorer.similarity(["lonely with postnatal depression"])[0]
    assert likeness[3] > likeness[1] > 0


def plain_tf_idf_cosine(ours: str, pool: list[str], position: int) -> float:
    """TF-IDF with presence, smoothed IDF from the pool: written out directly, for comparison."""
    documents = [set(experience_words(text)) for text in pool]
    words = set(experience_words(ours))

    def weight(word: str) -> float:
        frequency = sum(word in document for document in documents)
        return math.log((1 + len(pool)) / (1 + frequency)) + 1

    theirs = documents[position]
    dot = sum(weight(word) ** 2 for word in words & theirs)
    norms = math.sqrt(sum(weight(w) ** 2 for w in words)) * math.sqrt(sum(weight(w) ** 2 for w in theirs))
    return dot / norms if norms else 0.0


stories = st.lists(
    st.sampled_from(["panic", "attacks", "grief", "mother", "work", "sleep", "lonely", "baby", "drinking"]),
    max_size=8,
).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(stories, st.lists(stories, min_size=1, max_size=5))
def test_block_likeness_equals_the_plain_formula(ours: str, pool: list[str]) -> None:
    likeness = LexicalExperiences(pool).similarity([ours])[0]
    for position in range(len(pool)):
        assert likeness[position] == pytest.approx(plain_tf_idf_cosine(ours, pool, position), abs=1e-5)


def test_common_ground_names_the_rarest_shared_words_as_the_person_wrote_them() -> None:
    scorer = LexicalExperiences(["work stress and panic attacks", "work", "work and sleep"])
    assert scorer.common_ground("Panic attack at work", 0) == (
        "What they wrote about their own experience shares words with yours: attack, panic and work"
    )
    assert scorer.common_ground("grief", 0) is None


class EverythingAlike:
    """A stand-in for a semantic scorer: plugs in through the same two methods."""

    def __init__(self, supporter_texts: Sequence[str]) -> None:
        self.count = len(supporter_texts)

    def similarity(self, seeker_texts: Sequence[str]) -> NDArray[np.float32]:
        return np.ones((len(seeker_texts), self.count), dtype=np.float32)

    def common_ground(self, seeker_text: str, supporter_position: int) -> str | None:
        return "What they wrote is close in meaning to what you wrote"


def test_another_experience_scorer_plugs_in() -> None:
    pool = SupporterPool([supporter("p1", experience="x"), supporter("p2", experience="y")], EverythingAlike)
    found = suggest(seeker(experience="something else"), pool)
    assert [item.parts["experience_text"] for item in found] == [1.0, 1.0]
    assert found[0].reasons[0] == "What they wrote is close in meaning to what you wrote"
