"""Checking the stored hash chain, batch by batch, with the pure rules of carepath_core.audit_chain.

Read-only. Memory stays bounded by one batch: each batch is read by keyset (sequence > the last
good one) and checked from where the previous batch ended. Events appended while a check runs are
left for the next run: the walk stops at the head it read first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from carepath.audit.chain_rows import LINK_COLUMNS, stored_link
from carepath.audit.models import AuditChainHead, AuditEvent
from carepath_core.audit_chain import (
    Anchor,
    BreakKind,
    ChainBreak,
    ChainPosition,
    StoredLink,
    check_anchor,
    check_head,
    check_links,
)

BATCH_SIZE = 2000


@dataclass(frozen=True)
class ChainReport:
    checked: ChainPosition  # how far the chain was found intact
    problem: ChainBreak | None  # the first broken link, if any

    @property
    def intact(self) -> bool:
        return self.problem is None


def verify_chain(
    *,
    anchor: Anchor | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int, int], None] | None = None,
) -> ChainReport:
    head = AuditChainHead.objects.first()
    events = AuditEvent.objects.order_by("sequence")
    if head is not None:
        events = events.filter(sequence__lte=head.sequence)
    position, anchor_seen = ChainPosition(), False
    while True:
        rows = events.filter(sequence__gt=position.sequence).values(*LINK_COLUMNS)[:batch_size]
        links = [stored_link(row) for row in rows]
        if not links:
            break
        result = check_links(links, position)
        broken = result if isinstance(result, ChainBreak) else None
        anchor_link = _link_at(anchor.sequence, links) if anchor is not None else None
        if anchor is not None and anchor_link is not None:
            anchor_seen = True
            # Report whichever problem comes first in the chain.
            if broken is None or anchor_link.entry.sequence < broken.sequence:
                broken = check_anchor(anchor, anchor_link) or broken
        if broken is not None:
            return ChainReport(position, broken)
        assert isinstance(result, ChainPosition)  # nosec B101 # type narrowing: not a ChainBreak, so a position
        position = result
        if progress is not None:
            progress(position.events, head.sequence if head is not None else position.events)
    return ChainReport(position, _end_problem(position, head, anchor, anchor_seen))


def _link_at(sequence: int, links: list[StoredLink]) -> StoredLink | None:
    return next((link for link in links if link.entry.sequence == sequence), None)


def _end_problem(
    end: ChainPosition, head: AuditChainHead | None, anchor: Anchor | None, anchor_seen: bool
) -> ChainBreak | None:
    if head is None:
        # No head row: either nothing was ever recorded, or the row was removed.
        missing = ChainBreak(BreakKind.HEAD, end.sequence + 1, None, "a head row", "none")
        return missing if end.events else None
    problem = check_head(end, head.sequence, head.hash)
    if problem is None and anchor is not None and not anchor_seen:
        return check_anchor(anchor, None)
    return problem


def describe_break(problem: ChainBreak) -> str:
    """The first broken link in a sentence for the person running the check."""
    where = f"sequence {problem.sequence}" + (f" (event id {problem.event_id})" if problem.event_id else "")
    if problem.kind is BreakKind.GAP:
        missing = int(problem.found) - int(problem.expected)
        return (
            f"Chain broken at sequence {problem.expected}: gap, the next stored event "
            f"(id {problem.event_id}) has sequence {problem.found}, so {missing} event(s) are missing."
        )
    if problem.kind is BreakKind.PREVIOUS_HASH:
        return (
            f"Chain broken at {where}: it stores previous hash {problem.found}, but the event before it "
            f"has hash {problem.expected}; an earlier event was replaced or this link was edited."
        )
    if problem.kind is BreakKind.HASH:
        return (
            f"Chain broken at {where}: stored hash {problem.found}, recomputed hash {problem.expected}; "
            "the event was changed after it was written."
        )
    if problem.kind is BreakKind.ACTOR:
        return (
            f"Chain broken at {where}: the event was written by account {problem.expected or '(none)'} "
            f"but now links to account {problem.found}."
        )
    if problem.kind is BreakKind.HEAD:
        return (
            f"Chain broken after the last stored event: the chain ends at {problem.found} "
            f"(sequence:hash) but its head records {problem.expected}; events were removed from the end "
            "or the head was edited."
        )
    return (
        f"Anchor mismatch at {where}: the exported hash is {problem.expected}, "
        f"the stored one is {problem.found or '(no such event)'}."
    )
