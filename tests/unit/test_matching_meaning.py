"""The semantic experience scorer's plumbing, with a tiny deterministic encoder in place of a model:
cosines clipped to 0..1, empty texts like nothing, the reason only for close meaning, and the
scorer really steering suggestions and a batch assignment where the lexical one cannot."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from numpy.typing import NDArray

from carepath_core.matching import LexicalExperiences, SupporterPool, assign_profiles, suggest
from carepath_core.matching.experience_meaning import (
    COMMON_GROUND,
    MeaningExperiences,
    meaning_experiences,
)
from tests.unit.matching_fixtures import seeker, supporter

# Words that mean the same thing share an axis: what a sentence model does, in miniature.
AXES = {"grief": 0, "loss": 0, "bereaved": 0, "panic": 1, "anxious": 1, "worry": 1, "debt": 2, "money": 2}


def tiny_encoder(texts: Sequence[str]) -> NDArray[np.float64]:
    vectors = np.zeros((len(texts), 3))
    for row, text in enumerate(texts):
        for word in text.lower().split():
            if word in AXES:
                vectors[row, AXES[word]] += 1.0
    return vectors


def test_similarity_is_the_cosine_of_the_vectors_clipped_to_0_and_1() -> None:
    scorer = MeaningExperiences(["grief", "panic", "grief panic", ""], tiny_encoder)
    found = scorer.similarity(["loss", "worry worry", "debt"])
    assert found.dtype == np.float32 and found.shape == (3, 4)
    assert found[0].tolist() == pytest.approx([1.0, 0.0, 2**-0.5, 0.0])
    assert found[1].tolist() == pytest.approx([0.0, 1.0, 2**-0.5, 0.0])
    assert found[2].tolist() == [0.0, 0.0, 0.0, 0.0]


def test_opposite_meanings_count_as_nothing_in_common_not_less() -> None:
    def signed(texts: Sequence[str]) -> NDArray[np.float64]:
        return np.array([[1.0, 0.0] if text == "up" else [-1.0, 0.0] for text in texts])

    scorer = MeaningExperiences(["up"], signed)
    assert scorer.similarity(["up", "down"]).tolist() == [[1.0], [0.0]]


def test_empty_texts_are_not_sent_to_the_encoder_and_are_like_nothing() -> None:
    seen: list[list[str]] = []

    def recording(texts: Sequence[str]) -> NDArray[np.float64]:
        seen.append(list(texts))
        return tiny_encoder(texts)

    scorer = MeaningExperiences(["grief", "  "], recording)
    assert scorer.similarity(["", "   "]).tolist() == [[0.0, 0.0], [0.0, 0.0]]
    assert seen == [["grief"]]
    assert MeaningExperiences([], recording).similarity(["grief"]).shape == (1, 0)


def test_common_ground_is_said_only_when_the_meaning_is_close() -> None:
    scorer = MeaningExperiences(["grief", "grief panic worry debt"], tiny_encoder)
    assert scorer.common_ground("loss", 0) == COMMON_GROUND  # cosine 1
    assert scorer.common_ground("loss", 1) is None  # cosine 0.41: the same subject, not the same story


def test_suggestions_follow_meaning_where_the_words_differ() -> None:
    supporters = [
        supporter("p1", experience="panic every morning"),
        supporter("p2", experience="grief after the funeral"),
    ]
    person = seeker("s1", experience="bereaved and loss")
    lexical = suggest(person, SupporterPool(supporters, LexicalExperiences))
    assert lexical[0].parts["experience_text"] == 0.0 and lexical[1].parts["experience_text"] == 0.0
    meaning = suggest(person, SupporterPool(supporters, meaning_experiences(tiny_encoder)))
    assert [item.supporter_id for item in meaning] == ["p2", "p1"]
    assert meaning[0].parts["experience_text"] == 1.0
    assert COMMON_GROUND in meaning[0].reasons


def test_a_batch_assignment_takes_the_semantic_scorer_too() -> None:
    people = [seeker("s1", experience="money and debt"), seeker("s2", experience="anxious all day")]
    supporters = [
        supporter("p1", capacity=1, experience="panic attacks"),
        supporter("p2", capacity=1, experience="debt collectors"),
    ]
    found = assign_profiles(people, supporters, experiences=meaning_experiences(tiny_encoder))
    assert {p.seeker_id: p.supporter_id for p in found.placements} == {"s1": "p2", "s2": "p1"}
    assert all(COMMON_GROUND in p.reasons for p in found.placements)
