"""`carepath search-index rebuild | optimize`: index every directory service again for people's
search, or merge the text index after a bulk load (a rebuild does it at its end)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from carepath.directory.models import SearchEntry, Service
from carepath.directory.services.search_index import compact_cell_positions, rebuild_search_index
from carepath.directory.text_index import optimize_text_index


class Command(BaseCommand):
    help = "Rebuild the directory's search index from the HSDS records (one transaction)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action",
            choices=["rebuild", "optimize"],
            help=(
                "rebuild: index every service again; optimize: merge the text index and the counts of "
                "positions per grid cell after a bulk load"
            ),
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="only when the index is empty (e.g. a directory loaded before search existed)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "optimize":
            with transaction.atomic():
                compact_cell_positions()
            optimize_text_index()
            self.stdout.write("The search index's text index and cell counts are merged.")
            return
        total = Service.objects.count()
        if options["if_empty"] and SearchEntry.objects.exists():
            self.stdout.write("The search index is already built; nothing to do.")
            return
        show = self.stdout.isatty()

        def progress(done: int) -> None:
            if show:
                self.stdout.write(f"\rIndexed {done}/{total} services", ending="")
                self.stdout.flush()

        indexed = rebuild_search_index(progress)
        optimize_text_index()
        if show:
            self.stdout.write("")
        self.stdout.write(f"Indexed {indexed} active services of {total} for search.")
