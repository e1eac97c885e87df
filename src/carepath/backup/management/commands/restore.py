"""`carepath restore IN [--replace]`: load a backup made by `carepath backup`, all or nothing.

The database must be migrated to the backup's migration state and hold no rows, unless --replace
is given: then it is emptied first, in the same transaction as the load. A file whose signature
does not hold under the configured encryption keys (or that has none) is refused unless
--allow-unsigned is given, which restores it with a warning. Stop the server first;
everyone signs in again afterwards. Exits 2 when the restore is refused; nothing is changed then.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from carepath.backup.services import restore_backup
from carepath.backup.terminal import progress_line
from carepath.errors import ApplicationError

REFUSED = 2


class Command(BaseCommand):
    help = "Restore a backup into an empty database migrated to the same state (or --replace its data)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", help="the file written by `carepath backup`")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="empty this database first (every row is replaced by the backup's)",
        )
        parser.add_argument(
            "--allow-unsigned",
            action="store_true",
            help="restore a backup that is unsigned or whose signature does not hold, with a warning "
            "(only a file you are sure is your own)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["backup"])
        show = progress_line(self.stdout, "Restoring") if self.stdout.isatty() else None
        try:
            summary = restore_backup(
                path,
                replace=options["replace"],
                allow_unsigned=options["allow_unsigned"],
                warn=lambda message: self.stderr.write(f"Warning: {message}"),
                progress=show,
            )
        except ApplicationError as error:
            if show is not None:
                self.stdout.write("")
            raise CommandError(f"{error}. Nothing was restored.", returncode=REFUSED) from error
        if show is not None:
            self.stdout.write("")  # past the progress line
        self.stdout.write(
            f"Restored {summary.rows} rows of {summary.tables} tables from {path.name}; "
            f"{_signature_note(summary.signed_by)} checksums match the manifest. "
            f"Search index rebuilt ({summary.search_entries} services)."
        )


def _signature_note(signed_by: str | None) -> str:
    if signed_by is None:
        return "signature NOT checked (--allow-unsigned);"
    return f"signature checked (key {signed_by});"
