"""Progress on a terminal for the backup commands: one line, rewritten in place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def progress_line(stream: Any, verb: str) -> Callable[[str, int, int], None]:
    def show(table: str, done: int, total: int) -> None:
        # Padded so a shorter line covers the end of the longer one before it.
        stream.write(f"\r{verb} {table}: {done:,}/{total:,} rows".ljust(79), ending="")
        stream.flush()

    return show
