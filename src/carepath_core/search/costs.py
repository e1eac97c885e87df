"""What a service costs, reduced to what people filter on: free, sliding scale, insurance, cheapest price.

HSDS `cost_option` rows name an option in words and may give an amount; the kinds are read from
those words (English listings), and the amount tells what the cheapest session costs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

FREE = re.compile(r"\b(free|no charge|no cost|without charge)\b", re.IGNORECASE)
SLIDING = re.compile(r"\b(sliding|income[- ]based|pay what you can|depending on income)\b", re.IGNORECASE)
INSURANCE = re.compile(r"\b(insurance|insurer|medicare|medicaid|health fund|covered by)\b", re.IGNORECASE)


class CostKind:
    FREE = "free"
    SLIDING_SCALE = "sliding_scale"
    INSURANCE = "insurance"
    ALL = (FREE, SLIDING_SCALE, INSURANCE)


@dataclass(frozen=True)
class CostSummary:
    kinds: frozenset[str]
    lowest_amount: Decimal | None  # the cheapest amount listed, in the listing's own currency
    currency: str

    @property
    def known(self) -> bool:
        return bool(self.kinds) or self.lowest_amount is not None


def summarise_costs(options: Iterable[Mapping[str, Any]], fees_description: str = "") -> CostSummary:
    """Kinds and the cheapest amount from a service's cost options and its fees description."""
    kinds: set[str] = set()
    amounts: list[Decimal] = []
    currency = ""
    for option in options:
        words = " ".join(str(option.get(key) or "") for key in ("option", "amount_description"))
        amount = option.get("amount")
        if amount is not None:
            amounts.append(Decimal(amount))
            currency = currency or str(option.get("currency") or "")
            if Decimal(amount) == 0:
                kinds.add(CostKind.FREE)
        kinds |= _kinds_in(words)
    kinds |= _kinds_in(fees_description)
    return CostSummary(frozenset(kinds), min(amounts) if amounts else None, currency)


def _kinds_in(words: str) -> set[str]:
    found = set()
    if FREE.search(words):
        found.add(CostKind.FREE)
    if SLIDING.search(words):
        found.add(CostKind.SLIDING_SCALE)
    if INSURANCE.search(words):
        found.add(CostKind.INSURANCE)
    return found
