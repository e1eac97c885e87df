"""FHIR R4 export and import of Carepath's questionnaires (carepath.interop.fhir).

Every resource is re-validated here with the fhir.resources R4B models, independently of the
validation the builders do themselves.
"""

from __future__ import annotations

import copy
import json
import uuid
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from hypothesis import given, settings
from hypothesis import strategies as st

from carepath.interop.fhir import (
    CANONICAL_BASE,
    LOINC,
    ORDINAL_VALUE,
    answers_from_questionnaire_response,
    answers_system,
    assessment_bundle,
    questionnaire,
    questionnaire_response,
    total_score_observation,
)
from carepath_core.errors import DomainError, InvalidData
from carepath_core.instruments import Instrument, parse_instrument, score

DEFINITIONS = Path(__file__).parents[2] / "src" / "carepath_core" / "instruments" / "definitions"
INSTRUMENTS: dict[str, Instrument] = {
    path.stem: parse_instrument(json.loads(path.read_text(encoding="utf-8")))
    for path in sorted(DEFINITIONS.glob("*.json"))
}
SCORABLE = sorted(code for code, instrument in INSTRUMENTS.items() if instrument.is_scorable)
LICENSED = sorted(code for code, instrument in INSTRUMENTS.items() if not instrument.licence.items_may_ship)
PANEL_CODES = {"44249-1", "69737-5", "55757-9"}
WHEN = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
PHQ9_URL = f"{CANONICAL_BASE}/Questionnaire/phq9"


def answers_for(instrument: Instrument) -> st.SearchStrategy[dict[str, int]]:
    """Random valid answers: every scored item, and unscored items (PHQ-9 difficulty) or not."""
    return st.fixed_dictionaries(
        {item.id: st.sampled_from(sorted(item.values)) for item in instrument.scored_items},
        optional={
            item.id: st.sampled_from(sorted(item.values)) for item in instrument.items if not item.scored
        },
    )


def lowest_answers(instrument: Instrument) -> dict[str, int]:
    return {item.id: min(item.values) for item in instrument.scored_items}


def response(instrument: Instrument, answers: dict[str, int], **extra: Any) -> dict[str, Any]:
    return questionnaire_response(
        instrument,
        answers,
        response_id=str(uuid.uuid4()),
        authored=WHEN,
        subject_reference="Patient/p1",
        **extra,
    )


def observation(instrument: Instrument, answers: dict[str, int], response_id: str = "r1") -> dict[str, Any]:
    return total_score_observation(
        instrument,
        score(instrument, answers),
        observation_id="o1",
        response_id=response_id,
        effective=WHEN,
        subject_reference="Patient/p1",
    )


def hand_written(items: list[dict[str, Any]], questionnaire_url: str = f"{PHQ9_URL}|1") -> dict[str, Any]:
    return {
        "resourceType": "QuestionnaireResponse",
        "id": "from-ehr",
        "questionnaire": questionnaire_url,
        "status": "completed",
        "authored": "2025-03-01T09:30:00+00:00",
        "item": items,
    }


def coded(link_id: str, code: str, system: str = LOINC) -> dict[str, Any]:
    return {"linkId": link_id, "answer": [{"valueCoding": {"system": system, "code": code}}]}


def raises_invalid(resource: Any, field: str) -> InvalidData:
    with pytest.raises(InvalidData) as caught:
        answers_from_questionnaire_response(resource, INSTRUMENTS)
    assert caught.value.field == field
    return caught.value


def test_the_shipped_instruments_are_all_covered() -> None:
    # Guards the parametrised tests below against silently running over nothing.
    assert set(SCORABLE) >= {"phq9", "gad7", "phq2", "gad2", "who5"}
    assert set(LICENSED) >= {"cssrs", "reqol"}


# --- Questionnaire ---------------------------------------------------------------------------


@pytest.mark.parametrize("code", SCORABLE)
def test_questionnaire_is_valid_r4_and_mirrors_the_definition(code: str) -> None:
    instrument = INSTRUMENTS[code]
    resource = questionnaire(instrument)
    Questionnaire.model_validate(resource)
    assert resource["resourceType"] == "Questionnaire"
    assert resource["id"] == code
    assert resource["url"] == f"https://carepath.example/fhir/Questionnaire/{code}"
    assert resource["version"] == instrument.version
    assert resource["status"] == "active"
    assert resource["title"] == instrument.name
    assert instrument.licence.notice in resource["copyright"]
    assert instrument.loinc_notice in resource["copyright"]
    assert [item["linkId"] for item in resource["item"]] == [item.id for item in instrument.items]
    for item, fhir_item in zip(instrument.items, resource["item"], strict=True):
        assert fhir_item["type"] == "choice"
        assert fhir_item["text"] == item.text
        assert fhir_item.get("required", False) is item.scored
        assert fhir_item.get("code") == ([{"system": LOINC, "code": item.loinc}] if item.loinc else None)
        assert len(fhir_item["answerOption"]) == len(item.options)
        for option, fhir_option in zip(item.options, fhir_item["answerOption"], strict=True):
            coding = fhir_option["valueCoding"]
            if option.loinc:
                assert (coding["system"], coding["code"]) == (LOINC, option.loinc)
            else:
                assert (coding["system"], coding["code"]) == (answers_system(instrument), str(option.value))
            assert coding["display"] == option.label
            [ordinal] = [e for e in fhir_option["extension"] if e["url"] == ORDINAL_VALUE]
            assert ordinal["valueDecimal"] == option.value


def test_questionnaire_codes_the_panel_where_there_is_one() -> None:
    assert questionnaire(INSTRUMENTS["phq9"])["code"][0]["code"] == "44249-1"
    assert questionnaire(INSTRUMENTS["gad7"])["code"][0]["code"] == "69737-5"
    assert "code" not in questionnaire(INSTRUMENTS["who5"])
    assert questionnaire(INSTRUMENTS["who5"])["item"][0]["answerOption"][0]["valueCoding"]["system"] == (
        "https://carepath.example/fhir/CodeSystem/who5-answers"
    )


def test_gad7_item_2_offers_its_own_loinc_answer_for_2() -> None:
    item = questionnaire(INSTRUMENTS["gad7"])["item"][1]
    by_code = {o["valueCoding"]["code"]: o["extension"][0]["valueDecimal"] for o in item["answerOption"]}
    assert by_code["LA18938-3"] == 2
    assert "LA6570-1" not in by_code


def test_phq9_difficulty_is_optional_and_keeps_loincs_out_of_order_codes() -> None:
    difficulty = questionnaire(INSTRUMENTS["phq9"])["item"][-1]
    assert difficulty["code"][0]["code"] == "69722-7"
    assert difficulty["required"] is False
    by_code = {
        o["valueCoding"]["code"]: o["extension"][0]["valueDecimal"] for o in difficulty["answerOption"]
    }
    assert by_code == {"LA6572-7": 0, "LA6573-5": 1, "LA6575-0": 2, "LA6574-3": 3}


@pytest.mark.parametrize("code", LICENSED)
def test_licensed_instruments_are_refused(code: str) -> None:
    with pytest.raises(DomainError, match="licensed"):
        questionnaire(INSTRUMENTS[code])
    with pytest.raises(DomainError, match="licensed"):
        questionnaire_response(INSTRUMENTS[code], {}, response_id="r1", authored=WHEN, subject_reference=None)


# --- QuestionnaireResponse: export and round trip --------------------------------------------


@pytest.mark.parametrize("code", SCORABLE)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_answers_survive_a_round_trip_and_score_the_same(code: str, data: st.DataObject) -> None:
    instrument = INSTRUMENTS[code]
    answers = data.draw(answers_for(instrument))
    resource = response(instrument, answers)
    QuestionnaireResponse.model_validate(resource)
    assert resource["status"] == "completed"
    assert resource["questionnaire"] == f"{CANONICAL_BASE}/Questionnaire/{code}|{instrument.version}"
    assert [i["linkId"] for i in resource["item"]] == [i.id for i in instrument.items if i.id in answers]

    imported, back = answers_from_questionnaire_response(json.loads(json.dumps(resource)), INSTRUMENTS)

    assert imported is instrument
    assert back == answers
    assert score(imported, back) == score(instrument, answers)


@pytest.mark.parametrize("code", SCORABLE)
def test_value_integer_answers_are_accepted(code: str) -> None:
    instrument = INSTRUMENTS[code]
    answers = {item.id: max(item.values) for item in instrument.scored_items}
    resource = response(instrument, answers)
    for item in resource["item"]:
        item["answer"] = [{"valueInteger": answers[item["linkId"]]}]
    assert answers_from_questionnaire_response(resource, INSTRUMENTS)[1] == answers


def test_response_without_a_subject_and_with_an_offset_time() -> None:
    instrument = INSTRUMENTS["phq2"]
    resource = questionnaire_response(
        instrument,
        {"phq2_1": 1},
        response_id="r1",
        authored=datetime(2025, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=2))),
        subject_reference=None,
    )
    assert "subject" not in resource
    assert resource["authored"] == "2025-03-01T09:30:00+02:00"
    assert resource["item"] == [
        {
            "linkId": "phq2_1",
            "text": instrument.items[0].text,
            "answer": [{"valueCoding": {"system": LOINC, "code": "LA6569-3", "display": "Several days"}}],
        }
    ]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"authored": datetime(2025, 3, 1, 9, 30)}, "authored"),
        ({"response_id": "not a fhir id"}, "response_id"),
        ({"subject_reference": " "}, "subject_reference"),
    ],
)
def test_response_export_refuses_bad_arguments(kwargs: dict[str, Any], field: str) -> None:
    arguments: dict[str, Any] = {"response_id": "r1", "authored": WHEN, "subject_reference": "Patient/p1"}
    with pytest.raises(InvalidData) as caught:
        questionnaire_response(INSTRUMENTS["phq2"], {"phq2_1": 1}, **(arguments | kwargs))
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("answers", "field"),
    [({"nope": 1}, "answers.nope"), ({"phq2_1": 4}, "answers.phq2_1"), ({"phq2_1": True}, "answers.phq2_1")],
)
def test_response_export_refuses_answers_the_form_cannot_hold(answers: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidData) as caught:
        response(INSTRUMENTS["phq2"], answers)
    assert caught.value.field == field


# --- Observation -----------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "loinc_total"), [("phq9", "44261-6"), ("gad7", "70274-6")])
def test_observation_uses_the_total_score_loinc(code: str, loinc_total: str) -> None:
    resource = observation(INSTRUMENTS[code], lowest_answers(INSTRUMENTS[code]))
    total = INSTRUMENTS[code].total_code
    assert total is not None
    assert resource["code"]["coding"] == [{"system": LOINC, "code": loinc_total, "display": total.display}]


@pytest.mark.parametrize("code", SCORABLE)
def test_observation_is_a_final_survey_score_derived_from_the_response(code: str) -> None:
    instrument = INSTRUMENTS[code]
    answers = {item.id: max(item.values) for item in instrument.scored_items}
    result = score(instrument, answers)
    resource = observation(instrument, answers, response_id="resp-1")
    Observation.model_validate(resource)
    assert resource["resourceType"] == "Observation"
    assert resource["status"] == "final"
    assert resource["category"][0]["coding"][0] == {
        "system": "http://terminology.hl7.org/CodeSystem/observation-category",
        "code": "survey",
        "display": "Survey",
    }
    assert resource["valueInteger"] == result.total == instrument.max_total
    assert resource["derivedFrom"] == [{"reference": "QuestionnaireResponse/resp-1"}]
    assert resource["effectiveDateTime"] == "2025-03-01T09:30:00Z"
    assert resource["subject"] == {"reference": "Patient/p1"}
    [interpretation] = resource["interpretation"]
    assert interpretation["text"] == result.band.label
    assert interpretation["coding"][0]["system"] == f"{CANONICAL_BASE}/CodeSystem/bands"
    assert interpretation["coding"][0]["code"] == f"{code}-band-{result.band_index}"
    # The classic error: a panel code on a total score.
    codes = {coding["code"] for coding in resource["code"]["coding"]}
    assert not codes & PANEL_CODES
    if instrument.panel_code is not None:
        assert instrument.panel_code.code not in codes


@pytest.mark.parametrize("code", ["gad2", "who5"])
def test_observation_without_a_loinc_total_uses_a_carepath_code(code: str) -> None:
    resource = observation(INSTRUMENTS[code], lowest_answers(INSTRUMENTS[code]))
    assert resource["code"]["coding"][0]["system"] == f"{CANONICAL_BASE}/CodeSystem/scores"
    assert resource["code"]["coding"][0]["code"] == f"{code}-total"


def test_who5_observation_carries_the_percentage_too() -> None:
    instrument = INSTRUMENTS["who5"]
    resource = observation(instrument, {item.id: 3 for item in instrument.items})
    assert resource["valueInteger"] == 15
    [component] = resource["component"]
    assert component["code"]["coding"][0]["code"] == "who5-percentage"
    assert component["valueQuantity"]["value"] == 60
    assert "component" not in observation(INSTRUMENTS["phq9"], lowest_answers(INSTRUMENTS["phq9"]))


def test_observation_refuses_a_result_of_another_instrument() -> None:
    result = score(INSTRUMENTS["phq2"], lowest_answers(INSTRUMENTS["phq2"]))
    with pytest.raises(InvalidData) as caught:
        total_score_observation(
            INSTRUMENTS["gad2"],
            result,
            observation_id="o1",
            response_id="r1",
            effective=WHEN,
            subject_reference=None,
        )
    assert caught.value.field == "result"


# --- Bundle ----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", SCORABLE)
def test_bundle_holds_the_response_and_the_observation(code: str) -> None:
    instrument = INSTRUMENTS[code]
    result = score(instrument, lowest_answers(instrument))
    response_id, observation_id = str(uuid.uuid4()), str(uuid.uuid4())
    bundle = assessment_bundle(
        instrument,
        result,
        bundle_id="b1",
        response_id=response_id,
        observation_id=observation_id,
        authored=WHEN,
        subject_reference="Patient/p1",
    )
    Bundle.model_validate(bundle)
    assert bundle["resourceType"] == "Bundle"
    assert bundle["type"] == "collection"
    [qr_entry, obs_entry] = bundle["entry"]
    assert qr_entry["fullUrl"] == f"urn:uuid:{response_id}"
    assert qr_entry["resource"]["resourceType"] == "QuestionnaireResponse"
    assert qr_entry["resource"]["id"] == response_id
    assert obs_entry["fullUrl"] == f"urn:uuid:{observation_id}"
    assert obs_entry["resource"]["id"] == observation_id
    # Inside the bundle the Observation points at the response's entry, which resolves there.
    assert obs_entry["resource"]["derivedFrom"] == [{"reference": qr_entry["fullUrl"]}]
    assert answers_from_questionnaire_response(qr_entry["resource"], INSTRUMENTS)[1] == dict(result.answers)


def test_bundle_can_carry_the_questionnaire_first() -> None:
    instrument = INSTRUMENTS["phq9"]
    bundle = assessment_bundle(
        instrument,
        score(instrument, lowest_answers(instrument)),
        bundle_id="b1",
        response_id=str(uuid.uuid4()),
        observation_id=str(uuid.uuid4()),
        authored=WHEN,
        subject_reference=None,
        include_questionnaire=True,
    )
    Bundle.model_validate(bundle)
    first = bundle["entry"][0]
    assert first["fullUrl"] == PHQ9_URL
    assert first["resource"] == questionnaire(instrument)


@pytest.mark.parametrize("bad", ["r1", str(uuid.uuid4()).upper()])
def test_bundle_ids_must_be_uuids(bad: str) -> None:
    instrument = INSTRUMENTS["phq2"]
    with pytest.raises(InvalidData) as caught:
        assessment_bundle(
            instrument,
            score(instrument, lowest_answers(instrument)),
            bundle_id="b1",
            response_id=bad,
            observation_id=str(uuid.uuid4()),
            authored=WHEN,
            subject_reference=None,
        )
    assert caught.value.field == "response_id"


# --- Import ----------------------------------------------------------------------------------

PHQ9_FROM_EHR = hand_written(
    [
        coded("phq9_1", "LA6571-9"),  # 3
        coded("phq9_2", "LA6570-1"),  # 2
        coded("phq9_3", "LA6569-3"),  # 1
        coded("phq9_4", "LA6568-5"),  # 0
        coded("phq9_5", "LA6571-9"),  # 3
        coded("phq9_6", "LA6570-1"),  # 2
        coded("phq9_7", "LA6569-3"),  # 1
        coded("phq9_8", "LA6568-5"),  # 0
        coded("phq9_9", "LA6569-3"),  # 1
        coded("phq9_difficulty", "LA6575-0"),  # "Very difficult" = 2, despite the code order
    ]
)


def test_a_hand_written_loinc_coded_phq9_imports_and_scores() -> None:
    instrument, answers = answers_from_questionnaire_response(PHQ9_FROM_EHR, INSTRUMENTS)
    assert instrument.code == "phq9"
    assert answers == {
        "phq9_1": 3,
        "phq9_2": 2,
        "phq9_3": 1,
        "phq9_4": 0,
        "phq9_5": 3,
        "phq9_6": 2,
        "phq9_7": 1,
        "phq9_8": 0,
        "phq9_9": 1,
        "phq9_difficulty": 2,
    }
    result = score(instrument, answers)
    assert result.total == 13
    assert result.risk_flags == ("phq9_9",)


def test_the_canonical_may_come_without_a_version() -> None:
    assert answers_from_questionnaire_response({**PHQ9_FROM_EHR, "questionnaire": PHQ9_URL}, INSTRUMENTS)


def test_gad7_item_2_answered_with_la18938_3_scores_2() -> None:
    resource = hand_written(
        [coded(f"gad7_{n}", "LA6568-5") for n in (1, 3, 4, 5, 6, 7)] + [coded("gad7_2", "LA18938-3")],
        f"{CANONICAL_BASE}/Questionnaire/gad7|1",
    )
    instrument, answers = answers_from_questionnaire_response(resource, INSTRUMENTS)
    assert answers["gad7_2"] == 2
    assert score(instrument, answers).total == 2


def test_la18938_3_counts_only_where_the_item_offers_it() -> None:
    resource = hand_written([coded("gad7_1", "LA18938-3")], f"{CANONICAL_BASE}/Questionnaire/gad7")
    assert "gad7_1" in str(raises_invalid(resource, "item.gad7_1"))


def test_a_carepath_answer_code_is_accepted() -> None:
    resource = hand_written([coded("phq9_1", "2", f"{CANONICAL_BASE}/CodeSystem/phq9-answers")])
    assert answers_from_questionnaire_response(resource, INSTRUMENTS)[1] == {"phq9_1": 2}


def test_an_item_without_an_answer_is_unanswered() -> None:
    resource = hand_written([coded("phq9_1", "LA6569-3"), {"linkId": "phq9_2"}])
    assert answers_from_questionnaire_response(resource, INSTRUMENTS)[1] == {"phq9_1": 1}


def two_answers() -> dict[str, Any]:
    resource = copy.deepcopy(PHQ9_FROM_EHR)
    resource["item"][2]["answer"].append({"valueCoding": {"system": LOINC, "code": "LA6568-5"}})
    return resource


SNOMED = "http://snomed.info/sct"
PHQ9_ANSWERS = f"{CANONICAL_BASE}/CodeSystem/phq9-answers"
BAD_IMPORTS = [
    pytest.param(
        {**PHQ9_FROM_EHR, "questionnaire": "http://loinc.org/q/44249-1"},
        "questionnaire",
        "not a questionnaire Carepath knows",
        id="unknown-questionnaire",
    ),
    pytest.param(
        {**PHQ9_FROM_EHR, "questionnaire": f"{PHQ9_URL}|99"}, "questionnaire", "version 99", id="version"
    ),
    pytest.param(
        {k: v for k, v in PHQ9_FROM_EHR.items() if k != "questionnaire"},
        "questionnaire",
        "required",
        id="no-q",
    ),
    pytest.param(
        hand_written([], f"{CANONICAL_BASE}/Questionnaire/cssrs"),
        "questionnaire",
        "metadata only",
        id="licensed",
    ),
    pytest.param(
        hand_written([coded("phq9_10", "LA6568-5")]), "item.phq9_10", "not an item", id="unknown-linkid"
    ),
    pytest.param(
        hand_written([coded("phq9_1", "LA6574-3")]), "item.phq9_1", "LA6574-3 is not", id="other-list"
    ),
    pytest.param(hand_written([coded("phq9_1", "LA6568-5", SNOMED)]), "item.phq9_1", "not one", id="system"),
    pytest.param(
        hand_written([coded("phq9_1", "4", PHQ9_ANSWERS)]), "item.phq9_1", "|4 is not", id="value-code"
    ),
    pytest.param(two_answers(), "item.phq9_3", "2 answers", id="two-answers"),
    pytest.param(
        hand_written([coded("phq9_1", "LA6568-5"), coded("phq9_1", "LA6569-3")]),
        "item.phq9_1",
        "more than once",
        id="item-twice",
    ),
    pytest.param(
        hand_written([{"linkId": "phq9_1", "answer": [{"valueInteger": 7}]}]),
        "item.phq9_1",
        "7",
        id="integer",
    ),
    pytest.param(
        hand_written([{"linkId": "phq9_1", "answer": [{"valueString": "1"}]}]),
        "item.phq9_1",
        "valueCoding",
        id="string-answer",
    ),
    pytest.param(
        {**PHQ9_FROM_EHR, "status": "entered-in-error"}, "status", "entered-in-error", id="withdrawn"
    ),
    pytest.param(
        {**PHQ9_FROM_EHR, "resourceType": "Observation"}, "resourceType", "Observation", id="observation"
    ),
    pytest.param(
        {k: v for k, v in PHQ9_FROM_EHR.items() if k != "resourceType"}, "resourceType", "None", id="no-type"
    ),
    pytest.param([PHQ9_FROM_EHR], "resource", "JSON object", id="not-an-object"),
    pytest.param(hand_written([{"answer": [{"valueInteger": 1}]}]), "resource", "linkId", id="no-linkid"),
    pytest.param({**PHQ9_FROM_EHR, "authored": "yesterday"}, "resource", "authored", id="bad-date"),
]


@pytest.mark.parametrize(("resource", "field", "problem"), BAD_IMPORTS)
def test_bad_imports_name_the_problem(resource: Any, field: str, problem: str) -> None:
    error = raises_invalid(resource, field)
    assert problem in error.problem
    assert "\n" not in error.problem
