"""The values people filter on, filed in the text index beside the words (facet tokens).

A search with words asks the text index for "these words AND one of these cells"; with a filter
(support type, language, topic, modality, cost, capacity now, opening hours at all) it asks for
"... AND one of these values" as well, so the engine intersects its lists and only the listings
that pass the filters come out. Checking each match's search entry instead costs a lookup a match:
near a city a common word matches thousands, and most fail a narrow filter.

The search entry keeps the same values as columns, and every query checks them there too: the tokens
narrow what the index gives, the columns decide.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from carepath.directory.text_index import TOKEN_PREFIX
from carepath_core.search.query import ServiceQuery

# One letter per filter, after the prefix. The place tokens use c, f and o.
SUPPORT_TYPE, LANGUAGE, TOPIC, MODALITY, COST = "s", "l", "t", "m", "k"
CAPACITY_NOW = f"{TOKEN_PREFIX}a0"  # places free now (`capacity_available` above 0)
HAS_HOURS = f"{TOKEN_PREFIX}h0"  # open all hours or opening windows known: "open at" can say yes
_LIST_COLUMNS = (("languages", LANGUAGE), ("topics", TOPIC), ("modalities", MODALITY), ("cost_kinds", COST))


def facet_token(facet: str, value: str) -> str:
    """The token of one value of one filter: the prefix, the filter's letter, the value, then 0.

    The value is spelt in lower-case letters and digits only (any other character as "x" and its
    code in hex, "x" itself as "xx"), so the tokenizer keeps the token whole and no two values share
    one; the closing digit keeps the stemmer off it (it only ever trims letters)."""
    spelt = "".join(
        "xx" if char == "x" else char if char.isascii() and char.isalnum() else f"x{ord(char):x}x"
        for char in value.lower()
    )
    return f"{TOKEN_PREFIX}{facet}{spelt}0"


def entry_facets(entry: Mapping[str, Any]) -> list[str]:
    """The facet tokens of a search entry (its field values, as `services.search_index` writes them)."""
    tokens = set()
    if entry["support_type"]:
        tokens.add(facet_token(SUPPORT_TYPE, entry["support_type"]))
    for column, facet in _LIST_COLUMNS:
        tokens.update(facet_token(facet, value) for value in listed_values(entry[column]))
    if entry["capacity_available"] is not None and entry["capacity_available"] > 0:
        tokens.add(CAPACITY_NOW)
    if entry["hours_24_7"] or entry["open_windows"] is not None:
        tokens.add(HAS_HOURS)
    return sorted(tokens)


def query_facets(query: ServiceQuery) -> dict[str, list[str]]:
    """What the query's filters ask of the facet tokens, by filter: one token of each group.

    Age and a highest cost per session are ranges and stay with the entry's columns; so does the
    kind of cost when a highest cost is also asked (either will do).
    """
    groups = {
        name: [facet_token(facet, value) for value in sorted(values)]
        for name, facet, values in (
            ("support_types", SUPPORT_TYPE, query.support_types),
            ("languages", LANGUAGE, query.languages),
            ("topics", TOPIC, query.topics),
            ("modalities", MODALITY, query.modalities),
            ("costs", COST, query.costs if query.max_cost is None else frozenset()),
        )
        if values
    }
    if query.capacity:
        groups["capacity"] = [CAPACITY_NOW]
    if query.at is not None:
        groups["at"] = [HAS_HOURS]
    return groups


def listed_values(bars: str) -> list[str]:
    """The values of a bar-separated column ("|en|fr|")."""
    return [value for value in bars.split("|") if value]
