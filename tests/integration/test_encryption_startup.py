"""Start-up in production mode with the encryption keys missing, malformed or set, in a fresh process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from carepath.encryption.keys import new_key

PRODUCTION = {"CAREPATH_ENV": "production", "SECRET_KEY": "x" * 64, "ALLOWED_HOSTS": "carepath.example"}


def start(**env: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import json; from carepath.config import settings as s; "
        "print(json.dumps(s.CAREPATH_ENCRYPTION_KEYS))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("CAREPATH_ENV", "CAREPATH_ENCRYPTION_KEYS")}
    return subprocess.run(
        [sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True, check=False
    )


def test_production_without_keys_refuses_to_start_naming_the_variable() -> None:
    result = start(**PRODUCTION)
    assert result.returncode != 0
    assert "CAREPATH_ENCRYPTION_KEYS is not set" in result.stderr


def test_production_with_a_malformed_key_refuses_to_start_without_echoing_it() -> None:
    good = new_key()
    result = start(**PRODUCTION, CAREPATH_ENCRYPTION_KEYS=f"{good},{good[:30]}")
    assert result.returncode != 0
    assert "CAREPATH_ENCRYPTION_KEYS: key 2 of 2 is not a Fernet key" in result.stderr
    assert good[:30] not in result.stderr


def test_production_starts_with_keys_newest_first() -> None:
    newer, older = new_key(), new_key()
    result = start(**PRODUCTION, CAREPATH_ENCRYPTION_KEYS=f"{newer},{older}")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [newer, older]
