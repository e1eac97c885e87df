"""Checks on a service's cost options and languages as coordinators enter them.

Search reads a cost option's kinds (free, sliding scale, insurance) from its words and its amount
(`carepath_core.search.costs`). A coordinator ticks the kinds instead of learning those words:
`with_kinds` adds the words for a kind ticked that the option does not say yet, and names each
kind its words or amount say that was not ticked, so no listing is found under a kind its editor
did not mean. The added words are English because that reader is.

A language is found by the search's language filter through its code alone, compared exactly
(`en`, never `en-GB`), so a code is a bare ISO 639 code: two letters (639-1), or three (639-3)
for a language without two. Problems are (field, problem) in the editing services' words.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from carepath_core.search.costs import CostKind, summarise_costs
from carepath_core.vocabulary.language_codes import search_language

KIND_WORDS = {
    CostKind.FREE: "free",
    CostKind.SLIDING_SCALE: "sliding scale",
    CostKind.INSURANCE: "insurance accepted",
}
CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
LANGUAGE_TAG = re.compile(r"^(?P<language>[a-z]{2,3})(-[a-z0-9]{1,8})+$")

Problems = list[tuple[str, str]]


@dataclass(frozen=True)
class KindedOption:
    values: dict[str, Any]  # the cost option's columns, with words added for the kinds ticked
    unticked: frozenset[str]  # kinds the words or amount say that were not ticked


def kinds_of(values: Mapping[str, Any]) -> frozenset[str]:
    """The kinds search reads from one cost option's words and amount."""
    return summarise_costs([values]).kinds


def with_kinds(values: Mapping[str, Any], kinds: Collection[str]) -> KindedOption:
    """The option saying exactly `kinds`: the words of each kind it lacks are added to `option`.

    A free option without an amount gets the amount 0, so a budget filter ("at most 20") finds it.
    """
    result = dict(values)
    if CostKind.FREE in kinds and result.get("amount") in (None, ""):
        result["amount"] = Decimal(0)
    said = kinds_of(result)
    missing = [kind for kind in CostKind.ALL if kind in kinds and kind not in said]
    if missing:
        words = ", ".join(KIND_WORDS[kind] for kind in missing)
        option = str(result.get("option") or "").strip()
        result["option"] = f"{option} ({words})" if option else words[:1].upper() + words[1:]
    return KindedOption(result, kinds_of(result) - frozenset(kinds))


def unticked_problem(kind: str) -> str:
    if kind == CostKind.FREE:
        return "the amount 0 or the word free makes search list it as free; tick Free or change them"
    return f"its words make search list it under {KIND_WORDS[kind]}; tick that too or change the words"


def cost_problems(stored: Mapping[str, Any]) -> Problems:
    """What the HSDS schema leaves out: an amount needs a currency, dates in order, something said."""
    problems: Problems = []
    amount, currency = stored.get("amount"), str(stored.get("currency") or "")
    if amount is not None and amount < 0:
        problems.append(("amount", "must be 0 or more"))
    if currency and not CURRENCY_CODE.match(currency):
        problems.append(("currency", "must be a three-letter currency code (ISO 4217), such as GBP"))
    elif amount is not None and amount > 0 and not currency:
        problems.append(("currency", "is needed with an amount above 0"))
    valid_from, valid_to = stored.get("valid_from"), stored.get("valid_to")
    if valid_from is not None and valid_to is not None and valid_to < valid_from:
        problems.append(("valid_to", f"{valid_to} is before the first day ({valid_from})"))
    if amount is None and not stored.get("option") and not stored.get("amount_description"):
        problems.append(("option", "say what the option is, or give its amount"))
    return problems


def filter_language(code: str) -> str:
    """The language the search filter knows a service by: the code's first subtag, lower case,
    as its ISO 639-1 twin when it has one (`en-GB`, `pt_BR`, `eng` -> `en`, `pt`, `en`).

    HSDS asks for a bare ISO 639 code, but real directories send tags such as `en-GB` or `pt_BR`
    and three-letter codes of languages that have two (`eng`, `fre`). The record keeps what was
    sent (an export gives it back unchanged); the filter files it under `en`, `pt` or `fr`, or a
    person asking for English would never find it (`carepath_core.vocabulary.language_codes`).
    """
    return search_language(code)


def language_code_problem(code: str) -> str:
    """Why `code` (lower case) is not a bare ISO 639 code; empty when it is one."""
    if LANGUAGE_CODE.match(code):
        return ""
    tagged = LANGUAGE_TAG.match(code)
    if tagged is not None:
        return (
            f"give the language alone ({tagged['language']}), so the language filter finds it; "
            "say the region or script in the note"
        )
    return "must be a language code of two letters (ISO 639-1) such as en, or three (ISO 639-3)"
