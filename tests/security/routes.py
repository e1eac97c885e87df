"""Every route Carepath serves, found by walking the URL resolver and reading the OpenAPI documents.

A page route is named by its URL name (or, with none, its pattern); an operation of the JSON APIs
(/api/v1/ and /hsds/) by its method and OpenAPI path, so each method of a path is an operation of
its own. Operations the schema leaves out (the /hsds/ catch-all) are named by their URL name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cache
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from carepath.config.api import api
from carepath.config.hsds_api import hsds_api

API_DOCUMENTS = {"/api/v1/": api, "/hsds/": hsds_api}
_NINJA_OPERATION = "ninja.operation"
_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>|\{(?:\w+:)?(\w+)\}|\(\?P<(\w+)>[^)]*\)")


@dataclass(frozen=True)
class Route:
    key: str  # URL name, pattern, or OpenAPI path
    pattern: str  # the path with its parameters: /support/<int:referral_id>/ or /api/v1/x/{id}
    method: str | None  # the one method of an API operation; None for a page (methods in the matrix)

    @property
    def is_api(self) -> bool:
        return self.pattern.startswith(tuple(API_DOCUMENTS))

    def parameters(self) -> list[str]:
        return [next(g for g in match.groups() if g) for match in _CONVERTER.finditer(self.pattern)]

    def path(self, values: dict[str, Any]) -> str:
        """The pattern with each parameter filled in from `values`."""

        def value(match: re.Match[str]) -> str:
            return str(values[next(g for g in match.groups() if g)])

        return _CONVERTER.sub(value, self.pattern).replace("^", "").replace("$", "")


def _walk(resolver: URLResolver, prefix: str, namespace: str) -> list[tuple[str, str, Any]]:
    found: list[tuple[str, str, Any]] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace or "") if part)
            found += _walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            found.append((prefix + str(entry.pattern), name or "", entry.callback))
    return found


def _openapi_path(pattern: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", pattern)


@cache
def api_operations() -> tuple[Route, ...]:
    routes = []
    for prefix, ninja_api in API_DOCUMENTS.items():
        schema = ninja_api.get_openapi_schema(path_prefix=prefix)
        for path, item in schema["paths"].items():
            routes += [Route(path, path, method.upper()) for method in item]
    return tuple(routes)


@cache
def all_routes() -> tuple[Route, ...]:
    """Page routes first, then API operations; a route the schema leaves out keeps its URL name."""
    documented = {route.pattern for route in api_operations()}
    pages = []
    for pattern, name, callback in _walk(get_resolver(), "", ""):
        is_operation = getattr(callback, "__module__", "") == _NINJA_OPERATION
        if is_operation and _openapi_path(pattern) in documented:
            continue
        pages.append(Route(name or pattern, "/" + pattern, None))
    return (*pages, *api_operations())


def matching(key: str, routes: tuple[Route, ...]) -> list[Route]:
    """Routes a matrix key names: exactly, or as a shell-style pattern (`admin:*_changelist`)."""
    return [route for route in routes if route.key == key or fnmatchcase(route.key, key)]
