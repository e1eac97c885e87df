"""Which filters are narrow enough for the text index to apply (`search_facets`).

Asking the index for a facet token costs in proportion to how many listings hold it: a value most
listings have ("English", "free", "has opening hours") made a search of a common word near a town
two to three times slower at a million listings, where one held by few ("French", "Welsh") settles
in the index what checking each match's entry would have taken tens of milliseconds to. So a
filter goes to the index only when its values together mark at most NARROW_FACET listings; the
rest are checked on each match's entry, as without tokens.

Each token's count (`TextIndex.listings_holding`: on SQLite read up to NARROW_FACET + 1, a bounded
read of about 5 ms at the bound; on PostgreSQL the planner's estimate) is remembered for
REMEMBER_SECONDS in the process: it changes slowly, and a stale or rough answer only changes how
fast a search is, never what it finds (the entry's columns decide).
"""

from __future__ import annotations

import time

from django.db import connection

from carepath.directory.text_index import text_index

NARROW_FACET = 50_000  # listings, all the filter's values together
REMEMBER_SECONDS = 600.0
_known: dict[tuple[str, str], tuple[float, int]] = {}  # (database, token) -> (until, count)


def narrow_facets(groups: dict[str, list[str]]) -> dict[str, list[str]]:
    """The groups (a filter's tokens, by filter) whose listings together are few enough."""
    return {
        name: tokens
        for name, tokens in groups.items()
        if sum(_listings_holding(token) for token in tokens) <= NARROW_FACET
    }


def _listings_holding(token: str) -> int:
    key, now = (str(connection.settings_dict["NAME"]), token), time.monotonic()
    known = _known.get(key)
    if known is not None and known[0] > now:
        return known[1]
    with connection.cursor() as cursor:
        count = text_index().listings_holding(cursor, token, NARROW_FACET)
    _known[key] = (now + REMEMBER_SECONDS, count)
    return count
