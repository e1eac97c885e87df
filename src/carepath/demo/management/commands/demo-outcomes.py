# ruff: noqa: N999  (the command is `carepath demo-outcomes`)
"""`carepath demo-outcomes --episodes N --seed S [--if-empty]`: synthetic episodes for the
programme outcomes dashboard. The people cannot sign in; the same N, seed and day give the same
data. Refused in production mode."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from carepath.demo.services import demo_outcomes_exist, load_demo_outcomes


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = "Generate synthetic episodes of support with PHQ-9 and GAD-7 check-ins across the three pathways."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--episodes", type=positive, default=300, help="how many episodes (default 300)")
        parser.add_argument(
            "--seed", type=int, default=1, help="the same seed gives the same data (default 1)"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="only load when no demo episodes exist yet (used by `make run`)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Refusing to load fictional outcome records in production mode.")
        if options["if_empty"] and demo_outcomes_exist():
            self.stdout.write("Demo episodes already exist; not loaded again.")
            return
        count = load_demo_outcomes(
            episodes=options["episodes"], seed=options["seed"], today=timezone.localdate()
        )
        self.stdout.write(f"Demo outcomes ready: {count} episodes of support with check-ins.")
