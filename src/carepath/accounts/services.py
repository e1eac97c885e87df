"""Changes to accounts. Each one writes its audit event in the same transaction."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from carepath import policy
from carepath.accounts.models import User
from carepath.audit.models import AuditAction
from carepath.audit.services import record_event
from carepath.errors import FieldProblem, NotPermitted
from carepath_core.roles import Role

SUBJECT = "account"


def sign_up_help_seeker(*, username: str, password: str, email: str = "", display_name: str = "") -> User:
    """Create a help-seeker account (the only role people may give themselves)."""
    username = username.strip()
    if not username:
        raise FieldProblem("username", "is required")
    if User.objects.filter(username__iexact=username).exists():
        raise FieldProblem("username", "is already taken; choose another")
    email = email.strip()
    if email and User.objects.filter(email__iexact=email).exists():
        raise FieldProblem("email", "already belongs to an account; try resetting its password")
    candidate = User(username=username, email=email, display_name=display_name.strip())
    _check_password(password, candidate, field="password")
    with transaction.atomic():
        candidate.set_password(password)
        candidate.role = Role.HELP_SEEKER.value
        candidate.save()
        record_event(
            actor=candidate, action=AuditAction.SIGNUP, subject_type=SUBJECT, subject_id=candidate.pk
        )
    return candidate


def change_role(*, actor: User, account: User, new_role: Role) -> User:
    if not policy.can_change_role(actor, account):
        raise NotPermitted("you may not change this account's role")
    old_role = account.role
    if old_role == new_role.value:
        return account
    with transaction.atomic():
        account.role = new_role.value
        account.save(update_fields=["role", "is_staff"])
        record_event(
            actor=actor,
            action=AuditAction.ROLE_CHANGED,
            subject_type=SUBJECT,
            subject_id=account.pk,
            details={"from": old_role, "to": new_role.value},
        )
    return account


def change_password(*, account: User, new_password: str, by_reset_link: bool = False) -> User:
    _check_password(new_password, account, field="new_password1")
    with transaction.atomic():
        account.set_password(new_password)
        account.save(update_fields=["password"])
        record_event(
            actor=account,
            action=AuditAction.PASSWORD_RESET if by_reset_link else AuditAction.PASSWORD_CHANGED,
            subject_type=SUBJECT,
            subject_id=account.pk,
        )
    return account


def _check_password(password: str, account: User, *, field: str) -> None:
    try:
        validate_password(password, user=account)
    except ValidationError as error:
        raise FieldProblem(field, " ".join(error.messages)) from error
