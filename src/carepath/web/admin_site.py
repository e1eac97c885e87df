"""The Django admin, opened to coordinators by `policy` rather than by Django's permission flags."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from carepath import policy


class CarepathAdminSite(admin.AdminSite):
    site_header = _("Carepath administration")
    site_title = _("Carepath administration")
    index_title = _("Directory, accounts and audit trail")

    def has_permission(self, request: HttpRequest) -> bool:
        return policy.can_access_admin(request.user)


class CarepathAdminConfig(AdminConfig):
    default_site = "carepath.web.admin_site.CarepathAdminSite"


class CoordinatorModelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Coordinators may manage these records; everyone else sees nothing."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return policy.can_access_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policy.can_access_admin(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return policy.can_access_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policy.can_access_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policy.can_access_admin(request.user)


class ReadOnlyCoordinatorAdmin(CoordinatorModelAdmin):
    """For records nobody may edit by hand, such as the audit trail."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
