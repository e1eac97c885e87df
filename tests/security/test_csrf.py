"""CSRF on every state-changing route: without the token, 403 and nothing written; with it, not 403.

The routes are the matrix's POST (PUT, PATCH, DELETE) cases: every page form and every API
operation a browser session can call. Each is sent as a role the matrix allows, by a client that
enforces CSRF checks as a browser's would be; the token comes from a page, as a browser gets it.
Rows in every table are counted before and after, inside the request's own rolled-back transaction.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from tests.security.coverage import Case, cases
from tests.security.forms import csrf_token
from tests.security.probe import ALLOW, fill, send
from tests.security.tally import tally
from tests.security.world import World, route_values
from tests.sign_in import sign_in

WRITES = ("POST", "PUT", "PATCH", "DELETE")
# API operations that compute an answer from the request alone and keep nothing, for anyone.
STATELESS = {
    "/api/v1/instruments/{code}/score",
    "/api/v1/fhir/score",
    "/api/v1/outcomes/classify",
    "/api/v1/outcomes/rci",
}
# Bodies that make the write happen, where an empty one would be refused before anything is kept.
BODIES = {"/api/v1/recommendations": {"save": True}}
WRITE_CASES = [case for case in cases() if case.row.method in WRITES and case.route.key not in STATELESS]


def allowed_cell(case: Case, world: World) -> tuple[str, dict[str, Any]] | None:
    """A role (and record) the matrix lets through, signed in where possible."""
    found = [
        (role, record)
        for role, ownership, record in world.cells(case.row.kind)
        if case.row.expected(role, ownership) == ALLOW
    ]
    found.sort(key=lambda cell: cell[0] == "anonymous")
    return found[0] if found else None


def strict_client(world: World, role: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    account = world.actors[role]
    if account is not None:
        sign_in(client, account)
    return client


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def token_from_a_page(client: Client, role: str) -> str:
    page = client.get("/accounts/login/" if role == "anonymous" else "/accounts/me/")
    token = csrf_token(page.content.decode())
    assert token, "the page carries no CSRF token"
    return token


@pytest.mark.parametrize("case", WRITE_CASES, ids=[case.name for case in WRITE_CASES])
def test_a_write_without_the_token_is_refused_and_changes_nothing(
    case: Case, module_world: World, db: Any
) -> None:
    world = module_world
    cell = allowed_cell(case, world)
    if cell is None:
        pytest.skip("no role may make this write")
    role, record = cell
    values = {**route_values(world, case.route.pattern, case.route.key), **record}
    body = BODIES.get(case.route.key, fill(case.row.body, world.values))
    client = strict_client(world, role)
    before = row_counts()
    query = fill(dict(case.row.query), world.values)
    refused = send(client, case.route, case.row.method, values, body, query, observe=row_counts)
    assert refused.status == 403, f"{role}: {refused.status} {refused.text[:300]}"
    assert refused.observed == before, "a refused write changed rows"

    client = strict_client(world, role)
    token = token_from_a_page(client, role)
    if case.route.is_api:
        headers = {"X-CSRFToken": token}
    else:
        headers = {}
        body = {**(body or {}), "csrfmiddlewaretoken": token}
    accepted = send(client, case.route, case.row.method, values, body, query, headers=headers)
    assert accepted.status != 403, f"{role}: refused even with the token: {accepted.text[:300]}"
    tally["CSRF writes checked"] += 1
