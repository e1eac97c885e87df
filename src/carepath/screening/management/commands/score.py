"""`carepath score CODE`: score answers on the command line, one form or a batch.

  carepath score phq9 --answers 0,1,2,0,1,0,0,1,0          answers in item order
  carepath score phq9 --answers 0,1,... --json              the API's JSON shape
  carepath score phq9 --file forms.csv                      one form per line (CSV of answers
  carepath score phq9 --file - < forms.jsonl                in item order, or JSON lines)

Crisis help is printed before any score whenever a form shows risk. Exit status 2 on bad input.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from carepath.crisis.selectors import crisis_registry
from carepath.screening.errors import UnknownInstrument
from carepath.screening.payloads import crisis_text, safety_payload, score_payload
from carepath.screening.selectors import caseness_cutoff, instrument
from carepath_core.crisis import CrisisRegion
from carepath_core.instruments import Instrument, InvalidAnswers, risk_flags, score
from carepath_core.safety import decide_safety

BAD_INPUT = 2


class Command(BaseCommand):
    help = "Score questionnaire answers (nothing is stored). Crisis help comes first when answers show risk."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="phq9, gad7, phq2, gad2 or who5")
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--answers", help="comma-separated answers in item order, e.g. 0,1,2")
        source.add_argument("--file", help="a file of forms, one per line (CSV or JSON lines); - for stdin")
        parser.add_argument(
            "--json", action="store_true", help="print JSON (one object per line for a batch)"
        )
        parser.add_argument("--in-danger", action="store_true", help="the person says they are in danger now")
        parser.add_argument("--region", default=None, help="crisis-help region, e.g. US or GB-ENG")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            definition = instrument(options["code"])
        except UnknownInstrument as error:
            raise CommandError(str(error), returncode=BAD_INPUT) from error
        region = crisis_registry().region_or_fallback(options["region"] or settings.CAREPATH_REGION)
        # Forms stream one line at a time, so a batch of any size scores in constant memory.
        forms = iter([options["answers"]]) if options["answers"] is not None else _lines(options["file"])
        failures = count = 0
        for count, line in enumerate(forms, start=1):
            where = f"form {count}" if options["file"] else "answers"
            failures += not self._score_one(definition, line, where, region, options)
        if failures:
            raise CommandError(f"{failures} of {count} form(s) could not be scored", returncode=BAD_INPUT)

    def _score_one(
        self, definition: Instrument, line: str, where: str, region: CrisisRegion, options: dict[str, Any]
    ) -> bool:
        try:
            answers = _parse_form(definition, line)
        except ValueError as error:
            self.stderr.write(f"{where}: {error}")
            return False
        in_danger = bool(options["in_danger"])
        try:
            result = score(definition, answers, caseness_cutoff=caseness_cutoff(definition.code))
        except InvalidAnswers as error:
            self._warn_if_risk(definition, answers, in_danger, region)
            for problem in error.problems:
                self.stderr.write(f"{where}: {problem.item}: {problem.problem}")
            return False
        payload = score_payload(result, decide_safety(result.risk_flags, says_in_danger=in_danger), region)
        if options["json"]:
            self.stdout.write(json.dumps(payload, default=str))
        else:
            self.stdout.write(_as_text(definition, payload))
        return True

    def _warn_if_risk(
        self, definition: Instrument, answers: dict[str, object], in_danger: bool, region: CrisisRegion
    ) -> None:
        decision = decide_safety(risk_flags(definition, answers), says_in_danger=in_danger)
        if decision.crisis_first:
            self.stderr.write(crisis_text(safety_payload(decision, region)))


def _lines(path: str) -> Iterator[str]:
    stream = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
    with stream:
        for line in stream:
            if line.strip():
                yield line.strip()


def _parse_form(definition: Instrument, line: str) -> dict[str, object]:
    """A JSON object ({"answers": {...}} or {item: value}) or a CSV row of answers in item order."""
    if line.startswith("{"):
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"not valid JSON ({error.msg})") from error
        answers = data.get("answers", data)
        if not isinstance(answers, dict):
            raise ValueError("'answers' must be an object of item id to answer")
        return answers
    cells = next(csv.reader(io.StringIO(line)))
    if len(cells) > len(definition.items):
        raise ValueError(
            f"{len(cells)} answers given but {definition.short_name} has {len(definition.items)} items"
        )
    parsed: dict[str, object] = {}
    for item, cell in zip(definition.items, cells, strict=False):
        if cell.strip() == "" and not item.scored:
            continue
        parsed[item.id] = int(cell) if cell.strip().lstrip("-").isdigit() else cell.strip()
    return parsed


def _as_text(definition: Instrument, payload: dict[str, Any]) -> str:
    lines = []
    safety = payload["safety"]
    if safety["crisis_first"]:
        lines.append(crisis_text(safety))
    lines.append(f"{definition.short_name}: {payload['total']} of {payload['max_total']} — {payload['band']}")
    if payload["percentage"] is not None:
        lines.append(f"Percentage score: {payload['percentage']}")
    if payload["caseness"] is not None:
        lines.append(f"At or past the screening cut-off: {'yes' if payload['caseness'] else 'no'}")
    return "\n".join(lines)
