"""The JSON API at /api/v1/, with its OpenAPI 3.1 schema at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.openapi.schema import OpenAPISchema

from carepath.accounts.api import router as accounts_router
from carepath.accounts.token_auth import document_bearer_tokens
from carepath.crisis.api import router as crisis_router
from carepath.decision.api import router as decision_router
from carepath.decision.errors import RuleSetRefused
from carepath.directory.api_search import router as directory_router
from carepath.errors import ApplicationError, NotPermitted
from carepath.matching.api import professional_router
from carepath.matching.api import router as matching_router
from carepath.outcomes.api import router as outcomes_router
from carepath.outcomes.report_api import router as reports_router
from carepath.referrals.api import notices_router
from carepath.referrals.api import router as referrals_router
from carepath.rights.api import router as rights_router
from carepath.screening.api import AnswersRefused
from carepath.screening.api import router as screening_router
from carepath.screening.errors import UnknownInstrument
from carepath.screening.payloads import problems_payload
from carepath.sharing.api import router as sharing_router
from carepath.web.api import router as system_router
from carepath_core.errors import DomainError, InvalidData, UnknownRegion


class CarepathAPI(NinjaAPI):
    """Signing in with an API token happens in middleware (carepath.accounts.token_auth), before
    any operation runs, so every operation sees the token's owner as `request.user`; the schema
    says so beside the session cookie."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        document_bearer_tokens(schema)
        return schema


api = CarepathAPI(
    title="Carepath API",
    version="1",
    description="Decide between peer and professional support, find services, stay safe, measure change.",
    urls_namespace="api-v1",
)
api.add_router("/", system_router)
api.add_router("/accounts", accounts_router)
api.add_router("/me", rights_router)
api.add_router("/crisis", crisis_router)
api.add_router("/", screening_router)
api.add_router("/", decision_router)
api.add_router("/", directory_router)
api.add_router("/outcomes", outcomes_router)
api.add_router("/reports", reports_router)
api.add_router("/matches", matching_router)
api.add_router("/matching", professional_router)
api.add_router("/referrals", referrals_router)
api.add_router("/notifications", notices_router)
api.add_router("/sharing", sharing_router)


def _problem(request: HttpRequest, message: str, status: int, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": message, **extra}, status=status)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    problems = [
        {"field": ".".join(str(part) for part in item.get("loc", [])), "problem": item.get("msg", "")}
        for item in error.errors
    ]
    return _problem(request, "The request has invalid fields.", 422, errors=problems)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return _problem(request, "Log in to use this endpoint.", 401)


@api.exception_handler(UnknownRegion)
@api.exception_handler(UnknownInstrument)
def _unknown_code(request: HttpRequest, error: Exception) -> HttpResponse:
    return _problem(request, str(error), 404)


@api.exception_handler(AnswersRefused)
def _answers_refused(request: HttpRequest, refusal: AnswersRefused) -> HttpResponse:
    # Safety first: a risk answer in a refused form is still answered with crisis help.
    body: dict[str, Any] = {"safety": refusal.safety} if refusal.safety is not None else {}
    body.update(detail="Some answers cannot be scored.", errors=problems_payload(refusal.error))
    return api.create_response(request, body, status=422)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return _problem(request, "Not found.", 404)


@api.exception_handler(NotPermitted)
def _not_permitted(request: HttpRequest, error: NotPermitted) -> HttpResponse:
    return _problem(request, "Not found.", 404)


@api.exception_handler(RuleSetRefused)
def _rules_refused(request: HttpRequest, refusal: RuleSetRefused) -> HttpResponse:
    problems = [{"rule": p.rule, "problem": p.problem} for p in refusal.problems]
    return _problem(
        request, "The rule file was refused; the active rules are unchanged.", 422, problems=problems
    )


@api.exception_handler(InvalidData)
def _invalid_data(request: HttpRequest, error: InvalidData) -> HttpResponse:
    return _problem(request, str(error), 422, errors=[{"field": error.field, "problem": error.problem}])


@api.exception_handler(DomainError)
@api.exception_handler(ApplicationError)
def _refused(request: HttpRequest, error: Exception) -> HttpResponse:
    return _problem(request, str(error), 400)
