"""The count of unread notices in the page header.

Lazy on purpose: the count is one indexed query, and it runs only when a page actually shows it
(pages built on base.html, for accounts that can have notices), never for the admin, JSON,
anonymous or coordinator pages. Like the rest of the page frame it gives way to a database error,
so crisis help still renders.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.db import DatabaseError
from django.http import HttpRequest

from carepath import policy
from carepath.referrals.selectors import unread_notice_count


class _UnreadCount:
    def __init__(self, request: HttpRequest) -> None:
        self._request = request

    @cached_property
    def shown(self) -> bool:
        """Whether the header offers notices at all (no query: the account is already loaded)."""
        try:
            return policy.can_have_notifications(self._request.user)
        except DatabaseError:
            return False

    @cached_property
    def value(self) -> int:
        if not self.shown:
            return 0
        try:
            return unread_notice_count(self._request.user)
        except DatabaseError:
            return 0


def unread_notices(request: HttpRequest) -> dict[str, Any]:
    return {"unread_notices": _UnreadCount(request)}
