"""Chain version 2: the personal part (label and details) is hashed through a salted digest, so an
event can be erased without breaking the chain; version-1 events erased keep only their links."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from carepath_core.audit_chain import (
    GENESIS_HASH,
    BreakKind,
    ChainBreak,
    ChainEntry,
    ChainPosition,
    StoredLink,
    canonical_bytes,
    check_links,
    entry_hash,
    erased,
    personal_part_digest,
)

SALTS = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)


def fields(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "occurred_at": dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC),
        "actor_ref": "5",
        "actor_label": "sam.the.seeker",
        "actor_role": "help_seeker",
        "action": "account.token_created",
        "outcome": "success",
        "subject_type": "api_token",
        "subject_id": "9",
        "detail": {"name": "Sam's laptop", "owner_id": 5},
        "personal_salt": "ab" * 32,
    }
    return {**base, **changes}


def chain(events: list[dict[str, Any]]) -> list[StoredLink]:
    links, previous = [], GENESIS_HASH
    for number, values in enumerate(events, start=1):
        entry = ChainEntry(sequence=number, previous_hash=previous, **values)
        previous = entry_hash(entry)
        links.append(StoredLink(event_id=number, entry=entry, stored_hash=previous))
    return links


def erase(link: StoredLink) -> StoredLink:
    return dataclasses.replace(link, entry=erased(link.entry), erased=True)


def first_break(links: list[StoredLink]) -> ChainBreak:
    result = check_links(links)
    assert isinstance(result, ChainBreak), "the change went unnoticed"
    return result


def test_version_2_hashes_a_digest_of_the_personal_part_never_the_words() -> None:
    entry = ChainEntry(sequence=1, previous_hash=GENESIS_HASH, **fields())
    text = canonical_bytes(entry).decode("ascii")
    assert "sam.the.seeker" not in text and "laptop" not in text
    assert f'"personal":"{personal_part_digest(entry)}"' in text
    assert '"v":2' in text


def test_erasing_empties_label_details_and_salt_and_keeps_the_hash() -> None:
    links = chain([fields(), fields(action="auth.login"), fields()])
    links[1] = erase(links[1])
    entry = links[1].entry
    assert (entry.actor_label, entry.detail, entry.personal_salt) == ("", {}, "")
    assert len(entry.personal_digest) == 64
    assert entry_hash(entry) == links[1].stored_hash
    assert check_links(links) == ChainPosition(3, links[2].stored_hash, 3)


@settings(deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=6), SALTS)
def test_any_events_erased_in_any_order_leave_the_chain_intact(which: list[bool], salt: str) -> None:
    links = chain([fields(personal_salt=salt, subject_id=str(n)) for n in range(len(which))])
    erased_links = [erase(link) if chosen else link for link, chosen in zip(links, which, strict=True)]
    assert isinstance(check_links(erased_links), ChainPosition)


def test_an_erased_event_cannot_be_given_new_words() -> None:
    links = chain([fields(), fields()])
    links[0] = erase(links[0])
    for change in ({"actor_label": "someone.else"}, {"detail": {"name": "forged"}}):
        forged = dataclasses.replace(links[0], entry=dataclasses.replace(links[0].entry, **change))
        found = first_break([forged, links[1]])
        assert (found.kind, found.sequence) == (BreakKind.HASH, 1)
        assert "must hold no label and no details" in found.expected


def test_a_changed_digest_salt_label_or_detail_breaks_the_chain_at_that_event() -> None:
    links = chain([fields(), fields()])
    erased_first = erase(links[0])
    changes = [
        dataclasses.replace(
            erased_first, entry=dataclasses.replace(erased_first.entry, personal_digest="0" * 64)
        ),
        dataclasses.replace(links[0], entry=dataclasses.replace(links[0].entry, personal_salt="cd" * 32)),
        dataclasses.replace(links[0], entry=dataclasses.replace(links[0].entry, actor_label="sam")),
        dataclasses.replace(links[0], entry=dataclasses.replace(links[0].entry, detail={"name": "x"})),
    ]
    for changed in changes:
        found = first_break([changed, links[1]])
        assert (found.kind, found.sequence) == (BreakKind.HASH, 1)


def test_the_digest_depends_on_the_salt_so_two_events_by_one_person_do_not_match() -> None:
    one = ChainEntry(sequence=1, previous_hash=GENESIS_HASH, **fields(personal_salt="01" * 32))
    two = dataclasses.replace(one, personal_salt="02" * 32)
    assert personal_part_digest(one) != personal_part_digest(two)


def test_erasing_without_keeping_the_digest_breaks_the_chain() -> None:
    links = chain([fields()])
    blanked = dataclasses.replace(
        links[0].entry, actor_label="", detail={}, personal_salt="", personal_digest=""
    )
    found = first_break([StoredLink(1, blanked, links[0].stored_hash, erased=True)])
    assert found.kind is BreakKind.HASH


def test_an_erased_version_1_event_is_checked_by_its_links_only() -> None:
    links = chain([fields(version=1, personal_salt=""), fields(version=1, personal_salt=""), fields()])
    links[1] = erase(links[1])
    assert links[1].entry.personal_digest == ""
    assert isinstance(check_links(links), ChainPosition)
    # It must hold nothing personal, and must say that it was erased.
    relabelled = dataclasses.replace(links[1], entry=dataclasses.replace(links[1].entry, actor_label="x"))
    assert first_break([links[0], relabelled, links[2]]).sequence == 2
    unflagged = dataclasses.replace(links[1], erased=False)
    assert first_break([links[0], unflagged, links[2]]).sequence == 2


def test_an_erased_version_1_event_still_cannot_be_replaced_or_removed() -> None:
    links = chain([fields(version=1, personal_salt=""), fields(version=1, personal_salt=""), fields()])
    links[1] = erase(links[1])
    replaced = dataclasses.replace(links[1], stored_hash="f" * 64)
    assert first_break([links[0], replaced, links[2]]).kind is BreakKind.PREVIOUS_HASH
    assert first_break([links[0], links[2]]).kind is BreakKind.GAP
