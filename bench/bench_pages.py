"""Latency of the pages every visitor meets, served by a real `carepath serve` over loopback.

Run:  .venv/bin/python -m bench.bench_pages [--requests 300] [--write]
With --write the figures replace the "Pages" section of docs/benchmarks.md.

Target: crisis help answers in under 50 ms at the 95th percentile on the reference machine
(2 cores), because it is the page someone in distress opens.
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.report import write_section

CAREPATH = str(Path(sys.executable).with_name("carepath"))
PAGES = {
    "home": "/",
    "crisis help": "/crisis/?region=GB-ENG",
    "log in": "/accounts/login/",
    "API health": "/api/v1/health",
}
TARGET_P95_MS = 50.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--write", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as var_dir:
        env = {
            **os.environ,
            "CAREPATH_VAR_DIR": var_dir,
            "DATABASE_URL": f"sqlite:///{var_dir}/bench.sqlite3",
        }
        subprocess.run([CAREPATH, "migrate", "-v0"], env=env, check=True)
        subprocess.run([CAREPATH, "demo"], env=env, check=True, capture_output=True)
        port = free_port()
        server = subprocess.Popen(
            [CAREPATH, "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_up(port)
            rows = [
                (name, *measure(f"http://127.0.0.1:{port}{path}", options.requests))
                for name, path in PAGES.items()
            ]
        finally:
            server.terminate()
            server.wait(timeout=30)
    report = render(rows, options.requests)
    print(report)
    if options.write:
        write_section("Pages", report)


def measure(url: str, count: int) -> tuple[float, float, float]:
    for _ in range(10):  # warm-up
        fetch(url)
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        fetch(url)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], timings[-1]


def fetch(url: str) -> None:
    with urllib.request.urlopen(url, timeout=10) as response:
        response.read()


def render(rows: list[tuple[str, float, float, float]], count: int) -> str:
    lines = [
        "## Pages",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; `carepath serve` (gunicorn, 2 workers, SQLite) over loopback; "
        f"{count} sequential requests per page after 10 warm-up requests.",
        "",
        "Command: `.venv/bin/python -m bench.bench_pages --write`",
        "",
        "| Page | median ms | p95 ms | max ms |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| {name} | {median:.1f} | {p95:.1f} | {worst:.1f} |" for name, median, p95, worst in rows]
    crisis_p95 = next(p95 for name, _m, p95, _w in rows if name == "crisis help")
    verdict = "met" if crisis_p95 < TARGET_P95_MS else "NOT met"
    lines += [
        "",
        f"Target: crisis help p95 under {TARGET_P95_MS:.0f} ms — {verdict} ({crisis_p95:.1f} ms).",
        "",
    ]
    return "\n".join(lines)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(port: int) -> None:
    for _ in range(150):
        try:
            fetch(f"http://127.0.0.1:{port}/api/v1/health")
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


if __name__ == "__main__":
    main()
