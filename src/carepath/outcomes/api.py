"""Outcome definitions over the JSON API: classify one course, or one change on any measure.

Both operations are calculators: they store nothing and need no login. Bad values are refused by
the core with `InvalidData`, which the API maps to 422 with the field named (config/api.py).
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import WithJsonSchema

from carepath.outcomes import selectors
from carepath_core.outcomes import (
    Change,
    CourseOutcome,
    ReliableChange,
    classify,
    read_course,
    reliable_change,
)

router = Router(tags=["outcomes"])

# Values stay untyped for the parser and are documented by hand: pydantic would turn `true` into 1
# and "7" into 7, while the core refuses both and names the field in the project's own words.
ScorePairIn = Annotated[
    Any,
    WithJsonSchema(
        {
            "type": "array",
            "items": {"type": "integer"},
            "minItems": 2,
            "maxItems": 2,
            "description": "The total at the first and at the last scored session: [first, last].",
        }
    ),
]
NumberIn = Annotated[Any, WithJsonSchema({"type": "number"})]


class ClassifyIn(Schema):
    # The pair is PHQ-9 with GAD-7, as outcomes/definitions/talking_therapies.json names it.
    phq9: ScorePairIn
    gad7: ScorePairIn
    sessions_attended: Annotated[Any, WithJsonSchema({"type": "integer", "minimum": 0})]


class ClassifyOut(Schema):
    finished: bool
    caseness_start: bool
    caseness_end: bool
    recovered: bool
    reliable_improvement: bool
    reliable_recovery: bool
    reliable_deterioration: bool


class RciIn(Schema):
    before: NumberIn
    after: NumberIn
    sd: NumberIn
    reliability: NumberIn
    lower_is_better: Annotated[Any, WithJsonSchema({"type": "boolean", "default": True})] = True


class RciOut(Schema):
    rci: float
    reliable: bool
    direction: Change


@router.post(
    "/classify",
    response=ClassifyOut,
    summary="NHS Talking Therapies outcome flags for one course (PHQ-9 and GAD-7); stores nothing",
)
def classify_course(request: HttpRequest, body: ClassifyIn) -> CourseOutcome:
    rules = selectors.talking_therapies_rules()
    course = read_course(
        depression=body.phq9, anxiety=body.gad7, sessions_attended=body.sessions_attended, rules=rules
    )
    return classify(course, rules)


@router.post(
    "/rci",
    response=RciOut,
    summary="Jacobson-Truax reliable change index for any measure; stores nothing",
)
def reliable_change_index(request: HttpRequest, body: RciIn) -> ReliableChange:
    return reliable_change(
        body.before,
        body.after,
        sd=body.sd,
        reliability=body.reliability,
        lower_is_better=body.lower_is_better,
        method=selectors.jacobson_truax_method(),
    )
