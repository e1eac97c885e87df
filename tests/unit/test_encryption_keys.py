"""Encryption keys read from CAREPATH_ENCRYPTION_KEYS: production refuses a missing or malformed one,
naming the variable (never the key); development makes one once under the var directory."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from carepath.encryption.keys import ENV_NAME, keys_from_environment, new_key

NEWER, OLDER = new_key(), new_key()


def test_keys_are_read_newest_first(tmp_path: Path) -> None:
    keys = keys_from_environment({ENV_NAME: f" {NEWER} , {OLDER} "}, production=True, var_dir=tmp_path)
    assert keys == (NEWER, OLDER)
    assert not (tmp_path / "encryption_key").exists()


@pytest.mark.parametrize("value", [None, "", "   "])
def test_production_without_keys_refuses_naming_the_variable(tmp_path: Path, value: str | None) -> None:
    env = {} if value is None else {ENV_NAME: value}
    with pytest.raises(ImproperlyConfigured, match=f"{ENV_NAME} is not set") as refused:
        keys_from_environment(env, production=True, var_dir=tmp_path)
    assert "carepath encryption new-key" in str(refused.value)


@pytest.mark.parametrize(
    ("value", "position"),
    [
        ("not-a-key", "key 1 of 1"),
        (NEWER[:-2] + "=", "key 1 of 1"),  # too short
        (NEWER + "AAAA", "key 1 of 1"),  # too long
        (NEWER[:10] + "!" + NEWER[11:], "key 1 of 1"),  # a character base64 decoders would skip
        (f"{NEWER},", "key 2 of 2"),  # an empty key after a stray comma
        (f"{NEWER},,{OLDER}", "key 2 of 3"),
        (f"{NEWER},{OLDER[:-1]}", "key 2 of 2"),
    ],
)
@pytest.mark.parametrize("production", [True, False])
def test_a_malformed_key_refuses_naming_the_variable_and_which_key(
    tmp_path: Path, value: str, position: str, production: bool
) -> None:
    with pytest.raises(ImproperlyConfigured, match=f"{ENV_NAME}: {position} is not a Fernet key") as refused:
        keys_from_environment({ENV_NAME: value}, production=production, var_dir=tmp_path)
    for key in value.split(","):
        if key:
            assert key not in str(refused.value)  # never a key (or most of one) in a message or log


def test_development_makes_a_key_once_and_keeps_it_private(tmp_path: Path) -> None:
    first = keys_from_environment({}, production=False, var_dir=tmp_path)
    again = keys_from_environment({}, production=False, var_dir=tmp_path)
    assert first == again and len(first) == 1
    Fernet(first[0])  # a usable key
    kept = tmp_path / "encryption_key"
    assert kept.read_text(encoding="utf-8").strip() == first[0]
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert list(tmp_path.iterdir()) == [kept]  # no draft left behind


def test_development_uses_the_variable_when_it_is_set(tmp_path: Path) -> None:
    assert keys_from_environment({ENV_NAME: OLDER}, production=False, var_dir=tmp_path) == (OLDER,)
    assert not (tmp_path / "encryption_key").exists()


def test_a_damaged_development_key_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "encryption_key").write_text("damaged\n", encoding="utf-8")
    with pytest.raises(ImproperlyConfigured, match="encryption_key: key 1 of 1 is not a Fernet key"):
        keys_from_environment({}, production=False, var_dir=tmp_path)


def test_new_keys_are_fresh_fernet_keys() -> None:
    made = {new_key() for _ in range(5)}
    assert len(made) == 5
    for key in made:
        Fernet(key)
