"""Everyone's notices (/notifications/): newest first, each marked read with a POST."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from carepath import policy
from carepath.referrals import selectors
from carepath.referrals.services import notices


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    if not policy.can_have_notifications(request.user):
        raise PermissionDenied
    found = selectors.notices_of(request.user)
    unread = sum(1 for notice in found if notice.read_at is None)
    return render(request, "referrals/notifications.html", {"notices": found, "unread": unread})


@login_required
@require_POST
def mark_read(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = selectors.notice_by_id(notice_id)
    if notice is None or not policy.can_read_notification(request.user, notice):
        raise Http404
    notices.mark_read(actor=request.user, notice=notice)
    return redirect("notifications")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    if not policy.can_have_notifications(request.user):
        raise PermissionDenied  # as on the notices page; the service would refuse with an error
    notices.mark_all_read(actor=request.user)
    return redirect("notifications")
