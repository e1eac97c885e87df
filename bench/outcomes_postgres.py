"""A throwaway PostgreSQL 15 cluster for the outcomes report benchmark, and the CPU its server uses.

The cluster is the bench's own (initdb in a fresh folder, its own port, loopback only), so the
benchmark never touches another cluster on the machine; it is stopped and deleted afterwards.
Run as root, the server runs as the `postgres` user (initdb refuses root).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")
PORT = 5511
# Modest, production-like settings for a machine shared with others (24 GiB, 2 cores).
SETTINGS = {
    "shared_buffers": "512MB",
    "effective_cache_size": "4GB",
    "work_mem": "16MB",
    "maintenance_work_mem": "256MB",
    "max_wal_size": "4GB",
    "random_page_cost": "1.1",
    "fsync": "off",  # a throwaway cluster: the load is faster, the timed reads do not write
    "synchronous_commit": "off",
    "full_page_writes": "off",
}


def _as_postgres(command: list[str]) -> None:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run(prefix + command, check=True, capture_output=True, text=True)


@contextmanager
def throwaway_cluster(folder: Path) -> Iterator[str]:
    """Start a cluster in `folder` (which must not exist yet); yields its DATABASE_URL."""
    folder.mkdir(parents=True)
    data = folder / "data"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        shutil.chown(data, "postgres", "postgres")
    try:
        _as_postgres(
            [str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
        )
        with (data / "postgresql.conf").open("a") as conf:
            conf.write(f"\nport = {PORT}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\n")
            conf.writelines(f"{name} = '{value}'\n" for name, value in SETTINGS.items())
        _as_postgres(
            [str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-w", "start"]
        )
        yield f"postgres://postgres@127.0.0.1:{PORT}/postgres"
    finally:
        if (data / "postmaster.pid").exists():
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"])
        shutil.rmtree(folder, ignore_errors=True)


def _ticks(pid: int, *, children: bool = False) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # After the ")" that ends the command name: utime and stime are fields 12 and 13 (0-based 11,
    # 12), the reaped children's cutime and cstime 13 and 14.
    used = int(fields[11]) + int(fields[12])
    return used + (int(fields[13]) + int(fields[14]) if children else 0)


class ServerCpu:
    """CPU seconds used by one connection's server process, plus any parallel workers it started
    (they are reaped by the postmaster, whose children's time includes theirs)."""

    def __init__(self, backend_pid: int, data_dir: Path) -> None:
        self.backend = backend_pid
        self.postmaster = int((data_dir / "postmaster.pid").read_text().split()[0])
        self.per_tick = 1 / os.sysconf("SC_CLK_TCK")

    def seconds(self) -> float:
        return (_ticks(self.backend) + _ticks(self.postmaster, children=True)) * self.per_tick


def wait_for_reaping() -> None:
    # Parallel workers end with the query; give the postmaster a moment to reap them.
    time.sleep(0.05)
