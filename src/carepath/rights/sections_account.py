"""Export sections for the account itself: its details, API tokens, sign-in records, sessions,
two-factor devices, administration actions and the audit trail's events by and about it."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.utils import timezone

from carepath.accounts.token_models import ApiToken
from carepath.audit.models import AuditEvent
from carepath.audit.presentation import access_log_entries
from carepath.audit.subjects import about_person
from carepath.rights.json_values import plain, row

# Never exported: secrets that would let whoever holds the file act as the person.
_SECRET_COLUMNS = frozenset({"key", "token", "password", "digest", "secret", "bin_key"})


def account_details(account: Any) -> dict[str, Any]:
    fields = ("id", "username", "email", "display_name", "first_name", "last_name", "role")
    return row(account, (*fields, "date_joined", "last_login", "is_active"))


def api_tokens(account: Any) -> list[dict[str, Any]]:
    fields = ("name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at")
    return [row(token, fields) for token in ApiToken.objects.filter(owner=account).order_by("created_at")]


def audit_events(account: Any) -> dict[str, Any]:
    """What the account did, and who acted on the account and its records (its access log)."""
    fields = ("sequence", "occurred_at", "action", "outcome", "subject_type", "subject_id", "details")
    written = AuditEvent.objects.filter(actor_ref=str(account.pk)).order_by("sequence")
    about = AuditEvent.objects.filter(about_person(account.pk)).select_related("actor").order_by("sequence")
    return {
        "by_you": [row(event, fields) for event in written],
        "about_you": [
            {"occurred_at": plain(entry.occurred_at), "who": entry.who, "what": entry.what}
            | {"record": entry.record, "result": entry.result}
            for entry in access_log_entries(about, account)
        ],
    }


def sessions(account: Any) -> list[dict[str, Any]]:
    now = timezone.now()
    return [{"expires": plain(item.expire_date)} for item in sessions_of(account) if item.expire_date > now]


def sessions_of(account: Any) -> list[Session]:
    """Sessions signed in as the account, expired ones too: the account id is inside their data,
    which the database cannot search, so each is decoded (one pass over the session table)."""
    return [
        session
        for session in Session.objects.iterator()
        if session.get_decoded().get("_auth_user_id") == str(account.pk)
    ]


def admin_actions(account: Any) -> list[dict[str, Any]]:
    entries = LogEntry.objects.filter(user=account).select_related("content_type").order_by("action_time")
    return [
        {
            "at": plain(entry.action_time),
            "action_flag": entry.action_flag,
            "record_type": getattr(entry.content_type, "model", ""),
        }
        for entry in entries
        if entry.content_type is not None
    ]


def sign_in_records(account: Any, model_label: str) -> list[dict[str, Any]]:
    """django-axes rows kept under the account's username: when, from where, and how it went."""
    model = apps.get_model(model_label)
    rows = model._default_manager.filter(username__iexact=account.get_username()).order_by("attempt_time")
    return [_without_secrets(item) for item in rows]


def devices(account: Any, model_label: str) -> list[dict[str, Any]]:
    """Two-factor devices: their names and state, never the key that makes their codes."""
    model = apps.get_model(model_label)
    return [_without_secrets(item) for item in model._default_manager.filter(user=account)]


def _without_secrets(instance: Any) -> dict[str, Any]:
    return {
        field.name: plain(getattr(instance, field.name))
        for field in instance._meta.concrete_fields
        if not field.is_relation and field.name not in _SECRET_COLUMNS and field.name != "id"
    }
