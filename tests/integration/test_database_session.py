"""Each new PostgreSQL connection has JIT compilation off, unless the settings keep it on, and the
outcomes reports get the server's setting back for their own transaction
(carepath/database_session.py); SQLite connections are left alone."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from carepath.database_session import allow_jit_in_transaction
from carepath.outcomes.report_query import ReportQuery
from carepath.outcomes.report_services import read_outcomes_report

pytestmark = pytest.mark.django_db


@contextmanager
def _new_connection() -> Iterator[Any]:
    """A connection of its own, made as a web worker makes one (`connection_created` fires)."""
    fresh = connections.create_connection("default")
    try:
        yield fresh
    finally:
        fresh.close()


def _jit(fresh: Any) -> str:
    with fresh.cursor() as cursor:
        cursor.execute("SHOW jit")
        (value,) = cursor.fetchone()
    return str(value)


def _skip_unless_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("JIT compilation is PostgreSQL's")


def test_a_new_postgresql_connection_has_jit_off() -> None:
    _skip_unless_postgresql()
    with _new_connection() as fresh:
        assert _jit(fresh) == "off"
    assert _jit(connection) == "off"  # the test's own connection was made the same way


def test_the_setting_leaves_the_server_default() -> None:
    _skip_unless_postgresql()
    with _new_connection() as fresh, fresh.cursor() as cursor:
        cursor.execute("SELECT reset_val FROM pg_settings WHERE name = 'jit'")
        (server_default,) = cursor.fetchone()
    with override_settings(CAREPATH_POSTGRES_JIT=True), _new_connection() as fresh:
        assert _jit(fresh) == server_default


def test_sqlite_connections_are_not_asked_about_jit() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite half")
    with _new_connection() as fresh, fresh.cursor() as cursor:
        cursor.execute("SELECT 1")  # the receiver ran and sent nothing SQLite would refuse
        assert cursor.fetchone() == (1,)


@pytest.mark.django_db(transaction=True)
def test_an_analytical_transaction_gets_the_servers_jit_back_until_it_ends() -> None:
    _skip_unless_postgresql()
    server_default = _reset_value()
    with transaction.atomic():
        allow_jit_in_transaction()
        assert _jit(connection) == server_default
    assert _jit(connection) == "off"  # the transaction's end ended it


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_is_refused_rather_than_left_on_for_the_session() -> None:
    _skip_unless_postgresql()
    with pytest.raises(RuntimeError, match="needs a transaction"):
        allow_jit_in_transaction()
    assert _jit(connection) == "off"


@pytest.mark.django_db(transaction=True)
def test_the_outcomes_report_runs_with_the_servers_jit_and_leaves_it_off() -> None:
    _skip_unless_postgresql()
    with CaptureQueriesContext(connection) as captured:
        read_outcomes_report(actor=None, query=ReportQuery(), channel="test")
    sent = [query["sql"] for query in captured.captured_queries]
    turned_on = next(i for i, sql in enumerate(sent) if "set_config('jit'" in sql)
    summed = next(i for i, sql in enumerate(sent) if "outcomes_episodereportrow" in sql and "GROUP BY" in sql)
    assert turned_on < summed
    assert _jit(connection) == "off"


def _reset_value() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reset_val FROM pg_settings WHERE name = 'jit'")
        (value,) = cursor.fetchone()
    return str(value)
