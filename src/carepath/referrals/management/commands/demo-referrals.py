# ruff: noqa: N999  (the command is `carepath demo-referrals`)
"""`carepath demo-referrals [--if-empty]`: a support relationship between the demo personas (run
`carepath demo` first), so the referral pages have something to show. Refused in production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from carepath.referrals.services.demo import demo_referrals_exist, load_demo_referrals


class Command(BaseCommand):
    help = "Connect the demo help-seeker with the demo peer supporter, as a referral."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="only when the demo persona has no referral yet"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Refusing to load demo referrals in production mode.")
        if options["if_empty"] and demo_referrals_exist():
            self.stdout.write("Demo referrals already exist; not loaded again.")
            return
        self.stdout.write(load_demo_referrals())
