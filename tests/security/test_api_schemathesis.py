"""Property tests of the whole JSON API (/api/v1/openapi.json) with schemathesis, as a help-seeker
signed in with an API token and as an anonymous caller.

Schemathesis generates requests from the schema, valid and invalid, and sends them to the WSGI app
in process. Every answer must be no server error, in a documented content type, and match the
documented body where one is documented. Operations answer 401, 403, 404 and 422 without listing
each in the schema (docs/api.md), so a status the schema does not name is not itself a failure.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

from carepath.accounts import token_services
from carepath.config.wsgi import application
from tests.security.tally import tally
from tests.security.world import build_world

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]


@pytest.fixture
def bearer(db: Any) -> Iterator[dict[str, str]]:
    """A world of records, and the Authorization header of the help-seeker's API token."""
    world = build_world()
    _, text = token_services.create_token(owner=world.actors["help_seeker"], name="schemathesis")
    # The WSGI handler closes "old" database connections around each request; inside the test's
    # transaction that would lose the data. Django's test client disconnects the same receivers.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield {"Authorization": f"Bearer {text}"}
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_the_api_answers_as_its_schema_says(case: Any, bearer: dict[str, str]) -> None:
    for headers in ({}, bearer):
        response = case.call(headers=headers)
        tally["schemathesis requests"] += 1
        case.validate_response(response, checks=CHECKS)
