"""Reading a person's sharing choices is a read of their consent (issue 8), recorded
`consent.sharing_viewed` on their account: the person's own "Who can see what" page and API (as
every own read is), and a supporter being told which scopes the person shares with them. The
person finds each on "Who has seen your records"."""

from __future__ import annotations

from typing import Any

import pytest

from carepath.audit.models import AuditAction, AuditEvent
from carepath.sharing import services
from carepath.sharing.recipients import RecipientKey
from tests.sharing_setup import sharing_world
from tests.sign_in import signed_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas: dict[str, Any], make_account: Any) -> dict[str, Any]:
    return sharing_world(personas, make_account)


def consent_reads() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.SHARING_VIEWED).order_by("sequence"))


def share_with_peer(world: dict[str, Any], scopes: list[str]) -> None:
    services.change_sharing(
        actor=world["person"], recipient=RecipientKey.account(world["peer"].pk), scopes=scopes
    )


def test_the_persons_own_page_and_api_reads_are_recorded_with_counts_only(world: dict[str, Any]) -> None:
    share_with_peer(world, ["safety_plan"])
    person = signed_in_client(world["person"])
    assert person.get("/sharing/").status_code == 200
    assert person.get("/api/v1/sharing").status_code == 200
    page, api = consent_reads()
    for event in (page, api):
        assert (event.actor_id, event.subject_type, event.subject_id) == (
            world["person"].pk,
            "account",
            str(world["person"].pk),
        )
    # Counts only: which recipients the person chose is in the change events, not repeated here.
    assert page.details == api.details
    assert page.details["sharing_with"] == 1 and page.details["recipients"] >= 2
    assert str(world["peer"].pk) not in str(page.details)


def test_changing_a_choice_over_the_api_records_the_choices_it_answers_with(world: dict[str, Any]) -> None:
    person = signed_in_client(world["person"])
    body = {"recipient": f"account:{world['peer'].pk}", "scopes": ["notes"]}
    answer = person.put("/api/v1/sharing", body, content_type="application/json")
    assert answer.status_code == 200
    assert [e.details["sharing_with"] for e in consent_reads()] == [1]
    assert AuditEvent.objects.filter(action=AuditAction.SHARING_GRANTED).count() == 1


def test_a_refused_change_on_the_page_still_records_the_choices_shown_again(world: dict[str, Any]) -> None:
    person = signed_in_client(world["person"])
    refused = person.post("/sharing/", {"recipient": f"account:{world['peer'].pk}", "scopes": ["x"]})
    assert refused.status_code == 400
    assert len(consent_reads()) == 1


def test_a_supporter_told_what_is_shared_is_recorded_on_the_persons_account(world: dict[str, Any]) -> None:
    referral = world["referrals"]["peer"]
    peer = signed_in_client(world["peer"])
    assert peer.get(f"/supporting/{referral.pk}/").status_code == 200  # nothing shared: also an answer
    share_with_peer(world, ["safety_plan", "notes"])
    assert "(Safety plan, Peer notes)" in peer.get(f"/supporting/{referral.pk}/").content.decode()
    nothing, some = consent_reads()
    assert (some.actor_id, some.subject_type, some.subject_id) == (
        world["peer"].pk,
        "account",
        str(world["person"].pk),
    )
    assert nothing.details == {"referral": referral.pk, "scopes": []}
    assert some.details == {"referral": referral.pk, "scopes": ["safety_plan", "notes"]}

    log = signed_in_client(world["person"]).get("/accounts/me/access-log/").content.decode()
    assert "Sharing choices viewed" in log and "Your choices of who can see what" in log
    assert world["peer"].shown_name in log


def test_no_consent_is_read_for_someone_not_in_an_active_relationship(world: dict[str, Any]) -> None:
    share_with_peer(world, ["safety_plan"])
    services.withdraw_all(actor=world["person"])
    coordinator, other = signed_in_client(world["coordinator"]), signed_in_client(world["other_person"])
    assert coordinator.get("/sharing/").status_code == 403
    assert coordinator.get("/api/v1/sharing").status_code == 403
    assert other.get(f"/supporting/{world['referrals']['peer'].pk}/").status_code == 404
    assert consent_reads() == []
