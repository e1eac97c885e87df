"""Reading the decision aid's posted form: every step's answers, carried in hidden fields.

The answers stay as the person typed them (so a page shown again keeps them exactly); turning them
into the dict that `inputs.read_request` takes happens in one place, `request_data`, and the
field names `read_request` reports are mapped back to the form's fields by `form_field`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from carepath_core.decision import DIMENSION_IDS

STEPS = (
    _("Start"),
    _("Check-in"),
    _("What matters to you"),
    _("Practical limits"),
    _("Your recommendation"),
)
RESULT_STEP = 4
INSTRUMENTS = ("phq9", "gad7")
RATING_CHOICES = (
    ("0", _("Not at all")),
    ("1", _("A little")),
    ("2", _("Somewhat")),
    ("3", _("Quite a lot")),
    ("4", _("A lot")),
    ("", _("Not sure")),
)
CURRENCIES = ("USD", "GBP", "EUR", "CAD", "AUD", "NZD")
MODALITY_CHOICES = (
    ("in_person", _("In person")),
    ("phone", _("By phone")),
    ("video", _("By video call")),
    ("text", _("By text or chat")),
)
SUPPORT_CHOICES = (
    ("none", _("None at the moment")),
    ("peer", _("Peer support")),
    ("professional", _("Professional support")),
    ("both", _("Both")),
)
FIELD_LABELS = {
    "use_kept": _("Your kept check-in"),
    "phq9_total": _("PHQ-9 total"),
    "gad7_total": _("GAD-7 total"),
    "in_danger": _("The question about danger"),
    "own_concerns": _("Anything else that matters to you"),
    "budget": _("Budget per month"),
    "currency": _("Currency"),
    "modalities": _("Ways to meet"),
    "languages": _("Languages"),
    "free_times": _("Times you are free"),
    "max_travel_km": _("How far you can travel"),
    "current_support": _("Support you have now"),
}
_LIMIT_FIELDS = {
    "limits.budget_per_month": "budget",
    "limits.currency": "currency",
    "limits.modalities": "modalities",
    "limits.languages": "languages",
    "limits.free_times": "free_times",
    "limits.max_travel_km": "max_travel_km",
}
_STEP_FIELDS = {
    1: ("use_kept", "phq9_total", "gad7_total", "in_danger"),
    2: (*(f"pref_{d}" for d in DIMENSION_IDS), "own_concerns"),
    3: ("budget", "currency", "modalities", "languages", "free_times", "max_travel_km", "current_support"),
}
_WHOLE = re.compile(r"-?\d{1,6}")
_NUMBER = re.compile(r"-?\d{1,9}(\.\d{1,4})?")


@dataclass(frozen=True)
class Answers:
    """Everything posted so far, as text, by form field name."""

    values: Mapping[str, str] = field(default_factory=dict)
    modalities: tuple[str, ...] = ()
    last_pathway: str = ""

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    @property
    def in_danger(self) -> bool:
        return self.get("in_danger") == "yes"

    @property
    def use_kept(self) -> bool:
        return self.get("use_kept") == "yes"

    def rating(self, dimension_id: str) -> str:
        return self.get(f"pref_{dimension_id}")


def read_answers(data: QueryDict) -> Answers:
    names = [n for step in _STEP_FIELDS.values() for n in step if n not in ("modalities", "own_concerns")]
    values = {name: data.get(name, "").strip() for name in names if data.get(name, "").strip()}
    concerns = "\n".join(line.strip() for v in data.getlist("own_concerns") for line in v.splitlines())
    if concerns.strip():
        values["own_concerns"] = "\n".join(line for line in concerns.splitlines() if line)
    modalities = tuple(dict.fromkeys(m.strip() for m in data.getlist("modalities") if m.strip()))
    return Answers(values=values, modalities=modalities, last_pathway=data.get("last_pathway", "")[:20])


def posted_step(data: QueryDict) -> int:
    raw = data.get("step", "")
    return min(int(raw), RESULT_STEP) if raw.isdigit() else 0


def target_step(step: int, go: str) -> int:
    """Where a button leads: Back, Continue, or straight to one step from the result page."""
    jumps = {"checkin": 1, "preferences": 2, "limits": 3}
    if go in jumps:
        return jumps[go]
    if go == "back":
        return max(step - 1, 0)
    return min(step + 1, RESULT_STEP)


def hidden_fields(answers: Answers, showing: int) -> list[tuple[str, str]]:
    """The answers of every step not on screen, to carry in hidden fields."""
    shown = _STEP_FIELDS.get(showing, ())
    pairs = [(n, v) for n, v in answers.values.items() if n not in shown]
    if "modalities" not in shown:
        pairs += [("modalities", m) for m in answers.modalities]
    if answers.last_pathway:
        pairs.append(("last_pathway", answers.last_pathway))
    return pairs


def step_of(form_field_name: str) -> int:
    return next((step for step, names in _STEP_FIELDS.items() if form_field_name in names), 1)


def request_data(answers: Answers, kept: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The dict `read_request` takes. `kept`: answers of the person's latest kept check-ins, by code."""
    return {
        "screenings": _screenings(answers, kept),
        "in_danger": answers.in_danger,
        "preferences": {d: _rating(answers.rating(d)) for d in DIMENSION_IDS if answers.rating(d)},
        "own_concerns": answers.get("own_concerns").splitlines(),
        "limits": {
            "budget_per_month": _number(answers.get("budget"), _NUMBER),
            "currency": answers.get("currency"),
            "modalities": list(answers.modalities),
            "languages": _list(answers.get("languages")),
            "free_times": _list(answers.get("free_times")),
            "max_travel_km": _number(answers.get("max_travel_km"), _NUMBER),
        },
        "current_support": answers.get("current_support") or "none",
    }


def form_field(error_field: str, data: Mapping[str, Any]) -> str:
    """The form field behind a field name that `read_request` reported."""
    if error_field.startswith("screenings["):
        index = int(error_field[len("screenings[") : error_field.index("]")])
        entry = data["screenings"][index]
        return f"{entry['instrument']}_total" if "total" in entry else "use_kept"
    if error_field.startswith("preferences."):
        return f"pref_{error_field.removeprefix('preferences.')}"
    return _LIMIT_FIELDS.get(error_field, error_field)


def _screenings(answers: Answers, kept: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for code in INSTRUMENTS:
        typed = answers.get(f"{code}_total")
        if typed:  # a total typed here is used instead of a kept check-in
            entries.append({"instrument": code, "total": _number(typed, _WHOLE)})
        elif answers.use_kept and code in kept:
            entries.append({"instrument": code, "answers": dict(kept[code])})
    return entries


def _rating(raw: str) -> int | str:
    return int(raw) if _WHOLE.fullmatch(raw) else raw  # anything else is named by read_request


def _number(raw: str, pattern: re.Pattern[str]) -> int | float | str | None:
    if not raw:
        return None
    if not pattern.fullmatch(raw):
        return raw  # passed on as text so read_request names the problem
    return int(raw) if pattern is _WHOLE else float(raw)


def _list(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()]
