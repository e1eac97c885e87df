"""The reasons for a match, in words, addressed to the person: strongest first.

A part of the score gives a reason only when it found something; the sentence names what: the
topics, the days and times, the language, how and how far.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache, lru_cache

import numpy as np
from numpy.typing import NDArray

from carepath_core.matching.pool import SupporterPool
from carepath_core.matching.profiles import Modality, Seeker, Supporter
from carepath_core.matching.scoring import WEIGHTS, Part, ScoredBlock
from carepath_core.matching.tables import IN_PERSON, MODALITY_BITS
from carepath_core.matching.weekly_hours import join_words, shared_hours_sentence
from carepath_core.search.geo import distance_km
from carepath_core.vocabulary import lived_experience_topics, search_languages

# Below this the descriptions share only a word or two of little weight: not worth a sentence.
EXPERIENCE_REASON_FROM = 0.2
# The parts in the order of the table of weights: the order that breaks ties between parts.
ORDER = tuple(WEIGHTS)
WAYS = {Modality.IN_PERSON: "in person", Modality.ONLINE: "online", Modality.PHONE: "by phone"}


@cache
def _topic_order() -> dict[str, int]:
    return {code: index for index, code in enumerate(lived_experience_topics())}


def _topics(seeker: Seeker, supporter: Supporter) -> str | None:
    shared = seeker.topics & supporter.topics
    return _topics_sentence(shared) if shared else None


@lru_cache(maxsize=1 << 12)
def _topics_sentence(shared: frozenset[str]) -> str:
    labels, order = lived_experience_topics(), _topic_order()
    # The vocabulary's own order, then any codes it does not know, alphabetically.
    codes = sorted(shared, key=lambda code: (order.get(code, len(order)), code))
    named = [_lower_first(labels.get(code, code.replace("_", " "))) for code in codes]
    return f"You both have lived experience of {join_words(named)}"


def _lower_first(label: str) -> str:
    return label[:1].lower() + label[1:]


def _language(seeker: Seeker, supporter: Supporter) -> str | None:
    names = search_languages()
    for code in seeker.languages:
        if code in supporter.languages:
            return f"Speaks {names.get(code, code)}"
    return None


@cache
def _ways(meets: int) -> str | None:
    """ "Meets in person and online", from the ways both accept (`facts.PairFacts.meets`)."""
    ways = [WAYS[way] for way in Modality if meets & MODALITY_BITS[way]]
    return f"Meets {join_words(ways)}" if ways else None


def _distance(seeker: Seeker, supporter: Supporter, in_person: bool) -> str | None:
    if not in_person or seeker.location is None or supporter.location is None:
        return None
    kilometres = distance_km(seeker.location, supporter.location)
    if kilometres < 1:
        return "Less than 1 km from you"
    return f"About {kilometres:.0f} km from you"


def pair_reasons(
    seeker: Seeker,
    supporter: Supporter,
    parts: Mapping[Part, float],
    *,
    meets: int,
    shared_slots: int,
    common_ground: Callable[[], str | None],
) -> tuple[str, ...]:
    """Reasons for one pair given its parts.

    `meets` holds the ways of meeting both accept (in person only within the person's reach),
    `shared_slots` the half-hour slots both are free (`weekly_hours.slot_bits`), and
    `common_ground` describes what their own words share (asked only when worth a sentence).
    """
    found: dict[Part, str | None] = {
        Part.SHARED_TOPICS: _topics(seeker, supporter) if parts[Part.SHARED_TOPICS] > 0 else None,
        Part.EXPERIENCE_TEXT: (
            common_ground() if parts[Part.EXPERIENCE_TEXT] >= EXPERIENCE_REASON_FROM else None
        ),
        Part.SHARED_HOURS: (
            shared_hours_sentence(shared_slots, seeker.utc_offset_minutes)
            if parts[Part.SHARED_HOURS] > 0
            else None
        ),
        Part.LANGUAGE: _language(seeker, supporter),
        Part.WAYS_OF_MEETING: _ways(meets),
        Part.DISTANCE: _distance(seeker, supporter, bool(meets & IN_PERSON)),
    }
    # Strongest first: the part that added most to the score leads; the table order breaks ties.
    order = sorted(WEIGHTS, key=lambda part: -WEIGHTS[part] * parts[part])
    return tuple(sentence for part in order if (sentence := found[part]) is not None)


def placed_reasons(
    seekers: Sequence[Seeker],
    pool: SupporterPool,
    columns: Sequence[int],
    parts: NDArray[np.float32],
    *,
    meets: Sequence[int],
    shared_slots: Sequence[int],
) -> list[tuple[str, ...]]:
    """The reasons of many pairs at once, word for word what `pair_reasons` gives each.

    A programme places thousands of people: the order of the parts and the tests of which parts
    found something are worked out for all of them together, so only the sentences are written
    one pair at a time (and most of those come from small caches).
    """
    # `parts` has a column per part in `Part` order; `pair_reasons` compares them as Python
    # floats (double precision), and so does this.
    values = parts.astype(np.float64)[:, [list(Part).index(part) for part in ORDER]]
    weights = np.array([WEIGHTS[part] for part in ORDER])
    # A stable sort of the same keys as `pair_reasons`: ties keep the table order there too.
    orders = np.argsort(-(weights * values), axis=1, kind="stable").tolist()
    topics = (values[:, ORDER.index(Part.SHARED_TOPICS)] > 0).tolist()
    in_common = (values[:, ORDER.index(Part.EXPERIENCE_TEXT)] >= EXPERIENCE_REASON_FROM).tolist()
    hours = (values[:, ORDER.index(Part.SHARED_HOURS)] > 0).tolist()
    common_ground = pool.experiences.common_ground
    found: list[tuple[str, ...]] = []
    for index, (seeker, column, ways) in enumerate(zip(seekers, columns, meets, strict=True)):
        supporter = pool.supporters[column]
        sentences = {
            Part.SHARED_TOPICS: _topics(seeker, supporter) if topics[index] else None,
            Part.EXPERIENCE_TEXT: common_ground(seeker.experience, column) if in_common[index] else None,
            Part.SHARED_HOURS: (
                shared_hours_sentence(shared_slots[index], seeker.utc_offset_minutes)
                if hours[index]
                else None
            ),
            Part.LANGUAGE: _language(seeker, supporter),
            Part.WAYS_OF_MEETING: _ways(ways),
            Part.DISTANCE: _distance(seeker, supporter, bool(ways & IN_PERSON)),
        }
        found.append(
            tuple(sentence for place in orders[index] if (sentence := sentences[ORDER[place]]) is not None)
        )
    return found


def reasons_in_block(
    block: ScoredBlock, pool: SupporterPool, seeker: Seeker, row: int, column: int
) -> tuple[str, ...]:
    """The reasons for the pair at (row, column) of a scored block, `seeker` being that row."""
    return pair_reasons(
        seeker,
        pool.supporters[column],
        block.parts_of(row, column),
        meets=int(block.facts.meets[row, column]),
        shared_slots=block.facts.seekers.slot_sets[row] & pool.table.slot_sets[column],
        common_ground=lambda: pool.experiences.common_ground(seeker.experience, column),
    )
