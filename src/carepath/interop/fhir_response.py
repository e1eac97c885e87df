"""Answers as a FHIR R4 QuestionnaireResponse, and back.

Export writes every answer as the coding of the chosen option (a LOINC LA code where the
definition has one). Import is strict: each answer must match one of that item's own options,
because a lenient guess could change a score that someone acts on.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import ValidationError

from carepath.interop.fhir_common import (
    JSON,
    LOINC,
    answers_system,
    canonical_url,
    option_coding,
    reference,
    require_id,
    require_items,
    require_timezone,
    short_message,
    validated,
    versioned_canonical,
    without_none,
)
from carepath_core.errors import InvalidData
from carepath_core.instruments import AnswerOption, Instrument, Item

# An entered-in-error response was withdrawn by its author: its answers must not be scored.
_WITHDRAWN = "entered-in-error"


def questionnaire_response(
    instrument: Instrument,
    answers: Mapping[str, int],
    *,
    response_id: str,
    authored: datetime,
    subject_reference: str | None,
) -> JSON:
    """A completed QuestionnaireResponse holding one item per answered item, in form order."""
    require_items(instrument)
    chosen = _chosen_options(instrument, answers)
    resource = without_none(
        {
            "resourceType": "QuestionnaireResponse",
            "id": require_id(response_id, "response_id"),
            "questionnaire": versioned_canonical(instrument),
            "status": "completed",
            "subject": reference(subject_reference, "subject_reference"),
            "authored": require_timezone(authored, "authored"),
            "item": [
                {
                    "linkId": item.id,
                    "text": item.text,
                    "answer": [{"valueCoding": option_coding(instrument, chosen[item.id])}],
                }
                for item in instrument.items
                if item.id in chosen
            ],
        }
    )
    return validated(QuestionnaireResponse, resource)


def _chosen_options(instrument: Instrument, answers: Mapping[str, int]) -> dict[str, AnswerOption]:
    chosen: dict[str, AnswerOption] = {}
    for item_id, value in answers.items():
        item = instrument.item(item_id)
        if item is None:
            raise InvalidData(f"answers.{item_id}", f"is not an item of {instrument.short_name}")
        option = _option(item, value)
        if option is None:
            raise InvalidData(f"answers.{item_id}", f"{value!r} is not one of this item's answer values")
        chosen[item_id] = option
    return chosen


def _option(item: Item, value: object) -> AnswerOption | None:
    # bool is an int in Python, and 2.0 == 2: only a true whole number may pick an option.
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return next((option for option in item.options if option.value == value), None)


def answers_from_questionnaire_response(
    resource: Mapping[str, Any], instruments: Mapping[str, Instrument]
) -> tuple[Instrument, dict[str, int]]:
    """The instrument and {item id: value} of an R4 QuestionnaireResponse, or InvalidData.

    Answers are not checked for completeness here: score() names missing items, and risk
    checks must still see a half-finished form.
    """
    data = _validated_response(resource)
    instrument = _instrument_for(str(data.get("questionnaire", "")), instruments)
    if data.get("status") == _WITHDRAWN:
        raise InvalidData("status", "the response is entered-in-error, so its answers cannot be used")
    answers: dict[str, int] = {}
    for entry in data.get("item", []):
        link_id = str(entry["linkId"])
        item = instrument.item(link_id)
        if item is None:
            raise InvalidData(f"item.{link_id}", f"is not an item of {instrument.short_name}")
        if link_id in answers:
            raise InvalidData(f"item.{link_id}", "appears more than once")
        value = _answer_value(instrument, item, entry)
        if value is not None:
            answers[link_id] = value
    return instrument, answers


def _validated_response(resource: Mapping[str, Any]) -> JSON:
    if not isinstance(resource, Mapping):
        raise InvalidData("resource", "must be a JSON object")
    # The library only checks resourceType when it is present; a bare dict would pass.
    kind = resource.get("resourceType")
    if kind != "QuestionnaireResponse":
        raise InvalidData("resourceType", f"must be QuestionnaireResponse, not {kind!r}")
    try:
        model = QuestionnaireResponse.model_validate(dict(resource))
    except ValidationError as error:
        raise InvalidData("resource", short_message(error)) from error
    return model.model_dump(mode="json", exclude_none=True)


def _instrument_for(canonical: str, instruments: Mapping[str, Instrument]) -> Instrument:
    if not canonical:
        raise InvalidData("questionnaire", "is required to know which questionnaire was answered")
    url, _, version = canonical.partition("|")
    for instrument in instruments.values():
        if canonical_url(instrument) == url:
            # Another version may have other items or values: scoring it as this one could be wrong.
            if version and version != instrument.version:
                raise InvalidData(
                    "questionnaire", f"version {version} is not Carepath's version {instrument.version}"
                )
            if not instrument.items:
                raise InvalidData(
                    "questionnaire", f"{instrument.short_name} is licensed and held as metadata only"
                )
            return instrument
    raise InvalidData("questionnaire", f"{url} is not a questionnaire Carepath knows")


def _answer_value(instrument: Instrument, item: Item, entry: Mapping[str, Any]) -> int | None:
    answers = entry.get("answer", [])
    if entry.get("item"):
        raise InvalidData(f"item.{item.id}", "has nested items, which this questionnaire does not have")
    if not answers:
        return None  # present but unanswered: FHIR allows it, and it means "no answer"
    if len(answers) > 1:
        raise InvalidData(f"item.{item.id}", f"has {len(answers)} answers; it takes exactly one")
    answer = answers[0]
    if answer.get("item"):
        raise InvalidData(f"item.{item.id}", "has nested items, which this questionnaire does not have")
    if "valueCoding" in answer:
        return _coded_value(instrument, item, answer["valueCoding"])
    if "valueInteger" in answer:
        option = _option(item, answer["valueInteger"])
        if option is None:
            raise InvalidData(f"item.{item.id}", f"{answer['valueInteger']} is not one of its answer values")
        return option.value
    raise InvalidData(f"item.{item.id}", "the answer must be a valueCoding or a valueInteger")


def _coded_value(instrument: Instrument, item: Item, coding: Mapping[str, Any]) -> int:
    system, code = coding.get("system"), coding.get("code")
    # Only this item's own options count: GAD-7 item 2 offers LA18938-3 for 2, and a code
    # borrowed from another item's list is not evidence of what this person chose.
    for option in item.options:
        if (system == LOINC and option.loinc is not None and code == option.loinc) or (
            system == answers_system(instrument) and code == str(option.value)
        ):
            return option.value
    raise InvalidData(f"item.{item.id}", f"answer code {system}|{code} is not one of its answers")
