"""Shared pieces of the FHIR mapping: canonical URLs, code systems, codings and validation.

Kept apart from the resource builders so that the Questionnaire, the QuestionnaireResponse and
the Observation all spell a URL or a coding the same way; an import only works if the export
and the import agree on every system and code.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from fhir.resources.R4B.resource import Resource
from pydantic import ValidationError

from carepath_core.errors import DomainError, InvalidData
from carepath_core.instruments import AnswerOption, Instrument

# Where Carepath's own canonical resources and code systems live. A placeholder domain: a
# deployment that publishes its resources would change this one constant.
CANONICAL_BASE = "https://carepath.example/fhir"
LOINC = "http://loinc.org"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
SCORES_SYSTEM = f"{CANONICAL_BASE}/CodeSystem/scores"
BANDS_SYSTEM = f"{CANONICAL_BASE}/CodeSystem/bands"
UCUM = "http://unitsofmeasure.org"

# FHIR's id datatype; the library checks the characters but not the length.
_FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")

JSON = dict[str, Any]


def canonical_url(instrument: Instrument) -> str:
    return f"{CANONICAL_BASE}/Questionnaire/{instrument.code}"


def versioned_canonical(instrument: Instrument) -> str:
    return f"{canonical_url(instrument)}|{instrument.version}"


def answers_system(instrument: Instrument) -> str:
    """The Carepath code system for answers that have no LOINC answer code (e.g. WHO-5)."""
    return f"{CANONICAL_BASE}/CodeSystem/{instrument.code}-answers"


def option_coding(instrument: Instrument, option: AnswerOption) -> JSON:
    # A LOINC LA code is what other systems understand, so it wins whenever the definition has
    # one; otherwise the value itself is the code in Carepath's per-instrument answer system.
    if option.loinc is not None:
        return {"system": LOINC, "code": option.loinc, "display": option.label}
    return {"system": answers_system(instrument), "code": str(option.value), "display": option.label}


def require_items(instrument: Instrument) -> None:
    """Licensed instruments are held as metadata only: there is no form to export or import."""
    if not instrument.licence.items_may_ship or not instrument.items:
        raise DomainError(
            f"{instrument.short_name} is licensed and held as metadata only; "
            "Carepath does not publish or exchange its items"
        )


def require_scorable(instrument: Instrument) -> None:
    require_items(instrument)
    if not instrument.is_scorable:
        raise DomainError(f"{instrument.short_name} has no scoring rule, so it has no total score")


def require_id(value: str, field: str) -> str:
    if not _FHIR_ID.match(value):
        raise InvalidData(field, "must be a FHIR id: 1 to 64 letters, digits, '-' or '.'")
    return value


def require_timezone(value: datetime, field: str) -> str:
    # FHIR dateTime values with a time must carry a zone; a naive datetime would be ambiguous
    # once it leaves this process.
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidData(field, "must carry a timezone")
    return value.isoformat()


def reference(value: str | None, field: str) -> JSON | None:
    if value is None:
        return None
    if not value.strip():
        raise InvalidData(field, "must not be blank")
    return {"reference": value}


def validated(model: type[Resource], data: JSON) -> JSON:
    """The resource as validated R4B JSON: construct the model, then dump it back.

    A ValidationError here means a builder in this package is wrong (inputs are checked before
    building), so it is left to propagate as the bug it is.
    """
    return model.model_validate(data).model_dump(mode="json", exclude_none=True)


def without_none(data: JSON) -> JSON:
    return {key: value for key, value in data.items() if value is not None}


def short_message(error: ValidationError) -> str:
    """One readable line for the first problem pydantic found (its messages span lines)."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    text = " ".join(str(first["msg"]).split())
    message = f"{where}: {text}" if where else text
    if error.error_count() > 1:
        message += f" (and {error.error_count() - 1} more)"
    return message[:300]
