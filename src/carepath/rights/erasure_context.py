"""What every erasure step is given: the account, its names as they were, and the moment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ErasureContext:
    account: Any
    names: tuple[str, ...]  # username, email and name shown, as they were before erasure
    now: dt.datetime

    @classmethod
    def of(cls, account: Any, now: dt.datetime) -> ErasureContext:
        return cls(account, (account.get_username(), account.email, account.display_name), now)
