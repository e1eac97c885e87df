"""The consented hand-off on a real database: nothing shared before agreement, exactly what was
shown is frozen on agreement, every step audited, and a 'no' shares nothing at all."""

from __future__ import annotations

from typing import Any

import pytest

from carepath.audit.models import AuditAction, AuditEvent
from carepath.errors import FieldProblem, NotPermitted
from carepath.referrals.models import HandOff, Notification, Referral
from carepath.referrals.services import hand_offs, referrals
from carepath_core.errors import DomainError, InvalidData
from carepath_core.referrals import HandOffRefused
from tests.referral_setup import (
    active,
    ask_peer,
    keep_check_in,
    keep_plan,
    peer_profile,
    professional_profile,
)

pytestmark = pytest.mark.django_db
REASON = "Sleep has been poor for weeks; a counsellor could help alongside our chats."


@pytest.fixture
def setting(personas: dict[str, Any]) -> dict[str, Any]:
    seeker = personas["help_seeker"]
    keep_check_in(seeker)
    keep_plan(seeker)
    relationship = active(ask_peer(seeker, peer_profile(personas["peer_supporter"])))
    pro = professional_profile(personas["professional"])
    return {"seeker": seeker, "peer": personas["peer_supporter"], "relationship": relationship, "pro": pro}


def asked(setting: dict[str, Any]) -> HandOff:
    return hand_offs.ask_for_hand_off(
        actor=setting["peer"],
        referral=setting["relationship"],
        professional_id=setting["pro"].pk,
        reason=REASON,
    )


def actions() -> list[str]:
    return list(
        AuditEvent.objects.filter(action__startswith="hand_off.")
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_asking_shares_nothing_yet_and_tells_the_person(setting: dict[str, Any]) -> None:
    hand_off = asked(setting)
    assert hand_off.status == "asked" and hand_off.snapshot is None
    assert not Referral.objects.filter(kind="professional").exists()
    assert actions() == [AuditAction.HAND_OFF_ASKED]
    notice = Notification.objects.get(recipient=setting["seeker"], kind="hand_off.asked")
    assert notice.link == f"/support/hand-offs/{hand_off.pk}/"


def test_the_consent_screen_shows_exactly_what_agreement_freezes(setting: dict[str, Any]) -> None:
    hand_off = asked(setting)
    screen = hand_offs.open_consent_screen(actor=setting["seeker"], hand_off=hand_off)
    assert screen.snapshot.reason == REASON
    (score,) = screen.snapshot.scores
    assert (score.instrument, score.total, score.max_total) == ("phq9", 16, 27)
    steps = {step.step: step for step in screen.snapshot.plan_steps}
    assert steps["warning_signs"].text == "I stop answering messages"
    assert steps["people_to_ask"].written and steps["people_to_ask"].text is None
    referral = hand_offs.agree_to_hand_off(
        actor=setting["seeker"], hand_off=hand_off, agreed_fingerprint=screen.fingerprint
    )
    assert referral.kind == "professional" and referral.status == "requested"
    assert referral.supporter == setting["pro"].user and referral.hand_off_id == hand_off.pk
    hand_off.refresh_from_db()
    assert hand_off.status == "agreed" and hand_off.answered_at is not None
    assert "07700" not in str(hand_off.snapshot) and "Tom" not in str(hand_off.snapshot)
    shared = hand_offs.open_shared_snapshot(actor=setting["pro"].user, referral=referral)
    assert shared == screen.snapshot
    assert actions() == [
        AuditAction.HAND_OFF_ASKED,
        AuditAction.HAND_OFF_CONSENT_VIEWED,
        AuditAction.HAND_OFF_AGREED,
        AuditAction.HAND_OFF_SNAPSHOT_VIEWED,
    ]
    agreed = AuditEvent.objects.get(action=AuditAction.HAND_OFF_AGREED)
    assert agreed.actor == setting["seeker"] and agreed.details["fingerprint"] == screen.fingerprint
    assert agreed.details["scores"] == ["phq9"] and agreed.details["safety_plan"] is True
    assert REASON not in str(agreed.details)
    viewed = AuditEvent.objects.get(action=AuditAction.HAND_OFF_SNAPSHOT_VIEWED)
    assert viewed.actor == setting["pro"].user and viewed.details == {"referral": referral.pk}
    texts = Notification.objects.filter(recipient=setting["peer"]).values_list("text", flat=True)
    assert "seeker agreed to be put in touch with pro." in texts
    assert (
        Notification.objects.get(recipient=setting["pro"].user).text
        == "peer handed seeker on to you, with their consent."
    )


def test_the_snapshot_stays_frozen_after_new_check_ins_and_plan_changes(setting: dict[str, Any]) -> None:
    hand_off = asked(setting)
    screen = hand_offs.open_consent_screen(actor=setting["seeker"], hand_off=hand_off)
    referral = hand_offs.agree_to_hand_off(
        actor=setting["seeker"], hand_off=hand_off, agreed_fingerprint=screen.fingerprint
    )
    keep_check_in(setting["seeker"], {f"phq9_{n}": 0 for n in range(1, 10)})
    keep_plan(setting["seeker"], {"warning_signs": "Something new and private"})
    referral = Referral.objects.select_related("hand_off").get(pk=referral.pk)
    shared = hand_offs.open_shared_snapshot(actor=setting["pro"].user, referral=referral)
    assert shared.scores[0].total == 16
    assert "Something new" not in str(shared)


def test_a_change_after_the_screen_was_shown_is_refused_and_nothing_is_shared(
    setting: dict[str, Any],
) -> None:
    hand_off = asked(setting)
    screen = hand_offs.open_consent_screen(actor=setting["seeker"], hand_off=hand_off)
    keep_plan(setting["seeker"], {"warning_signs": "Changed since"})
    with pytest.raises(InvalidData) as refused:
        hand_offs.agree_to_hand_off(
            actor=setting["seeker"], hand_off=hand_off, agreed_fingerprint=screen.fingerprint
        )
    assert refused.value.field == "fingerprint"
    hand_off.refresh_from_db()
    assert hand_off.status == "asked" and hand_off.snapshot is None
    assert not Referral.objects.filter(kind="professional").exists()
    assert AuditAction.HAND_OFF_AGREED not in actions()


def test_declining_shares_nothing_and_tells_the_peer(setting: dict[str, Any]) -> None:
    hand_off = asked(setting)
    hand_offs.open_consent_screen(actor=setting["seeker"], hand_off=hand_off)
    hand_offs.decline_hand_off(actor=setting["seeker"], hand_off=hand_off)
    hand_off.refresh_from_db()
    assert hand_off.status == "declined" and hand_off.snapshot is None
    assert not Referral.objects.filter(kind="professional").exists()
    assert actions()[-1] == AuditAction.HAND_OFF_DECLINED
    notice = Notification.objects.get(recipient=setting["peer"], kind="hand_off.declined")
    assert "Nothing was shared" in notice.text
    with pytest.raises(HandOffRefused):
        hand_offs.agree_to_hand_off(actor=setting["seeker"], hand_off=hand_off, agreed_fingerprint="x")


def test_only_the_person_answers_and_sees_the_content(
    setting: dict[str, Any], personas: dict[str, Any]
) -> None:
    hand_off = asked(setting)
    for someone in (
        setting["peer"],
        setting["pro"].user,
        personas["other_help_seeker"],
        personas["coordinator"],
    ):
        with pytest.raises(NotPermitted):
            hand_offs.open_consent_screen(actor=someone, hand_off=hand_off)
        with pytest.raises(NotPermitted):
            hand_offs.agree_to_hand_off(actor=someone, hand_off=hand_off, agreed_fingerprint="x")
        with pytest.raises(NotPermitted):
            hand_offs.decline_hand_off(actor=someone, hand_off=hand_off)
    assert actions() == [AuditAction.HAND_OFF_ASKED]


def test_asking_is_for_the_peer_of_an_active_relationship_with_a_listed_professional(
    setting: dict[str, Any], personas: dict[str, Any]
) -> None:
    for someone in (setting["seeker"], personas["professional"], personas["coordinator"]):
        with pytest.raises(NotPermitted):
            hand_offs.ask_for_hand_off(
                actor=someone,
                referral=setting["relationship"],
                professional_id=setting["pro"].pk,
                reason=REASON,
            )
    for wrong in ("", "abc", "99999"):
        with pytest.raises(FieldProblem) as unknown:
            hand_offs.ask_for_hand_off(
                actor=setting["peer"], referral=setting["relationship"], professional_id=wrong, reason=REASON
            )
        assert unknown.value.field == "professional"
    with pytest.raises(InvalidData):
        hand_offs.ask_for_hand_off(
            actor=setting["peer"],
            referral=setting["relationship"],
            professional_id=setting["pro"].pk,
            reason=" ",
        )
    asked(setting)
    with pytest.raises(FieldProblem, match="wait for the person's answer"):
        asked(setting)
    referrals.end_relationship(actor=setting["peer"], referral=setting["relationship"], reason="Done")
    with pytest.raises(DomainError, match="only while the relationship is active"):
        asked(setting)


def test_a_person_already_asking_that_professional_is_not_handed_on_twice(setting: dict[str, Any]) -> None:
    referrals.ask_for_contact(actor=setting["seeker"], kind="professional", profile_id=setting["pro"].pk)
    with pytest.raises(FieldProblem, match="already in touch"):
        asked(setting)


def test_a_peer_leaving_keeps_what_was_shared_and_the_person_leaving_takes_everything(
    setting: dict[str, Any],
) -> None:
    hand_off = asked(setting)
    screen = hand_offs.open_consent_screen(actor=setting["seeker"], hand_off=hand_off)
    referral = hand_offs.agree_to_hand_off(
        actor=setting["seeker"], hand_off=hand_off, agreed_fingerprint=screen.fingerprint
    )
    setting["peer"].delete()
    referral = Referral.objects.select_related("hand_off").get(pk=referral.pk)
    assert referral.hand_off is not None and referral.hand_off.peer is None
    assert hand_offs.open_shared_snapshot(actor=setting["pro"].user, referral=referral).reason == REASON
    setting["seeker"].delete()
    assert not Referral.objects.exists() and not HandOff.objects.exists()
