from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "carepath.web"
    label = "web"
    verbose_name = _("Pages")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from carepath.database_session import set_up_session

        connection_created.connect(set_up_session, dispatch_uid="carepath-database-session")
