"""Decision engine speed: one recommendation, and checking a whole rule set's properties.

Run:  .venv/bin/python -m bench.bench_decision [--write]
With --write the figures replace the "Decision" section of docs/benchmarks.md.

Targets: a recommendation in under 1 ms (it is computed on every step of the web journey); checking
the default rule set's four properties in under 2 s (it runs whenever a coordinator loads a file).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

from bench.report import write_section
from carepath_core.decision import (
    Limits,
    ScoreScale,
    ScreeningSummary,
    check_rule_set,
    parse_decision_aid,
    parse_rule_set,
    read_preferences,
    recommend,
)

ROOT = Path(__file__).resolve().parents[1]
DECISION = ROOT / "src" / "carepath_core" / "decision"
SCALES = {
    "phq9": ScoreScale(27, True),
    "gad7": ScoreScale(21, True),
    "phq2": ScoreScale(6, True),
    "gad2": ScoreScale(6, True),
    "who5": ScoreScale(25, False),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true")
    options = parser.parse_args()
    rules = parse_rule_set(json.loads((DECISION / "rules" / "default.json").read_text(encoding="utf-8")))
    aid = parse_decision_aid(
        json.loads((DECISION / "content" / "decision_aid.json").read_text(encoding="utf-8"))
    )
    preferences = read_preferences({"emotional_connection": 4, "cost": 3, "evidence": 2}, ["I work shifts"])
    screenings = (
        ScreeningSummary("phq9", "PHQ-9", 12, "Moderate"),
        ScreeningSummary("gad7", "GAD-7", 6, "Mild"),
    )
    per_call = []
    for _ in range(2000):
        started = time.perf_counter()
        recommend(
            rules=rules, aid=aid, risk=False, screenings=screenings, preferences=preferences, limits=Limits()
        )
        per_call.append((time.perf_counter() - started) * 1e6)
    checks = []
    for _ in range(5):
        started = time.perf_counter()
        assert check_rule_set(rules, SCALES) == ()
        checks.append(time.perf_counter() - started)
    report = render(
        statistics.median(per_call), sorted(per_call)[int(len(per_call) * 0.95)], statistics.median(checks)
    )
    print(report)
    if options.write:
        write_section("Decision", report)


def render(median_us: float, p95_us: float, check_s: float) -> str:
    met = p95_us < 1000 and check_s < 2
    return "\n".join(
        [
            "## Decision",
            "",
            f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}; default rule set, pure core (no database).",
            "",
            "Command: `.venv/bin/python -m bench.bench_decision --write`",
            "",
            "| Measure | Figure |",
            "|---|---:|",
            f"| one recommendation, median µs | {median_us:.0f} |",
            f"| one recommendation, p95 µs | {p95_us:.0f} |",
            f"| checking the four rule-set properties, median s | {check_s:.2f} |",
            "",
            "Targets: recommendation p95 under 1 ms, property check under 2 s — "
            f"{'met' if met else 'NOT met'}.",
            "",
        ]
    )


if __name__ == "__main__":
    main()
