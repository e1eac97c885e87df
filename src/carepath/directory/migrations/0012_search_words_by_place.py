"""The text index files each word under the listing's coarse cells and online country too
(`text_index.word_place_token`), so a search near a place reads short lists.

Documents written before are given those tokens from their own words and places, as a write would
give them. Going back leaves them: the older code never asks for them.
"""

from typing import Any

from django.db import migrations


def file_words_by_place(apps: Any, schema_editor: Any) -> None:
    from carepath.directory.text_index import text_index

    with schema_editor.connection.cursor() as cursor:
        text_index(schema_editor.connection).file_words_by_place(cursor)


class Migration(migrations.Migration):
    dependencies = [("directory", "0011_search_cards")]

    operations = [migrations.RunPython(file_words_by_place, migrations.RunPython.noop, elidable=True)]
