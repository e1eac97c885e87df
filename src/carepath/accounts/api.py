"""The signed-in account over the JSON API."""

from __future__ import annotations

from typing import Any

from ninja import Router, Schema
from ninja.security import django_auth

router = Router(tags=["accounts"])


class AccountOut(Schema):
    username: str
    display_name: str
    role: str


@router.get("/me", response=AccountOut, auth=django_auth, summary="The account that is signed in")
def me(request: Any) -> Any:
    return request.auth
