"""The in-process half of the import benchmark, run by bench_import in a child process per database.

DATABASE_URL names an empty, migrated database (with --migrate, it is migrated here, and emptied
between the --repeat runs). Each run imports ORIGINAL (every record new), ORIGINAL again (every
record unchanged), then REVISED (every record changed), as `carepath import-hsds` does
(`import_hsds_path`: a forked process reads while this one writes), with garbage collection paused.
Prints a JSON list of runs: phase -> seconds (wall clock, the CPU of the writing process and of the
reading one), counts, peak memory of the writer and the 1-minute load average after the run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("original", type=Path)
    parser.add_argument("revised", type=Path)
    parser.add_argument("--migrate", action="store_true")
    parser.add_argument("--repeat", type=int, default=1)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carepath.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    if options.migrate:
        call_command("migrate", verbosity=0)
    runs = []
    for number in range(options.repeat):
        if number:
            call_command("flush", interactive=False, verbosity=0)
        runs.append(
            {
                "fresh": timed_import(options.original, expect="created"),
                "unchanged": timed_import(options.original, expect="unchanged"),
                "updated": timed_import(options.revised, expect="updated"),
            }
        )
    json.dump(runs, sys.stdout)
    sys.stdout.write("\n")


def timed_import(path: Path, expect: str) -> dict[str, Any]:
    """One import as `carepath import-hsds` runs it: a reader process and this one writing."""
    from carepath.directory.services.hsds_pipeline import import_hsds_path
    from carepath.interop.hsds_reader import garbage_collection_paused

    started, cpu_started, reader_started = time.perf_counter(), time.process_time(), children_cpu()
    with garbage_collection_paused():  # as the command does
        outcome = import_hsds_path(path, actor_label="benchmark")
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    counts = {
        "created": sum(outcome.created.values()),
        "updated": sum(outcome.updated.values()),
        "unchanged": sum(outcome.unchanged.values()),
    }
    errors = [problem for problem in outcome.problems if problem.severity.value == "error"]
    if errors or counts[expect] != sum(counts.values()):
        raise SystemExit(f"{path}: expected every record {expect}, got {counts} and {len(errors)} errors")
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "reader_cpu_seconds": children_cpu() - reader_started,
        **counts,
        "peak_mb": peak_megabytes(),
        "load": os.getloadavg()[0],
    }


def children_cpu() -> float:
    """CPU seconds of this process's finished children: the import's reader, once it has ended."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def peak_megabytes() -> float:
    """This process's peak resident memory so far.

    VmHWM, not ru_maxrss: on Linux ru_maxrss carries over the peak of the parent this process was
    forked from (the benchmark, which holds the whole data set).
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
