"""System endpoints: is the service up and can it reach its database."""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError, connection
from ninja import Router

router = Router(tags=["system"])


@router.get("/health", summary="Liveness and database reachability")
def health(request: Any) -> dict[str, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except DatabaseError:
        database = "unreachable"
    return {"status": "ok", "database": database}
