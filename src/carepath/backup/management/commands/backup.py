"""`carepath backup OUT`: write every table's rows and a manifest to one new file (a zip archive).

The file holds personal data, some of it in clear text: keep it as safely as the database itself
(docs/security.md, "Backup and restore"). Exits 2 when it cannot be written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from carepath.backup.services import make_backup
from carepath.backup.terminal import progress_line
from carepath.errors import ApplicationError

BAD_INPUT = 2


class Command(BaseCommand):
    help = "Back up the whole database to one new file, read in one consistent snapshot."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", help="the new file to write, e.g. backup-2025-01-31.zip")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["out"])
        show = progress_line(self.stdout, "Backing up") if self.stdout.isatty() else None
        try:
            summary = make_backup(path, progress=show)
        except ApplicationError as error:
            if show is not None:
                self.stdout.write("")
            raise CommandError(str(error), returncode=BAD_INPUT) from error
        if show is not None:
            self.stdout.write("")  # past the progress line
        self.stdout.write(
            f"Backed up {summary.rows} rows of {summary.tables} tables to {path}, "
            f"signed with encryption key 1 (key id {summary.signed_by})."
        )
