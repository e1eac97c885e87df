"""`carepath import-hsds PATH`: load Open Referral HSDS 3.1 data into the directory.

PATH is a JSON file (one record, a list, or a page of a paged list), a folder of JSON files
(such as `carepath export-hsds --format json`), or a Tabular Data Package (a folder of CSV
files with datapackage.json, or the datapackage.json itself). All or nothing by default. A second
process reads while this one writes (`services.hsds_pipeline`), except for --dry-run and --skip-invalid.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from carepath.directory.services.hsds_import import ImportOutcome, ImportRefused
from carepath.directory.services.hsds_pipeline import import_hsds_path
from carepath.interop.hsds_reader import garbage_collection_paused
from carepath.interop.hsds_records import Problem
from carepath.interop.hsds_tables import DOCUMENT_KINDS

BAD_INPUT = 2
BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Import HSDS 3.1 JSON or a tabular data package; refuses the whole import on any error."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="a .json file, a folder of .json files, or a data package")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="load the good records and report the rest"
        )
        parser.add_argument(
            "--keep-unknown-references",
            action="store_true",
            help="keep links to records neither in the import nor the directory (reported as warnings)",
        )
        parser.add_argument("--kind", choices=DOCUMENT_KINDS, help="the HSDS object a JSON file holds")
        parser.add_argument("--report", help="also write every problem to this CSV file")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            with garbage_collection_paused():
                outcome = import_hsds_path(
                    path,
                    options["kind"],
                    actor_label="command line",
                    skip_invalid=options["skip_invalid"],
                    dry_run=options["dry_run"],
                    keep_unknown_references=options["keep_unknown_references"],
                    progress=self._progress_bar() if self.stdout.isatty() else None,
                )
        except ImportRefused as refusal:
            self._show_problems(refusal.problems, options["report"])
            raise CommandError(f"{path.name}: {refusal}", returncode=BAD_INPUT) from refusal
        self._show_problems(outcome.problems, options["report"])
        self.stdout.write(self._summary(path, outcome))

    def _progress_bar(self) -> Any:
        stream = self.stdout

        def show(done: int, total: int) -> None:
            filled = BAR_WIDTH * done // max(total, 1)
            stream.write(
                f"\rImporting [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}",
                ending="\n" if done >= total else "",
            )
            stream.flush()

        return show

    def _show_problems(self, problems: list[Problem], report: str | None) -> None:
        for problem in problems:
            self.stderr.write(f"{problem.severity.value.upper()}: {problem}")
        if report:
            with open(report, "w", encoding="utf-8", newline="") as handle:
                write_problem_report(problems, handle)

    def _summary(self, path: Path, outcome: ImportOutcome) -> str:
        created, updated = sum(outcome.created.values()), sum(outcome.updated.values())
        unchanged = sum(outcome.unchanged.values())
        verb = "Would import" if outcome.dry_run else "Imported"
        text = (
            f"{verb} {created + updated + unchanged} HSDS records from {path.name}: "
            f"{created} new, {updated} updated, {unchanged} unchanged"
        )
        if outcome.skipped_origins:
            text += f"; skipped {len(outcome.skipped_origins)} invalid record(s) or row(s)"
        if outcome.warnings:
            text += f"; {len(outcome.warnings)} warning(s)"
        return text + ("; nothing was written (dry run)." if outcome.dry_run else ".")


def write_problem_report(problems: list[Problem], handle: TextIO = sys.stdout) -> None:
    writer = csv.DictWriter(handle, fieldnames=["severity", "file", "where", "field", "problem"])
    writer.writeheader()
    for problem in problems:
        writer.writerow(problem.as_row())
