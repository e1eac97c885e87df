"""The in-process half of the search benchmark, run by bench_search in a child process per database.

DATABASE_URL names the database. Latencies are of `find_services` (read the query, find the place,
search, make the result cards), the whole of what the page and the API do apart from rendering, after
one warm-up pass over the same searches. Beside the wall-clock times, the processor time of the
realistic shapes: this process's, plus, on PostgreSQL, its server process's (read from /proc), which
a shared machine's load does not inflate as it does wall-clock time. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


def summary(timings_ms: Sequence[float]) -> dict[str, float]:
    ordered = sorted(timings_ms)
    p95 = ordered[max(0, int(len(ordered) * 0.95 + 0.5) - 1)]
    return {
        "count": len(ordered),
        "median": statistics.median(ordered),
        "p95": p95,
        "max": ordered[-1],
    }


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = run()
    return (time.perf_counter() - started) * 1000, result


class ProcessorTime:
    """Processor time in ms: this process's, plus the PostgreSQL server process serving it.

    The server's is read from /proc in clock ticks (10 ms), so it is summed over a shape's searches
    and given as a mean per search, not per search."""

    def __init__(self) -> None:
        from django.db import connection

        self.server_stat: Path | None = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                stat = Path(f"/proc/{cursor.fetchone()[0]}/stat")
            self.server_stat = stat if stat.exists() else None  # a server on another machine: unknown

    def server_ms(self) -> float:
        if self.server_stat is None:
            return 0.0
        fields = self.server_stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--searches", type=int, default=200, help="searches per realistic shape")
    parser.add_argument("--worst-repeat", type=int, default=3)
    parser.add_argument("--naive", type=int, default=5, help="searches per shape for the naive baseline")
    parser.add_argument("--only", default="", help="run only the worst shapes containing this text")
    parser.add_argument(
        "--again", type=int, default=2, help="measured passes after the first, to show how much it moves"
    )
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carepath.config.settings")
    # Started as a web worker starts (carepath/config/wsgi.py): Django, the place gazetteers loaded
    # before the first search, what is loaded frozen for the garbage collector.
    import carepath.config.wsgi  # noqa: F401
    from bench import search_queries as queries
    from carepath.directory.models import SearchEntry

    results: dict[str, Any] = {"indexed_services": SearchEntry.objects.count()}
    if not options.only:
        shapes = {
            "radius": queries.radius_only(options.searches),
            "text": queries.text_radius_filters_open(options.searches),
        }
        for name, searches in shapes.items():
            results[name] = _measure(searches)
            # The first measured pass is the figure; the next ones say how much it moves with the
            # machine's speed from one pass to the next (on a shared virtual machine, a lot).
            results[f"{name}_again"] = [_measure(searches, warm=False)["p95"] for _ in range(options.again)]
            results[f"{name}_parts"] = _measure_parts(searches)
            if options.naive:
                results[f"naive_{name}"] = _measure_naive(searches[: options.naive])
                results[f"indexed_{name}_same"] = _measure(searches[: options.naive], warm=False)
    results["worst"] = _measure_worst(queries.worst_shapes(), options.worst_repeat, options.only)
    json.dump(results, sys.stdout)


def _measure(searches: Sequence[Any], warm: bool = True) -> dict[str, Any]:
    from carepath.directory.selectors.find import find_services

    def run(search: Any) -> Any:
        return find_services(search.params, home_country=search.home_country, now=search.now)

    if warm:
        for search in searches:
            run(search)
    timings, processor, sizes, capped = [], [], [], 0
    clock = ProcessorTime()
    server_before = clock.server_ms()
    for search in searches:
        started = time.process_time()
        elapsed, page = timed(lambda search=search: run(search))
        processor.append((time.process_time() - started) * 1000)
        timings.append(elapsed)
        sizes.append(len(page.cards))
        capped += page.capped
    cpu = {
        "cpu_median": statistics.median(processor),
        "cpu_p95": summary(processor)["p95"],
        "server_cpu_mean": (clock.server_ms() - server_before) / len(searches) if clock.server_stat else None,
    }
    return {**summary(timings), **cpu, "mean_results": statistics.mean(sizes), "capped": capped}


def _measure_parts(searches: Sequence[Any]) -> dict[str, Any]:
    """The search itself (`search_services`) and the result cards (`result_cards`), timed apart."""
    from django.conf import settings

    from carepath.directory.selectors.places import resolve_place
    from carepath.directory.selectors.search import search_services
    from carepath.directory.selectors.search_cards import result_cards
    from carepath_core.search.query import parse_query

    searched, carded = [], []
    for search in searches:
        query = parse_query(search.params, now=search.now, default_zone=settings.CAREPATH_TIME_ZONE)
        place = resolve_place(query.near, search.home_country)
        elapsed, outcome = timed(lambda query=query, place=place: search_services(query, place))
        searched.append(elapsed)
        elapsed, _cards = timed(
            lambda outcome=outcome, query=query, search=search: result_cards(
                outcome.hits,
                moment=query.at,
                today=search.now.date(),
                stale_after_days=settings.CAREPATH_STALE_LISTING_DAYS,
            )
        )
        carded.append(elapsed)
    return {"search": summary(searched), "cards": summary(carded)}


def _measure_naive(searches: Sequence[Any]) -> dict[str, Any]:
    from django.conf import settings

    from bench.search_naive import naive_search
    from carepath.directory.selectors.places import resolve_place
    from carepath_core.search.query import parse_query

    timings, sizes = [], []
    for search in searches:

        def run(search: Any = search) -> Any:
            query = parse_query(search.params, now=search.now, default_zone=settings.CAREPATH_TIME_ZONE)
            return naive_search(query, resolve_place(query.near, search.home_country))

        elapsed, found = timed(run)
        timings.append(elapsed)
        sizes.append(len(found))
    return {**summary(timings), "mean_results": statistics.mean(sizes)}


def _measure_worst(shapes: dict[str, Any], repeat: int, only: str) -> dict[str, Any]:
    """Each shape once as it comes (caches may be cold: "first"), then `repeat` times: the slowest counts."""
    from carepath.directory.selectors.find import find_services

    found: dict[str, Any] = {}
    for name, search in shapes.items():
        if only and only not in name:
            continue
        timings, page = [], None
        for _ in range(repeat + 1):
            elapsed, page = timed(
                lambda search=search: find_services(search.params, home_country="GB", now=search.now)
            )
            timings.append(elapsed)
        assert page is not None
        found[name] = {
            "first": timings[0],
            "max": max(timings[1:]),
            "median": statistics.median(timings[1:]),
            "results": len(page.cards),
            "capped": page.capped,
            "query": search.url_query(),
        }
    return found


if __name__ == "__main__":
    main()
