"""Each search entry keeps what its result card shows (`SearchCard`), so a page reads its cards by
entry id. Entries written before get theirs now, read from the records as a rebuild would.
Going back drops the table: the older code reads the cards from the records.
"""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def write_cards(apps: Any, schema_editor: Any) -> None:
    from carepath.directory.services.search_index import write_missing_cards

    write_missing_cards()


class Migration(migrations.Migration):
    dependencies = [("directory", "0010_search_facet_tokens")]

    operations = [
        migrations.CreateModel(
            name="SearchCard",
            fields=[
                (
                    "entry",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="card",
                        serialize=False,
                        to="directory.searchentry",
                    ),
                ),
                ("facts", models.TextField()),
            ],
        ),
        migrations.RunPython(write_cards, migrations.RunPython.noop, elidable=True),
    ]
