"""SQL-injection strings in every query parameter of every search and filter: no server error, no
more rows than the same search with a harmless word, and every table intact afterwards.

The parameters are read, not listed by hand: the API's from its OpenAPI documents (/api/v1/ and
/hsds/), the pages' from their GET forms, plus the cursor each page's "next" link carries. Every
request goes through the real stack to the real database (SQLite here, PostgreSQL in `make test`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from tests.security.routes import API_DOCUMENTS
from tests.security.tally import tally
from tests.security.world import World
from tests.sign_in import sign_in

HARMLESS = "zebrafinch"
INJECTIONS = [
    "' OR '1'='1",
    "' OR 1=1 --",
    "1; DROP TABLE accounts_user; --",
    "'; DELETE FROM directory_service; --",
    "%' --",
    "%",
    "_",
    '") UNION SELECT username, password FROM accounts_user --',
    "1 UNION SELECT NULL, NULL, NULL --",
    "admin'--",
    "\x00",
    "a\x00' OR '1'='1",
    "’ OR ‘1’=‘1",  # typographic quotes  # noqa: RUF001
    "\\' OR 1=1 #",
    "x" * 5000,
]
# A parameter typed as a number, a flag or a fixed choice is refused before any query is built;
# these are enough to show it is refused cleanly.
TYPED_INJECTIONS = ["' OR '1'='1", "1; DROP TABLE accounts_user; --", "\x00", "x" * 5000]
# Reads that are themselves audited: their rows may grow; no other table may change.
GROWS_ON_READ = {"audit.AuditEvent", "sessions.Session", "audit.ChainCheck"}

# Pages with filters, who may open them, and the cursors their "next" links carry.
PAGES = [
    ("find", "anonymous", ["page"]),
    ("audit_trail", "coordinator", ["before", "after"]),
    ("access_log", "help_seeker", ["before", "after"]),
    ("manage_services", "coordinator", ["page"]),
    ("manage_organizations", "coordinator", ["page"]),
    ("programme_outcomes", "coordinator", []),
    ("programme_outcomes_csv", "coordinator", []),
]
# API lists that need a signed-in caller.
API_CALLERS = {"/api/v1/assessments": "help_seeker", "/api/v1/reports/outcomes": "coordinator"}

_GET_FORM = re.compile(r"<form\b(?![^>]*method=\"?post)[^>]*>(.*?)</form>", re.IGNORECASE | re.DOTALL)
_FIELD = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"", re.IGNORECASE)


def api_parameters() -> list[tuple[str, str, bool]]:
    """(path, parameter, typed) for every query parameter of every GET operation with no path ids."""
    found = []
    for prefix, ninja_api in API_DOCUMENTS.items():
        for path, item in ninja_api.get_openapi_schema(path_prefix=prefix)["paths"].items():
            operation = item.get("get", {})
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and "{" not in path:
                    found.append((path, parameter["name"], _typed(parameter.get("schema", {}))))
    return found


def _typed(schema: dict[str, Any]) -> bool:
    kinds = {schema.get("type")} | {option.get("type") for option in schema.get("anyOf", [])}
    return "string" not in kinds or "enum" in schema or "format" in schema


@pytest.fixture(scope="module")
def clients(module_world: World, django_db_blocker: Any) -> dict[str, Client]:
    found = {}
    with django_db_blocker.unblock():
        for role, account in module_world.actors.items():
            found[role] = Client()
            if account is not None:
                sign_in(found[role], account)
    return found


@pytest.fixture
def tables_stay_intact(db: Any) -> Iterator[None]:
    before = row_counts()
    yield
    after = row_counts()  # also fails loudly if any table is gone
    changed = {label for label in before if before[label] != after[label]}
    assert changed <= GROWS_ON_READ, f"rows changed in {sorted(changed)}"


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def rows(response: Any) -> int:
    """How many records an answer shows: list items in JSON, table rows and records in a page."""
    text = response.content.decode("utf-8", "replace")
    if response.get("Content-Type", "").startswith("application/json"):
        body = json.loads(text)
        lists = [body] if isinstance(body, list) else [v for v in body.values() if isinstance(v, list)]
        return sum(len(found) for found in lists)
    if response.get("Content-Type", "").startswith("text/csv"):
        return text.count("\n")
    return text.count("<tr") + text.count("CANARY")


def attack(client: Client, path: str, name: str, payloads: list[str], base: dict[str, str]) -> list[str]:
    problems = []
    harmless = rows(client.get(path, {**base, name: HARMLESS}))
    for payload in payloads:
        response = client.get(path, {**base, name: payload})
        tally["injection requests"] += 1
        shown = f"{path}?{name}={payload[:40]!r}"
        if response.status_code >= 500:
            problems.append(f"{shown}: {response.status_code}")
        elif response.status_code == 200 and rows(response) > harmless:
            problems.append(f"{shown}: {rows(response)} rows, {harmless} for a harmless word")
    return problems


API_PARAMETERS = api_parameters()


@pytest.mark.parametrize(
    ("path", "name", "typed"), API_PARAMETERS, ids=[f"{p}?{n}" for p, n, _ in API_PARAMETERS]
)
def test_api_filters_refuse_injection(
    path: str, name: str, typed: bool, clients: dict[str, Client], tables_stay_intact: None
) -> None:
    client = clients[API_CALLERS.get(path, "anonymous")]
    problems = attack(client, path, name, TYPED_INJECTIONS if typed else INJECTIONS, {})
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("page", "role", "cursors"), PAGES, ids=[page for page, _, _ in PAGES])
def test_page_filters_refuse_injection(
    page: str, role: str, cursors: list[str], clients: dict[str, Client], tables_stay_intact: None
) -> None:
    client = clients[role]
    path = reverse(page)
    form_page = reverse(page.removesuffix("_csv")) if page.endswith("_csv") else path
    html = client.get(form_page).content.decode()
    names = {name for form in _GET_FORM.findall(html) for name in _FIELD.findall(form)}
    names = sorted((names - {"csrfmiddlewaretoken"}) | set(cursors))
    assert names, f"{page}: no filters found"
    problems = [problem for name in names for problem in attack(client, path, name, INJECTIONS, {})]
    assert not problems, "\n".join(problems)
