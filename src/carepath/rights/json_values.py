"""Values as the export writes them: dates and times in ISO 8601, decimals as text, nothing else."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any


def plain(value: Any) -> Any:
    """A stored value as JSON: times in ISO 8601 (UTC as stored), decimals as exact text."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def row(instance: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: plain(getattr(instance, name)) for name in fields}
