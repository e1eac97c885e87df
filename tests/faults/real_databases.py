"""Real databases for tests that run `carepath` as separate processes (faults, backup and restore).

The test suite's own database lives inside pytest-django's connection (in memory on SQLite), so a
command in another process cannot see it. These tests make their own: an SQLite file under a
temporary folder, or on PostgreSQL a database of its own in the same (throwaway) cluster. Each
starts as a copy of one migrated, empty template, made once per test module: migrating takes
longer than anything the tests then do. Every process shares one var folder, so they share the
development secret and encryption key, as the processes of one installation would.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

CAREPATH_BIN = str(Path(sys.executable).with_name("carepath"))


def on_postgresql() -> bool:
    return str(settings.DATABASES["default"]["ENGINE"]).endswith("postgresql")


def suite_vendor() -> str:
    return "postgresql" if on_postgresql() else "sqlite"


@dataclass
class RealDatabase:
    name: str  # the SQLite file, or the PostgreSQL database's name
    url: str
    env: dict[str, str]

    @property
    def vendor(self) -> str:
        return "sqlite" if self.url.startswith("sqlite") else "postgresql"

    def command(self, *args: str) -> list[str]:
        return [CAREPATH_BIN, *args]

    def run(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(*args), env=self.env, capture_output=True, text=True, timeout=timeout, check=False
        )

    def python(self, code: str, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", code, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Rows straight from the database driver, outside Django and outside any command."""
        if self.vendor == "sqlite":
            with sqlite3.connect(self.name) as handle:
                return list(handle.execute(sql.replace("%s", "?"), params).fetchall())
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as handle:
            return list(handle.execute(sql, params).fetchall())

    def count(self, table: str) -> int:
        return int(self.query(f'SELECT count(*) FROM "{table}"')[0][0])


class RealDatabases:
    """Makes migrated, empty databases; removes the PostgreSQL ones afterwards."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.var = folder / "var"
        self.var.mkdir(parents=True, exist_ok=True)
        self.made: list[str] = []
        self.templates: dict[str, RealDatabase] = {}

    def _env(self, url: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "CAREPATH_ENV")}
        env.update(
            CAREPATH_VAR_DIR=str(self.var),
            DATABASE_URL=url,
            DJANGO_SETTINGS_MODULE="carepath.config.settings",
        )
        return env

    def _database(self, label: str, vendor: str) -> RealDatabase:
        if vendor == "sqlite":
            path = self.folder / f"{label}.sqlite3"
            return RealDatabase(str(path), f"sqlite:///{path}", self._env(f"sqlite:///{path}"))
        name = f"carepath_{label}_{uuid.uuid4().hex[:8]}"
        parts = urlsplit(os.environ["DATABASE_URL"])
        url = urlunsplit(parts._replace(path=f"/{name}"))
        return RealDatabase(name, url, self._env(url))

    def _admin(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as handle:
            handle.execute(statement)

    def _migrated_template(self, vendor: str) -> RealDatabase:
        if vendor not in self.templates:
            template = self._database("template", vendor)
            if template.vendor == "postgresql":
                self._admin(f'CREATE DATABASE "{template.name}"')
                self.made.append(template.name)
            migrated = template.run("migrate", "--noinput")
            assert migrated.returncode == 0, migrated.stderr
            self.templates[vendor] = template
        return self.templates[vendor]

    def empty(self, label: str, vendor: str | None = None) -> RealDatabase:
        """A new database, migrated and holding no rows but those `migrate` writes.

        On the suite's own engine unless `vendor` ("sqlite" or "postgresql") says otherwise: an
        SQLite file can be made on a PostgreSQL run, for the tests that move data between them.
        """
        return self.copy_of(self._migrated_template(vendor or suite_vendor()), label)

    def copy_of(self, original: RealDatabase, label: str) -> RealDatabase:
        """A new database holding what `original` holds (no process may be using it)."""
        database = self._database(label, original.vendor)
        if database.vendor == "sqlite":
            with sqlite3.connect(original.name) as handle:  # everything into the main file first
                handle.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            shutil.copyfile(original.name, database.name)
        else:
            self._admin(f'CREATE DATABASE "{database.name}" TEMPLATE "{original.name}"')
            self.made.append(database.name)
        return database

    def remove_all(self) -> None:
        for name in reversed(self.made):
            self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.made.clear()


@pytest.fixture(scope="module")
def real_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealDatabases]:
    databases = RealDatabases(tmp_path_factory.mktemp("real-databases"))
    try:
        yield databases
    finally:
        if on_postgresql():
            databases.remove_all()
