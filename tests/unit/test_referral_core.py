"""The referral core: every (status, action, side) against the table written out by hand, the
contact-log checks, capacity, and the hand-off snapshot (what is shared, its fingerprint)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carepath_core.errors import InvalidData
from carepath_core.referrals import (
    OPEN_STATUSES,
    Action,
    AtCapacity,
    Channel,
    HandOffAnswer,
    HandOffRefused,
    HandOffStatus,
    SharedScore,
    Side,
    Status,
    TransitionRefused,
    allowed_actions,
    answered_status,
    build_snapshot,
    check_fingerprint,
    check_room,
    checked_contact,
    fingerprint,
    next_status,
    snapshot_document,
    snapshot_from_document,
)

# The whole table, spelled out independently of the code: everything else must be refused.
EXPECTED = {
    (Status.REQUESTED, Action.ACCEPT, Side.SUPPORTER): Status.ACTIVE,
    (Status.REQUESTED, Action.DECLINE, Side.SUPPORTER): Status.DECLINED,
    (Status.REQUESTED, Action.WITHDRAW, Side.PERSON): Status.WITHDRAWN,
    (Status.ACTIVE, Action.END, Side.PERSON): Status.ENDED,
    (Status.ACTIVE, Action.END, Side.SUPPORTER): Status.ENDED,
}
EVERY_CASE = list(itertools.product(Status, Action, Side))


@pytest.mark.parametrize(("status", "action", "side"), EVERY_CASE)
def test_every_move_is_allowed_exactly_when_the_table_says(
    status: Status, action: Action, side: Side
) -> None:
    expected = EXPECTED.get((status, action, side))
    if expected is not None:
        assert next_status(status, action, side) is expected
    else:
        with pytest.raises(TransitionRefused) as refused:
            next_status(status, action, side)
        assert refused.value.current is status and refused.value.action is action
        assert str(refused.value)  # always a sentence to show


def test_the_table_covers_all_forty_combinations() -> None:
    assert len(EVERY_CASE) == 40
    assert sum(1 for case in EVERY_CASE if case in EXPECTED) == 5


@pytest.mark.parametrize("status", [Status.DECLINED, Status.WITHDRAWN, Status.ENDED])
def test_final_statuses_allow_nothing_to_anyone(status: Status) -> None:
    assert status not in OPEN_STATUSES
    assert allowed_actions(status, Side.PERSON) == () and allowed_actions(status, Side.SUPPORTER) == ()


def test_allowed_actions_are_what_each_side_may_press() -> None:
    assert allowed_actions(Status.REQUESTED, Side.SUPPORTER) == (Action.ACCEPT, Action.DECLINE)
    assert allowed_actions(Status.REQUESTED, Side.PERSON) == (Action.WITHDRAW,)
    assert allowed_actions(Status.ACTIVE, Side.PERSON) == (Action.END,)
    assert allowed_actions(Status.ACTIVE, Side.SUPPORTER) == (Action.END,)


@pytest.mark.parametrize(("status", "action", "side"), EVERY_CASE)
def test_allowed_actions_agree_with_next_status(status: Status, action: Action, side: Side) -> None:
    assert (action in allowed_actions(status, side)) is ((status, action, side) in EXPECTED)


def test_refusals_say_why_in_words() -> None:
    with pytest.raises(TransitionRefused, match="is declined, so it cannot be accepted"):
        next_status(Status.DECLINED, Action.ACCEPT, Side.SUPPORTER)
    with pytest.raises(TransitionRefused, match="only the supporter who was asked can accept"):
        next_status(Status.REQUESTED, Action.ACCEPT, Side.PERSON)
    with pytest.raises(TransitionRefused, match="only the person who asked can withdraw"):
        next_status(Status.REQUESTED, Action.WITHDRAW, Side.SUPPORTER)
    with pytest.raises(TransitionRefused, match="waiting for an answer, so it cannot be ended"):
        next_status(Status.REQUESTED, Action.END, Side.PERSON)


# --- capacity and the contact log -------------------------------------------------------------


@given(capacity=st.integers(0, 50), load=st.integers(0, 60))
def test_room_is_refused_exactly_at_or_over_capacity(capacity: int, load: int) -> None:
    if load < capacity:
        check_room(capacity=capacity, load=load)
    else:
        with pytest.raises(AtCapacity, match=f"already support {load} of the {capacity} people"):
            check_room(capacity=capacity, load=load)


TODAY = dt.date(2026, 3, 10)
STARTED = dt.date(2026, 3, 1)


def contact(**changes: object) -> object:
    values: dict[str, object] = {
        "happened_on": "2026-03-05",
        "channel": "phone",
        "minutes": 30,
        "note": "  Talked about sleep.  ",
        "started_on": STARTED,
        "today": TODAY,
    }
    values.update(changes)
    return checked_contact(**values)  # type: ignore[arg-type]


def test_a_good_contact_is_read_and_trimmed() -> None:
    entry = contact()
    assert entry.happened_on == dt.date(2026, 3, 5) and entry.channel is Channel.PHONE  # type: ignore[attr-defined]
    assert entry.minutes == 30 and entry.note == "Talked about sleep."  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"happened_on": "2026-03-11"}, "happened_on", "future"),
        ({"happened_on": "2026-02-28"}, "happened_on", "before the relationship began"),
        ({"happened_on": "05/03/2026"}, "happened_on", "a date such as"),
        ({"happened_on": None}, "happened_on", "a date such as"),
        ({"happened_on": dt.datetime(2026, 3, 5, 10)}, "happened_on", "without a time"),
        ({"channel": "carrier pigeon"}, "channel", "in_person, phone, video, text"),
        ({"minutes": 0}, "minutes", "from 1 to 600"),
        ({"minutes": 601}, "minutes", "from 1 to 600"),
        ({"minutes": True}, "minutes", "whole number"),
        ({"minutes": "30"}, "minutes", "whole number"),
        ({"note": 5}, "note", "must be text"),
        ({"note": "x" * 4001}, "note", "at most 4000"),
    ],
)
def test_bad_contacts_name_the_field(changes: dict[str, object], field: str, words: str) -> None:
    with pytest.raises(InvalidData) as refused:
        contact(**changes)
    assert refused.value.field == field and words in refused.value.problem


# --- the hand-off snapshot ---------------------------------------------------------------------

PHQ9 = SharedScore("phq9", "PHQ-9", 14, 27, "Moderate depression", "2026-03-01")
GAD7 = SharedScore("gad7", "GAD-7", 9, 21, "Mild anxiety", "2026-03-02")
PLAN = {
    "warning_signs": "Not sleeping, skipping meals",
    "coping_on_my_own": "A long walk by the river",
    "people_and_places": "My sister Ana, the library",
    "people_to_ask": "Ana 07700 900123",
    "professionals_and_lines": "",
    "safer_surroundings": "  ",
}


def test_the_snapshot_shares_steps_about_the_person_and_only_whether_others_are_written() -> None:
    snapshot = build_snapshot(
        " I think a counsellor could help with the nights. ", [PHQ9, GAD7], PLAN, "2026-03-03"
    )
    assert snapshot.reason == "I think a counsellor could help with the nights."
    assert [s.instrument for s in snapshot.scores] == ["gad7", "phq9"]  # a stable order
    steps = {step.step: step for step in snapshot.plan_steps}
    assert steps["warning_signs"].text == "Not sleeping, skipping meals"
    assert steps["coping_on_my_own"].text == "A long walk by the river"
    assert steps["people_and_places"].written and steps["people_and_places"].text is None
    assert steps["people_to_ask"].written and steps["people_to_ask"].text is None
    assert not steps["professionals_and_lines"].written
    assert not steps["safer_surroundings"].written and steps["safer_surroundings"].text is None
    document = str(snapshot_document(snapshot))
    assert "Ana" not in document and "07700" not in document and "library" not in document


def test_no_plan_and_no_scores_share_nothing_from_them() -> None:
    snapshot = build_snapshot("A reason", [], None, None)
    assert snapshot.scores == () and snapshot.plan_steps == () and not snapshot.has_plan


@pytest.mark.parametrize(("reason", "words"), [("  ", "write why"), ("x" * 2001, "at most 2000")])
def test_the_reason_is_required_and_bounded(reason: str, words: str) -> None:
    with pytest.raises(InvalidData) as refused:
        build_snapshot(reason, [], None, None)
    assert refused.value.field == "reason" and words in refused.value.problem


def test_the_document_round_trips_and_the_fingerprint_follows_every_change() -> None:
    snapshot = build_snapshot("Reason", [PHQ9], PLAN, "2026-03-03")
    assert snapshot_from_document(snapshot_document(snapshot)) == snapshot
    print_ = fingerprint(snapshot)
    assert fingerprint(build_snapshot("Reason", [PHQ9], PLAN, "2026-03-03")) == print_
    changed_score = SharedScore("phq9", "PHQ-9", 15, 27, "Moderate depression", "2026-03-01")
    assert fingerprint(build_snapshot("Reason", [changed_score], PLAN, "2026-03-03")) != print_
    changed_plan = {**PLAN, "coping_on_my_own": "Music"}
    assert fingerprint(build_snapshot("Reason", [PHQ9], changed_plan, "2026-03-03")) != print_
    check_fingerprint(snapshot, print_)
    with pytest.raises(InvalidData) as refused:
        check_fingerprint(snapshot, "0" * 32)
    assert refused.value.field == "fingerprint" and "read it again" in refused.value.problem


def test_a_hand_off_is_answered_once() -> None:
    assert answered_status(HandOffStatus.ASKED, HandOffAnswer.AGREE) is HandOffStatus.AGREED
    assert answered_status(HandOffStatus.ASKED, HandOffAnswer.DECLINE) is HandOffStatus.DECLINED
    for done in (HandOffStatus.AGREED, HandOffStatus.DECLINED):
        for answer in HandOffAnswer:
            with pytest.raises(HandOffRefused, match="already answered"):
                answered_status(done, answer)
