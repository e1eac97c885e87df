"""What the seeded demo commands share: a size and a seed, `--if-empty`, and no fictional records
in production. Each command names its size option and says how to load and how to tell it is
already loaded."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


class SeededDemoCommand(BaseCommand):
    size_option = "--count"  # e.g. --services, --episodes
    size_default = 1
    size_help = "how many"
    seed_help = "the same seed gives the same data (default 1)"
    if_empty_help = "only load when there is nothing of this kind yet (used by `make run`)"
    refusal = "Refusing to load fictional records in production mode."
    already_loaded_message = "Already loaded; not loaded again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            self.size_option, type=positive, default=self.size_default, dest="size", help=self.size_help
        )
        parser.add_argument("--seed", type=int, default=1, help=self.seed_help)
        parser.add_argument("--if-empty", action="store_true", help=self.if_empty_help)

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(self.refusal)
        if options["if_empty"] and self.already_loaded():
            self.stdout.write(self.already_loaded_message)
            return
        self.stdout.write(self.load(options["size"], options["seed"]))

    def already_loaded(self) -> bool:
        raise NotImplementedError

    def load(self, size: int, seed: int) -> str:
        """Load the records and return the line to print."""
        raise NotImplementedError
