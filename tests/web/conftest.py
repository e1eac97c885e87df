"""Web tests share one process and one local-memory cache: without this, the API rate limits
(counted per minute, per address) would start refusing the suite's own requests part-way through.
The limiter's own tests (test_api_throttling.py) set low limits and a fresh cache themselves."""

from __future__ import annotations

from typing import Any

import pytest

UNTHROTTLED = 1_000_000


@pytest.fixture(autouse=True)
def _api_rate_limits_out_of_the_way(settings: Any) -> None:
    settings.CAREPATH_API_RATE_ANONYMOUS = UNTHROTTLED
    settings.CAREPATH_API_RATE_SIGNED_IN = UNTHROTTLED
