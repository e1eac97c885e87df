"""The search over HTTP: `carepath serve` (gunicorn, 2 workers) on one database, beside a trivial endpoint.

Throughput is measured with a few client threads in this process for a fixed time; the client shares
the machine's two cores with the server, as a load balancer's health checks and a busy site would.
After the searches (the realistic mix, then every worst shape once) the workers' resident memory is
read from /proc: now (VmRSS) and at its peak (VmHWM).
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

CAREPATH = str(Path(sys.executable).with_name("carepath"))
HEALTH = "/api/v1/health"
SEARCH = "/api/v1/services/search?"


def fetch(url: str) -> None:
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _p95(ordered: Sequence[float]) -> float:
    return ordered[max(0, int(len(ordered) * 0.95 + 0.5) - 1)]


def sequential(base: str, paths: Sequence[str]) -> dict[str, float]:
    timings = []
    for path in paths:
        started = time.perf_counter()
        fetch(base + path)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {"median": statistics.median(timings), "p95": _p95(timings), "max": timings[-1]}


def under_load(base: str, paths: Sequence[str], seconds: float, threads: int) -> dict[str, float]:
    """Requests per second and latency with `threads` clients sending `paths` in turn for `seconds`."""
    timings: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def client(start: int) -> None:
        index = start
        while time.perf_counter() < stop_at:
            path = paths[index % len(paths)]
            index += threads
            started = time.perf_counter()
            try:
                fetch(base + path)
            except OSError:
                with lock:
                    errors[0] += 1
                continue
            with lock:
                timings.append((time.perf_counter() - started) * 1000)

    began = time.perf_counter()
    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - began
    timings.sort()
    return {
        "requests_per_s": len(timings) / elapsed,
        "median": statistics.median(timings),
        "p95": _p95(timings),
        "errors": errors[0],
    }


def worker_memory_mb(master: int) -> dict[str, float]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    rss, peak = [], []
    for pid in children:
        status = dict(
            line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line
        )
        rss.append(int(status["VmRSS"].split()[0]) / 1024)
        peak.append(int(status["VmHWM"].split()[0]) / 1024)
    return {"workers": len(children), "rss_max": max(rss), "peak_max": max(peak)}


def measure_http(
    database_url: str,
    search_paths: Sequence[str],
    worst_paths: Sequence[str],
    seconds: float,
    threads: int,
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as var_dir:
        env = {
            **os.environ,
            "CAREPATH_VAR_DIR": var_dir,
            "DATABASE_URL": database_url,
            # The load comes from one address; the per-address API limit would answer 429 within
            # a second. This measures the search, not the limiter (docs/security.md, API rate limits).
            "CAREPATH_API_RATE_ANONYMOUS": "1000000",
        }
        port = free_port()
        server = subprocess.Popen(
            [CAREPATH, "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(base)
            for path in [*search_paths, *search_paths, *[HEALTH] * 20]:  # warm both workers
                fetch(base + path)
            found: dict[str, Any] = {
                "health_sequential": sequential(base, [HEALTH] * 300),
                "search_sequential": sequential(base, search_paths),
                "health_load": under_load(base, [HEALTH], seconds, threads),
                "search_load": under_load(base, search_paths, seconds, threads),
            }
            worst = []
            for path in worst_paths:
                started = time.perf_counter()
                fetch(base + path)
                worst.append((time.perf_counter() - started) * 1000)
            found["worst_max"] = max(worst) if worst else 0.0
            found["memory"] = worker_memory_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    return found


def _wait_until_up(base: str) -> None:
    for _ in range(300):
        try:
            fetch(base + HEALTH)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")
