"""`carepath demo`: load the demo personas and organisations (never in production mode)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from carepath.accounts.selectors import any_accounts_exist
from carepath.demo.services import DEMO_PASSWORD, PERSONAS, load_demo_data


class Command(BaseCommand):
    help = "Create one demo persona per role and a few demo organisations. Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only load when the database has no accounts yet (used by `make run`).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Refusing to load demo accounts with public passwords in production mode.")
        if options["if_empty"] and any_accounts_exist():
            self.stdout.write("The database already has accounts; demo data not loaded again.")
        else:
            created = load_demo_data()
            self.stdout.write(f"Demo data ready ({len(created)} new personas).")
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for each: {DEMO_PASSWORD}):")
        for persona in PERSONAS:
            self.stdout.write(f"  {persona.username:<20} {persona.role.value}")
