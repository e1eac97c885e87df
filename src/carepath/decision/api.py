"""The decision aid over the JSON API: content, recommendations, and the stepped-care rules."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.errors import AuthenticationError
from ninja.security import django_auth

from carepath import policy
from carepath.crisis.selectors import region_for
from carepath.decision import selectors, services
from carepath.decision.inputs import read_request
from carepath.decision.payloads import decision_aid_payload, recommendation_payload
from carepath.errors import NotPermitted
from carepath_core.errors import InvalidData

router = Router(tags=["decision aid"])


@router.get("/decision-aid", summary="The decision aid: ten dimensions, both options, evidence and citations")
def get_decision_aid(request: HttpRequest) -> dict[str, Any]:
    return decision_aid_payload(selectors.decision_aid())


@router.post(
    "/recommendations",
    response={200: dict[str, Any], 201: dict[str, Any]},
    summary='A recommendation with reasons; stored only with "save": true (signed in)',
)
def create_recommendation(request: HttpRequest) -> Status[dict[str, Any]]:
    data = _json_object(request)
    decision_request = read_request(data)
    recommendation = selectors.recommendation_for(decision_request)
    body = recommendation_payload(
        recommendation,
        selectors.decision_aid(),
        risk_items=decision_request.risk_items,
        in_danger=decision_request.in_danger,
        region=region_for(request),
    )
    if data.get("save") is True:
        if not policy.can_keep_recommendations(request.user):
            raise AuthenticationError(message="log in to keep a recommendation")
        _check_csrf_of_a_session_write(request)
        saved = services.save_recommendation(
            person=request.user, request=decision_request, recommendation=recommendation, inputs=data
        )
        return Status(201, {"id": str(saved.pk), **body})
    return Status(200, body)


@router.get("/rules", summary="The active stepped-care rule set, as loaded")
def get_rules(request: HttpRequest) -> dict[str, Any]:
    return selectors.active_rules_document()


@router.post(
    "/rules", response={201: dict[str, Any]}, summary="Load a rule set (coordinators); refused if unsound"
)
def post_rules(request: HttpRequest) -> Status[dict[str, Any]]:
    if not policy.can_manage_rules(request.user):
        raise NotPermitted("only coordinators load rules")
    _check_csrf_of_a_session_write(request)
    row = services.load_rule_set(actor=request.user, document=_json_object(request))
    return Status(201, {"id": row.rule_set_id, "version": row.version, "active": row.active})


def _check_csrf_of_a_session_write(request: HttpRequest) -> None:
    """A write through a browser session needs its CSRF token, as every form does. django-ninja
    checks it only on operations declared with `auth=django_auth`, and these two also answer
    anonymous callers, so the check is asked for here; it answers 403 without the token. A request
    signed with an API token has no cookie to forge and is exempt (carepath.accounts.token_auth)."""
    django_auth(request)


def _json_object(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError as error:
        raise InvalidData("body", "is not valid JSON") from error
    if not isinstance(data, dict):
        raise InvalidData("body", "must be a JSON object")
    return data
