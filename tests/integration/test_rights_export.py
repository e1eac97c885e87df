"""The person's export: every registry source in the JSON, and a FHIR R4 Bundle that validates."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from carepath.audit.models import AuditAction, AuditEvent
from carepath.errors import NotPermitted
from carepath.rights.registry import installed_sources
from carepath.rights.services.exports import ExportFormat, export_account
from tests.rights_people import CANARY, DISPLAY_NAME, EMAIL, USERNAME, People, people_with_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_account: Any) -> People:
    return people_with_data(make_account)


def test_the_json_export_has_every_source_and_the_person_s_own_words(people: People) -> None:
    document = export_account(actor=people.person, account=people.person, export_format=ExportFormat.JSON)
    sections = document["sections"]
    assert {source.section for source in installed_sources()} <= set(sections)
    assert sections["account"]["username"] == USERNAME and sections["account"]["email"] == EMAIL
    assert CANARY in sections["safety_plan"]["warning_signs"]
    assert CANARY in sections["matching_wishes"]["experience"]
    assert len(sections["check_ins"]) == 2 and sections["risk_flags"]
    assert sections["episodes"] and sections["recommendations"] and sections["hand_offs"][0]["shared"]
    assert sections["api_tokens"][0]["name"].endswith(CANARY) and "digest" not in sections["api_tokens"][0]
    text = json.dumps(document)
    assert text == json.dumps(json.loads(text))  # plain JSON: nothing the encoder had to guess
    assert sections["check_ins"][0]["completed_at"].endswith("+00:00")  # ISO 8601, with its zone


def test_clinical_notes_are_listed_without_their_text_and_peer_notes_with_it(people: People) -> None:
    document = export_account(actor=people.person, account=people.person, export_format=ExportFormat.JSON)
    contacts = [contact for referral in document["sections"]["referrals"] for contact in referral["contacts"]]
    clinical = [contact for contact in contacts if contact["note_kind"] == "clinical"]
    peer = [contact for contact in contacts if contact["note_kind"] == "peer"]
    assert clinical and all(contact["note"] is None and contact["note_withheld"] for contact in clinical)
    assert peer and all(DISPLAY_NAME in contact["note"] for contact in peer)


def test_a_supporter_s_export_has_their_profile_and_logs_but_not_the_person_s_words(people: People) -> None:
    document = export_account(actor=people.peer, account=people.peer, export_format=ExportFormat.JSON)
    sections = document["sections"]
    assert sections["peer_supporter_profile"]["capacity"] == 3
    assert sections["contact_log_written"] and "note" not in sections["contact_log_written"][0]
    # Their own notices name the person ("… asked you to get in touch"): those were sent to them.
    # Nothing else does: not the notes they wrote, not the person's reasons, not the shared snapshot.
    text = json.dumps({key: value for key, value in sections.items() if key != "notifications"})
    assert CANARY not in text and DISPLAY_NAME not in text and USERNAME not in text


def test_the_fhir_bundle_validates_and_holds_each_kind_of_record(people: People) -> None:
    bundle = export_account(actor=people.person, account=people.person, export_format=ExportFormat.FHIR)
    Bundle.model_validate(bundle)
    assert bundle["type"] == "collection"
    kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    assert kinds.count("Patient") == 1 and kinds.count("QuestionnaireResponse") == 2
    assert kinds.count("Observation") == 2 and kinds.count("CarePlan") == 1
    assert kinds.count("ServiceRequest") == 2 and kinds.count("Consent") >= 1
    urls = {entry["fullUrl"] for entry in bundle["entry"]}
    patient_url = bundle["entry"][0]["fullUrl"]
    for entry in bundle["entry"][1:]:
        resource = entry["resource"]
        subject = resource.get("subject") or resource.get("patient")
        assert subject["reference"] == patient_url
        for derived in resource.get("derivedFrom", []):
            assert derived["reference"] in urls


def test_exports_are_audited_with_the_format_only_and_refused_for_someone_else(people: People) -> None:
    for export_format in ExportFormat:
        export_account(actor=people.person, account=people.person, export_format=export_format)
    events = AuditEvent.objects.filter(action=AuditAction.ACCOUNT_EXPORTED).order_by("sequence")
    assert [event.details for event in events] == [{"format": "json"}, {"format": "fhir"}]
    assert {event.subject_id for event in events} == {str(people.person.pk)}
    with pytest.raises(NotPermitted):
        export_account(actor=people.coordinator, account=people.person, export_format=ExportFormat.JSON)
