"""The `carepath` console script, run as a real process."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.child_process import embedded_sqlite_env

CAREPATH_BIN = str(Path(sys.executable).with_name("carepath"))


def run(args: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CAREPATH_BIN, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.fixture
def embedded_env(tmp_path: Path) -> dict[str, str]:
    return embedded_sqlite_env(tmp_path, "cli.sqlite3")


def test_production_mode_refuses_a_development_secret(embedded_env: dict[str, str]) -> None:
    result = run(["check"], {**embedded_env, "CAREPATH_ENV": "production"})
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_an_unknown_crisis_region_stops_start_up(embedded_env: dict[str, str]) -> None:
    result = run(["check"], {**embedded_env, "CAREPATH_REGION": "ATLANTIS"})
    assert result.returncode != 0
    assert "CAREPATH_REGION 'ATLANTIS'" in result.stderr


def test_migrate_demo_and_serve_answer_real_http(embedded_env: dict[str, str]) -> None:
    assert run(["migrate", "--noinput"], embedded_env).returncode == 0
    demo = run(["demo", "--if-empty"], embedded_env)
    assert demo.returncode == 0 and "demo-seeker" in demo.stdout
    port = free_port()
    server = subprocess.Popen(
        [CAREPATH_BIN, "serve", "--port", str(port), "--workers", "1"],
        env=embedded_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = wait_for(f"http://127.0.0.1:{port}/api/v1/health")
        assert '"database": "ok"' in body
        assert "Need help now?" in wait_for(f"http://127.0.0.1:{port}/")
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert f"Carepath is running at http://127.0.0.1:{port}/" in output
    assert "gunicorn" in output.lower()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, attempts: int = 100) -> str:
    for _ in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return str(response.read().decode())
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} never answered")
