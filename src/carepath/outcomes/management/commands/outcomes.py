"""`carepath outcomes remind-due [--days N] [--dry-run]`: check-in reminders, meant for cron.
`carepath outcomes rebuild-report-rows [--all]`: write the programme report's rows per episode.
`carepath outcomes import-costs PATH [--dry-run]`: set episodes' costs from a CSV file `episode_id,cost`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from carepath.outcomes import cost_import, report_rows, services

BAD_INPUT = 2


class Command(BaseCommand):
    help = (
        "Outcome tasks. remind-due: email people whose open episode has had no check-in for a while. "
        "rebuild-report-rows: write the programme report's rows that are missing or out of date. "
        "import-costs: set episodes' costs from a CSV file with the header episode_id,cost."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        remind = sub.add_parser("remind-due", help="send check-in reminders that are due")
        remind.add_argument(
            "--days",
            type=int,
            default=None,
            help="days without a check-in before a reminder (default: CAREPATH_CHECKIN_DAYS, 14)",
        )
        remind.add_argument("--dry-run", action="store_true", help="count who is due; send nothing")
        rebuild = sub.add_parser(
            "rebuild-report-rows",
            help="write the report rows that are missing or from other outcome definitions",
        )
        rebuild.add_argument("--all", action="store_true", help="rewrite every episode's row")
        costs = sub.add_parser(
            "import-costs",
            help="set episodes' costs from a CSV file: episode_id,cost (an empty cost means unknown)",
        )
        costs.add_argument("path", help="the CSV file (UTF-8)")
        costs.add_argument("--dry-run", action="store_true", help="check the file and count; change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import-costs":
            self._import_costs(options["path"], dry_run=options["dry_run"])
            return
        if options["action"] == "rebuild-report-rows":

            def progress(done: int) -> None:
                if options["verbosity"] > 1:
                    self.stderr.write(f"{done} episodes ...")

            written = report_rows.rebuild_report_rows(everything=options["all"], progress=progress)
            self.stdout.write(f"{written} episodes' report rows written.")
            return
        days = options["days"] if options["days"] is not None else settings.CAREPATH_CHECKIN_DAYS
        if days < 1:
            raise CommandError("--days: must be a whole number of at least 1", returncode=BAD_INPUT)
        run = services.send_check_in_reminders(days=days, dry_run=options["dry_run"])
        verb = "would email" if options["dry_run"] else "emailed"
        self.stdout.write(
            f"{run.due_episodes} open episodes without a check-in for {days} days; "
            f"{verb} {run.emailed_people} people; {run.without_email} have no email address."
        )

    def _import_costs(self, path: str, *, dry_run: bool) -> None:
        try:
            with open(path, encoding="utf-8-sig", newline="") as lines:
                run = cost_import.set_episode_costs(lines, actor=None, dry_run=dry_run)
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}", returncode=BAD_INPUT) from None
        except UnicodeDecodeError:
            raise CommandError(f"{path}: not UTF-8 text", returncode=BAD_INPUT) from None
        except cost_import.CostFileProblems as refused:
            found = len(refused.problems)
            raise CommandError(
                f"{path}: nothing was changed; {found} problem{'s' if found != 1 else ''}:\n"
                + "\n".join(refused.problems),
                returncode=BAD_INPUT,
            ) from None
        prefix = "Dry run, nothing changed: " if dry_run else ""
        self.stdout.write(
            f"{prefix}{run.rows} episodes: {run.changed} costs set, {run.cleared} cleared, "
            f"{run.unchanged} unchanged."
        )
