"""The referrals API under /api/v1/referrals/ and the notices API under /api/v1/notifications/."""

from carepath.referrals.api import hand_offs  # noqa: F401  (adds the hand-off operations to the router)
from carepath.referrals.api.notices import router as notices_router
from carepath.referrals.api.referrals import router

__all__ = ["notices_router", "router"]
