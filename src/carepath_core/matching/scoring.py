"""The match score: a weighted sum of named parts, each from 0 to 1, so every score can be explained.

The score of a pair is between 0 and 1 and is kept to six decimal places (`SCORE_SCALE`), which
is also the unit the assignment solver counts in: what it maximises is exactly what is shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
from numpy.typing import NDArray

from carepath_core.matching.constraints import allowed, exclusions
from carepath_core.matching.facts import PairFacts, pair_facts
from carepath_core.matching.pool import SupporterPool
from carepath_core.matching.profiles import Seeker
from carepath_core.matching.tables import IN_PERSON
from carepath_core.matching.weekly_hours import SLOT_MINUTES

SCORE_SCALE = 1_000_000
NOT_ALLOWED = -1  # the scaled score of a pair a hard constraint rules out
Floats = NDArray[np.float32]


class Part(StrEnum):
    SHARED_TOPICS = "shared_topics"
    EXPERIENCE_TEXT = "experience_text"
    SHARED_HOURS = "shared_hours"
    LANGUAGE = "language"
    WAYS_OF_MEETING = "ways_of_meeting"
    DISTANCE = "distance"


# Why these weights: shared lived experience is what peer support rests on, so the topics a person
# asked for and the likeness of the two descriptions together carry half the score (topics more,
# as they were chosen on purpose; free text is matched on words only). Being free at the same time
# decides whether support happens at all, so it comes next. Language, ways of meeting and distance
# are already hard constraints; their parts only prefer the better of the pairs that pass.
WEIGHTS: Mapping[Part, float] = {
    Part.SHARED_TOPICS: 0.35,
    Part.EXPERIENCE_TEXT: 0.15,
    Part.SHARED_HOURS: 0.20,
    Part.LANGUAGE: 0.10,
    Part.WAYS_OF_MEETING: 0.10,
    Part.DISTANCE: 0.10,
}
# Three hours a week in common leaves room to move a weekly session; more does not help further.
FULL_HOURS_MINUTES = 180
# Two people telling the same kind of story in their own words rarely share more than half their
# weighted words, so a likeness of 0.5 already counts as full marks.
FULL_TEXT_LIKENESS = 0.5
OTHER_LANGUAGE = 0.5  # a shared language that is not the person's first still works, less well


@dataclass(frozen=True)
class _Pairs:
    """The facts of some pairs, the person's side shaped to line up with the supporter's."""

    facts: PairFacts
    index: tuple[NDArray[np.int64], NDArray[np.int64]] | None  # (rows, columns), or None for all

    def pair(self, values: NDArray[Any]) -> NDArray[Any]:
        return values if self.index is None else values[self.index]

    def person(self, values: NDArray[Any]) -> NDArray[Any]:
        return values[:, None] if self.index is None else values[self.index[0]]


def _part(pairs: _Pairs, part: Part) -> Floats:
    return np.asarray(_part_values(pairs, part), dtype=np.float32)


def _part_values(pairs: _Pairs, part: Part) -> Any:
    facts, seekers = pairs.facts, pairs.facts.seekers
    one = np.float32(1)
    if part is Part.SHARED_TOPICS:
        wanted = pairs.person(np.maximum(seekers.wanted_topics, one))
        return (pairs.pair(facts.shared_topics) / wanted).astype(np.float32)
    if part is Part.EXPERIENCE_TEXT:
        return np.minimum(pairs.pair(facts.experience) / np.float32(FULL_TEXT_LIKENESS), one)
    if part is Part.SHARED_HOURS:
        hours = np.minimum(
            pairs.pair(facts.shared_slots) * np.float32(SLOT_MINUTES / FULL_HOURS_MINUTES), one
        )
        return np.where(pairs.pair(facts.hours_known), hours, np.float32(0))
    if part is Part.LANGUAGE:
        other = np.where(pairs.pair(facts.any_language), np.float32(OTHER_LANGUAGE), np.float32(0))
        return np.where(pairs.pair(facts.first_language), one, other)
    meets = pairs.pair(facts.meets)
    if part is Part.WAYS_OF_MEETING:
        wanted_ways = pairs.person(np.bitwise_count(seekers.modalities).astype(np.float32))
        return (np.bitwise_count(meets) / wanted_ways).astype(np.float32)
    # Distance matters only to people who said they want to meet in person: a supporter out of
    # their reach gets nothing for it. To everyone else every supporter is equally near.
    wants_in_person = pairs.person(seekers.asked_in_person)
    reach = pairs.person(seekers.max_distance_km.astype(np.float32))
    closeness = np.where((meets & IN_PERSON) != 0, one - pairs.pair(facts.distance_km) / reach, 0)
    return np.where(wants_in_person, closeness, one).astype(np.float32)


@dataclass(frozen=True)
class ScoredBlock:
    facts: PairFacts
    free_places: NDArray[np.int64]
    scaled: NDArray[np.int32]  # the score in millionths; NOT_ALLOWED where a constraint rules it out

    def parts_at(self, rows: NDArray[np.int64], columns: NDArray[np.int64]) -> Floats:
        """The parts of some pairs: one row per pair, one column per part in `Part` order."""
        pairs = _Pairs(self.facts, (rows, columns))
        return np.stack([_part(pairs, part) for part in Part], axis=1)

    def parts_of(self, row: int, column: int) -> dict[Part, float]:
        values = self.parts_at(np.array([row]), np.array([column]))[0].tolist()
        return dict(zip(Part, values, strict=True))

    def exclusions_of(self, rows: NDArray[np.int64]) -> NDArray[np.int8]:
        """`Exclusion` codes (0 where the pair fits) for some rows: the reasons behind NOT_ALLOWED."""
        return exclusions(self.facts.rows(rows), self.free_places)


def score_block(seekers: Sequence[Seeker], pool: SupporterPool) -> ScoredBlock:
    """Hard constraints and scores for every pair of these people and the pool."""
    facts = pair_facts(seekers, pool)
    everything = _Pairs(facts, None)
    total = np.zeros(facts.excluded.shape, dtype=np.float32)
    for part, weight in WEIGHTS.items():
        total += np.float32(weight) * _part(everything, part)
    total *= np.float32(SCORE_SCALE)
    scaled = np.rint(total, out=total).astype(np.int32)
    scaled[~allowed(facts, pool.table.free_places)] = NOT_ALLOWED
    return ScoredBlock(facts, pool.table.free_places, scaled)


def as_score(scaled: int) -> float:
    return scaled / SCORE_SCALE
