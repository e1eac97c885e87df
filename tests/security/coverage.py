"""Which matrix row decides each enumerated route and method, and what the matrix misses."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from tests.security.access_matrix import MATRIX, Row
from tests.security.routes import Route, all_routes, matching


@dataclass(frozen=True)
class Case:
    row: Row
    route: Route

    @property
    def name(self) -> str:
        return f"{self.row.method} {self.route.key}"


@cache
def cases() -> tuple[Case, ...]:
    """One case per route and method: an exact row wins over a pattern, an earlier pattern over a later."""
    routes = all_routes()
    chosen: dict[tuple[str, str], Case] = {}
    for exact in (True, False):
        for entry in MATRIX:
            if (entry.route in {r.key for r in routes}) is not exact:
                continue
            for route in matching(entry.route, routes):
                if route.method is not None and route.method != entry.method:
                    continue
                chosen.setdefault((route.key, entry.method), Case(entry, route))
    return tuple(chosen.values())


def routes_without_a_row() -> list[str]:
    covered = {(case.route.key, case.route.method) for case in cases()}
    return [
        f"{r.method or 'any'} {r.key} ({r.pattern})" for r in all_routes() if (r.key, r.method) not in covered
    ]


def rows_without_a_route() -> list[str]:
    used = {id(case.row) for case in cases()}
    return [f"{entry.method} {entry.route}" for entry in MATRIX if id(entry) not in used]
