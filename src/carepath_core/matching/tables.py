"""Profiles as columns of numbers, so a person can be compared with thousands of supporters at once.

Sets (topics, languages, half-hour slots) become rows of 0s and 1s, so what two people share is
counted by a matrix product: for a block of people and a whole pool that is one fast call, and
the counts are whole numbers, exact in single precision. Each topic or language has a column
given by the supporters' pool (`Codebook`); a seeker's topic no supporter has cannot be shared,
so it needs no column, but it still counts in what the seeker asked for.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from carepath_core.matching.profiles import Modality, Seeker, Supporter
from carepath_core.matching.weekly_hours import SLOT_BYTES, SLOTS_PER_WEEK, slot_bits
from carepath_core.search.geo import Point

MODALITY_BITS = {modality: 1 << index for index, modality in enumerate(Modality)}
ALL_MODALITIES = sum(MODALITY_BITS.values())
IN_PERSON = MODALITY_BITS[Modality.IN_PERSON]


Flags = NDArray[np.float32]  # rows of 0.0 and 1.0


@dataclass(frozen=True)
class Codebook:
    """The column each topic code and language code has in this pool, and the half-hour slots of
    the week some supporter is free in: only those need a column, as no pair can share another."""

    topics: dict[str, int]
    languages: dict[str, int]
    slots: NDArray[np.intp]  # positions in the week's slots, in order

    @classmethod
    def of(cls, supporters: Sequence[Supporter]) -> Codebook:
        topics: dict[str, int] = {}
        languages: dict[str, int] = {}
        for supporter in supporters:
            for topic in sorted(supporter.topics):
                topics.setdefault(topic, len(topics))
            for language in supporter.languages:
                languages.setdefault(language, len(languages))
        anyone_free = 0
        for supporter in supporters:
            anyone_free |= slot_bits(supporter.availability)
        slots = np.flatnonzero(_slot_flags([anyone_free])[0])
        # At least one column, so that the products keep their shape when nobody gave hours.
        return cls(topics, languages, slots if len(slots) else np.zeros(1, dtype=np.intp))


def _flags(sets: Sequence[Iterable[str]], columns: dict[str, int]) -> Flags:
    """One row per set, a 1 in the column of each code the pool knows."""
    rows: list[int] = []
    found: list[int] = []
    for row, codes in enumerate(sets):
        for code in codes:
            if code in columns:
                rows.append(row)
                found.append(columns[code])
    flags = np.zeros((len(sets), max(len(columns), 1)), dtype=np.float32)
    flags[rows, found] = 1.0
    return flags


def _slot_flags(slot_sets: Sequence[int], columns: NDArray[np.intp] | None = None) -> Flags:
    """One row per slot set; every slot of the week, or only the given columns."""
    packed = np.frombuffer(b"".join(value.to_bytes(SLOT_BYTES, "little") for value in slot_sets), np.uint8)
    bits = np.unpackbits(packed.reshape(len(slot_sets), SLOT_BYTES), axis=1, bitorder="little")
    if columns is None:
        return bits[:, :SLOTS_PER_WEEK].astype(np.float32)
    return bits[:, columns].astype(np.float32)


def _unit_vectors(points: Sequence[Point | None]) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Positions as points on the unit sphere (zeros where unknown): distances come from these."""
    vectors = np.zeros((len(points), 3))
    known = np.array([point is not None for point in points], dtype=bool)
    for row, point in enumerate(points):
        if point is not None:
            latitude, longitude = math.radians(point.latitude), math.radians(point.longitude)
            vectors[row] = (
                math.cos(latitude) * math.cos(longitude),
                math.cos(latitude) * math.sin(longitude),
                math.sin(latitude),
            )
    return vectors, known


def _ways(modalities: frozenset[Modality]) -> int:
    return sum(MODALITY_BITS[modality] for modality in modalities)


@dataclass(frozen=True)
class SupporterTable:
    """Set columns are transposed (codes down, supporters across), ready for the products."""

    topics: Flags  # (topics, n)
    languages: Flags  # (languages, n)
    slots: Flags  # (slots some supporter is free in, n)
    has_hours: NDArray[np.bool_]
    modalities: NDArray[np.uint8]
    position: NDArray[np.float64]  # (n, 3)
    has_position: NDArray[np.bool_]
    free_places: NDArray[np.int64]
    slot_sets: tuple[int, ...]  # the same slots as plain integers, for putting hours into words

    @classmethod
    def of(cls, supporters: Sequence[Supporter], codebook: Codebook) -> SupporterTable:
        bits = tuple(slot_bits(supporter.availability) for supporter in supporters)
        position, has_position = _unit_vectors([supporter.location for supporter in supporters])
        return cls(
            topics=np.ascontiguousarray(_flags([s.topics for s in supporters], codebook.topics).T),
            languages=np.ascontiguousarray(_flags([s.languages for s in supporters], codebook.languages).T),
            slots=np.ascontiguousarray(_slot_flags(bits, codebook.slots).T),
            has_hours=np.array([bool(s.availability) for s in supporters], dtype=bool),
            modalities=np.array([_ways(s.modalities) for s in supporters], dtype=np.uint8),
            position=position,
            has_position=has_position,
            free_places=np.array([s.free_places for s in supporters], dtype=np.int64),
            slot_sets=bits,
        )


@dataclass(frozen=True)
class SeekerTable:
    topics: Flags  # (m, topics)
    wanted_topics: NDArray[np.float32]  # how many topics each asked for, known to the pool or not
    languages: Flags
    first_language: Flags
    slots: Flags
    has_hours: NDArray[np.bool_]
    modalities: NDArray[np.uint8]  # what they asked for; all three when they did not say
    asked_in_person: NDArray[np.bool_]  # they said they want to meet in person
    position: NDArray[np.float64]
    has_position: NDArray[np.bool_]
    max_distance_km: NDArray[np.float64]
    excluded: tuple[tuple[int, ...], ...]  # positions in the pool of the supporters each excluded
    slot_sets: tuple[int, ...]

    @classmethod
    def of(cls, seekers: Sequence[Seeker], codebook: Codebook, pool_ids: dict[str, int]) -> SeekerTable:
        bits = tuple(slot_bits(seeker.availability) for seeker in seekers)
        position, has_position = _unit_vectors([seeker.location for seeker in seekers])
        return cls(
            topics=_flags([s.topics for s in seekers], codebook.topics),
            wanted_topics=np.array([len(s.topics) for s in seekers], dtype=np.float32),
            languages=_flags([s.languages for s in seekers], codebook.languages),
            first_language=_flags([s.languages[:1] for s in seekers], codebook.languages),
            slots=_slot_flags(bits, codebook.slots),
            has_hours=np.array([bool(s.availability) for s in seekers], dtype=bool),
            modalities=np.array([_ways(s.modalities) or ALL_MODALITIES for s in seekers], dtype=np.uint8),
            asked_in_person=np.array([Modality.IN_PERSON in s.modalities for s in seekers], dtype=bool),
            position=position,
            has_position=has_position,
            max_distance_km=np.array([s.max_distance_km for s in seekers], dtype=np.float64),
            excluded=tuple(
                tuple(pool_ids[i] for i in sorted(s.excluded_supporter_ids) if i in pool_ids) for s in seekers
            ),
            slot_sets=bits,
        )
