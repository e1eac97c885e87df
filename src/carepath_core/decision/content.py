"""The decision aid's content (data written and cited by the project), parsed strictly."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from carepath_core.decision.dimensions import DIMENSION_IDS, Favours
from carepath_core.errors import InvalidData
from carepath_core.fields import at, choice, listing, mapping, optional_text, require, text

CERTAINTY = ("high", "moderate", "low", "very_low")


@dataclass(frozen=True, slots=True)
class OptionView:
    what_it_is_like: str
    benefits: tuple[str, ...]
    drawbacks: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Evidence:
    summary: str
    certainty: str
    citations: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Dimension:
    id: str
    title: str
    question: str
    favours: Favours
    peer: OptionView
    professional: OptionView
    both: str
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class Citation:
    id: str
    text: str
    url: str
    verified: bool


@dataclass(frozen=True, slots=True)
class DecisionAid:
    id: str
    version: str
    produced: str
    next_review: str
    update_policy: str
    made_by: str
    funding: str
    conflicts_of_interest: str
    problem: str
    decision: str
    not_for: str
    options: Mapping[str, tuple[str, str]]  # option id -> (name, summary)
    dimensions: tuple[Dimension, ...]
    citations: Mapping[str, Citation]
    reading_grade: float

    def dimension(self, dimension_id: str) -> Dimension:
        return next(d for d in self.dimensions if d.id == dimension_id)


def parse_decision_aid(document: Mapping[str, Any]) -> DecisionAid:
    raw = mapping(document, "decision_aid")
    dimensions = tuple(
        _dimension(mapping(d, f"dimensions[{i}]"), f"dimensions[{i}]")
        for i, d in enumerate(listing(raw, "dimensions", ""))
    )
    require(
        tuple(d.id for d in dimensions) == DIMENSION_IDS,
        "dimensions",
        f"must be the ten dimensions in order: {', '.join(DIMENSION_IDS)}",
    )
    citations = {
        key: _citation(key, mapping(value, f"citations.{key}"))
        for key, value in mapping(raw.get("citations"), "citations").items()
    }
    for d in dimensions:
        for cited in d.evidence.citations:
            require(
                cited in citations, f"dimensions.{d.id}.evidence.citations", f"'{cited}' is not in citations"
            )
    options = mapping(raw.get("options"), "options")
    reading = mapping(raw.get("reading_level"), "reading_level")
    grade = reading.get("flesch_kincaid_grade")
    if not isinstance(grade, int | float) or isinstance(grade, bool):
        raise InvalidData("reading_level.flesch_kincaid_grade", "must be a number")
    return DecisionAid(
        id=text(raw, "id", ""),
        version=text(raw, "version", ""),
        produced=text(raw, "produced", ""),
        next_review=text(raw, "next_review", ""),
        update_policy=text(raw, "update_policy", ""),
        made_by=text(raw, "made_by", ""),
        funding=text(raw, "funding", ""),
        conflicts_of_interest=text(raw, "conflicts_of_interest", ""),
        problem=text(raw, "problem", ""),
        decision=text(raw, "decision", ""),
        not_for=text(raw, "not_for", ""),
        options={
            key: (
                text(mapping(options.get(key), f"options.{key}"), "name", f"options.{key}"),
                text(mapping(options.get(key), f"options.{key}"), "summary", f"options.{key}"),
            )
            for key in ("peer", "professional", "both")
        },
        dimensions=dimensions,
        citations=citations,
        reading_grade=float(grade),
    )


def _dimension(raw: Mapping[str, Any], where: str) -> Dimension:
    evidence = mapping(raw.get("evidence"), at(where, "evidence"))
    both = mapping(raw.get("both"), at(where, "both"))
    return Dimension(
        id=text(raw, "id", where),
        title=text(raw, "title", where),
        question=text(raw, "question", where),
        favours=Favours(choice(raw, "favours", where, [f.value for f in Favours])),
        peer=_option_view(mapping(raw.get("peer"), at(where, "peer")), at(where, "peer")),
        professional=_option_view(
            mapping(raw.get("professional"), at(where, "professional")), at(where, "professional")
        ),
        both=text(both, "what_it_is_like", at(where, "both")),
        evidence=Evidence(
            summary=text(evidence, "summary", at(where, "evidence")),
            certainty=choice(evidence, "certainty", at(where, "evidence"), CERTAINTY),
            citations=tuple(str(c) for c in listing(evidence, "citations", at(where, "evidence"))),
        ),
    )


def _option_view(raw: Mapping[str, Any], where: str) -> OptionView:
    return OptionView(
        what_it_is_like=text(raw, "what_it_is_like", where),
        benefits=tuple(str(b) for b in listing(raw, "benefits", where)),
        drawbacks=tuple(str(d) for d in listing(raw, "drawbacks", where)),
    )


def _citation(key: str, raw: Mapping[str, Any]) -> Citation:
    verified = raw.get("verified")
    require(isinstance(verified, bool), f"citations.{key}.verified", "must be true or false")
    return Citation(
        id=key,
        text=text(raw, "text", f"citations.{key}"),
        url=optional_text(raw, "url", f"citations.{key}"),
        verified=bool(verified),
    )
