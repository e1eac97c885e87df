"""The erasure steps that are more than deleting rows or emptying columns (see rights/registry.py).

Each takes the erasure's context and the rows its source found, runs inside the erasure's one
transaction and returns how many rows it changed.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext

from carepath.audit.erasure import erase_personal_parts
from carepath.referrals.models import NoticeKind, Notification, Referral, StatusChange
from carepath.referrals.services.notices import notify
from carepath.rights.erasure_context import ErasureContext
from carepath.rights.sections_account import sessions_of
from carepath_core.referrals import Side, Status

ERASED_USERNAME_PREFIX = "erased-"


def left_carepath() -> str:
    return gettext("Someone who has left Carepath")


def name_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """The account's names as whole words, longest first, case ignored."""
    words = sorted({name.strip() for name in names if name.strip()}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(word) for word in words) + r")(?!\w)", re.IGNORECASE)


def close_referrals(context: ErasureContext, rows: QuerySet[Any] | None) -> int:
    """Open requests and relationships end: the other side is told, in words that name no one."""
    assert rows is not None  # nosec B101 # type narrowing: the source finds rows by its links
    closed = 0
    for referral in rows.filter(status__in=[Status.REQUESTED.value, Status.ACTIVE.value]):
        as_person = referral.person_id == context.account.pk
        new_status = (
            Status.ENDED
            if referral.status == Status.ACTIVE.value
            else (Status.WITHDRAWN if as_person else Status.DECLINED)
        )
        StatusChange.objects.create(
            referral=referral,
            actor=context.account,
            by_side=Side.PERSON if as_person else Side.SUPPORTER,
            from_status=referral.status,
            to_status=new_status.value,
        )
        Referral.objects.filter(pk=referral.pk).update(status=new_status.value, closed_at=context.now)
        other = referral.supporter if as_person else referral.person
        link = reverse("supporting_detail" if as_person else "my_support_detail", args=[referral.pk])
        notify(
            other,
            NoticeKind.ENDED if new_status is Status.ENDED else NoticeKind.WITHDRAWN,
            gettext("Someone you were in touch with has left Carepath, so this support is closed."),
            link,
        )
        closed += 1
    return closed


def notices_naming(context: ErasureContext) -> QuerySet[Any]:
    """Other people's notices about the account's referrals, or whose words hold one of its names."""
    referrals = Referral.objects.filter(Q(person=context.account) | Q(supporter=context.account))
    links = [
        reverse(name, args=[pk])
        for pk in referrals.values_list("pk", flat=True)
        for name in ("supporting_detail", "my_support_detail")
    ]
    condition = Q(link__in=links)
    for name in context.names:
        if name.strip():
            condition |= Q(text__icontains=name.strip())
    return Notification.objects.exclude(recipient=context.account).filter(condition)


def reword_notices(context: ErasureContext, rows: QuerySet[Any] | None) -> int:
    assert rows is not None  # nosec B101 # type narrowing: found by notices_naming
    pattern = name_pattern(context.names)
    changed = 0
    for notice in rows:
        text = pattern.sub(left_carepath(), notice.text) if pattern is not None else notice.text
        if text != notice.text:
            Notification.objects.filter(pk=notice.pk).update(text=text[:300])
            changed += 1
    return changed


def end_sessions(context: ErasureContext, rows: QuerySet[Any] | None) -> int:
    sessions = sessions_of(context.account)
    for session in sessions:
        session.delete()
    return len(sessions)


def admin_entries_about(context: ErasureContext) -> QuerySet[Any]:
    account_type = ContentType.objects.get_for_model(get_user_model())
    return LogEntry.objects.filter(content_type=account_type, object_id=str(context.account.pk))


def erase_audit_events(context: ErasureContext, rows: QuerySet[Any] | None) -> int:
    return erase_personal_parts(account_id=context.account.pk, names=context.names)


def empty_account(context: ErasureContext, rows: QuerySet[Any] | None) -> int:
    """The account row stays so others' records hold together, with nothing left that names anyone."""
    account = context.account
    account.username = ERASED_USERNAME_PREFIX + secrets.token_hex(8)
    account.email = ""
    account.first_name = ""
    account.last_name = ""
    account.display_name = left_carepath()
    account.set_unusable_password()
    account.is_active = False
    account.is_superuser = False
    account.last_login = None
    account.date_joined = context.now
    account.save()
    account.groups.clear()
    account.user_permissions.clear()
    return 1
