"""Reading a check-in form posted from the page: answers by item id, per questionnaire."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.http import QueryDict

from carepath_core.instruments import Instrument

IN_DANGER_FIELD = "in_danger"
KEEP_FIELD = "keep"


@dataclass
class PostedCheckIn:
    answers: dict[str, dict[str, object]] = field(default_factory=dict)  # instrument code -> item -> value
    says_in_danger: bool = False
    keep: bool = False


def read_posted_check_in(data: QueryDict, instruments: Sequence[Instrument]) -> PostedCheckIn:
    posted = PostedCheckIn(
        says_in_danger=data.get(IN_DANGER_FIELD) == "yes", keep=data.get(KEEP_FIELD) == "yes"
    )
    for instrument in instruments:
        answers: dict[str, object] = {}
        for item in instrument.items:
            raw = data.get(item.id, "").strip()
            if raw:
                # Non-numbers pass through as text so the scorer names them as bad answers.
                answers[item.id] = int(raw) if raw.lstrip("-").isdigit() else raw
        posted.answers[instrument.code] = answers
    return posted


def chosen_codes(data: QueryDict, known: Sequence[str]) -> list[str]:
    """The questionnaires picked on the start page, in the order Carepath shows them."""
    picked = set(data.getlist("instrument"))
    return [code for code in known if code in picked]
