"""A professional's own profile over the JSON API: `GET` and `PUT /api/v1/matching/professional-profile`.

`PUT` replaces the whole profile, as the page does: a field left out takes its empty value.
The fields and their checks are the service's (`services.save_professional_profile`), so the
page and the API refuse the same things, each with 422 naming the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth
from pydantic import WithJsonSchema

from carepath import policy
from carepath.errors import FieldProblem
from carepath.matching import selectors, services
from carepath.matching.models import ProfessionalProfile
from carepath_core.errors import InvalidData

router = Router(tags=["matching"])

_CODES: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
_TEXT: dict[str, Any] = {"type": "string"}


# Values stay untyped for the parser so the service names each bad value in its own words; the
# schema each one is documented with is beside it.
TextIn = Annotated[Any, WithJsonSchema(_TEXT)]
WaysIn = Annotated[Any, WithJsonSchema({**_CODES, "description": "in_person, online, phone"})]
LanguagesIn = Annotated[Any, WithJsonSchema({**_CODES, "description": "Language codes you work in."})]
HoursIn = Annotated[
    Any,
    WithJsonSchema(
        {
            "type": "array",
            "items": {"type": "object"},
            "description": 'Your hours: {"days": ["TU"], "from": "09:00", "to": "17:00"}.',
        }
    ),
]
OffsetIn = Annotated[Any, WithJsonSchema({**_TEXT, "examples": ["+01:00"]})]
PlacesIn = Annotated[Any, WithJsonSchema({"type": "integer", "minimum": 0, "maximum": 50})]
FlagIn = Annotated[Any, WithJsonSchema({"type": "boolean", "default": True})]


class ProfessionalProfileIn(Schema):
    licence_type: TextIn = None
    licence_body: TextIn = None
    licence_number: TextIn = None
    modalities: WaysIn = None
    cost: TextIn = None
    insurance: TextIn = None
    languages: LanguagesIn = None
    availability: HoursIn = None
    utc_offset: OffsetIn = None
    capacity: PlacesIn = None
    service_id: TextIn = None
    active: FlagIn = None


class ProfessionalProfileOut(Schema):
    licence_type: str
    licence_body: str
    licence_number: str
    modalities: list[str]
    cost: str
    insurance: str
    languages: list[str]
    availability: list[Any]
    utc_offset: str
    capacity: int
    service_id: str | None
    active: bool
    updated_at: dt.datetime


@router.get(
    "/professional-profile",
    response=ProfessionalProfileOut,
    auth=django_auth,
    summary="Your professional profile",
)
def get_professional_profile(request: HttpRequest) -> dict[str, Any]:
    _check_professional(request)
    profile = selectors.professional_profile_of(request.user)
    if profile is None:
        raise HttpError(404, "You have not saved a professional profile yet: PUT one first.")
    return _payload(profile)


@router.put(
    "/professional-profile",
    response=ProfessionalProfileOut,
    auth=django_auth,
    summary="Save your professional profile (the whole of it)",
)
def put_professional_profile(request: HttpRequest, body: ProfessionalProfileIn) -> dict[str, Any]:
    _check_professional(request)
    data = {name: value for name, value in body.dict().items() if value is not None}
    try:
        profile = services.save_professional_profile(actor=request.user, owner=request.user, data=data)
    except FieldProblem as problem:
        raise InvalidData(problem.field, problem.problem) from problem
    return _payload(profile)


def _check_professional(request: HttpRequest) -> None:
    if not policy.can_edit_professional_profile(request.user, request.user):
        raise HttpError(403, "This profile is for professionals.")


def _payload(profile: ProfessionalProfile) -> dict[str, Any]:
    return {
        "licence_type": profile.licence_type,
        "licence_body": profile.licence_body,
        "licence_number": profile.licence_number,
        "modalities": list(profile.modalities),
        "cost": profile.cost,
        "insurance": profile.insurance,
        "languages": list(profile.languages),
        "availability": list(profile.hours),
        "utc_offset": profile.utc_offset,
        "capacity": profile.capacity,
        "service_id": profile.service_id,
        "active": profile.active,
        "updated_at": profile.updated_at,
    }
