"""The attack suite's shared set-up: one world of people and records, API limits out of the way."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from tests.security.tally import tally
from tests.security.world import World, build_world

UNTHROTTLED = 1_000_000


@pytest.fixture(autouse=True)
def _api_rate_limits_out_of_the_way(settings: Any) -> None:
    # The suite sends thousands of requests from one address within a minute.
    settings.CAREPATH_API_RATE_ANONYMOUS = UNTHROTTLED
    settings.CAREPATH_API_RATE_SIGNED_IN = UNTHROTTLED


@pytest.fixture(scope="module")
def module_world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    """One world for a whole module, undone at its end; each request in it is rolled back too."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if tally:
        terminalreporter.section("attack suite counts")
        for name, count in tally.items():
            terminalreporter.write_line(f"{name}: {count}")
