"""Refusing a NUL character in a request's path, query parameters, form fields or JSON body, before any view.

PostgreSQL cannot hold or compare text containing NUL (0x00): a filter carrying one failed with a
database error, a 500; SQLite cuts the text at the NUL, so a directory search for "\\0" matched every
record. No field in Carepath takes one, so such a request is refused, naming the field: 422 with the
problem shape of the JSON APIs under /api/v1/ and /hsds/, the 400 page everywhere else.
(Found by tests/security/test_injection.py.)

Form fields are checked in URL-encoded and multipart bodies, to pages and to the APIs alike: the
fields' names and values, and the names of file fields, but never the files' contents (a file may
hold any bytes; what reads it checks it).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError

from carepath.web.throttling import API_PREFIXES
from carepath.web.views import bad_request

NUL = "\x00"
PROBLEM = "must not contain a NUL character"
MULTIPART = "multipart/form-data"
_FORMS = ("application/x-www-form-urlencoded", MULTIPART)
# JSON writes a NUL inside a string as this escape; a body without it has none to find.
_JSON_NUL = b"\\u0000"


def field_with_nul(request: HttpRequest) -> str | None:
    if NUL in request.path_info:
        return "path"
    is_api = request.path_info.startswith(API_PREFIXES)
    found = _query_or_form_field_with_nul(request, is_api=is_api)
    if found is not None:
        return found
    if is_api and request.content_type == "application/json" and _JSON_NUL in request.body:
        try:
            return _json_field_with_nul(json.loads(request.body), "body")
        except ValueError:
            return None  # not JSON after all: the API's own parser refuses it, naming the body
    return None


def _query_or_form_field_with_nul(request: HttpRequest, *, is_api: bool) -> str | None:
    fields = list(request.GET.lists())
    if request.method == "POST" and request.content_type in _FORMS:
        if is_api and request.content_type == MULTIPART:
            # Read before the fields, the raw body is kept and the fields are parsed from that
            # copy; parsed first, straight from the network stream, the raw body could no longer be
            # read, and the APIs read it (they take JSON and refuse anything else, naming the body).
            # A body over DATA_UPLOAD_MAX_MEMORY_SIZE is refused here with a 400, as the API would.
            request.body  # noqa: B018
        try:
            fields += request.POST.lists()
            fields += [(name, []) for name in request.FILES]  # Django already drops NULs in file names
        except MultiPartParserError:
            return None  # a body that is not multipart after all: the view refuses it as it would have
    for name, values in fields:
        if NUL in name or any(NUL in value for value in values):
            return name.replace(NUL, "")
    return None


def _json_field_with_nul(value: Any, where: str) -> str | None:
    """The dotted path of the first key or string in a JSON document that holds a NUL."""
    if isinstance(value, str):
        return where if NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = (
                where + "." + key.replace(NUL, "")
                if NUL in key
                else _json_field_with_nul(item, f"{where}.{key}")
            )
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            if (found := _json_field_with_nul(item, f"{where}.{index}")) is not None:
                return found
    return None


class RefuseNullBytesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = field_with_nul(request)
        if field is None:
            return self.get_response(request)
        if request.path_info.startswith(API_PREFIXES):
            problems = [{"field": field, "problem": PROBLEM}]
            return JsonResponse({"detail": f"{field}: {PROBLEM}", "errors": problems}, status=422)
        return bad_request(request)
