"""The search benchmark's databases: built once with the demo directory, kept outside the repository.

SQLite is a file; PostgreSQL is a cluster of its own (initdb, pg_ctl) in the data directory, so a
million services survive between runs. A database is built only when it is missing (or on --rebuild),
and the time the build took is kept beside it, so every later run can report it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

CAREPATH = str(Path(sys.executable).with_name("carepath"))
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PG_PORT = 5499
PG_SETTINGS = {  # a modest production-like configuration for a 24 GiB machine shared with others
    "shared_buffers": "1GB",
    "effective_cache_size": "8GB",
    "work_mem": "16MB",
    "maintenance_work_mem": "512MB",
    "max_wal_size": "8GB",
    "random_page_cost": "1.1",
}


@dataclass
class Build:
    services: int
    seconds: float
    date: str
    output: str

    @property
    def services_per_second(self) -> float:
        return self.services / self.seconds if self.seconds else 0.0


def label(services: int) -> str:
    return "1m" if services == 1_000_000 else str(services)


def sqlite_url(data_dir: Path, services: int) -> str:
    return f"sqlite:///{data_dir / f'search-{label(services)}.sqlite3'}"


def postgres_url(services: int) -> str:
    return f"postgres://postgres@127.0.0.1:{PG_PORT}/search_{label(services)}"


def build_record_path(data_dir: Path, backend: str, services: int) -> Path:
    return data_dir / f"search-{label(services)}.{backend}.build.json"


def read_build(data_dir: Path, backend: str, services: int) -> Build | None:
    path = build_record_path(data_dir, backend, services)
    return Build(**json.loads(path.read_text())) if path.exists() else None


def ensure_database(data_dir: Path, backend: str, services: int, rebuild: bool) -> tuple[str, Build | None]:
    """The DATABASE_URL of a built database, building it first when missing or asked to."""
    data_dir.mkdir(parents=True, exist_ok=True)
    if backend == "sqlite":
        url = sqlite_url(data_dir, services)
        path = Path(url.removeprefix("sqlite:///"))
        missing = not path.exists() or read_build(data_dir, backend, services) is None
        if rebuild or missing:
            for leftover in path.parent.glob(path.name + "*"):
                leftover.unlink()
            _build(url, data_dir, backend, services)
        return url, read_build(data_dir, backend, services)
    start_postgres(data_dir)
    url = postgres_url(services)
    name = f"search_{label(services)}"
    missing = not _pg_database_exists(name) or read_build(data_dir, backend, services) is None
    if rebuild or missing:
        _psql(f'DROP DATABASE IF EXISTS "{name}"')
        _psql(f'CREATE DATABASE "{name}"')
        _build(url, data_dir, backend, services)
        _psql("VACUUM ANALYZE", database=name)  # what autovacuum does after a bulk load, done now
    return url, read_build(data_dir, backend, services)


def _build(url: str, data_dir: Path, backend: str, services: int) -> None:
    env = {**os.environ, "DATABASE_URL": url}
    print(f"building {services:,} services on {backend} ({url}) ...", flush=True)
    subprocess.run([CAREPATH, "migrate", "-v0"], env=env, check=True)
    started = time.perf_counter()
    done = subprocess.run(
        [CAREPATH, "demo-directory", "--services", str(services), "--seed", "1"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    build = Build(services, seconds, time.strftime("%Y-%m-%d"), done.stdout.strip())
    build_record_path(data_dir, backend, services).write_text(json.dumps(asdict(build), indent=2))
    print(build.output, flush=True)


# PostgreSQL: a cluster of our own, run as the `postgres` user when we are root (initdb refuses root).


def _as_postgres(command: list[str], *, check: bool = False) -> subprocess.CompletedProcess[str]:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run(prefix + command, check=check, capture_output=True, text=True)


def start_postgres(data_dir: Path) -> None:
    cluster = data_dir / "pg"
    if not (cluster / "PG_VERSION").exists():
        cluster.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(cluster, "postgres", "postgres")
        _as_postgres(
            [str(PG_BIN / "initdb"), "-D", str(cluster), "-U", "postgres", "--auth=trust", "-E", "UTF8"],
            check=True,
        )
        with (cluster / "postgresql.conf").open("a") as conf:
            conf.write(f"\nport = {PG_PORT}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\n")
            conf.writelines(f"{name} = '{value}'\n" for name, value in PG_SETTINGS.items())
    running = _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(cluster), "status"])
    if running.returncode != 0:
        _as_postgres(
            [str(PG_BIN / "pg_ctl"), "-D", str(cluster), "-l", str(cluster / "server.log"), "-w", "start"],
            check=True,
        )


def stop_postgres(data_dir: Path) -> None:
    _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data_dir / "pg"), "-m", "fast", "stop"])


def _psql(sql: str, database: str = "postgres") -> str:
    done = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-d", database, "-tAc", sql],
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


def _pg_database_exists(name: str) -> bool:
    return _psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"
