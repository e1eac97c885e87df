"""What every page's frame needs: the crisis region and who is signed in.

Both are computed defensively: if the database is unreachable the page still renders, as an
anonymous visitor, so crisis help is never lost behind a database error.
"""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError
from django.http import HttpRequest

from carepath.crisis.selectors import region_for


def page_frame(request: HttpRequest) -> dict[str, Any]:
    return {"crisis_region": region_for(request), "nav_user": _signed_in_user(request)}


def _signed_in_user(request: HttpRequest) -> Any:
    try:
        user = request.user
        return user if user.is_authenticated else None
    except DatabaseError:
        return None
