"""`carepath assign --input instance.json --output result.json`: people to peer supporters, in bulk.

The input lists seekers and supporters with their profiles, or with scores given pair by pair
(docs/matching.md shows both). The output holds each person's supporter (or none, and why), each
supporter's load and the total score; the assignment has the highest total score there is.
Bad input exits with status 2 and a message naming the record; the output is then not written,
and it is only ever replaced whole (written beside it first, then renamed).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from carepath.matching.services.assignment import solve_instance
from carepath_core.errors import DomainError
from carepath_core.matching.instance import parse_instance, result_document

BAD_INPUT = 2


class Command(BaseCommand):
    help = "Assign people to peer supporters for the highest total match score (nothing is stored)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--input", required=True, help="the instance: a JSON file of seekers and supporters"
        )
        parser.add_argument("--output", required=True, help="where to write the result (JSON)")

    def handle(self, *args: Any, **options: Any) -> None:
        source, target = Path(options["input"]), Path(options["output"])
        try:
            instance = parse_instance(_read(source))
        except DomainError as error:
            raise CommandError(f"{source.name}: {error}", returncode=BAD_INPUT) from error
        assignment = solve_instance(instance)  # as the coordinators' page runs it
        _write_whole(target, result_document(assignment))
        assigned = sum(placement.supporter_id is not None for placement in assignment.placements)
        self.stdout.write(
            f"Assigned {assigned:,} of {len(assignment.placements):,} people to {len(assignment.loads):,} "
            f"supporters; total score {assignment.total_score}. Written to {target}."
        )


def _read(source: Path) -> str:
    try:
        return source.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise CommandError(f"{source.name}: is not UTF-8 text", returncode=BAD_INPUT) from error
    except OSError as error:
        raise CommandError(f"{source}: cannot be read ({error.strerror})", returncode=BAD_INPUT) from error


def _write_whole(target: Path, document: dict[str, Any]) -> None:
    """Write beside the target, then rename over it: a reader never sees half a file."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        with open(partial, "x", encoding="utf-8") as handle:
            json.dump(document, handle, ensure_ascii=False, indent=1)
            handle.write("\n")
        os.replace(partial, target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise CommandError(f"{target}: cannot be written ({error.strerror})", returncode=BAD_INPUT) from error
