"""Facet tokens: each filter value spelt as one token the text index keeps whole and unstemmed."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from carepath.directory.search_facets import (
    CAPACITY_NOW,
    HAS_HOURS,
    entry_facets,
    facet_token,
    query_facets,
)
from carepath_core.search.query import ServiceQuery

ENTRY = {
    "support_type": "peer",
    "languages": "|en|fr|",
    "topics": "|anxiety|",
    "modalities": "|in_person|",
    "cost_kinds": "|free|sliding_scale|",
    "capacity_available": 3,
    "hours_24_7": False,
    "open_windows": [[0, 540, 1020]],
}


def test_a_token_is_letters_and_digits_and_ends_in_a_digit() -> None:
    assert facet_token("k", "sliding_scale") == "zzkslidingx5fxscale0"
    assert facet_token("l", "en") == "zzlen0"
    assert facet_token("t", "x") == "zztxx0"  # "x" itself is doubled, so it never reads as an escape
    assert facet_token("l", "EN") == facet_token("l", "en")  # the columns are matched case-blind too


@given(st.text(min_size=1, max_size=12), st.text(min_size=1, max_size=12))
def test_different_values_have_different_tokens(first: str, second: str) -> None:
    token = facet_token("t", first)
    assert re.fullmatch(r"zzt[a-z0-9]+0", token)
    if first.lower() != second.lower():
        assert token != facet_token("t", second)


def test_an_entry_has_a_token_for_each_value_it_can_be_filtered_on() -> None:
    assert entry_facets(ENTRY) == sorted(
        [
            "zzspeer0", "zzlen0", "zzlfr0", "zztanxxiety0", "zzminx5fxperson0", "zzkfree0",
            "zzkslidingx5fxscale0", CAPACITY_NOW, HAS_HOURS,
        ]
    )  # fmt: skip
    bare = {**ENTRY, "support_type": "", "languages": "", "topics": "", "modalities": "", "cost_kinds": ""}
    assert entry_facets({**bare, "capacity_available": 0, "open_windows": None}) == []
    assert entry_facets({**bare, "capacity_available": None, "open_windows": None, "hours_24_7": True}) == [
        HAS_HOURS
    ]


def test_a_query_asks_one_token_of_each_filter_and_leaves_ranges_to_the_columns() -> None:
    query = ServiceQuery(
        words=("support",),
        support_types=frozenset({"peer", "hybrid"}),
        languages=frozenset({"cy"}),
        capacity=True,
        at=dt.datetime(2026, 12, 2, 11, tzinfo=dt.UTC),
        age=30,
    )
    assert query_facets(query) == {
        "support_types": ["zzshybrid0", "zzspeer0"],
        "languages": ["zzlcy0"],
        "capacity": [CAPACITY_NOW],
        "at": [HAS_HOURS],
    }
    costs = ServiceQuery(words=("support",), costs=frozenset({"free"}))
    assert query_facets(costs) == {"costs": ["zzkfree0"]}
    # With a highest cost either will do, so neither can narrow the index.
    either = ServiceQuery(words=("support",), costs=frozenset({"free"}), max_cost=Decimal(40))
    assert query_facets(either) == {}
