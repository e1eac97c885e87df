# ruff: noqa: N999  (the command is `carepath demo-directory`)
"""`carepath demo-directory --services N --seed S [--if-empty]`: a synthetic HSDS directory.

Realistic, obviously fictional services clustered around real towns (docs/hsds.md, "Demo
directory"); the same N and seed always give the same data. Refused in production mode.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import CommandError

from carepath.demo.management.seeded import SeededDemoCommand
from carepath.demo.services import DirectoryLoad, load_demo_directory
from carepath.directory.selectors import any_services_exist
from carepath.directory.services.hsds_bulk import BulkInsertRefused

BAR_WIDTH = 30
BAD_INPUT = 2


class Command(SeededDemoCommand):
    help = (
        "Generate a synthetic HSDS directory: N demo services around real towns, the same for the same seed."
    )
    size_option, size_default, size_help = "--services", 300, "how many services (default 300)"
    if_empty_help = "only load when the directory has no services yet (used by `make run`)"
    refusal = "Refusing to load a fictional demo directory in production mode."
    already_loaded_message = "The directory already has services; demo directory not loaded."

    def already_loaded(self) -> bool:
        return any_services_exist()

    def load(self, size: int, seed: int) -> str:
        started = time.perf_counter()
        try:
            load = load_demo_directory(
                services=size, seed=seed, progress=self._progress_bar() if self.stdout.isatty() else None
            )
        except BulkInsertRefused as refusal:
            raise CommandError(f"demo directory not loaded: {refusal}", returncode=BAD_INPUT) from refusal
        return self._summary(load, seed, time.perf_counter() - started)

    def _progress_bar(self) -> Any:
        stream = self.stdout

        def show(done: int, total: int) -> None:
            filled = BAR_WIDTH * done // max(total, 1)
            stream.write(
                f"\rGenerating [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total} services",
                ending="\n" if done >= total else "",
            )
            stream.flush()

        return show

    def _summary(self, load: DirectoryLoad, seed: int, seconds: float) -> str:
        records = sum(load.records.values())
        rate = load.services / seconds if seconds > 0 else 0.0
        return (
            f"Loaded a demo directory (seed {seed}): {load.services} services of {load.organizations} "
            f"organisations, {records} HSDS records, in {seconds:.1f} s ({rate:,.0f} services/s)."
        )
