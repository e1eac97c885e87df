"""`carepath rules load FILE` and `carepath rules show`: the stepped-care rules as data."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from carepath.decision import selectors, services
from carepath.decision.errors import RuleSetRefused
from carepath_core.errors import DomainError

BAD_INPUT = 2


class Command(BaseCommand):
    help = (
        "Load a stepped-care rule file (checked first; refused files change nothing) or show the active one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="check and activate a rule file (JSON)")
        load.add_argument("file")
        sub.add_parser("show", help="print the active rule set")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "show":
            self.stdout.write(json.dumps(selectors.active_rules_document(), indent=2, ensure_ascii=False))
            return
        try:
            with open(options["file"], encoding="utf-8") as handle:
                document = json.load(handle)
        except (OSError, json.JSONDecodeError) as error:
            raise CommandError(
                f"{options['file']}: cannot read a JSON rule file ({error})", returncode=BAD_INPUT
            ) from error
        try:
            row = services.load_rule_set(actor=None, document=document)
        except RuleSetRefused as refusal:
            for problem in refusal.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                "rule file refused; the active rules are unchanged", returncode=BAD_INPUT
            ) from refusal
        except DomainError as error:
            raise CommandError(f"rule file refused: {error}", returncode=BAD_INPUT) from error
        self.stdout.write(f"Loaded {row.rule_set_id} {row.version}; it is now the active rule set.")
