"""Reading instruments (shipped data) and stored check-ins."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from carepath.screening.errors import UnknownInstrument
from carepath.screening.models import Assessment
from carepath_core.instruments import Instrument, parse_instrument


@cache
def instrument_registry() -> dict[str, Instrument]:
    """Every definition file under carepath_core/instruments/definitions, parsed once per process."""
    folder = resources.files("carepath_core.instruments").joinpath("definitions")
    parsed = (
        parse_instrument(json.loads(entry.read_text(encoding="utf-8")))
        for entry in folder.iterdir()
        if entry.name.endswith(".json")
    )
    return {instrument.code: instrument for instrument in sorted(parsed, key=lambda i: i.code)}


def instrument(code: str) -> Instrument:
    registry = instrument_registry()
    if code not in registry:
        raise UnknownInstrument(code, tuple(registry))
    return registry[code]


def scorable_instruments() -> list[Instrument]:
    order = ("phq9", "gad7", "phq2", "gad2", "who5")
    found = [i for i in instrument_registry().values() if i.is_scorable]
    return sorted(found, key=lambda i: (order.index(i.code) if i.code in order else len(order), i.code))


def caseness_cutoff(code: str) -> int | None:
    """A local cut-off (e.g. PHQ-2 at 2 for case-finding), or None to keep the published one."""
    overrides: dict[str, int] = getattr(settings, "CAREPATH_CASENESS_CUTOFFS", {})
    return overrides.get(code)


def assessments_of(person: Any, instrument_code: str | None = None) -> QuerySet[Assessment]:
    found = Assessment.objects.filter(person=person)
    return found.filter(instrument=instrument_code) if instrument_code else found


def assessment_by_id(assessment_id: Any) -> Assessment | None:
    return Assessment.objects.filter(pk=assessment_id).select_related("person").first()
