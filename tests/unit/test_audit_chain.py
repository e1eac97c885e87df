"""The audit hash chain in the core: any change to any field of any event, a deletion, an insertion
or a reordering is found at the first broken link; the canonical form survives a database round trip.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carepath_core.audit_chain import (
    GENESIS_HASH,
    Anchor,
    BreakKind,
    ChainBreak,
    ChainEntry,
    ChainPosition,
    StoredLink,
    canonical_bytes,
    canonical_json_value,
    check_anchor,
    check_head,
    check_links,
    entry_hash,
    read_anchor,
    utc_timestamp,
)
from carepath_core.errors import InvalidData

TEXT_FIELDS = ("actor_ref", "actor_label", "actor_role", "action", "outcome", "subject_type", "subject_id")
ALL_FIELDS = (*TEXT_FIELDS, "sequence", "occurred_at", "detail", "previous_hash", "version")

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=6,
)
details = st.dictionaries(st.text(max_size=6), json_values, max_size=3)
moments = st.datetimes(
    min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC)
)


@st.composite
def event_fields(draw: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {name: draw(st.text(max_size=10)) for name in TEXT_FIELDS}
    fields.update(occurred_at=draw(moments), detail=draw(details))
    return fields


def build_chain(events: list[dict[str, Any]]) -> list[StoredLink]:
    """A valid chain of the given events, as a database would hand it back."""
    links, previous = [], GENESIS_HASH
    for number, fields in enumerate(events, start=1):
        entry = ChainEntry(sequence=number, previous_hash=previous, **fields)
        previous = entry_hash(entry)
        links.append(StoredLink(event_id=number * 10, entry=entry, stored_hash=previous))
    return links


def chains(min_size: int = 1) -> st.SearchStrategy[list[StoredLink]]:
    return st.lists(event_fields(), min_size=min_size, max_size=6).map(build_chain)


def other_value(entry: ChainEntry, name: str, data: Any) -> Any:
    """A different value for one field of an entry."""
    current = getattr(entry, name)
    if name in ("sequence", "version"):
        return current + data.draw(st.integers(min_value=1, max_value=5))
    if name == "occurred_at":
        return current + dt.timedelta(microseconds=data.draw(st.integers(min_value=1, max_value=10**9)))
    if name == "detail":
        return data.draw(details.filter(lambda d: canonical_json_value(d) != canonical_json_value(current)))
    return data.draw(st.text(max_size=10).filter(lambda text: text != current))


def first_break(links: list[StoredLink]) -> ChainBreak:
    result = check_links(links)
    assert isinstance(result, ChainBreak), "the change went unnoticed"
    return result


@given(chains())
def test_an_untouched_chain_is_intact_and_ends_at_its_last_hash(links: list[StoredLink]) -> None:
    result = check_links(links)
    assert result == ChainPosition(len(links), links[-1].stored_hash, len(links))
    assert check_head(result, len(links), links[-1].stored_hash) is None


@given(chains(), st.integers(min_value=1, max_value=4))
def test_checking_batch_by_batch_gives_the_same_answer_as_all_at_once(
    links: list[StoredLink], size: int
) -> None:
    position: ChainPosition | ChainBreak = ChainPosition()
    for start in range(0, len(links), size):
        assert isinstance(position, ChainPosition)
        position = check_links(links[start : start + size], position)
    assert position == check_links(links)


@settings(max_examples=200, deadline=None)
@given(chains(), st.sampled_from(ALL_FIELDS), st.data())
def test_changing_any_field_of_any_event_breaks_the_chain_at_that_event(
    links: list[StoredLink], name: str, data: Any
) -> None:
    index = data.draw(st.integers(min_value=0, max_value=len(links) - 1))
    changed = dataclasses.replace(links[index].entry, **{name: other_value(links[index].entry, name, data)})
    links[index] = dataclasses.replace(links[index], entry=changed)
    found = first_break(links)
    assert found.event_id == links[index].event_id
    assert found.sequence == index + 1


@settings(deadline=None)
@given(chains(2), st.sampled_from(ALL_FIELDS), st.data())
def test_a_change_with_a_recomputed_hash_is_caught_at_the_next_link(
    links: list[StoredLink], name: str, data: Any
) -> None:
    index = data.draw(st.integers(min_value=0, max_value=len(links) - 2))
    if name in ("sequence", "previous_hash", "version"):
        return  # checked at the changed event itself, rehashed or not (the test above)
    changed = dataclasses.replace(links[index].entry, **{name: other_value(links[index].entry, name, data)})
    links[index] = StoredLink(links[index].event_id, changed, entry_hash(changed))
    found = first_break(links)
    assert (found.kind, found.event_id) == (BreakKind.PREVIOUS_HASH, links[index + 1].event_id)


@given(chains(2), st.data())
def test_deleting_an_event_leaves_a_gap_at_its_sequence_number(links: list[StoredLink], data: Any) -> None:
    index = data.draw(st.integers(min_value=0, max_value=len(links) - 2))
    after = links[index + 1]
    del links[index]
    found = first_break(links)
    assert (found.kind, found.sequence, found.event_id) == (BreakKind.GAP, index + 1, after.event_id)


@given(chains())
def test_deleting_the_last_events_is_caught_by_the_head(links: list[StoredLink]) -> None:
    head = (len(links), links[-1].stored_hash)
    end = check_links(links[:-1])
    assert isinstance(end, ChainPosition)
    found = check_head(end, *head)
    assert found is not None and (found.kind, found.sequence) == (BreakKind.HEAD, len(links))


@given(chains(), event_fields(), st.data())
def test_inserting_an_event_is_caught_where_it_was_put_or_just_after(
    links: list[StoredLink], fields: dict[str, Any], data: Any
) -> None:
    index = data.draw(st.integers(min_value=0, max_value=len(links) - 1))
    # The most careful forger: the right sequence number, previous hash and own hash.
    previous = links[index - 1].stored_hash if index else GENESIS_HASH
    forged = ChainEntry(sequence=index + 1, previous_hash=previous, **fields)
    links.insert(index, StoredLink(event_id=999_999, entry=forged, stored_hash=entry_hash(forged)))
    found = first_break(links)
    assert found.event_id == links[index + 1].event_id  # the genuine event it pushed down


@given(chains(2), st.data())
def test_swapping_two_events_breaks_the_chain_at_the_first_of_them(
    links: list[StoredLink], data: Any
) -> None:
    first = data.draw(st.integers(min_value=0, max_value=len(links) - 2))
    second = data.draw(st.integers(min_value=first + 1, max_value=len(links) - 1))
    links[first], links[second] = links[second], links[first]
    assert first_break(links).sequence == first + 1


def test_a_relinked_actor_is_caught_and_an_erased_one_is_not() -> None:
    links = build_chain([_fields(actor_ref="7")])
    erased = dataclasses.replace(links[0], current_actor_id=None)
    assert isinstance(check_links([erased]), ChainPosition)
    relinked = dataclasses.replace(links[0], current_actor_id="8")
    found = first_break([relinked])
    assert (found.kind, found.expected, found.found) == (BreakKind.ACTOR, "7", "8")


def pg_jsonb_round_trip(value: Any) -> Any:
    """What PostgreSQL's jsonb gives back: numbers are decimals, shown without exponent."""

    def number(text: str) -> Any:
        exact = Decimal(text)
        return int(exact) if int(exact.as_tuple().exponent) >= 0 else float(exact)

    return json.loads(json.dumps(value), parse_float=number, parse_int=int)


@settings(max_examples=200, deadline=None)
@given(details)
def test_the_canonical_form_survives_a_json_and_a_jsonb_round_trip(detail: dict[str, Any]) -> None:
    entry = ChainEntry(sequence=1, previous_hash=GENESIS_HASH, **{**_fields(), "detail": detail})
    for stored in (json.loads(json.dumps(detail)), pg_jsonb_round_trip(detail)):
        assert canonical_bytes(dataclasses.replace(entry, detail=stored)) == canonical_bytes(entry)


def test_the_canonical_form_is_sorted_compact_ascii_json_with_every_field() -> None:
    entry = ChainEntry(
        sequence=3,
        previous_hash="ab" * 32,
        version=1,
        **_fields(actor_ref="5", actor_label="coord", detail={"b": 2.0, "a": ["é", (1, 2)]}),
    )
    text = canonical_bytes(entry).decode("ascii")
    assert text == (
        '{"action":"auth.login","actor":{"id":"5","label":"coord","role":"coordinator"},'
        '"detail":{"a":["\\u00e9",[1,2]],"b":2},"outcome":"success","previous":"' + "ab" * 32 + '",'
        '"sequence":3,"subject":{"id":"5","type":"account"},"time":"2026-03-01T09:30:00.000000Z","v":1}'
    )


def test_times_are_written_in_utc_and_must_carry_a_zone() -> None:
    paris = dt.timezone(dt.timedelta(hours=1))
    assert utc_timestamp(dt.datetime(2026, 3, 1, 10, 30, tzinfo=paris)) == "2026-03-01T09:30:00.000000Z"
    with pytest.raises(InvalidData, match="occurred_at"):
        utc_timestamp(dt.datetime(2026, 3, 1, 10, 30))  # no time zone: the point of the test


def test_details_that_json_cannot_hold_are_refused_by_name() -> None:
    with pytest.raises(InvalidData, match="detail"):
        canonical_json_value({"when": dt.date(2026, 1, 1)})


def test_an_unknown_chain_version_is_refused() -> None:
    entry = ChainEntry(sequence=1, previous_hash=GENESIS_HASH, version=3, **_fields())
    with pytest.raises(InvalidData, match="version"):
        entry_hash(entry)


def test_anchors_are_read_and_checked() -> None:
    links = build_chain([_fields(), _fields()])
    anchor = read_anchor(f" 2:{links[1].stored_hash.upper()} ")
    assert anchor == Anchor(2, links[1].stored_hash)
    assert check_anchor(anchor, links[1]) is None
    wrong = check_anchor(Anchor(2, "0" * 64), links[1])
    assert wrong is not None and (wrong.kind, wrong.found) == (BreakKind.ANCHOR, links[1].stored_hash)
    missing = check_anchor(Anchor(9, "0" * 64), None)
    assert missing is not None and missing.found == ""
    for text in ("abc", "0:" + "0" * 64, "2:xyz", "2:" + "g" * 64, ":" + "0" * 64):
        with pytest.raises(InvalidData, match="anchor"):
            read_anchor(text)


@settings(deadline=None)
@given(event_fields(), st.integers(min_value=1, max_value=2**40))
def test_the_migration_that_chained_old_events_uses_the_same_rule(
    fields: dict[str, Any], sequence: int
) -> None:
    migration = importlib.import_module("carepath.audit.migrations.0011_chain_existing_events")
    entry = ChainEntry(sequence=sequence, previous_hash="cd" * 32, version=1, **fields)
    row = {**fields, "details": fields["detail"], "sequence": sequence, "previous_hash": "cd" * 32}
    assert migration.v1_hash(row) == entry_hash(entry)


def _fields(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "occurred_at": dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC),
        "actor_ref": "5",
        "actor_label": "coord",
        "actor_role": "coordinator",
        "action": "auth.login",
        "outcome": "success",
        "subject_type": "account",
        "subject_id": "5",
        "detail": {},
    }
    return {**base, **changes}
