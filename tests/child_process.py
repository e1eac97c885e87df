"""The environment for a `carepath` child process of a test, on an embedded SQLite file of its own.

The test run's own database, secret and mode are left out, so the child starts as a fresh
development install would, in `folder`.
"""

from __future__ import annotations

import os
from pathlib import Path

LEFT_OUT = ("DATABASE_URL", "SECRET_KEY", "CAREPATH_ENV")


def embedded_sqlite_env(folder: Path, file_name: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in LEFT_OUT}
    env.update(
        CAREPATH_VAR_DIR=str(folder),
        DATABASE_URL=f"sqlite:///{folder / file_name}",
        DJANGO_SETTINGS_MODULE="carepath.config.settings",
    )
    return env
