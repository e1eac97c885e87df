from django.contrib import admin

from carepath.directory.models import Organization
from carepath.web.admin_site import CoordinatorModelAdmin


@admin.register(Organization)
class OrganizationAdmin(CoordinatorModelAdmin):
    list_display = ("name", "website", "email", "last_modified")
    search_fields = ("name", "alternate_name", "description")
