"""Suggested peer supporters for one person, in the form the page and the API show them.

Only what a supporter chose to put forward leaves this module: their name, topics, languages,
ways of meeting, their own words, what they chose to share about themselves, their certification
and confidentiality statement. Their place, supervisor and load never do; distance appears only
inside the core's reasons, in words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from carepath.matching import selectors
from carepath.matching.experience_scorers import experience_scorer
from carepath.matching.models import Modality, PeerSupporterProfile
from carepath_core.matching import Exclusion, Seeker, SupporterPool, suggest
from carepath_core.matching.scoring import score_block
from carepath_core.vocabulary import lived_experience_topics, search_languages

# Why supporters were left out, said to the person (the core's own wording is about "the person").
LEFT_OUT = {
    Exclusion.REQUESTED: (
        "is someone you asked not to be matched with",
        "are people you asked not to be matched with",
    ),
    Exclusion.FULL: ("has no free places at the moment", "have no free places at the moment"),
    Exclusion.LANGUAGE: ("speaks none of your languages", "speak none of your languages"),
    Exclusion.MEETING: (
        "cannot meet in a way you asked for",
        "cannot meet in a way you asked for",
    ),
    Exclusion.HOURS: (
        "is free at the same times as you for less than an hour a week",
        "are free at the same times as you for less than an hour a week",
    ),
}
MAX_LIMIT = 50


@dataclass(frozen=True)
class SuggestedSupporter:
    supporter: str
    display_name: str
    score: float
    reasons: list[str]
    shared_topics: list[str]
    shared_topic_labels: list[str]
    languages: list[str]
    language_labels: list[str]
    modalities: list[str]
    modality_labels: list[str]
    experience: str
    shared_identity: str | None
    certification: str | None
    confidentiality_statement: str | None


@dataclass(frozen=True)
class LeftOut:
    reason: str
    count: int

    @property
    def sentence(self) -> str:
        one, many = LEFT_OUT[Exclusion[self.reason]]
        return f"{self.count} {one if self.count == 1 else many}"


@dataclass(frozen=True)
class Suggestions:
    supporters: list[SuggestedSupporter]
    left_out: list[LeftOut] = field(default_factory=list)
    considered: int = 0


def suggestions_for(seeker: Seeker, limit: int = 10) -> Suggestions:
    """The best `limit` active supporters for this person, and how many each constraint left out."""
    supporters = selectors.active_supporters()
    if not supporters:
        return Suggestions([], [], 0)
    pool = SupporterPool(supporters, experience_scorer())
    found = suggest(seeker, pool, limit=min(limit, MAX_LIMIT))
    profiles = selectors.supporter_profiles_by_id([s.supporter_id for s in found])
    shown = [
        _shown(profiles[s.supporter_id], seeker, s.score, list(s.reasons))
        for s in found
        if s.supporter_id in profiles
    ]
    return Suggestions(shown, _left_out(seeker, pool), len(supporters))


def _left_out(seeker: Seeker, pool: SupporterPool) -> list[LeftOut]:
    codes = score_block([seeker], pool).exclusions_of(np.array([0]))[0]
    counted = np.bincount(codes.astype(np.int64), minlength=len(Exclusion) + 1)
    return [LeftOut(e.name, int(counted[e])) for e in Exclusion if counted[e]]


def _shown(
    profile: PeerSupporterProfile, seeker: Seeker, score: float, reasons: list[str]
) -> SuggestedSupporter:
    topics, languages = lived_experience_topics(), search_languages()
    shared = [code for code in topics if code in seeker.topics and code in profile.topics]
    return SuggestedSupporter(
        supporter=str(profile.pk),
        # The account name is not chosen for showing; without a name to show, a neutral one.
        display_name=profile.user.display_name or f"Peer supporter {profile.pk}",
        score=score,
        reasons=reasons,
        shared_topics=shared,
        shared_topic_labels=[topics[code] for code in shared],
        languages=list(profile.languages),
        language_labels=[languages.get(code, code) for code in profile.languages],
        modalities=list(profile.modalities),
        modality_labels=[str(Modality(way).label) for way in profile.modalities],
        experience=profile.experience,
        shared_identity=profile.shared_identity or None,
        certification=profile.certification or None,
        confidentiality_statement=profile.confidentiality_statement or None,
    )
