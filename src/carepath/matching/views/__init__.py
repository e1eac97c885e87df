"""Matching pages: a person's wishes and suggestions, the supporters' and professionals' own
profiles, and the coordinators' batch assignment."""

from carepath.matching.views.assignment import batch_assignment
from carepath.matching.views.matches import matches, supporter_profile, supporter_profile_detail
from carepath.matching.views.professional import professional_profile

__all__ = [
    "batch_assignment",
    "matches",
    "professional_profile",
    "supporter_profile",
    "supporter_profile_detail",
]
