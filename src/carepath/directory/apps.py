from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "carepath.directory"
    label = "directory"
    verbose_name = _("Service directory")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from carepath.directory.database_session import set_up_session

        connection_created.connect(set_up_session, dispatch_uid="directory-database-session")
