"""In-app notices, and the optional email that tells someone a notice is waiting.

The email says nothing about who or what: mailboxes are often shared, and a request for mental
health support is nobody else's business. It goes only to people who gave an email address,
only after the change is committed (a rolled-back change sends nothing), and a failed send
never undoes the change: the notice is in Carepath either way.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from carepath import policy
from carepath.errors import NotPermitted
from carepath.referrals.models import NoticeKind, Notification

log = logging.getLogger(__name__)


def notify(recipient: Any, kind: NoticeKind, text: str, link: str = "") -> Notification:
    """One notice; call inside the transaction of the change it is about."""
    notice = Notification.objects.create(recipient=recipient, kind=kind, text=text[:300], link=link)
    address = getattr(recipient, "email", "")
    if address:
        transaction.on_commit(lambda: _email(address))
    return notice


def _email(address: str) -> None:
    try:
        send_mail(
            subject=gettext("You have a new notice in Carepath"),
            message=gettext(
                "Something has changed in your support in Carepath. Sign in and open your notices to "
                "read it.\n\nYou get this email because your Carepath account has this address."
            ),
            from_email=None,
            recipient_list=[address],
        )
    except OSError as failure:  # SMTP failures are OSErrors; the notice itself is already saved
        # The error's text often quotes the refused address, so only its kind and code are logged.
        code = getattr(failure, "smtp_code", None)
        log.warning("could not email a notice: %s%s", type(failure).__name__, f" ({code})" if code else "")


def mark_read(*, actor: Any, notice: Notification) -> Notification:
    if not policy.can_read_notification(actor, notice):
        raise NotPermitted("this notice is not yours")
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


def mark_all_read(*, actor: Any) -> int:
    if not policy.can_have_notifications(actor):
        raise NotPermitted("log in to read your notices")
    return Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
