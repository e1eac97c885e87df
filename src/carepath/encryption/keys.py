"""The encryption keys: from the CAREPATH_ENCRYPTION_KEYS environment variable, never the database.

The variable holds Fernet keys separated by commas, newest first: the newest encrypts, every one
decrypts, so a new key can be put in front, `carepath encryption rotate` run, and the old key
dropped afterwards. Like SECRET_KEY (carepath.config.environment), development and tests use a key
generated once under the var directory, and production refuses to start without the variable.
Messages name the variable and which key is wrong, never a key itself, so none reaches a log.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ENV_NAME = "CAREPATH_ENCRYPTION_KEYS"
DEVELOPMENT_KEY_FILE = "encryption_key"
NEW_KEY_HINT = "make one with: carepath encryption new-key"
# 32 bytes in URL-safe base64. Checked as text first because the base64 decoder Fernet uses
# skips characters it does not know, so a key with a stray character would otherwise pass.
_FERNET_KEY = re.compile(r"[A-Za-z0-9_-]{43}=")


def keys_from_environment(env: Mapping[str, str], production: bool, var_dir: Path) -> tuple[str, ...]:
    """The configured keys, newest first; the settings module calls this once at start-up."""
    raw = env.get(ENV_NAME, "").strip()
    if raw:
        return parse_keys(raw, source=ENV_NAME)
    if production:
        raise ImproperlyConfigured(
            f"Carepath is in production mode (CAREPATH_ENV=production) but {ENV_NAME} is not set. "
            "Set it to one or more Fernet keys separated by commas, newest first, and keep them out "
            f"of the database and its backups; {NEW_KEY_HINT}"
        )
    return (_development_key(var_dir / DEVELOPMENT_KEY_FILE),)


def parse_keys(raw: str, *, source: str) -> tuple[str, ...]:
    keys = tuple(part.strip() for part in raw.split(","))
    for position, key in enumerate(keys, start=1):
        if not _FERNET_KEY.fullmatch(key):
            raise ImproperlyConfigured(
                f"{source}: key {position} of {len(keys)} is not a Fernet key "
                f"(44 characters of URL-safe base64); {NEW_KEY_HINT}"
            )
    return keys


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


def current_keys() -> MultiFernet:
    """The configured keys as one MultiFernet (built once per distinct setting, e.g. in tests)."""
    return _multi_fernet(tuple(settings.CAREPATH_ENCRYPTION_KEYS))


def newest_key() -> Fernet:
    return _fernets(tuple(settings.CAREPATH_ENCRYPTION_KEYS))[0]


@lru_cache(maxsize=8)
def _multi_fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet(list(_fernets(keys)))


@lru_cache(maxsize=8)
def _fernets(keys: tuple[str, ...]) -> tuple[Fernet, ...]:
    if not keys:
        raise ImproperlyConfigured(f"{ENV_NAME} holds no key")
    return tuple(Fernet(key) for key in keys)


def _development_key(path: Path) -> str:
    """The development key, made on first use. Linked into place in one step, so two processes
    starting together cannot each write a different key and leave one's encrypted rows unreadable."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f"{path.name}.{os.getpid()}.new")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(new_key() + "\n")
        with contextlib.suppress(FileExistsError):
            os.link(draft, path)
        draft.unlink()
    return parse_keys(path.read_text(encoding="utf-8").strip(), source=str(path))[0]
