"""The database keeps how many search positions each grid cell holds
(`carepath.directory.cell_positions`), filled from the positions already indexed, so a search asks
its position budget of a few rows."""

from typing import Any

from django.db import migrations

from carepath.directory import cell_positions


def create_cell_positions(apps: Any, schema_editor: Any) -> None:
    for statement in cell_positions.create_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


def drop_cell_positions(apps: Any, schema_editor: Any) -> None:
    for statement in cell_positions.drop_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("directory", "0013_search_cards_dated_schedules")]

    operations = [migrations.RunPython(create_cell_positions, drop_cell_positions)]
