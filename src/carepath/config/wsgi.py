"""WSGI entry point for production servers (gunicorn, started by `carepath serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carepath.config.settings")
application = get_wsgi_application()
