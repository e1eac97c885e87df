"""The batch-assignment file: reading and checking an instance, and the shape of the result.

An instance lists seekers and supporters with their profiles, or lists them by id with scores
given pair by pair (`"scores": [[seeker id, supporter id, score], ...]`). Anything wrong raises
`InvalidData` naming the record, such as `seekers[3].id: 'a7' is listed twice`, before any work
is done. docs/matching.md shows both forms.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from carepath_core.errors import InvalidData
from carepath_core.fields import at, listing, mapping, require
from carepath_core.matching.assign import assign_profiles
from carepath_core.matching.assign_given_scores import GivenScore, assign_given_scores
from carepath_core.matching.assignment import Assignment
from carepath_core.matching.experience_text import ExperienceScorerFactory, LexicalExperiences
from carepath_core.matching.instance_profiles import read_seeker, read_supporter, record_id

ROOT_KEYS = frozenset({"seekers", "supporters", "scores"})
SCORED_SEEKER_KEYS = frozenset({"id"})
SCORED_SUPPORTER_KEYS = frozenset({"id", "capacity", "current_load"})


@dataclass(frozen=True)
class Instance:
    seekers: tuple[Any, ...]  # Seeker profiles, or ids when scores are given
    supporters: tuple[Any, ...]
    scores: tuple[GivenScore, ...] | None  # None: score the pairs from the profiles


def _not_json(name: str) -> NoReturn:
    raise InvalidData("instance", f"is not JSON: {name} is not a JSON value")


def parse_instance(text: str) -> Instance:
    try:
        document = json.loads(text, parse_constant=_not_json)
    except json.JSONDecodeError as error:
        raise InvalidData(
            "instance", f"is not JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from error
    return read_instance(document)


def _ids(records: Sequence[Any], where: str) -> list[str]:
    seen: set[str] = set()
    ids = []
    for index, raw in enumerate(records):
        record = f"{where}[{index}]"
        identifier = record_id(mapping(raw, record), record)
        if identifier in seen:
            raise InvalidData(f"{record}.id", f"'{identifier}' is listed twice")
        seen.add(identifier)
        ids.append(identifier)
    return ids


def read_instance(document: Any) -> Instance:
    root = mapping(document, "instance")
    unknown = sorted(set(root) - ROOT_KEYS)
    require(not unknown, at("instance", unknown[0] if unknown else ""), "is not a part of an instance")
    seekers, supporters = listing(root, "seekers", ""), listing(root, "supporters", "")
    seeker_ids, supporter_ids = _ids(seekers, "seekers"), _ids(supporters, "supporters")
    if "scores" in root:
        for index, raw in enumerate(seekers):
            _only(raw, SCORED_SEEKER_KEYS, f"seekers[{index}]")
        scored_supporters = []
        for index, raw in enumerate(supporters):
            _only(raw, SCORED_SUPPORTER_KEYS, f"supporters[{index}]")
            scored_supporters.append(read_supporter(raw, f"supporters[{index}]", scored=True))
        scores = _scores(listing(root, "scores", ""), set(seeker_ids), set(supporter_ids))
        return Instance(tuple(seeker_ids), tuple(scored_supporters), scores)
    known = set(supporter_ids)
    return Instance(
        tuple(read_seeker(raw, f"seekers[{index}]", known) for index, raw in enumerate(seekers)),
        tuple(read_supporter(raw, f"supporters[{index}]") for index, raw in enumerate(supporters)),
        None,
    )


def _only(raw: Mapping[str, Any], allowed: frozenset[str], where: str) -> None:
    for key in raw:
        if key not in allowed:
            raise InvalidData(at(where, key), "is not used when scores are given: leave it out")


def _scores(raw: Sequence[Any], seekers: set[str], supporters: set[str]) -> tuple[GivenScore, ...]:
    # Score lists can be long: field names are only spelt out when something is wrong.
    found: list[GivenScore] = []
    pairs: set[tuple[str, str]] = set()
    for index, entry in enumerate(raw):
        if not isinstance(entry, list) or len(entry) != 3:
            raise InvalidData(f"scores[{index}]", "must be a list of three: seeker id, supporter id, score")
        seeker, supporter = _score_id(entry, index, 0), _score_id(entry, index, 1)
        if seeker not in seekers:
            raise InvalidData(f"scores[{index}][0]", f"no seeker has the id '{seeker}'")
        if supporter not in supporters:
            raise InvalidData(f"scores[{index}][1]", f"no supporter has the id '{supporter}'")
        if (seeker, supporter) in pairs:
            raise InvalidData(f"scores[{index}]", f"the pair ({seeker}, {supporter}) is listed twice")
        pairs.add((seeker, supporter))
        found.append(GivenScore(seeker, supporter, _score(entry[2], index)))
    return tuple(found)


def _score_id(entry: list[Any], index: int, position: int) -> str:
    value = entry[position]
    if isinstance(value, bool) or not isinstance(value, str | int) or str(value).strip() == "":
        raise InvalidData(f"scores[{index}][{position}]", "must be an id: text or a whole number")
    return str(value)


def _score(value: Any, index: int) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidData(f"scores[{index}][2]", f"{json.dumps(value)} is not a number")
    if not (math.isfinite(value) and 0 <= value <= 1):
        raise InvalidData(f"scores[{index}][2]", f"{value} is not a number from 0 to 1")
    return float(value)


def assign_instance(
    instance: Instance, experiences: ExperienceScorerFactory = LexicalExperiences
) -> Assignment:
    """The best assignment; `experiences` compares descriptions when scores come from profiles."""
    if instance.scores is not None:
        return assign_given_scores(instance.seekers, instance.supporters, instance.scores)
    return assign_profiles(instance.seekers, instance.supporters, experiences=experiences)


def result_document(assignment: Assignment) -> dict[str, Any]:
    """The result file's content: each person's supporter or none, the loads, the total score."""
    return {
        "assignments": [
            {
                "seeker": placement.seeker_id,
                "supporter": placement.supporter_id,
                "score": placement.score,
                "reasons": list(placement.reasons),
            }
            for placement in assignment.placements
        ],
        "loads": dict(assignment.loads),
        "total_score": assignment.total_score,
    }
