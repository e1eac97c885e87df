"""Who may move a referral from which status to which, as one table.

A referral is a person's request for contact with a peer supporter or a professional. The
supporter answers it; once accepted it is an active relationship until either side ends it.
Every status not in the table's keys is final: nothing moves a declined, withdrawn or ended
referral again, so a new request is a new referral with its own history.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from carepath_core.errors import DomainError


class SupportKind(StrEnum):
    PEER = "peer"
    PROFESSIONAL = "professional"


class Status(StrEnum):
    REQUESTED = "requested"
    ACTIVE = "active"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    ENDED = "ended"


class Action(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    WITHDRAW = "withdraw"
    END = "end"


class Side(StrEnum):
    """Which end of the relationship acts: the person who asked, or the supporter asked."""

    PERSON = "person"
    SUPPORTER = "supporter"


@dataclass(frozen=True)
class Move:
    to: Status
    sides: frozenset[Side]


TRANSITIONS: Mapping[tuple[Status, Action], Move] = {
    (Status.REQUESTED, Action.ACCEPT): Move(Status.ACTIVE, frozenset({Side.SUPPORTER})),
    (Status.REQUESTED, Action.DECLINE): Move(Status.DECLINED, frozenset({Side.SUPPORTER})),
    (Status.REQUESTED, Action.WITHDRAW): Move(Status.WITHDRAWN, frozenset({Side.PERSON})),
    (Status.ACTIVE, Action.END): Move(Status.ENDED, frozenset({Side.PERSON, Side.SUPPORTER})),
}
OPEN_STATUSES = frozenset({Status.REQUESTED, Status.ACTIVE})
# Ending a relationship says why (either side may need to know); declining may stay unexplained,
# because a supporter at capacity or on leave owes nobody a reason.
REASON_REQUIRED = frozenset({Action.END})

_STATUS_WORDS = {
    Status.REQUESTED: "waiting for an answer",
    Status.ACTIVE: "active",
    Status.DECLINED: "declined",
    Status.WITHDRAWN: "withdrawn",
    Status.ENDED: "ended",
}
_ACTION_WORDS = {
    Action.ACCEPT: "accepted",
    Action.DECLINE: "declined",
    Action.WITHDRAW: "withdrawn",
    Action.END: "ended",
}
_ACTION_VERBS = {
    Action.ACCEPT: "accept",
    Action.DECLINE: "decline",
    Action.WITHDRAW: "withdraw",
    Action.END: "end",
}
_SIDE_WORDS = {Side.PERSON: "the person who asked", Side.SUPPORTER: "the supporter who was asked"}


class TransitionRefused(DomainError):
    """A move the table does not allow; the message says why in plain words."""

    def __init__(self, current: Status, action: Action, side: Side, message: str) -> None:
        self.current = current
        self.action = action
        self.side = side
        super().__init__(message)


def next_status(current: Status, action: Action, side: Side) -> Status:
    """The status after `side` does `action`, or `TransitionRefused` naming what is wrong."""
    move = TRANSITIONS.get((current, action))
    if move is None:
        raise TransitionRefused(
            current,
            action,
            side,
            f"this referral is {_STATUS_WORDS[current]}, so it cannot be {_ACTION_WORDS[action]}",
        )
    if side not in move.sides:
        allowed = " or ".join(_SIDE_WORDS[s] for s in sorted(move.sides))
        raise TransitionRefused(
            current, action, side, f"only {allowed} can {_ACTION_VERBS[action]} this referral"
        )
    return move.to


def allowed_actions(current: Status, side: Side) -> tuple[Action, ...]:
    """The actions this side may take now, in the table's order (what a page offers as buttons)."""
    return tuple(
        action for (status, action), move in TRANSITIONS.items() if status is current and side in move.sides
    )


def is_open(status: Status) -> bool:
    return status in OPEN_STATUSES
