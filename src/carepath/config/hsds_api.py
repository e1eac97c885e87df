"""The Open Referral HSDS 3.1 API at /hsds/, with its own OpenAPI 3.1 schema at /hsds/openapi.json.

A NinjaAPI of its own, beside the Carepath API at /api/v1/: HSDS clients expect the standard's
paths at the root of the API, and its schema documents HSDS objects only. Every answer is JSON,
errors too: `{"detail": …}`, plus `errors: [{field, problem}]` for invalid parameters.
"""

from __future__ import annotations

import copy
import logging
from functools import cache
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Router
from ninja.errors import ValidationError
from ninja.openapi.schema import OpenAPISchema

from carepath.directory.api import component_ref
from carepath.directory.api import router as hsds_router
from carepath.interop.hsds_schema import PAGE_SCHEMA, profiled_schema
from carepath.interop.hsds_tables import TABLES

logger = logging.getLogger(__name__)


PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "problem"],
                "properties": {"field": {"type": "string"}, "problem": {"type": "string"}},
            },
        },
    },
}
CAPPED_SCHEMA = {
    "type": "boolean",
    "description": (
        "Carepath's addition to the HSDS Page: true when more records match than this filtered list "
        "serves (its first 1,000); total_items and total_pages then count the records served. "
        "Narrow the filters to reach the others."
    ),
}
API_META_SCHEMA = {
    "type": "object",
    "required": ["version", "profile", "openapi_url"],
    "properties": {name: {"type": "string"} for name in ("version", "profile", "openapi_url")},
}


def _linked(schema: Any) -> Any:
    """A shipped HSDS schema with its file references ("phone.json") made component references."""
    if isinstance(schema, dict):
        if isinstance(schema.get("$ref"), str) and schema["$ref"].endswith(".json"):
            return {**schema, **component_ref(schema["$ref"].removesuffix(".json"))}
        return {key: _linked(value) for key, value in schema.items()}
    if isinstance(schema, list):
        return [_linked(item) for item in schema]
    return schema


@cache
def openapi_components() -> dict[str, Any]:
    """The HSDS objects (the Carepath profile's service), as shipped, and this API's own shapes."""
    components = {f"hsds_{table}": _linked(copy.deepcopy(profiled_schema(table))) for table in TABLES}
    # At the top of a document an organization lists its services, a service_at_location embeds its service.
    components["hsds_organization_top"] = {
        "allOf": [component_ref("organization")],
        "properties": {"services": {"type": "array", "items": component_ref("service")}},
    }
    components["hsds_service_at_location_top"] = {
        "allOf": [component_ref("service_at_location")],
        "properties": {"service": component_ref("service")},
    }
    components["hsds_service_minimal"] = {
        "type": "object",
        "required": ["id"],
        "additionalProperties": False,
        "properties": {"id": {"type": "string"}, "last_modified": {"type": "string"}},
    }
    page_fields = {name: rule for name, rule in PAGE_SCHEMA["properties"].items() if name != "contents"}
    # HSDS's Page allows more properties; Carepath says whether a filtered list was cut (docs/hsds.md).
    page_fields["capped"] = CAPPED_SCHEMA
    components["hsds_page"] = {
        **PAGE_SCHEMA,
        "required": [*PAGE_SCHEMA["required"], "capped"],
        "properties": page_fields,
    }
    components["hsds_problem"] = PROBLEM_SCHEMA
    components["hsds_api_meta"] = API_META_SCHEMA
    return components


class HsdsNinjaAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {}).update(openapi_components())
        return schema


hsds_api = HsdsNinjaAPI(
    title="Carepath HSDS API",
    version="3.1",
    description=(
        "Carepath's service directory as Open Referral HSDS 3.1 (https://docs.openreferral.org), "
        "read-only and public, with the Carepath HSDS profile's service fields (see `GET /hsds/`)."
    ),
    urls_namespace="hsds",
)
hsds_api.add_router("/", hsds_router)

# Anything else under /hsds/ is a JSON 404 too; added last, so it matches only what nothing else does.
fallback = Router()


@fallback.get("/{path:rest}", include_in_schema=False)
def unknown_path(request: HttpRequest, rest: str) -> HttpResponse:
    raise Http404("no such HSDS endpoint")


hsds_api.add_router("/", fallback)


def _problem(request: HttpRequest, message: str, status: int, **extra: Any) -> HttpResponse:
    return hsds_api.create_response(request, {"detail": message, **extra}, status=status)


def _field(location: Any) -> str:
    parts = [str(part) for part in location if part not in ("query", "path")]
    return ".".join(parts) or "request"


@hsds_api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    problems = [
        {
            "field": _field(item.get("loc", ())),
            "problem": str(item.get("msg", "")).removeprefix("Value error, "),
        }
        for item in error.errors
    ]
    detail = "; ".join(f"{problem['field']}: {problem['problem']}" for problem in problems)
    return _problem(request, detail or "The request is invalid.", 422, errors=problems)


@hsds_api.exception_handler(Http404)
def _not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return _problem(request, str(error) or "Not found.", 404)


@hsds_api.exception_handler(Exception)
def _failed(request: HttpRequest, error: Exception) -> HttpResponse:
    logger.exception("HSDS API request failed: %s", request.path, exc_info=error)
    return _problem(request, "Something went wrong on our side; the problem has been logged.", 500)
