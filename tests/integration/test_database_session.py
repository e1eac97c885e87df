"""Each new PostgreSQL connection has JIT compilation off, unless the settings keep it on
(carepath/directory/database_session.py); SQLite connections are left alone."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection, connections
from django.test import override_settings

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
