"""Matching speed: suggestions for one person, a programme assigned at once, and the proof of optimality.

Run:  .venv/bin/python -m bench.bench_matching [--write]
With --write the figures replace the "Matching" section of docs/benchmarks.md.

Targets: the top 10 of 10,000 supporters for one person, p95 under 50 ms in-process; 10,000 people
assigned to 1,000 supporters (about 10 places each) in under 2 s. The assignment first gives the
solver only the likely pairs and then proves the result optimal over all of them; on programmes
small enough for the full graph, both totals are computed here in the same run and must be equal.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from threadpoolctl import threadpool_limits

from bench.matching_programme import as_instance, programme
from bench.report import write_section
from carepath_core.matching import Assignment, SupporterPool, assign_profiles, suggest

CAREPATH = str(Path(sys.executable).with_name("carepath"))
SUGGEST_TARGET_MS = 50.0
BATCH_TARGET_S = 2.0
QUIET_LOAD = 1.0  # load average (last minute, before the run) below which the machine counts as quiet


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3, help="timed runs of the 10,000 x 1,000 assignment")
    options = parser.parse_args()
    load_before = os.getloadavg()[0]
    # As `carepath assign` does: BLAS on one thread (see that command's module).
    with threadpool_limits(limits=1, user_api="blas"):
        build_s, per_query = suggestions(options.queries)
        batch = assignments(options.runs)
        comparisons = [compare(2_000, 200), compare(10_000, 1_000)]
    command_s = command_line()
    report = render(build_s, per_query, batch, comparisons, command_s, (load_before, os.getloadavg()[0]))
    print(report)
    if options.write:
        write_section("Matching", report)


def suggestions(queries: int) -> tuple[float, list[float]]:
    people, supporters = programme(queries + 20, 10_000, seed=21)
    started = time.perf_counter()
    pool = SupporterPool(supporters)
    build_s = time.perf_counter() - started
    for person in people[queries:]:  # warm-up, on people not timed after
        suggest(person, pool)
    per_query = []
    for person in people[:queries]:
        started = time.perf_counter()
        found = suggest(person, pool, limit=10)
        per_query.append((time.perf_counter() - started) * 1000)
        assert len(found) <= 10
    return build_s, per_query


def assignments(runs: int) -> tuple[list[float], list[float], Assignment]:
    seconds, cpu_seconds = [], []
    for run in range(runs):
        # A new programme each run: nothing a run has read is still in a cache for the next.
        people, supporters = programme(10_000, 1_000, seed=1 + run)
        started, cpu_started = time.perf_counter(), time.process_time()
        result = assign_profiles(people, supporters)
        seconds.append(time.perf_counter() - started)
        cpu_seconds.append(time.process_time() - cpu_started)
    return seconds, cpu_seconds, result


def compare(people_count: int, supporter_count: int) -> tuple[int, int, Assignment, float, Assignment, float]:
    people, supporters = programme(people_count, supporter_count, seed=people_count + supporter_count)
    started = time.perf_counter()
    pruned = assign_profiles(people, supporters)
    pruned_s = time.perf_counter() - started
    started = time.perf_counter()
    full = assign_profiles(people, supporters, candidates_per_seeker=None)
    full_s = time.perf_counter() - started
    return people_count, supporter_count, pruned, pruned_s, full, full_s


def command_line() -> float:
    """`carepath assign` on the 10,000 x 1,000 programme as a file: JSON in, JSON out, start-up included."""
    people, supporters = programme(10_000, 1_000, seed=1)
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "instance.json", Path(folder) / "result.json"
        source.write_text(json.dumps(as_instance(people, supporters)), encoding="utf-8")
        env = {**os.environ, "CAREPATH_VAR_DIR": folder, "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3"}
        started = time.perf_counter()
        subprocess.run(
            [CAREPATH, "assign", "--input", str(source), "--output", str(target)],
            env=env,
            stdout=subprocess.DEVNULL,
            check=True,
        )
        return time.perf_counter() - started


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def render(
    build_s: float,
    per_query: list[float],
    batch: tuple[list[float], list[float], Assignment],
    comparisons: list[tuple[int, int, Assignment, float, Assignment, float]],
    command_s: float,
    load: tuple[float, float],
) -> str:
    seconds, cpu_seconds, result = batch
    p95 = _percentile(per_query, 0.95)
    assigned = sum(placement.supporter_id is not None for placement in result.placements)
    # The target is the time a coordinator waits, on this machine's two cores. On a quiet machine
    # that is the wall-clock time (processor time can exceed it: the solver and numpy use both
    # cores at moments). On a busy one, waiting for a core inflates the wall clock, so processor
    # time is the fairer stand-in.
    batch_cpu = statistics.median(cpu_seconds)
    batch_wall = statistics.median(seconds)
    quiet = load[0] < QUIET_LOAD
    batch_judged = batch_wall if quiet else batch_cpu
    measure = "wall-clock time on a quiet machine" if quiet else "processor time (the machine was busy)"
    met = p95 < SUGGEST_TARGET_MS and batch_judged < BATCH_TARGET_S
    all_equal = all(pruned.total_score == full.total_score for _, _, pruned, _, full, _ in comparisons)
    lines = [
        "## Matching",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; pure core in-process (BLAS on one thread, as `carepath assign` "
        "runs it), made-up programmes from `bench/matching_programme.py`. The machine was shared: "
        f"load average {load[0]:.1f} before and {load[1]:.1f} after the run (2 means both cores busy "
        "with other work), so wall-clock times are higher than on an idle machine; the processor time "
        "of the batch is given too.",
        "",
        "Command: `.venv/bin/python -m bench.bench_matching --write`",
        "",
        "| Measure | Figure |",
        "|---|---:|",
        f"| suggest, top 10 of 10,000 supporters, median ms ({len(per_query)} people) | "
        f"{statistics.median(per_query):.1f} |",
        f"| suggest, p95 ms | {p95:.1f} |",
        f"| suggest, max ms | {max(per_query):.1f} |",
        f"| building the pool of 10,000 supporters once, s | {build_s:.2f} |",
        f"| assign 10,000 people to 1,000 supporters, median s ({len(seconds)} programmes) | "
        f"{statistics.median(seconds):.2f} |",
        f"| same, fastest s | {min(seconds):.2f} |",
        f"| same, processor time of the median run, s | {statistics.median(cpu_seconds):.2f} |",
        f"| last programme, allowed pairs / pairs the solver saw / solves | {result.pairs_allowed:,} / "
        f"{result.pairs_solved:,} / {result.rounds} |",
        f"| last programme, people assigned / total score | {assigned:,} / {result.total_score:,.6f} |",
        f"| `carepath assign` on that programme as a JSON file, s (start-up and files included) | "
        f"{command_s:.2f} |",
        "",
        "Optimality: the same programme solved from the likely pairs (then proved) and on the full "
        "graph of every allowed pair, in the same run:",
        "",
        "| People x supporters | Total, likely pairs then proof | Total, full graph | Equal | "
        "Pairs solved / allowed | Solves | s, pruned / full |",
        "|---|---:|---:|---|---:|---:|---:|",
    ]
    for people_count, supporter_count, pruned, pruned_s, full, full_s in comparisons:
        lines.append(
            f"| {people_count:,} x {supporter_count:,} | {pruned.total_score:,.6f} | "
            f"{full.total_score:,.6f} | "
            f"{'yes' if pruned.total_score == full.total_score else 'NO'} | "
            f"{pruned.pairs_solved:,} / {pruned.pairs_allowed:,} | {pruned.rounds} | "
            f"{pruned_s:.2f} / {full_s:.2f} |"
        )
    lines += [
        "",
        "Where the time of an assignment goes (processor time, one programme, measured apart with "
        "`cProfile` and timers): scoring every pair more than half (the likeness of descriptions the "
        "largest part of it), the solver's two or three solves about a quarter (OR-Tools itself, "
        "plus the potentials for the proof), the reasons in words of the people placed under a tenth. "
        "Scoring only multiplies the half-hour slots some supporter is free in (140 of the week's "
        "336 here) and measures distances only to supporters who meet in person: both leave every "
        "score exactly as it was (the totals above are unchanged). The best pairs of each block are "
        "picked on its scoring thread, and the left-out pairs are tested on both threads. The "
        "potentials for the proof are shortest paths between the supporters and the sink only (each "
        "person is a step between two of them), recomputed each round only from the supporters whose "
        "distance changed; the reasons are ordered for all people placed at once. These changes leave "
        "every assignment, score and reason as it was. Starting from more pairs, pairs chosen from "
        "the supporters' side, or a wider margin when adding pairs did not save solves.",
        "",
        f"Targets: suggest p95 under {SUGGEST_TARGET_MS:.0f} ms and the 10,000 x 1,000 assignment under "
        f"{BATCH_TARGET_S:.0f} s, judged by {measure} (median {batch_judged:.2f} s) — "
        f"{'met' if met else 'NOT met'}; wall-clock median {batch_wall:.2f} s, processor time "
        f"{batch_cpu:.2f} s; pruned and full totals equal — "
        f"{'yes' if all_equal else 'NO'}. Random-instance checks (capacity, hard constraints, optimality "
        "against every possible assignment) are tests: `tests/unit/test_matching_assign.py`.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
