"""The HSDS 3.1 API (mounted at /hsds/ by `carepath.config.hsds_api`): the directory, read-only, public.

Endpoints, parameters and shapes follow the official `openapi.json` (docs/hsds.md, "HSDS API").
Lists are HSDS Pages; by default their items hold the record's "one-to-one" fields (its own
fields and what it embeds, as the official `*_list.json` examples do); `full=true` nests
everything; `minimal=true` (services) gives only `id` and `last_modified`. Single records are
fully nested. Records are nested by the export's nester (`carepath.interop.hsds_export`), so the
API and `export-hsds` write the same JSON.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from typing import Annotated, Any, Literal, NoReturn

from django.http import Http404, HttpRequest, JsonResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError
from pydantic import PlainValidator, WithJsonSchema

from carepath.directory.selectors import hsds_api as selectors
from carepath.directory.selectors.hsds_api import Reach, RecordFilters, Rows, RowsPage
from carepath.interop.hsds_export import Nester, page
from carepath.interop.hsds_profile import profile_meta
from carepath.interop.hsds_tables import TABLES, HsdsTable, children_of, embedded_of

router = Router(tags=["HSDS"])

# Parameters ------------------------------------------------------------------------------------

UUID_TEXT = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def _record_id(value: Any) -> str:
    if isinstance(value, str) and UUID_TEXT.match(value):
        return value
    raise ValueError("must be a UUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6")


def _moment(value: Any) -> dt.datetime:
    if isinstance(value, str) and RFC3339.match(value):
        try:
            return dt.datetime.fromisoformat(value.upper())
        except ValueError:
            pass
    raise ValueError("must be an RFC 3339 date and time with an offset, such as 2024-09-25T14:23:06Z")


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return bool(value == "true")
    raise ValueError("must be true or false")


def _text(value: Any) -> str:
    if isinstance(value, str) and "\x00" not in value:
        return value.strip()
    raise ValueError("must be text without NUL characters")


UUID_SCHEMA = WithJsonSchema({"type": "string", "format": "uuid"})
RecordId = Annotated[str, PlainValidator(_record_id), UUID_SCHEMA]
LinkedId = Annotated[str | None, PlainValidator(_record_id), UUID_SCHEMA]  # a filter; None when not given
Moment = Annotated[
    dt.datetime | None, PlainValidator(_moment), WithJsonSchema({"type": "string", "format": "date-time"})
]
Metres = Annotated[
    float | None,
    Field(gt=0, allow_inf_nan=False),
    WithJsonSchema({"type": "number", "exclusiveMinimum": 0}),
]
Flag = Annotated[bool, PlainValidator(_flag), WithJsonSchema({"type": "boolean"})]
Text = Annotated[str, PlainValidator(_text), WithJsonSchema({"type": "string", "pattern": "^[^\\x00]*$"})]


class PageQuery(Schema):
    page: int = Field(
        1,
        ge=1,
        description=(
            "The page to return, counting from 1. A filtered list serves its first "
            f"{selectors.FILTERED_LIMIT:,} records: a page starting past them is refused (422)."
        ),
    )
    per_page: int = Field(50, ge=1, le=100, description="Records per page, 1 to 100.")
    format: Literal["json"] = Field("json", description="Only `json`; `ndjson` streaming is not offered.")


class SearchQuery(PageQuery):
    search: Text = Field("", description="Records whose name or description holds this text (any case).")


class WordsQuery(PageQuery):
    search: Text = Field(
        "",
        description=(
            "Full-text search: services whose name or description holds every word of this text "
            "(stemmed; case and accents ignored)."
        ),
    )


class TaggedQuery(SearchQuery):
    taxonomy_term_id: LinkedId = Field(None, description="Records an attribute gives this taxonomy term.")
    taxonomy_id: LinkedId = Field(None, description="Records an attribute gives a term of this taxonomy.")


class TaggedWordsQuery(WordsQuery):
    taxonomy_term_id: LinkedId = Field(None, description="Records an attribute gives this taxonomy term.")
    taxonomy_id: LinkedId = Field(None, description="Records an attribute gives a term of this taxonomy.")


class ServiceQuery(TaggedWordsQuery):
    organization_id: LinkedId = Field(None, description="Services this organization provides.")
    modified_after: Moment = Field(None, description="Services last modified on or after this moment.")
    minimal: Flag = Field(False, description="Only each service's `id` and `last_modified` (wins over full).")
    full: Flag = Field(False, description="Fully nested services.")


class ServiceAtLocationQuery(TaggedWordsQuery):
    organization_id: LinkedId = Field(None, description="Services this organization provides.")
    modified_after: Moment = Field(None, description="Whose service was last modified on or after this.")
    full: Flag = Field(False, description="Fully nested services at locations.")
    postcode: Text = Field("", description="At a location with a physical address at this postcode.")
    proximity: Metres = Field(None, description="With postcode: within this many metres of its centre.")


class OrganizationQuery(TaggedQuery):
    full: Flag = Field(False, description="Fully nested organizations, listing their services.")
    full_service: Flag = Field(False, description="Fully nested organizations with fully nested services.")


class TaxonomyTermQuery(SearchQuery):
    taxonomy_id: LinkedId = Field(None, description="Terms of this taxonomy.")
    parent_id: LinkedId = Field(None, description="Terms whose parent is this term.")
    top_only: Flag = Field(False, description="Only terms without a parent.")


class FullServiceQuery(Schema):
    full_service: Flag = Field(False, description="Nest each service fully, not only its own fields.")


def _filters(query: Schema) -> RecordFilters:
    return RecordFilters.from_mapping(query.model_dump())


def _refuse(field: str, problem: str) -> NoReturn:
    raise ValidationError([{"loc": ("query", field), "msg": problem, "type": "value_error"}])


# OpenAPI ---------------------------------------------------------------------------------------


def component_ref(name: str) -> dict[str, str]:
    """A reference to one of the components `carepath.config.hsds_api` adds to the schema."""
    return {"$ref": f"#/components/schemas/hsds_{name}"}


def _responds(schema: dict[str, Any], *problems: int) -> dict[str, Any]:
    described = {404: "No record has this id.", 422: "A parameter is invalid; `errors` names it."}
    responses: dict[int, Any] = {
        200: {"description": "OK", "content": {"application/json": {"schema": schema}}}
    }
    for status in problems:
        responses[status] = {
            "description": described[status],
            "content": {"application/json": {"schema": component_ref("problem")}},
        }
    return {"responses": responses}


def _page_of(*items: dict[str, Any]) -> dict[str, Any]:
    item = items[0] if len(items) == 1 else {"anyOf": list(items)}
    schema = {"allOf": [component_ref("page")], "properties": {"contents": {"type": "array", "items": item}}}
    return _responds(schema, 422)


# Rendering -------------------------------------------------------------------------------------


def _one_to_one(table: HsdsTable, record: dict[str, Any], *, top_level: bool) -> dict[str, Any]:
    """A nested record without its arrays: its own fields and what it embeds, likewise."""
    arrays = {child.key for child in children_of(table, top_level=top_level)}
    kept = {key: value for key, value in record.items() if key not in arrays}
    for embedded in embedded_of(table, top_level=top_level):
        if isinstance(kept.get(embedded.key), dict):
            kept[embedded.key] = _one_to_one(TABLES[embedded.table], kept[embedded.key], top_level=False)
    return kept


def _documents(table: str, rows: Rows, ids: list[str], reach: Reach) -> list[dict[str, Any]]:
    if reach is Reach.OWN:
        own = {row["id"]: row for row in rows.get(table, [])}
        return [{key: own[i][key] for key in ("id", "last_modified") if own[i].get(key)} for i in ids]
    nester = Nester(rows)
    documents = [nester.nest(TABLES[table], nester.by_id[table][i], top_level=True) for i in ids]
    if reach is Reach.EMBEDDED:
        return [_one_to_one(TABLES[table], document, top_level=True) for document in documents]
    for document in documents:  # a service_at_location's service does not list it again
        document.get("service", {}).pop("service_at_locations", None)
    return documents


def _organization_documents(rows: Rows, ids: list[str], *, full_services: bool) -> list[dict[str, Any]]:
    """Fully nested organisations, each listing its services (their own fields, or fully nested)."""
    documents = _documents("organization", rows, ids, Reach.NESTED)
    service_rows = selectors.organization_service_rows(ids, Reach.NESTED if full_services else Reach.EMBEDDED)
    nester, service_table = Nester(service_rows), TABLES["service"]
    services: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in service_rows.get("service", []):
        service = nester.nest(service_table, row, omit="organization_id")
        services[row["organization_id"]].append(
            service if full_services else _one_to_one(service_table, service, top_level=False)
        )
    for document in documents:
        if services[document["id"]]:
            document["services"] = services[document["id"]]
    return documents


def _rows_page(
    table: str, listing: selectors.Listing, query: PageQuery, reach: Reach, *, top_level: bool = True
) -> RowsPage:
    try:
        return selectors.page_rows(table, listing, query.page, query.per_page, reach, top_level=top_level)
    except selectors.BeyondServed as beyond:
        _refuse(
            "page",
            f"this list is filtered, so it serves only its first {beyond.served:,} records "
            f"(pages 1 to {math.ceil(beyond.served / query.per_page)} at per_page {query.per_page}); "
            "narrow the filters, or list without them to page through everything",
        )


def _page(found: RowsPage, query: PageQuery, contents: list[dict[str, Any]]) -> JsonResponse:
    total_pages = math.ceil(found.total / query.per_page)
    return JsonResponse(
        {
            **page(contents),
            "total_items": found.total,
            "total_pages": total_pages,
            "page_number": query.page,
            "first_page": query.page == 1,
            "last_page": query.page >= total_pages,
            "capped": found.capped,
        }
    )


def _record(table: str, record_id: str, *, top_level: bool = True) -> Rows:
    rows = selectors.record_rows(table, record_id, Reach.NESTED, top_level=top_level)
    if rows is None:
        raise Http404(f"id: no {table.replace('_', ' ')} has the id '{record_id}'")
    return rows


# Endpoints -------------------------------------------------------------------------------------


@router.get(
    "/",
    summary="This API and its relationship with HSDS",
    operation_id="getAPIMetaInformation",
    openapi_extra=_responds(component_ref("api_meta")),
)
def api_meta(request: HttpRequest) -> JsonResponse:
    namespace = request.resolver_match.namespace if request.resolver_match else ""
    openapi = reverse(f"{namespace}:openapi-json" if namespace else "openapi-json")
    meta = profile_meta()
    return JsonResponse(
        {
            "version": meta["hsds_version"],
            "profile": meta["uri"],
            "openapi_url": request.build_absolute_uri(openapi),
        }
    )


@router.get(
    "/services",
    summary="A page of services",
    operation_id="getPaginatedListOfServices",
    openapi_extra=_page_of(component_ref("service"), component_ref("service_minimal")),
)
def list_services(request: HttpRequest, query: Query[ServiceQuery]) -> JsonResponse:
    reach = Reach.OWN if query.minimal else Reach.NESTED if query.full else Reach.EMBEDDED
    found = _rows_page("service", selectors.services(_filters(query)), query, reach)
    return _page(found, query, _documents("service", found.rows, found.ids, reach))


@router.get(
    "/services/{id}",
    summary="A fully nested service",
    operation_id="getFullyNestedServiceById",
    openapi_extra=_responds(component_ref("service"), 404, 422),
)
def get_service(request: HttpRequest, id: RecordId) -> JsonResponse:
    return JsonResponse(_documents("service", _record("service", id), [id], Reach.NESTED)[0])


@router.get(
    "/service_at_locations",
    summary="A page of services at locations",
    operation_id="getPaginatedListOfServiceAtLocation",
    openapi_extra=_page_of(component_ref("service_at_location_top")),
)
def list_service_at_locations(request: HttpRequest, query: Query[ServiceAtLocationQuery]) -> JsonResponse:
    if query.proximity is not None and not query.postcode:
        _refuse("proximity", "needs a postcode to measure from")
    reach = Reach.NESTED if query.full else Reach.EMBEDDED
    filtered = selectors.service_at_locations(_filters(query))
    found = _rows_page("service_at_location", filtered, query, reach)
    return _page(found, query, _documents("service_at_location", found.rows, found.ids, reach))


@router.get(
    "/service_at_locations/{id}",
    summary="A fully nested service at a location",
    operation_id="getServiceAtLocationWithNestedDataById",
    openapi_extra=_responds(component_ref("service_at_location_top"), 404, 422),
)
def get_service_at_location(request: HttpRequest, id: RecordId) -> JsonResponse:
    rows = _record("service_at_location", id)
    return JsonResponse(_documents("service_at_location", rows, [id], Reach.NESTED)[0])


@router.get(
    "/organizations",
    summary="A page of organizations",
    operation_id="getPaginatedListOfOrganizations",
    openapi_extra=_page_of(component_ref("organization_top")),
)
def list_organizations(request: HttpRequest, query: Query[OrganizationQuery]) -> JsonResponse:
    full = query.full or query.full_service
    reach = Reach.NESTED if full else Reach.EMBEDDED
    filtered = selectors.organizations(_filters(query))
    found = _rows_page("organization", filtered, query, reach, top_level=False)
    if full:
        contents = _organization_documents(found.rows, found.ids, full_services=query.full_service)
    else:
        contents = _documents("organization", found.rows, found.ids, reach)
    return _page(found, query, contents)


@router.get(
    "/organizations/{id}",
    summary="A fully nested organization with its services",
    operation_id="getOrganizationById",
    openapi_extra=_responds(component_ref("organization_top"), 404, 422),
)
def get_organization(
    request: HttpRequest,
    id: RecordId,
    query: Query[FullServiceQuery],
) -> JsonResponse:
    rows = _record("organization", id, top_level=False)
    return JsonResponse(_organization_documents(rows, [id], full_services=query.full_service)[0])


@router.get(
    "/taxonomies",
    summary="A page of taxonomies",
    operation_id="getPaginatedListOfTaxonomies",
    openapi_extra=_page_of(component_ref("taxonomy")),
)
def list_taxonomies(request: HttpRequest, query: Query[SearchQuery]) -> JsonResponse:
    found = _rows_page("taxonomy", selectors.taxonomies(_filters(query)), query, Reach.NESTED)
    return _page(found, query, _documents("taxonomy", found.rows, found.ids, Reach.NESTED))


@router.get(
    "/taxonomies/{id}",
    summary="A taxonomy",
    operation_id="getTaxonomyById",
    openapi_extra=_responds(component_ref("taxonomy"), 404, 422),
)
def get_taxonomy(request: HttpRequest, id: RecordId) -> JsonResponse:
    return JsonResponse(_documents("taxonomy", _record("taxonomy", id), [id], Reach.NESTED)[0])


@router.get(
    "/taxonomy_terms",
    summary="A page of taxonomy terms",
    operation_id="getPaginatedListOfTaxonomyTerms",
    openapi_extra=_page_of(component_ref("taxonomy_term")),
)
def list_taxonomy_terms(request: HttpRequest, query: Query[TaxonomyTermQuery]) -> JsonResponse:
    found = _rows_page("taxonomy_term", selectors.taxonomy_terms(_filters(query)), query, Reach.NESTED)
    return _page(found, query, _documents("taxonomy_term", found.rows, found.ids, Reach.NESTED))


@router.get(
    "/taxonomy_terms/{id}",
    summary="A taxonomy term",
    operation_id="getTaxonomyTermById",
    openapi_extra=_responds(component_ref("taxonomy_term"), 404, 422),
)
def get_taxonomy_term(request: HttpRequest, id: RecordId) -> JsonResponse:
    return JsonResponse(_documents("taxonomy_term", _record("taxonomy_term", id), [id], Reach.NESTED)[0])
