"""Erasing an account: every personal-data source of the registry, in one transaction.

The password is asked again, because erasing cannot be undone. Then each source's rows are
deleted, pseudonymised or kept as the registry says (rights/registry.py, docs/rights.md); the audit
trail keeps pseudonymous events only; sessions end; the account row is emptied and can never sign
in again; and one `account.erased` event records that it happened, with counts and nothing personal.
Counts kept in the cache (the API's rate limits) are cleared once the change is committed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from carepath import policy
from carepath.accounts.token_models import ApiToken
from carepath.audit.models import AuditAction
from carepath.audit.services import record_event
from carepath.audit.subjects import ACCOUNT
from carepath.errors import FieldProblem, NotPermitted
from carepath.rights.erasure_context import ErasureContext
from carepath.rights.erasure_steps import name_pattern
from carepath.rights.registry import Erasure, Source, installed_sources
from carepath.web.throttling import WINDOW_SECONDS
from carepath_core.matching.experience_text import forget_recent_texts


@dataclass(frozen=True)
class ErasureReport:
    account_id: int
    rows: dict[str, int]  # rows deleted or changed, by model


def erase_account(*, actor: Any, account: Any, password: str) -> ErasureReport:
    if not policy.can_erase_account(actor, account):
        raise NotPermitted("only the account itself may erase itself")
    if not password or not account.check_password(password):
        raise FieldProblem("password", "is not the password of this account")
    cache_keys = _cache_keys(account)
    with transaction.atomic():
        context = ErasureContext.of(account, timezone.now())
        counts: dict[str, int] = {}
        for source in installed_sources():
            counts[source.model] = counts.get(source.model, 0) + erase_source(source, context)
        record_event(
            actor=account,
            action=AuditAction.ACCOUNT_ERASED,
            subject_type=ACCOUNT,
            subject_id=account.pk,
            details={"rows": counts},
        )
    cache.delete_many(cache_keys)
    forget_recent_texts()
    return ErasureReport(account.pk, counts)


def erase_source(source: Source, context: ErasureContext) -> int:
    rows = source.rows(context)
    if source.erase_step is not None:
        return source.erase_step(context, rows)
    if rows is None:
        return 0
    if source.erasure is Erasure.DELETE:
        count = rows.count()
        rows.delete()
        return count
    changed = rows.update(**{column: "" for column in source.columns}) if source.columns else 0
    return max(changed, _redact(source, rows, context))


def _redact(source: Source, rows: Any, context: ErasureContext) -> int:
    """Replace the account's names in the text other people wrote and keep (read in Python, so
    encrypted columns are compared as plaintext)."""
    pattern = name_pattern(context.names)
    if pattern is None or not source.redact:
        return 0
    replacement, changed = gettext("[name removed]"), 0
    for instance in rows.only("pk", *source.redact):
        new = {column: pattern.sub(replacement, getattr(instance, column) or "") for column in source.redact}
        if any(new[column] != (getattr(instance, column) or "") for column in source.redact):
            type(instance)._default_manager.filter(pk=instance.pk).update(**new)
            changed += 1
    return changed


def _cache_keys(account: Any, now: float | None = None) -> list[str]:
    """The API rate-limit counters of the account and its tokens (carepath.web.throttling)."""
    window = int((time.time() if now is None else now) // WINDOW_SECONDS)
    clients = [f"user:{account.pk}"]
    clients += [f"token:{pk}" for pk in ApiToken.objects.filter(owner=account).values_list("pk", flat=True)]
    return [f"carepath-throttle:{client}:{w}" for client in clients for w in range(window - 2, window + 2)]
