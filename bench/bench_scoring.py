"""Scoring throughput: the pure scorer, and `carepath score --file` on a large batch.

Run:  .venv/bin/python -m bench.bench_scoring [--forms 100000] [--write]
With --write the figures replace the "Scoring" section of docs/benchmarks.md.

Target: a programme's whole year of PHQ-9 forms (100,000) scores from a CSV file in under a minute
on the reference machine (2 cores), with peak memory under 200 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.report import write_section

ROOT = Path(__file__).resolve().parents[1]
CAREPATH = str(Path(sys.executable).with_name("carepath"))
TARGET_SECONDS = 60.0
TARGET_MB = 200.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--forms", type=int, default=100_000)
    parser.add_argument("--write", action="store_true")
    options = parser.parse_args()
    core_rate = core_forms_per_second(20_000)
    seconds, peak_mb = cli_batch(options.forms)
    report = render(core_rate, options.forms, seconds, peak_mb)
    print(report)
    if options.write:
        write_section("Scoring", report)


def core_forms_per_second(count: int) -> float:
    from carepath_core.instruments import parse_instrument, score

    definition = ROOT / "src" / "carepath_core" / "instruments" / "definitions" / "phq9.json"
    phq9 = parse_instrument(json.loads(definition.read_text(encoding="utf-8")))
    rng = random.Random(7)
    forms = [{f"phq9_{i}": rng.randint(0, 3) for i in range(1, 10)} for _ in range(count)]
    started = time.perf_counter()
    for answers in forms:
        score(phq9, answers)
    return count / (time.perf_counter() - started)


def cli_batch(count: int) -> tuple[float, float]:
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as folder:
        batch = Path(folder) / "forms.csv"
        rows = (",".join(str(rng.randint(0, 3)) for _ in range(9)) for _ in range(count))
        batch.write_text("".join(row + "\n" for row in rows), encoding="utf-8")
        env = {**os.environ, "CAREPATH_VAR_DIR": folder, "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3"}
        started = time.perf_counter()
        subprocess.run(
            [CAREPATH, "score", "phq9", "--file", str(batch), "--json"],
            env=env,
            stdout=subprocess.DEVNULL,
            check=True,
        )
        seconds = time.perf_counter() - started
    # ru_maxrss of waited-for children is in kilobytes on Linux: the scoring process's peak.
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def render(core_rate: float, count: int, seconds: float, peak_mb: float) -> str:
    met = seconds < TARGET_SECONDS and peak_mb < TARGET_MB
    return "\n".join(
        [
            "## Scoring",
            "",
            f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}.",
            "",
            "Command: `.venv/bin/python -m bench.bench_scoring --write`",
            "",
            "| Measure | Figure |",
            "|---|---:|",
            f"| pure scorer, PHQ-9 forms per second | {core_rate:,.0f} |",
            f"| `carepath score phq9 --file` ({count:,} forms, JSON out), seconds | {seconds:.1f} |",
            f"| same, forms per second | {count / seconds:,.0f} |",
            f"| same, peak memory (MB) | {peak_mb:.0f} |",
            "",
            f"Target: {count:,} forms in under {TARGET_SECONDS:.0f} s with peak memory under "
            f"{TARGET_MB:.0f} MB — {'met' if met else 'NOT met'}.",
            "",
        ]
    )


if __name__ == "__main__":
    main()
