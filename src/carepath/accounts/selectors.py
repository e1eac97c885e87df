"""Reading accounts."""

from __future__ import annotations

from django.db.models import Count

from carepath.accounts.models import User


def account_by_username(username: str) -> User | None:
    return User.objects.filter(username__iexact=username).first()


def accounts_per_role() -> dict[str, int]:
    rows = User.objects.filter(is_active=True).values("role").annotate(n=Count("id"))
    return {row["role"]: row["n"] for row in rows}


def any_accounts_exist() -> bool:
    return User.objects.exists()
