# ruff: noqa: N999  (the command is `carepath demo-supporters`)
"""`carepath demo-supporters --count N --seed S [--if-empty]`: synthetic peer supporter profiles
so the matches page shows real suggestions. The supporters cannot sign in; the same N and seed
give the same people. Refused in production mode."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from carepath.demo.services import demo_supporters_exist, load_demo_supporters


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = "Generate synthetic peer supporter profiles for the matching demo."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=positive, default=40, help="how many supporters (default 40)")
        parser.add_argument(
            "--seed", type=int, default=1, help="the same seed gives the same people (default 1)"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="only load when no demo supporters exist yet (used by `make run`)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Refusing to load fictional peer supporters in production mode.")
        if options["if_empty"] and demo_supporters_exist():
            self.stdout.write("Demo peer supporters already exist; not loaded again.")
            return
        count = load_demo_supporters(count=options["count"], seed=options["seed"], today=timezone.localdate())
        self.stdout.write(f"Demo peer supporters ready: {count} profiles.")
