"""WSGI entry point for production servers (gunicorn, started by `carepath serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carepath.config.settings")
application = get_wsgi_application()

# The place gazetteers take about a second to load: before the first request, not during it.
from carepath.directory.selectors.find import warm_place_lookups  # noqa: E402 (needs Django set up)

warm_place_lookups()
