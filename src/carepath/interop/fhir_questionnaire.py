"""An instrument definition as a FHIR R4 Questionnaire.

The Questionnaire is generated, never hand-written, so it cannot drift from the definition that
Carepath scores: the same item ids become linkIds and the same answer values become ordinals.
"""

from __future__ import annotations

import re

from fhir.resources.R4B.questionnaire import Questionnaire

from carepath.interop.fhir_common import (
    JSON,
    LOINC,
    ORDINAL_VALUE,
    canonical_url,
    option_coding,
    require_items,
    validated,
    without_none,
)
from carepath_core.instruments import AnswerOption, Instrument, Item


def questionnaire(instrument: Instrument) -> JSON:
    """The instrument as a validated R4 Questionnaire; DomainError for a licensed instrument."""
    require_items(instrument)
    resource = without_none(
        {
            "resourceType": "Questionnaire",
            "id": instrument.code,
            "url": canonical_url(instrument),
            "version": instrument.version,
            "name": _computable_name(instrument),
            "title": instrument.name,
            "status": "active",
            # The stem carries the recall period ("Over the last 2 weeks…"), which the items'
            # wording depends on; FHIR has no dedicated element for it outside a group item.
            "description": instrument.stem or None,
            "copyright": _copyright(instrument),
            "code": [_loinc(instrument.panel_code.code, instrument.panel_code.display)]
            if instrument.panel_code is not None
            else None,
            "item": [_item(instrument, item) for item in instrument.items],
        }
    )
    return validated(Questionnaire, resource)


def _computable_name(instrument: Instrument) -> str:
    # FHIR wants `name` machine-friendly (constraint que-0: starts upper case, letters, digits, _).
    name = re.sub(r"[^A-Za-z0-9_]", "", instrument.short_name)
    return name if name[:1].isupper() else instrument.code.upper()


def _copyright(instrument: Instrument) -> str:
    # The LOINC licence asks for its notice wherever LOINC content (item and answer codes) is shown.
    notices = [instrument.licence.notice, instrument.loinc_notice]
    return "\n\n".join(notice for notice in notices if notice)


def _loinc(code: str, display: str | None = None) -> JSON:
    return without_none({"system": LOINC, "code": code, "display": display})


def _item(instrument: Instrument, item: Item) -> JSON:
    return without_none(
        {
            "linkId": item.id,
            "text": item.text,
            "type": "choice",
            # Only scored items are required: a form missing one cannot be scored, whereas the
            # PHQ-9 difficulty question may be left blank.
            "required": item.scored,
            "code": [_loinc(item.loinc)] if item.loinc is not None else None,
            "answerOption": [_answer_option(instrument, option) for option in item.options],
        }
    )


def _answer_option(instrument: Instrument, option: AnswerOption) -> JSON:
    # LOINC answer codes carry no scores; the ordinal is what a FHIR form filler sums.
    return {
        "extension": [{"url": ORDINAL_VALUE, "valueDecimal": option.value}],
        "valueCoding": option_coding(instrument, option),
    }
