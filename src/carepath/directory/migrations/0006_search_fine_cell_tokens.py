"""Search cells as words in the text index.

The text index's `places` part held only coarse (0.2°) cell tokens; a text search near a place now
asks for the 0.05° search cells too (`text_index.fine_place_token`), so listings indexed before
this change get those tokens from their stored positions. The token's form is written out here
("zzf" and the cell number) because a migration must not change when the code does.
"""

from django.db import migrations

SQLITE = """
UPDATE directory_search_text SET places = places || ' ' || (
    SELECT group_concat('zzf' || cell, ' ')
    FROM (SELECT DISTINCT cell FROM directory_searchpoint WHERE entry_id = directory_search_text.rowid)
)
WHERE rowid IN (SELECT entry_id FROM directory_searchpoint)
"""
POSTGRESQL = """
UPDATE directory_searchentry e
SET document = e.document || setweight(to_tsvector('simple', cells.tokens), 'D')
FROM (
    SELECT entry_id, string_agg(DISTINCT 'zzf' || cell, ' ') AS tokens
    FROM directory_searchpoint GROUP BY entry_id
) cells
WHERE e.id = cells.entry_id
"""


def add_fine_cell_tokens(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRESQL)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0005_address_postal_code_index"),
    ]

    # Going back leaves the extra tokens: the older search never asks for them.
    operations = [migrations.RunPython(add_fine_cell_tokens, migrations.RunPython.noop)]
