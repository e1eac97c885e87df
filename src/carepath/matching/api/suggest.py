"""Peer supporter suggestions over the JSON API: `POST /api/v1/matches/suggest`.

The body is the person's wishes, in the same shape as a seeker in a `carepath assign` file
(docs/matching.md), or empty to use the wishes they saved on the matches page. Wishes sent here
are used for this one answer and not stored. Bad values are refused with 422 naming the field.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth
from pydantic import WithJsonSchema

from carepath import policy
from carepath.errors import FieldProblem
from carepath.matching import profile_input, selectors
from carepath.matching.suggestions import MAX_LIMIT, Suggestions, suggestions_for
from carepath_core.errors import InvalidData
from carepath_core.matching import Seeker

router = Router(tags=["matching"])


_CODES: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
WISH_FIELDS = (
    "languages", "topics", "availability", "utc_offset", "modalities", "location", "max_distance_km",
    "excluded_supporters", "experience",
)  # fmt: skip

# Values stay untyped for the parser so the core names each bad value in its own words; the
# schema each one is documented with is beside it.
LanguagesIn = Annotated[
    Any, WithJsonSchema({**_CODES, "description": "Language codes, your first choice first."})
]
TopicsIn = Annotated[
    Any, WithJsonSchema({**_CODES, "description": "Lived-experience topic codes in common."})
]
HoursIn = Annotated[
    Any,
    WithJsonSchema(
        {
            "type": "array",
            "items": {"type": "object"},
            "description": 'Your free hours: {"days": ["TU"], "from": "18:00", "to": "21:00"}.',
        }
    ),
]
OffsetIn = Annotated[Any, WithJsonSchema({"type": "string", "examples": ["+01:00"]})]
WaysIn = Annotated[Any, WithJsonSchema({**_CODES, "description": "in_person, online, phone; none: any way."})]
PlaceIn = Annotated[
    Any,
    WithJsonSchema(
        {"type": "object", "properties": {"latitude": {"type": "number"}, "longitude": {"type": "number"}}}
    ),
]
KilometresIn = Annotated[Any, WithJsonSchema({"type": "number", "exclusiveMinimum": 0})]
IdsIn = Annotated[Any, WithJsonSchema({**_CODES, "description": "Supporter ids not to suggest."})]
TextIn = Annotated[Any, WithJsonSchema({"type": "string", "description": "In your own words, if you like."})]
LimitIn = Annotated[
    Any, WithJsonSchema({"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 10})
]


class SuggestIn(Schema):
    languages: LanguagesIn = None
    topics: TopicsIn = None
    availability: HoursIn = None
    utc_offset: OffsetIn = None
    modalities: WaysIn = None
    location: PlaceIn = None
    max_distance_km: KilometresIn = None
    excluded_supporters: IdsIn = None
    experience: TextIn = None
    limit: LimitIn = 10


class SuggestedOut(Schema):
    supporter: str
    display_name: str
    score: float
    reasons: list[str]
    shared_topics: list[str]
    languages: list[str]
    modalities: list[str]
    experience: str
    shared_identity: str | None
    certification: str | None
    confidentiality_statement: str | None


class LeftOutOut(Schema):
    reason: str
    count: int
    sentence: str


class SuggestOut(Schema):
    suggestions: list[SuggestedOut]
    left_out: list[LeftOutOut]
    considered: int


@router.post(
    "/suggest",
    response=SuggestOut,
    auth=django_auth,
    summary="Peer supporters suggested for you, best first, with the reasons in words",
)
def suggest_supporters(request: HttpRequest, body: SuggestIn | None = None) -> dict[str, Any]:
    if not policy.can_ask_for_matches(request.user):
        raise HttpError(403, "Suggestions are for people looking for a peer supporter.")
    body = body or SuggestIn()  # no body at all: the saved wishes, as with {}
    limit = _limit(body.limit)
    found = suggestions_for(_seeker(request, body), limit)
    return _payload(found)


def _limit(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_LIMIT:
        raise InvalidData("limit", f"must be a whole number from 1 to {MAX_LIMIT}")
    return int(value)


def _seeker(request: HttpRequest, body: SuggestIn) -> Seeker:
    wishes = {name: getattr(body, name) for name in WISH_FIELDS if getattr(body, name) is not None}
    if wishes:
        try:
            seeker, _ = profile_input.read_seeker_fields(wishes, selectors.supporter_ids())
        except FieldProblem as problem:
            raise InvalidData(problem.field, problem.problem) from problem
        return seeker
    saved = selectors.wishes_of(request.user)
    if saved is None:
        raise InvalidData("languages", "send your wishes, or save them on the matches page first")
    return selectors.as_seeker(saved)


def _payload(found: Suggestions) -> dict[str, Any]:
    return {
        "suggestions": [vars(item) for item in found.supporters],
        "left_out": [{"reason": x.reason, "count": x.count, "sentence": x.sentence} for x in found.left_out],
        "considered": found.considered,
    }
