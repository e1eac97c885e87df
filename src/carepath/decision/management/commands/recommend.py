"""`carepath recommend --input answers.json`: the API's recommendation, on the command line.

The input is the body of POST /api/v1/recommendations. Crisis help is printed first when the
answers show risk. Exit status 2 on bad input.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from carepath.crisis.selectors import crisis_registry
from carepath.decision import selectors
from carepath.decision.inputs import read_request
from carepath.decision.payloads import recommendation_payload
from carepath.errors import ApplicationError
from carepath.screening.payloads import crisis_text
from carepath_core.errors import DomainError

BAD_INPUT = 2


class Command(BaseCommand):
    help = "Recommend peer, professional or both support from a JSON file of answers (nothing is stored)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--input", required=True, help="a JSON file shaped like the API request; - for stdin"
        )
        parser.add_argument("--json", action="store_true", help="print the API's JSON")
        parser.add_argument("--region", default=None, help="crisis-help region, e.g. US or GB-ENG")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = _read(options["input"])
            decision_request = read_request(data)
        except (DomainError, ApplicationError, ValueError) as error:
            raise CommandError(str(error), returncode=BAD_INPUT) from error
        aid = selectors.decision_aid()
        result = selectors.recommendation_for(decision_request)
        region = crisis_registry().region_or_fallback(options["region"] or settings.CAREPATH_REGION)
        payload = recommendation_payload(
            result,
            aid,
            risk_items=decision_request.risk_items,
            in_danger=decision_request.in_danger,
            region=region,
        )
        self.stdout.write(
            json.dumps(payload, indent=2, ensure_ascii=False) if options["json"] else _as_text(payload)
        )


def _read(path: str) -> dict[str, Any]:
    try:
        text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()  # noqa: SIM115
    except OSError as error:
        raise ValueError(f"input: cannot read {path} ({error.strerror})") from error
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"input: not valid JSON ({error.msg} at line {error.lineno})") from error
    if not isinstance(data, dict):
        raise ValueError("input: must be a JSON object")
    return data


def _as_text(payload: dict[str, Any]) -> str:
    lines = []
    safety = payload.get("safety")
    if safety:
        lines.append(crisis_text(safety))
    rule = payload["rule"]
    lines.append(f"Recommendation: {payload['pathway']} (minimum level of care: {payload['minimum_level']})")
    lines.append(f"Rule: {rule['rule_id']} in {rule['id']} {rule['version']}")
    lines.append("Why:")
    lines += [f"- {reason['text']}" for reason in payload["reasons"]]
    fit = payload["fit"]
    if fit.get("peer") is not None:
        shares = ", ".join(f"{option} {fit[option]:.0%}" for option in ("peer", "professional", "both"))
        lines.append(f"Fit with what matters to you: {shares}")
    return "\n".join(lines)
