"""The JSON shapes of the referrals API, and rows turned into them.

What each side sees follows the pages: the person and the supporter see each other's shown name,
never an email or username; notes appear only where `policy` lets the viewer read them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ninja import Schema

from carepath.errors import FieldProblem
from carepath.referrals import selectors
from carepath.referrals.models import HandOff, Referral
from carepath.referrals.selectors import ContactLine
from carepath.sharing.selectors.confidentiality import AskTarget
from carepath_core.errors import InvalidData
from carepath_core.referrals import Side, Snapshot, allowed_actions, snapshot_document


class BeforeAskingOut(Schema):
    kind: str
    profile: int
    name: str
    own_statement: str | None  # a peer supporter's own confidentiality statement, if written
    service: str | None  # None: the supporter's profile links no directory service
    organisation: str | None
    confidentiality_policy: str | None
    confidentiality_limits: list[str]  # in words, in the order the service lists them
    published: bool  # False: the service publishes neither; say so to the person


class ChangeOut(Schema):
    from_status: str | None
    to_status: str
    by: str
    at: dt.datetime
    reason: str


class ReferralOut(Schema):
    id: int
    kind: str
    status: str
    your_side: str
    person: str
    supporter: str
    created_at: dt.datetime
    accepted_at: dt.datetime | None
    closed_at: dt.datetime | None
    from_hand_off: bool
    actions: list[str]
    history: list[ChangeOut] | None = None


class ContactOut(Schema):
    id: int
    happened_on: dt.date
    channel: str
    minutes: int
    note: str | None = None


class HandOffOut(Schema):
    id: int
    status: str
    referral: int | None  # the peer relationship it came from (gone if the peer left Carepath)
    professional: str
    reason: str
    asked_at: dt.datetime
    # Only for the person, while deciding (or once agreed): exactly what would be (or was) shared.
    would_share: dict[str, Any] | None = None
    fingerprint: str | None = None


@contextmanager
def fields_named() -> Iterator[None]:
    """A service's `FieldProblem` answered as the API's 422 with the field named."""
    try:
        yield
    except FieldProblem as problem:
        raise InvalidData(problem.field, problem.problem) from problem


def referral_payload(referral: Referral, viewer: Any, *, with_history: bool = False) -> dict[str, Any]:
    side = Side.PERSON if viewer.pk == referral.person_id else Side.SUPPORTER
    body: dict[str, Any] = {
        "id": referral.pk,
        "kind": referral.kind,
        "status": referral.status,
        "your_side": side.value,
        "person": referral.person.shown_name,
        "supporter": referral.supporter.shown_name,
        "created_at": referral.created_at,
        "accepted_at": referral.accepted_at,
        "closed_at": referral.closed_at,
        "from_hand_off": referral.hand_off_id is not None,
        "actions": [a.value for a in allowed_actions(referral.status_enum, side)],
    }
    if with_history:
        body["history"] = [
            {
                "from_status": change.from_status or None,
                "to_status": change.to_status,
                "by": change.by_side,
                "at": change.at,
                "reason": change.reason,
            }
            for change in selectors.history_of(referral)
        ]
    return body


def contact_payload(line: ContactLine) -> dict[str, Any]:
    return {
        "id": line.id,
        "happened_on": line.happened_on,
        "channel": line.channel,
        "minutes": line.minutes,
        "note": line.note,
    }


def hand_off_payload(
    hand_off: HandOff, shown: Snapshot | None = None, fingerprint: str | None = None
) -> dict[str, Any]:
    return {
        "id": hand_off.pk,
        "status": hand_off.status,
        "referral": hand_off.peer_referral_id,
        "professional": hand_off.professional.shown_name,
        "reason": hand_off.reason,
        "asked_at": hand_off.asked_at,
        "would_share": snapshot_document(shown) if shown is not None else None,
        "fingerprint": fingerprint,
    }


def before_asking_payload(target: AskTarget) -> dict[str, Any]:
    notice = target.notice
    return {
        "kind": target.kind,
        "profile": target.profile_id,
        "name": target.name,
        "own_statement": target.own_statement or None,
        "service": notice.service_name or None,
        "organisation": notice.organisation_name or None,
        "confidentiality_policy": notice.policy or None,
        "confidentiality_limits": list(notice.limits),
        "published": notice.published,
    }
