"""Likeness of descriptions by meaning: the cosine of sentence embeddings.

This is the semantic `ExperienceScorer`. It takes any `Encoder` (texts in, one vector per text
out), so the core stays free of model files and frameworks: the Django side loads the optional
sentence-embedding model and hands its `encode` in (`carepath.matching.experience_scorers`),
and tests hand in a small deterministic encoder. Unlike the lexical scorer it sees that "grief"
and "loss" are close, but it cannot name shared words, so its reason says so in general terms.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

import numpy as np
from numpy.typing import NDArray

from carepath_core.matching.experience_text import ExperienceScorer, ExperienceScorerFactory

Encoder = Callable[[Sequence[str]], NDArray[np.floating]]  # one row per text
# A cosine this high between two people's own words is a likeness worth a sentence; below it the
# two texts only share the general subject of mental health, which every description does.
MEANING_REASON_FROM = 0.5
COMMON_GROUND = "What they wrote about their own experience is close in meaning to what you wrote"


def _unit_rows(vectors: NDArray[np.floating], count: int) -> NDArray[np.float64]:
    rows = np.asarray(vectors, dtype=np.float64).reshape(count, -1)
    lengths = np.linalg.norm(rows, axis=1, keepdims=True)
    # An empty text has no direction: it stays all zeros, so it is like nothing.
    unit: NDArray[np.float64] = np.divide(rows, lengths, out=np.zeros_like(rows), where=lengths > 0)
    return unit


class MeaningExperiences:
    """Cosine of embeddings, clipped to 0..1; empty descriptions are like nothing."""

    def __init__(self, supporter_texts: Sequence[str], encoder: Encoder) -> None:
        self._encoder = encoder
        self._supporters = self._embedded(supporter_texts)

    def _embedded(self, texts: Sequence[str]) -> NDArray[np.float64]:
        if not texts:
            return np.zeros((0, 0))
        wanted = [index for index, text in enumerate(texts) if text.strip()]
        vectors = _unit_rows(self._encoder([texts[i] for i in wanted]), len(wanted)) if wanted else None
        width = vectors.shape[1] if vectors is not None else 1
        rows = np.zeros((len(texts), width))
        if vectors is not None:
            rows[wanted] = vectors
        return rows

    def similarity(self, seeker_texts: Sequence[str]) -> NDArray[np.float32]:
        if not len(self._supporters) or not seeker_texts:
            return np.zeros((len(seeker_texts), len(self._supporters)), dtype=np.float32)
        ours = self._embedded(seeker_texts)
        if ours.shape[1] != self._supporters.shape[1]:  # every seeker text was empty
            return np.zeros((len(seeker_texts), len(self._supporters)), dtype=np.float32)
        return np.clip(ours @ self._supporters.T, 0.0, 1.0).astype(np.float32)

    def common_ground(self, seeker_text: str, supporter_position: int) -> str | None:
        likeness = float(self.similarity([seeker_text])[0, supporter_position])
        return COMMON_GROUND if likeness >= MEANING_REASON_FROM else None


def meaning_experiences(encoder: Encoder) -> ExperienceScorerFactory:
    """A factory for `SupporterPool(experiences=...)` that embeds with this encoder."""
    factory: Callable[[Sequence[str]], ExperienceScorer] = partial(MeaningExperiences, encoder=encoder)
    return factory
