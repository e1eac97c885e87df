"""`carepath export-hsds --format json|tabular OUT`: write the directory as HSDS 3.1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from carepath.directory.selectors.hsds import hsds_tables
from carepath.interop.hsds_export import write_json_export, write_tabular_export


class Command(BaseCommand):
    help = "Export the directory as HSDS 3.1 nested JSON pages or as a tabular data package."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", help="the folder to write (created if missing; files in it are replaced)")
        parser.add_argument("--format", choices=("json", "tabular"), default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["out"])
        rows = hsds_tables()
        if options["format"] == "tabular":
            written = write_tabular_export(rows, folder)
            self.stdout.write(
                f"Wrote {sum(written.values())} HSDS records as a tabular data package to {folder}."
            )
            return
        export = write_json_export(rows, folder)
        counts = ", ".join(f"{name}: {len(document['contents'])}" for name, document in export.pages.items())
        self.stdout.write(f"Wrote HSDS JSON to {folder} ({counts}).")
        for table, ids in export.orphans.items():
            self.stderr.write(
                f"NOTE: {len(ids)} {table} record(s) are linked to nothing exported and are only in "
                f"the tabular export: {', '.join(ids[:5])}{' …' if len(ids) > 5 else ''}"
            )
