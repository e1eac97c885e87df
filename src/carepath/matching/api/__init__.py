"""Matching over the JSON API: suggestions for a person (`/matches`) and a professional's own
profile (`/matching`)."""

from carepath.matching.api.professional_profile import router as professional_router
from carepath.matching.api.suggest import router

__all__ = ["professional_router", "router"]
