"""A result card judges a described schedule by its dates: once they have passed it is no longer
shown, and before they begin it says from when (`hours_text.described_line`). The cards keep the
dates for that; cards of services with such a schedule, written before, are written again.
Going back leaves them: the older code reads only the description.
"""

from typing import Any

from django.db import migrations


def rewrite_cards(apps: Any, schema_editor: Any) -> None:
    from carepath.directory.services.search_index import rewrite_dated_schedule_cards

    rewrite_dated_schedule_cards()


class Migration(migrations.Migration):
    dependencies = [("directory", "0012_search_words_by_place")]

    operations = [migrations.RunPython(rewrite_cards, migrations.RunPython.noop, elidable=True)]
