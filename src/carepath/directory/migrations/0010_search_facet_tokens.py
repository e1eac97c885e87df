"""The text index files the values people filter on beside the words (`directory.search_facets`).

Documents written before have none: they are added in place, as a rebuild would write them.
Going back leaves them: the older code never asks for them, so they change no search.
"""

from typing import Any

from django.db import migrations


def add_tokens(apps: Any, schema_editor: Any) -> None:
    from carepath.directory.services.search_index import add_facet_tokens

    add_facet_tokens()


class Migration(migrations.Migration):
    dependencies = [("directory", "0009_search_point_entry_index")]

    operations = [migrations.RunPython(add_tokens, migrations.RunPython.noop, elidable=True)]
