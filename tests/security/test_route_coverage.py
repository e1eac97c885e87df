"""Every route Carepath serves has a row in the authorization matrix, and every row names a route."""

from __future__ import annotations

from tests.security.coverage import cases, routes_without_a_row, rows_without_a_route
from tests.security.routes import all_routes, api_operations


def test_every_route_and_api_operation_has_a_row_in_the_matrix() -> None:
    missing = routes_without_a_row()
    assert not missing, "Add these to tests/security/access_matrix.py:\n" + "\n".join(missing)


def test_every_row_of_the_matrix_names_a_route() -> None:
    stale = rows_without_a_route()
    assert not stale, "These rows match no route (renamed or removed?):\n" + "\n".join(stale)


def test_the_enumeration_sees_pages_admin_and_each_api_operation() -> None:
    keys = {route.key for route in all_routes()}
    assert {"my_support_detail", "admin:index", "hsds:unknown_path"} <= keys
    operations = {(route.method, route.key) for route in api_operations()}
    # One path, two methods: two operations, each with its own row.
    assert {("GET", "/api/v1/referrals"), ("POST", "/api/v1/referrals")} <= operations
    assert len(cases()) > len(keys)
