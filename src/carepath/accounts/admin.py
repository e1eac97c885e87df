"""Accounts in the coordinators' admin. Role changes go through the audited service."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from carepath import policy
from carepath.accounts import services, two_factor_admin  # noqa: F401  # the latter takes django-otp's pages out
from carepath.accounts.models import User
from carepath.errors import NotPermitted
from carepath.web.admin_site import CoordinatorModelAdmin
from carepath_core.roles import Role


@admin.register(User)
class CarepathUserAdmin(CoordinatorModelAdmin, UserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "display_name", "email", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("username", "display_name", "email")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("About"), {"fields": ("display_name", "email", "role")}),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is not None and not policy.can_change_role(request.user, obj):
            fields += ("role",)
        return fields

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if change and "role" in form.changed_data:
            new_role = Role(obj.role)
            obj.role = form.initial["role"]
            super().save_model(request, obj, form, change)
            try:
                services.change_role(actor=request.user, account=obj, new_role=new_role)  # type: ignore[arg-type]
            except NotPermitted as refusal:
                self.message_user(request, str(refusal), level="error")
            return
        super().save_model(request, obj, form, change)
