from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "carepath.outcomes"
    label = "outcomes"
    verbose_name = _("Outcomes and effectiveness")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_migrate

        import carepath.outcomes.checks  # noqa: F401  (registers the system check)
        from carepath.outcomes import signals
        from carepath.screening.models import Assessment

        post_delete.connect(signals.check_in_deleted, sender=Assessment, dispatch_uid="outcomes-check-in")
        post_migrate.connect(signals.rows_after_migrate, sender=self, dispatch_uid="outcomes-report-rows")
