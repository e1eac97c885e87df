"""Matching people with peer supporters on shared experience: one person's suggestions, or a
whole programme assigned at once. See docs/matching.md."""

from carepath_core.matching.assign import assign_profiles
from carepath_core.matching.assign_given_scores import GivenScore, assign_given_scores
from carepath_core.matching.assignment import Assignment, Placement
from carepath_core.matching.constraints import Exclusion
from carepath_core.matching.experience_text import ExperienceScorer, LexicalExperiences
from carepath_core.matching.pool import SupporterPool
from carepath_core.matching.profiles import Modality, Seeker, Supporter, WeeklyWindow, local_windows
from carepath_core.matching.scoring import WEIGHTS, Part
from carepath_core.matching.suggest import PairAssessment, Suggestion, assess_pair, suggest

__all__ = [
    "WEIGHTS",
    "Assignment",
    "Exclusion",
    "ExperienceScorer",
    "GivenScore",
    "LexicalExperiences",
    "Modality",
    "PairAssessment",
    "Part",
    "Placement",
    "Seeker",
    "Suggestion",
    "Supporter",
    "SupporterPool",
    "WeeklyWindow",
    "assess_pair",
    "assign_given_scores",
    "assign_profiles",
    "local_windows",
    "suggest",
]
