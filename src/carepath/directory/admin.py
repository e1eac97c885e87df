"""The HSDS tables in the coordinators' admin.

Built for tables of millions of rows: links are typed as ids (raw id fields), never chosen from
a list of every row; lists join only what they show, and do not count the whole table; filters
are on choices and yes/no fields only, which need no query of their own. Saves and deletions
go through `services.admin_changes`, so they are audited like any other change.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from carepath.directory import models as hsds
from carepath.directory.services.admin_changes import delete_from_admin, save_from_admin
from carepath.web.admin_site import CoordinatorModelAdmin


class HsdsAdmin(CoordinatorModelAdmin):
    show_full_result_count = False
    list_per_page = 50
    search_fields = ("id__exact",)  # a pasted id finds its record by the primary key
    derived_fields: ClassVar[tuple[str, ...]] = ()  # worked out on save, so shown but not typed

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("id", *self.derived_fields)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        save_from_admin(actor=request.user, record=obj, created=not change, fields=form.changed_data)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        delete_from_admin(actor=request.user, records=[obj])

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        delete_from_admin(actor=request.user, records=queryset)


def register(model: type[models.Model], **options: Any) -> None:
    """Register `model` with an HsdsAdmin carrying these options (list_display, search_fields, …).

    Every link is typed as an id; the links the list shows are joined, or each row would cost a
    query of its own.
    """
    links = sorted(field.name for field in model._meta.concrete_fields if field.is_relation)
    options.setdefault("raw_id_fields", tuple(links))
    options.setdefault(
        "list_select_related", tuple(name for name in options["list_display"] if name in links)
    )
    admin.site.register(model, type(f"{model.__name__}Admin", (HsdsAdmin,), options))


register(
    hsds.Organization,
    list_display=("name", "website", "email", "last_modified"),
    search_fields=("id__exact", "name", "alternate_name"),
    derived_fields=("last_modified",),
)
register(
    hsds.Service,
    list_display=("name", "organization", "status", "support_type", "assured_date", "last_modified"),
    list_filter=("status", "support_type", "crisis_capable", "hours_24_7"),
    search_fields=("id__exact", "name", "alternate_name", "organization_id__exact"),
    derived_fields=("last_modified",),
)
register(
    hsds.Location,
    list_display=("name", "organization", "location_type", "position_usable"),
    list_filter=("location_type", "position_usable"),
    search_fields=("id__exact", "name", "organization_id__exact"),
    derived_fields=("position_usable",),
)
register(
    hsds.Address,
    list_display=("address_1", "city", "postal_code", "country", "address_type", "location"),
    list_filter=("address_type",),
    search_fields=("id__exact", "address_1", "=postal_code", "location_id__exact"),
)
register(
    hsds.ServiceAtLocation,
    list_display=("id", "service", "location"),
    search_fields=("id__exact", "service_id__exact", "location_id__exact"),
)
register(
    hsds.Phone,
    list_display=("number", "type", "service", "organization"),
    search_fields=("id__exact", "number"),
)
register(
    hsds.Contact,
    list_display=("name", "title", "email", "organization"),
    search_fields=("id__exact", "name", "email"),
)
register(
    hsds.Schedule,
    list_display=("id", "service", "location", "freq", "byday", "opens_at", "closes_at"),
    search_fields=("id__exact", "service_id__exact", "location_id__exact"),
)
register(
    hsds.CostOption,
    list_display=("option", "amount", "currency", "service"),
    search_fields=("id__exact", "service_id__exact"),
)
register(
    hsds.Language,
    list_display=("name", "code", "service", "location"),
    search_fields=("id__exact", "name", "=code"),
)
register(hsds.Taxonomy, list_display=("name", "version", "uri"), search_fields=("id__exact", "name"))
register(
    hsds.TaxonomyTerm,
    list_display=("name", "code", "taxonomy", "language"),
    search_fields=("id__exact", "name", "=code"),
)
register(hsds.Program, list_display=("name", "organization"), search_fields=("id__exact", "name"))
register(
    hsds.Funding, list_display=("source", "organization", "service"), search_fields=("id__exact", "source")
)
register(
    hsds.ServiceArea, list_display=("name", "extent_type", "service"), search_fields=("id__exact", "name")
)
register(hsds.RequiredDocument, list_display=("document", "service"), search_fields=("id__exact", "document"))
register(
    hsds.ServiceCapacity,
    list_display=("id", "service", "available", "maximum", "updated"),
    search_fields=("id__exact", "service_id__exact"),
)
register(hsds.Unit, list_display=("name", "scheme", "identifier"), search_fields=("id__exact", "name"))
register(
    hsds.Accessibility,
    list_display=("description", "location"),
    search_fields=("id__exact", "location_id__exact"),
)
register(
    hsds.Url, list_display=("url", "label", "organization", "service"), search_fields=("id__exact", "url")
)
register(
    hsds.Attribute,
    list_display=("label", "value", "link_entity", "link_id", "taxonomy_term"),
    search_fields=("id__exact", "link_id__exact"),
)
register(
    hsds.OrganizationIdentifier,
    list_display=("identifier_scheme", "identifier", "organization"),
    search_fields=("id__exact", "=identifier"),
)
register(
    hsds.Metadata,
    list_display=("resource_type", "resource_id", "field_name", "last_action_date", "updated_by"),
    search_fields=("id__exact", "resource_id__exact"),
)
register(
    hsds.MetaTableDescription,
    list_display=("name", "language", "character_set"),
    search_fields=("id__exact", "name"),
)
