"""The generated authorization matrix: every route and method x role x ownership, by real HTTP.

Each case sends one request per cell (role x own / assigned / unrelated record) through Django's
test client, signed in with tests.sign_in, and compares the answer's class with the matrix. Every
request is rolled back, so each cell meets the same records. A denied cell must reveal none of the
canary text seeded into the records; an object the actor may not see answers 404 (or 401 or a
sign-in redirect before any record is looked up), never its data.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.security.coverage import Case, cases
from tests.security.forms import post_forms
from tests.security.probe import DENIALS, classify, fill, send
from tests.security.tally import tally
from tests.security.world import NONE, World, route_values
from tests.sign_in import sign_in

CASES = cases()


@pytest.fixture(scope="module")
def clients(module_world: World, django_db_blocker: Any) -> dict[str, Client]:
    """One client per role, signed in once for the module (each request's writes are undone)."""
    found = {}
    with django_db_blocker.unblock():
        for role, account in module_world.actors.items():
            found[role] = Client()
            if account is not None:
                sign_in(found[role], account)
    return found


def run_case(case: Case, world: World, clients: dict[str, Client]) -> tuple[list[str], int, int]:
    """Every cell of one case: the mismatches in words, the cells checked and the POST forms seen.

    Every page a cell may open is also searched for POST forms, each of which must carry the CSRF
    token: the pages are fetched here anyway, as every role that can see them."""
    problems = []
    forms = 0
    cells = world.cells(case.row.kind)
    fixed = route_values(world, case.route.pattern, case.route.key)
    for role, ownership, record in cells:
        values = {**fixed, **record}
        path_query = fill(dict(case.row.query), world.values)
        answer = send(
            clients[role], case.route, case.row.method, values, fill(case.row.body, world.values), path_query
        )
        got = classify(answer, case.row.method)
        where = f"{role} x {ownership}" if ownership != NONE else role
        try:
            wanted = case.row.expected(role, ownership)
        except KeyError:
            problems.append(f"{where}: no expectation in the matrix (got {got})")
            continue
        if got != wanted:
            problems.append(f"{where}: expected {wanted}, got {got} ({answer.status})")
        if got in DENIALS:
            leaked = [c for c in world.canaries if c in answer.text]
            if leaked:
                problems.append(f"{where}: the denial shows {leaked}")
        elif case.row.method == "GET" and answer.content_type.startswith("text/html"):
            found = post_forms(answer.text)
            forms += len(found)
            if any("csrfmiddlewaretoken" not in form for form in found):
                problems.append(f"{where}: a POST form without the CSRF token")
    return problems, len(cells), forms


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_role_and_ownership_gets_what_the_matrix_says(
    case: Case, module_world: World, clients: dict[str, Client], db: Any
) -> None:
    problems, checked, forms = run_case(case, module_world, clients)
    tally["matrix cells"] += checked
    tally["POST forms checked for a CSRF token"] += forms
    assert not problems, f"{case.name}:\n" + "\n".join(problems)
