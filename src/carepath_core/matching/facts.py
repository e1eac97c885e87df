"""What a block of people and a pool of supporters have in common, pair by pair.

Everything here works on whole blocks (people down, supporters across), so the hard constraints
and the score are computed the same way for one person's suggestions and for a programme's
assignment, and never drift apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
from numpy.typing import NDArray

from carepath_core.matching.pool import SupporterPool
from carepath_core.matching.profiles import Seeker
from carepath_core.matching.tables import IN_PERSON, SeekerTable
from carepath_core.search.geo import EARTH_RADIUS_KM

NOT_IN_PERSON = np.uint8(~IN_PERSON & 0xFF)


@dataclass(frozen=True)
class PairFacts:
    """One row per person, one column per supporter in the pool."""

    seekers: SeekerTable
    shared_topics: NDArray[np.float32]  # whole numbers
    shared_slots: NDArray[np.float32]  # whole numbers of half-hour slots
    hours_known: NDArray[np.bool_]  # both gave their hours
    first_language: NDArray[np.bool_]  # the supporter speaks the person's first language
    any_language: NDArray[np.bool_]
    meets: NDArray[np.uint8]  # ways of meeting both accept; in person only within the person's reach
    distance_km: NDArray[np.float32]  # NaN where the person does not want to meet in person
    experience: NDArray[np.float32]  # likeness of their descriptions, 0 to 1
    excluded: NDArray[np.bool_]  # the person asked not to be matched with this supporter

    def rows(self, rows: NDArray[np.int64]) -> PairFacts:
        """The facts of some rows only (to explain why a few people fit no supporter)."""
        return PairFacts(
            **{
                item.name: _take(getattr(self, item.name), rows)
                for item in fields(PairFacts)
                if item.name != "seekers"
            },
            seekers=SeekerTable(
                **{item.name: _take(getattr(self.seekers, item.name), rows) for item in fields(SeekerTable)}
            ),
        )


def _take(values: Any, rows: NDArray[np.int64]) -> Any:
    if isinstance(values, np.ndarray):
        return values[rows]
    return tuple(values[row] for row in rows.tolist())


def great_circle_km(ours: NDArray[np.float64], theirs: NDArray[np.float64]) -> NDArray[np.float32]:
    """Distances between unit vectors: the haversine distance of `search.geo.distance_km`, in bulk."""
    # The dot product written out: element by element, so every pair gets exactly the same
    # arithmetic however the block is shaped (a matrix product may add up in another order).
    dot = ours[:, None, 0] * theirs[None, :, 0] + ours[:, None, 1] * theirs[None, :, 1]
    dot += ours[:, None, 2] * theirs[None, :, 2]
    chord_squared = np.maximum(2.0 - 2.0 * dot, 0.0)
    return (2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(np.sqrt(chord_squared) / 2, 1.0))).astype(np.float32)


def _distances(seekers: SeekerTable, pool: SupporterPool) -> NDArray[np.float32]:
    """Distances between people who want to meet in person and supporters who do, where both
    gave a place; NaN everywhere else (no other pair can meet in person, so none needs one)."""
    distance = np.full((len(seekers.has_position), len(pool)), np.nan, dtype=np.float32)
    rows = np.flatnonzero(seekers.has_position & ((seekers.modalities & IN_PERSON) != 0))
    columns = np.flatnonzero(pool.table.has_position & ((pool.table.modalities & IN_PERSON) != 0))
    if len(rows) and len(columns):
        found = great_circle_km(seekers.position[rows], pool.table.position[columns])
        distance[np.ix_(rows, columns)] = found
    return distance


def pair_facts(seekers: Sequence[Seeker], pool: SupporterPool) -> PairFacts:
    table = pool.seeker_table(seekers)
    theirs = pool.table
    distance = _distances(table, pool)
    with np.errstate(invalid="ignore"):  # NaN compares as False: no place, no meeting in person
        in_reach = distance <= table.max_distance_km.astype(np.float32)[:, None]
    meets = table.modalities[:, None] & theirs.modalities[None, :]
    meets &= np.where(in_reach, np.uint8(0xFF), NOT_IN_PERSON)
    excluded = np.zeros((len(seekers), len(pool)), dtype=bool)
    for row, positions in enumerate(table.excluded):
        excluded[row, list(positions)] = True
    texts = [seeker.experience for seeker in seekers]
    if any(texts) and len(pool):
        experience = pool.experiences.similarity(texts)
    else:
        experience = np.zeros((len(seekers), len(pool)), dtype=np.float32)
    return PairFacts(
        seekers=table,
        shared_topics=table.topics @ theirs.topics,
        shared_slots=table.slots @ theirs.slots,
        hours_known=table.has_hours[:, None] & theirs.has_hours[None, :],
        first_language=(table.first_language @ theirs.languages) > 0,
        any_language=(table.languages @ theirs.languages) > 0,
        meets=meets,
        distance_km=distance,
        experience=experience,
        excluded=excluded,
    )
