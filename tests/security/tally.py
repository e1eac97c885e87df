"""Counts the attack suite reports at the end of a run (docs/security.md, "Attack suite")."""

from __future__ import annotations

from collections import Counter

tally: Counter[str] = Counter()
