"""Stepped-care rules as data: conditions over a person's situation, first match wins.

A rule set is an ordered list. Each rule has a condition (`when`) and an outcome (`then`: pathway,
minimum level of care, reason). The first rule whose condition holds decides; the last rule must
have no condition, so every situation gets exactly one pathway.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from carepath_core.decision.dimensions import Level, Pathway
from carepath_core.errors import InvalidData
from carepath_core.fields import at, choice, integer, listing, mapping, require, require_unique, text

LEANS = ("peer", "professional", "balanced")
SUPPORT_NOW = ("none", "peer", "professional", "both")


@dataclass(frozen=True, slots=True)
class Situation:
    """Everything a rule may look at: risk, screening totals, the person's lean and current support."""

    risk: bool
    totals: Mapping[str, int] = field(default_factory=dict)
    lean: str = "balanced"
    current_support: str = "none"


@dataclass(frozen=True, slots=True)
class Condition:
    kind: str  # all, any, risk, score, screened, lean, current_support, always
    children: tuple[Condition, ...] = ()
    instrument: str = ""
    gte: int | None = None
    lte: int | None = None
    values: tuple[str, ...] = ()
    flag: bool = True

    def holds(self, situation: Situation) -> bool:
        return _TESTS[self.kind](self, situation)

    def kinds(self) -> set[str]:
        found = {self.kind}
        for child in self.children:
            found |= child.kinds()
        return found

    def boundaries(self) -> dict[str, set[int]]:
        """Totals where this condition can change its answer, per instrument (for the property checks)."""
        found: dict[str, set[int]] = {}
        for child in self.children:
            for code, points in child.boundaries().items():
                found.setdefault(code, set()).update(points)
        if self.kind == "score":
            points = found.setdefault(self.instrument, set())
            if self.gte is not None:
                points.add(self.gte)
            if self.lte is not None:
                points.add(self.lte + 1)
        return found


def _score_holds(condition: Condition, situation: Situation) -> bool:
    total = situation.totals.get(condition.instrument)
    if total is None:  # not screened: a score condition cannot hold
        return False
    return (condition.gte is None or total >= condition.gte) and (
        condition.lte is None or total <= condition.lte
    )


_TESTS: dict[str, Callable[[Condition, Situation], bool]] = {
    "always": lambda c, s: True,
    "all": lambda c, s: all(child.holds(s) for child in c.children),
    "any": lambda c, s: any(child.holds(s) for child in c.children),
    "risk": lambda c, s: s.risk is c.flag,
    "screened": lambda c, s: bool(set(c.values) & set(s.totals)) is c.flag,
    "lean": lambda c, s: s.lean in c.values,
    "current_support": lambda c, s: s.current_support in c.values,
    "score": _score_holds,
}


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    when: Condition
    pathway: Pathway
    minimum_level: Level
    reason: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RuleSet:
    id: str
    version: str
    title: str
    lean_margin: int
    both_weaker_on: tuple[str, ...]
    sources: Mapping[str, str]
    rules: tuple[Rule, ...]

    def decide(self, situation: Situation) -> Rule:
        for rule in self.rules:
            if rule.when.holds(situation):
                return rule
        raise AssertionError("unreachable: the last rule has no condition")  # checked at parse time

    def uses(self, kind: str) -> bool:
        return any(kind in rule.when.kinds() for rule in self.rules)

    @property
    def instruments(self) -> set[str]:
        found: set[str] = set()
        for rule in self.rules:
            found.update(rule.when.boundaries())
        return found


def parse_rule_set(document: Mapping[str, Any]) -> RuleSet:
    raw = mapping(document, "rules file")
    sources = {str(k): str(v) for k, v in mapping(raw.get("sources") or {}, "sources").items()}
    rules = tuple(
        _rule(mapping(r, f"rules[{i}]"), f"rules[{i}]", sources)
        for i, r in enumerate(listing(raw, "rules", ""))
    )
    require(bool(rules), "rules", "a rule set needs at least one rule")
    require_unique([r.id for r in rules], "rules", "rule id")
    last = rules[-1]
    require(
        last.when.kind == "always",
        f"rules[{len(rules) - 1}].when",
        f"the last rule ('{last.id}') must have no condition, so every situation gets a pathway",
    )
    preferences = mapping(raw.get("preferences") or {}, "preferences")
    margin = integer(preferences, "lean_margin", "preferences") if "lean_margin" in preferences else 2
    require(margin >= 0, "preferences.lean_margin", "must not be negative")
    return RuleSet(
        id=text(raw, "id", ""),
        version=text(raw, "version", ""),
        title=text(raw, "title", ""),
        lean_margin=margin,
        both_weaker_on=tuple(str(d) for d in preferences.get("both_weaker_on", [])),
        sources=sources,
        rules=rules,
    )


def _rule(raw: Mapping[str, Any], where: str, sources: Mapping[str, str]) -> Rule:
    then = mapping(raw.get("then"), at(where, "then"))
    cited = tuple(str(s) for s in then.get("sources", []))
    for source in cited:
        require(source in sources, at(where, "then.sources"), f"'{source}' is not in the file's sources")
    return Rule(
        id=text(raw, "id", where),
        when=_condition(raw.get("when") or {}, at(where, "when")),
        pathway=Pathway(choice(then, "pathway", at(where, "then"), [p.value for p in Pathway])),
        minimum_level=Level(choice(then, "minimum_level", at(where, "then"), [lv.value for lv in Level])),
        reason=text(then, "reason", at(where, "then")),
        sources=cited,
    )


def _condition(raw: Any, where: str) -> Condition:
    fields = mapping(raw, where)
    if not fields:
        return Condition("always")
    if len(fields) == 1 and ("all" in fields or "any" in fields):
        kind = next(iter(fields))
        children = listing(fields, kind, where)
        require(bool(children), at(where, kind), "needs at least one condition")
        return Condition(
            kind, tuple(_condition(c, f"{at(where, kind)}[{i}]") for i, c in enumerate(children))
        )
    if "score" in fields:
        return _score_condition(fields, where)
    require(len(fields) == 1, where, "put several conditions inside 'all' or 'any'")
    key, value = next(iter(fields.items()))
    return _simple_condition(key, value, at(where, key))


def _simple_condition(key: str, value: Any, where: str) -> Condition:
    if key == "risk":
        require(isinstance(value, bool), where, "must be true or false")
        return Condition("risk", flag=bool(value))
    if key in ("screened", "not_screened"):
        return Condition("screened", values=_strings(value, where), flag=key == "screened")
    allowed = {"lean": LEANS, "current_support": SUPPORT_NOW}.get(key)
    if allowed is None:
        raise InvalidData(
            where,
            "is not a known condition (risk, score, screened, not_screened, lean, current_support, all, any)",
        )
    return Condition(key, values=_allowed(value, where, allowed))


def _score_condition(fields: Mapping[str, Any], where: str) -> Condition:
    unknown = set(fields) - {"score", "gte", "lte"}
    require(not unknown, where, f"unknown keys for a score condition: {', '.join(sorted(unknown))}")
    gte = integer(fields, "gte", where) if "gte" in fields else None
    lte = integer(fields, "lte", where) if "lte" in fields else None
    require(gte is not None or lte is not None, where, "a score condition needs gte or lte")
    return Condition("score", instrument=text(fields, "score", where), gte=gte, lte=lte)


def _strings(value: Any, where: str) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    require(
        all(isinstance(v, str) and v for v in items) and bool(items),
        where,
        "must be a name or a list of names",
    )
    return tuple(str(v) for v in items)


def _allowed(value: Any, where: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    values = _strings(value, where)
    for v in values:
        require(v in allowed, where, f"'{v}' is not one of {', '.join(allowed)}")
    return values
