"""Loads the crisis registry shipped with the code, once per process.

The file is read from the package, never the database, so crisis help works when the database
is down. A malformed file fails loudly at start-up (see checks.py), not in front of a person.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from django.conf import settings
from django.http import HttpRequest

from carepath_core.crisis import CrisisRegion, CrisisRegistry, parse_registry

REGION_COOKIE = "carepath_region"
REGION_COOKIE_MAX_AGE = 365 * 24 * 60 * 60
_DATA_FILE = "crisis_resources.json"


@cache
def crisis_registry() -> CrisisRegistry:
    text = resources.files("carepath.crisis").joinpath("data", _DATA_FILE).read_text(encoding="utf-8")
    return parse_registry(json.loads(text))


def chosen_region_code(request: HttpRequest) -> str:
    """The region the person picked (remembered in a cookie), else the deployment's default."""
    registry = crisis_registry()
    for candidate in (request.GET.get("region"), request.COOKIES.get(REGION_COOKIE)):
        if candidate and candidate in registry.codes:
            return candidate
    return str(settings.CAREPATH_REGION)


def region_for(request: HttpRequest) -> CrisisRegion:
    return crisis_registry().region_or_fallback(chosen_region_code(request))
