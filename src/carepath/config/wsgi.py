"""WSGI entry point for production servers (gunicorn, started by `carepath serve`)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carepath.config.settings")
application = get_wsgi_application()

# The place gazetteers take about a second to load: before the first request, not during it.
from carepath.directory.selectors.find import warm_place_lookups  # noqa: E402 (needs Django set up)

warm_place_lookups()

# By now a worker holds about 420,000 objects (Django, Carepath's modules, the gazetteers) that live
# as long as it does. A full garbage collection walks every one of them, about a quarter of a
# second on this project's benchmark machine, inside whichever request sets it off; frozen, they are
# left out, and collections look only at what requests make (docs/search.md, "Web workers").
gc.collect()
gc.freeze()
