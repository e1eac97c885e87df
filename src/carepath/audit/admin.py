from django.contrib import admin

from carepath.audit.models import AuditEvent
from carepath.web.admin_site import ReadOnlyCoordinatorAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyCoordinatorAdmin):
    list_display = (
        "sequence",
        "occurred_at",
        "actor_label",
        "action",
        "outcome",
        "subject_type",
        "subject_id",
    )
    list_filter = ("action", "outcome", "subject_type")
    search_fields = ("actor_label", "subject_id")
    date_hierarchy = "occurred_at"
