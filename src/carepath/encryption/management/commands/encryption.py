"""`carepath encryption new-key | rotate | check`: the keys of sensitive free text encrypted at rest.

new-key  prints a fresh Fernet key, to put first in CAREPATH_ENCRYPTION_KEYS (nothing is stored).
rotate   re-encrypts every encrypted column under the newest key, a batch per transaction, then
         prints the rows re-encrypted per table and records one audit event (counts only).
check    lists every stored value no configured key can open, by table, row id and column, and
         how many values still need an older key; exits 1 when any value is unreadable.

Rotating: put the new key first (`NEW,OLD`), restart, run rotate, then check; when check reports
no value under an older key, drop OLD and restart.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from carepath.encryption import keys, services
from carepath.encryption.errors import UnreadableValue

UNREADABLE = 1
BAD_INPUT = 2


class Command(BaseCommand):
    help = (
        "Encryption at rest. new-key: print a key. rotate: re-encrypt under the newest key. "
        "check: find values no key can read."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("new-key", help="print a fresh key to put first in CAREPATH_ENCRYPTION_KEYS")
        for name, text in (
            ("rotate", "re-encrypt every encrypted column under the newest key"),
            ("check", "list values no configured key can decrypt"),
        ):
            action = sub.add_parser(name, help=text)
            action.add_argument(
                "--batch-size", type=int, default=services.BATCH_SIZE, help="rows per transaction"
            )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "new-key":
            self.stdout.write(keys.new_key())
            return
        if options["batch_size"] < 1:
            raise CommandError("--batch-size: must be a whole number of at least 1", returncode=BAD_INPUT)
        if options["action"] == "rotate":
            self._rotate(options["batch_size"])
        else:
            self._check(options["batch_size"])

    def _rotate(self, batch_size: int) -> None:
        try:
            rotated = services.rotate_keys(batch_size=batch_size, progress=self._progress("Re-encrypted"))
        except UnreadableValue as error:
            self._end_progress()
            raise CommandError(
                f"{error} Rotation stopped there; the batches before it are under the newest key.",
                returncode=UNREADABLE,
            ) from None
        self._end_progress()
        for table, rows in rotated.items():
            self.stdout.write(f"{table}: {rows} rows re-encrypted")
        self.stdout.write(f"{sum(rotated.values())} rows re-encrypted under the newest key.")

    def _check(self, batch_size: int) -> None:
        results = services.check_keys(batch_size=batch_size, progress=self._progress("Checked"))
        self._end_progress()
        for result in results:
            self.stdout.write(
                f"{result.table}: {result.rows} rows, {len(result.unreadable)} unreadable values, "
                f"{result.under_older_key} values under an older key"
            )
            for row_id, column in result.unreadable:
                self.stdout.write(f"  unreadable: table {result.table}, row {row_id}, column {column}")
        unreadable = sum(len(result.unreadable) for result in results)
        older = sum(result.under_older_key for result in results)
        if unreadable:
            raise CommandError(
                f"{unreadable} stored values cannot be decrypted with any key in CAREPATH_ENCRYPTION_KEYS.",
                returncode=UNREADABLE,
            )
        if older:
            self.stdout.write(f"Every value is readable; {older} still need an older key: run rotate.")
        else:
            self.stdout.write("Every value is readable with the newest key; older keys can be dropped.")

    def _progress(self, verb: str) -> services.Progress | None:
        if not self.stdout.isatty():
            return None

        def show(table: str, done: int, total: int) -> None:
            self.stdout.write(f"\r{verb} {done} of {total} rows in {table}".ljust(79), ending="")
            self.stdout.flush()

        return show

    def _end_progress(self) -> None:
        if self.stdout.isatty():
            self.stdout.write("")
