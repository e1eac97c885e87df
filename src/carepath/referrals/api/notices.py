"""Your notices over the JSON API: list them, and mark one or all as read."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.security import django_auth

from carepath import policy
from carepath.referrals import selectors
from carepath.referrals.models import Notification
from carepath.referrals.services import notices

router = Router(tags=["notifications"])


class NoticeOut(Schema):
    id: int
    kind: str
    text: str
    link: str
    created_at: dt.datetime
    read_at: dt.datetime | None


def _payload(notice: Notification) -> dict[str, Any]:
    return {
        "id": notice.pk,
        "kind": notice.kind,
        "text": notice.text,
        "link": notice.link,
        "created_at": notice.created_at,
        "read_at": notice.read_at,
    }


@router.get("", response=list[NoticeOut], auth=django_auth, summary="Your notices, newest first")
def list_notices(request: HttpRequest) -> list[dict[str, Any]]:
    return [_payload(notice) for notice in selectors.notices_of(request.user)]


@router.post("/{int:notice_id}/read", response=NoticeOut, auth=django_auth, summary="Mark one notice as read")
def read_one(request: HttpRequest, notice_id: int) -> dict[str, Any]:
    notice = selectors.notice_by_id(notice_id)
    if notice is None or not policy.can_read_notification(request.user, notice):
        raise Http404
    return _payload(notices.mark_read(actor=request.user, notice=notice))


@router.post("/read-all", response=dict[str, int], auth=django_auth, summary="Mark every notice as read")
def read_all(request: HttpRequest) -> dict[str, int]:
    return {"marked": notices.mark_all_read(actor=request.user)}
