"""`carepath report outcomes --format csv|json|pdf [--output PATH] [--group-by pathway|service]
[--from DATE] [--to DATE] [--service ID] [--organisation ID] [--pathway KIND]`.

The same suppressed figures as the dashboard; each run is audited as a read from the command line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from carepath.outcomes.report_exports import report_csv, report_payload, report_pdf
from carepath.outcomes.report_query import read_report_query
from carepath.outcomes.report_services import read_outcomes_report
from carepath_core.errors import InvalidData

BAD_INPUT = 2
FORMATS = ("csv", "json", "pdf")


class Command(BaseCommand):
    help = "Reports. outcomes: the programme outcomes report (small numbers suppressed) as CSV, JSON or PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="report", required=True)
        outcomes = sub.add_parser("outcomes", help="the programme outcomes report")
        outcomes.add_argument("--format", choices=FORMATS, default="csv")
        outcomes.add_argument("--output", help="file to write (default: standard output; required for pdf)")
        outcomes.add_argument(
            "--group-by", dest="group_by", choices=("pathway", "service"), default="pathway"
        )
        outcomes.add_argument(
            "--from", dest="from", help="episodes that ended on or after this date (YYYY-MM-DD)"
        )
        outcomes.add_argument(
            "--to", dest="to", help="episodes that ended on or before this date (YYYY-MM-DD)"
        )
        outcomes.add_argument("--service", help="only this directory service (id)")
        outcomes.add_argument("--organisation", help="only services of this organisation (id)")
        outcomes.add_argument("--pathway", help="only this kind of support: peer, professional or both")

    def handle(self, *args: Any, **options: Any) -> None:
        fmt, output = options["format"], options["output"]
        if fmt == "pdf" and not output:
            raise CommandError("--output: a PDF needs a file to go to", returncode=BAD_INPUT)
        raw = {
            name: options.get(name)
            for name in ("from", "to", "service", "organisation", "pathway", "group_by")
        }
        try:
            report = read_outcomes_report(actor=None, query=read_report_query(raw), channel=f"cli:{fmt}")
        except InvalidData as error:
            raise CommandError(
                f"--{error.field.replace('_', '-')}: {error.problem}", returncode=BAD_INPUT
            ) from None
        if fmt == "pdf":
            Path(output).write_bytes(report_pdf(report))
        else:
            text = report_csv(report) if fmt == "csv" else json.dumps(report_payload(report), indent=2) + "\n"
            if output:
                Path(output).write_text(text, encoding="utf-8")
            else:
                self.stdout.write(text, ending="")
        if output:
            self.stderr.write(f"Wrote the outcomes report ({len(report.figures.groups)} groups) to {output}.")
