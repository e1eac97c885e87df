"""Keeping the search index in step with the directory.

Whatever changes a service (an import, the demo loader, a coordinator's edit) calls
`refresh_search_entries` with its id inside the same transaction, so the index never shows a
listing that is not there or misses one that is. `rebuild_search_index` remakes the whole index
(`carepath search-index rebuild`), a chunk of services at a time in bounded memory.

Only active services are indexed: an inactive, defunct or closed service is not offered to people.
The others go to the unlisted index (`record_words`), so the HSDS API and coordinators still find them.

An import re-indexes thousands of services at once, so this is written for speed: the facts are read
with plain SQL (`selectors.search_facts`), entries and points are inserted by `hsds_bulk.insert_rows`
(one `executemany`, or a `COPY` on PostgreSQL) rather than built as model instances, and services
with the same schedules share the work of turning them into opening windows.
`tests/integration/test_hsds_import_speed.py` checks that an import leaves the index a rebuild makes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

import orjson
from django.db import connection, transaction
from django.db.models import Model, Q

from carepath.directory import cell_positions
from carepath.directory.models import Schedule, SearchCard, SearchEntry, SearchPoint, UnlistedEntry
from carepath.directory.record_words import clear_unlisted, forget_unlisted, remember_unlisted
from carepath.directory.search_facets import entry_facets, listed_values
from carepath.directory.selectors.card_facts import DATE_FIELDS, card_facts
from carepath.directory.selectors.raw_rows import chunked, rows_where_in
from carepath.directory.selectors.search_facts import ServiceFacts, all_service_ids, service_facts
from carepath.directory.selectors.service_details import default_offset_minutes
from carepath.directory.services.hsds_bulk import insert_rows
from carepath.directory.text_index import Document, fine_place_token, online_token, place_token, text_index
from carepath.errors import ApplicationError
from carepath_core.directory_details import filter_language
from carepath_core.directory_freshness import last_checked
from carepath_core.search import geo, hours
from carepath_core.search.costs import summarise_costs
from carepath_core.search.text import fold
from carepath_core.vocabulary import lived_experience_topics

CHUNK = 1000
SUPPORT_WORDS = {
    "peer": "peer support lived experience",
    "professional": "professional therapy counselling clinician",
    "hybrid": "peer support professional therapy counselling",
    "self_help": "self-help",
    "crisis": "crisis support urgent",
}
ONLINE_WORDS = ("online", "video", "virtual", "internet")
PHONE_WORDS = ("phone", "telephone", "call")
IN_PERSON_WORDS = ("in person", "face to face", "drop in")

# The schedule fields `hours.weekly_windows` reads: schedules equal in these have equal windows.
WINDOW_FIELDS = (
    "freq", "interval", "count", "byday", "byweekno", "bymonthday", "byyearday", "opens_at",
    "closes_at", "timezone", "valid_from", "valid_to", "dtstart", "until",
)  # fmt: skip

Progress = Callable[[int], None]
Windows = Callable[[list[dict[str, Any]]], list[list[int]] | None]
FactsOf = Callable[[Sequence[str]], dict[str, ServiceFacts]]


def refresh_search_entries(
    service_ids: Iterable[str], windows_of: Windows | None = None, facts_of: FactsOf | None = None
) -> int:
    """Rebuild these services' search rows; returns how many are indexed.

    Call inside the transaction of the change, so the index and the directory change together.
    `windows_of` (from `windows_memo`) lets calls in one transaction share opening windows worked out.
    `facts_of` gives the services' facts instead of reading them (`service_facts`): a new import into
    an empty directory has them at hand (`hsds_fresh_index`).
    """
    if not connection.in_atomic_block:
        raise ApplicationError("the search index must change in the transaction of the change it follows")
    ids = sorted(set(service_ids))  # in id order, as a rebuild indexes them
    indexed = 0
    unlisted = UnlistedEntry.objects.exists()  # none yet (a first import): nothing to forget
    windows_of = windows_of or windows_memo()
    for start in range(0, len(ids), CHUNK):
        indexed += _replace(
            ids[start : start + CHUNK], windows_of, facts_of or service_facts, unlisted=unlisted
        )
    return indexed


def rebuild_search_index(progress: Progress | None = None) -> int:
    """Index every service again, in one transaction; returns how many services are indexed."""
    indexed = 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            text_index().clear(cursor)
        clear_unlisted()
        for model in (SearchCard, SearchPoint, SearchEntry):
            model.objects.all().delete()
        after = ""
        windows_of = _windows_memo(default_offset_minutes())
        while chunk := all_service_ids(after, CHUNK):
            indexed += _insert(service_facts(chunk), windows_of)
            after = chunk[-1]
            if progress is not None:
                progress(indexed)
        compact_cell_positions()
    return indexed


def compact_cell_positions() -> None:
    """After a bulk write, one row of position counts per grid cell again (`cell_positions.compact`)."""
    with connection.cursor() as cursor:
        cell_positions.compact(cursor, connection.vendor)


def _replace(service_ids: Sequence[str], windows_of: Windows, facts_of: FactsOf, *, unlisted: bool) -> int:
    if unlisted:
        forget_unlisted(service_ids)
    old = [entry_id for (entry_id,) in rows_where_in(SearchEntry, ("id",), "service_id", service_ids)]
    if old:
        with connection.cursor() as cursor:
            text_index().delete(cursor, old)
            for table, column in ((SearchCard, "entry_id"), (SearchPoint, "entry_id"), (SearchEntry, "id")):
                _delete_where_in(cursor, table, column, old)
    return _insert(facts_of(service_ids), windows_of)


def _delete_where_in(cursor: Any, model: type[Model], attribute: str, values: Sequence[Any]) -> None:
    quote = connection.ops.quote_name
    table, column = quote(model._meta.db_table), quote(attribute)
    for chunk in chunked(values):
        # Names come from the models (quoted); the values are parameters.
        cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({', '.join(['%s'] * len(chunk))})", chunk)  # noqa: S608


ENTRY_FIELDS = (
    "service_id", "organization_id", "name_key", "support_type", "country", "online", "located",
    "modalities", "languages", "topics", "cost_kinds", "cost_lowest", "min_age", "max_age",
    "capacity_available", "hours_24_7", "open_windows", "last_checked",
)  # fmt: skip
POINT_FIELDS = ("entry_id", "cell", "latitude", "longitude")


def _insert(facts: dict[str, ServiceFacts], windows_of: Windows) -> int:
    """Index these services: one search entry each for the active ones, with its points and words."""
    active = [item for item in facts.values() if item.service["status"] == "active"]
    # The others stay findable by their words for the HSDS API and coordinators (record_words).
    remember_unlisted([item.service for item in facts.values() if item.service["status"] != "active"])
    if not active:
        return 0
    entries = [_entry(item, windows_of) for item in active]
    insert_rows(SearchEntry, ENTRY_FIELDS, [[entry[name] for name in ENTRY_FIELDS] for entry in entries])
    # The database numbered the new entries; each service has one entry.
    entry_ids = dict(rows_where_in(SearchEntry, ("service_id", "id"), "service_id", facts))
    points: list[tuple[int, int, float, float]] = []
    documents: list[Document] = []
    for item, entry in zip(active, entries, strict=True):
        entry_id = entry_ids[entry["service_id"]]
        located = entry["positions"]
        points.extend((entry_id, geo.cell_of(p), p.latitude, p.longitude) for p in located)
        documents.append(_document(item, entry, entry_id, located))
    insert_rows(SearchPoint, POINT_FIELDS, points)
    _write_cards(entry_ids)
    with connection.cursor() as cursor:
        index = text_index()
        index.delete(cursor, [document.entry_id for document in documents])  # ids a flushed table may reuse
        index.write(cursor, documents)
    return len(entries)


def _write_cards(entry_ids: dict[str, int]) -> None:
    """Store what each entry's result card shows (`card_facts`), read from the records just written."""
    facts = card_facts(list(entry_ids))
    # orjson: compact, and about a fifth of the standard encoder's time (an import writes thousands).
    rows = [(entry_ids[service_id], orjson.dumps(card).decode()) for service_id, card in facts.items()]
    insert_rows(SearchCard, ("entry_id", "facts"), rows)


def write_missing_cards(batch: int = CHUNK) -> int:
    """Store the card facts of every entry written before they were stored (migration 0011);
    returns how many it wrote. One batch of entries at a time, in bounded memory."""
    written, after = 0, 0
    entries = SearchEntry.objects.filter(card__isnull=True).order_by("id")
    while chunk := list(entries.filter(id__gt=after).values_list("service_id", "id")[:batch]):
        _write_cards(dict(chunk))
        written += len(chunk)
        after = chunk[-1][1]
    return written


def rewrite_dated_schedule_cards() -> int:
    """Store again the cards of the services with a described schedule that has dates (migration
    0013): cards written before kept no rule for such a schedule, so they could not tell that it
    had ended or not yet begun. Returns how many cards it wrote."""
    dated = reduce(or_, (Q(**{f"{name}__isnull": False}) for name in DATE_FIELDS))
    described = Schedule.objects.filter(dated).exclude(description="")
    service_ids = set(described.exclude(service=None).values_list("service_id", flat=True))
    service_ids.update(
        described.exclude(service_at_location=None).values_list("service_at_location__service_id", flat=True)
    )
    SearchCard.objects.filter(entry__service_id__in=service_ids).delete()
    return write_missing_cards()


FACET_FIELDS = (
    "id",
    "support_type",
    "languages",
    "topics",
    "modalities",
    "cost_kinds",
    "capacity_available",
    "hours_24_7",
    "open_windows",
)


def add_facet_tokens(batch: int = 5000) -> int:
    """Add the facet tokens to an index written before they existed (migration 0010); returns how
    many entries it went through (one with nothing to filter on keeps its document as it was).
    The documents end as a rebuild writes them, without working out every service's facts again
    (at a million listings, minutes instead of an hour)."""
    quote = connection.ops.quote_name
    table, index, changed, after = quote(SearchEntry._meta.db_table), text_index(), 0, 0
    columns = ", ".join(quote(name) for name in FACET_FIELDS)
    with connection.cursor() as cursor:
        while True:
            # Names from the model (quoted); the values are parameters.
            cursor.execute(
                f"SELECT {columns} FROM {table} WHERE id > %s ORDER BY id LIMIT %s",  # noqa: S608
                [after, batch],
            )
            rows = [dict(zip(FACET_FIELDS, row, strict=True)) for row in cursor.fetchall()]
            if not rows:
                break
            tokens = [(row["id"], " ".join(entry_facets(row))) for row in rows]
            index.append_places(cursor, [(entry_id, added) for entry_id, added in tokens if added])
            changed, after = changed + len(rows), rows[-1]["id"]
        index.optimize(cursor)
    return changed


def _positions(item: ServiceFacts) -> list[geo.Point]:
    found = []
    for place in item.places:
        if place.latitude is None or place.longitude is None:
            continue
        point = geo.Point(place.latitude, place.longitude)
        if abs(point.latitude) <= geo.MAX_LATITUDE_FOR_RADIUS and point not in found:
            found.append(point)
    return found


def _bars(values: Iterable[str]) -> str:
    kept = sorted({value for value in values if value})
    return f"|{'|'.join(kept)}|" if kept else ""


def _modalities(item: ServiceFacts) -> set[str]:
    found = set()
    for place in item.places:
        found.add({"physical": "in_person", "virtual": "online"}.get(place.location_type, ""))
    for schedule in item.schedules:
        attending = fold(str(schedule.get("attending_type") or ""))
        if any(word in attending for word in ONLINE_WORDS):
            found.add("online")
        if any(word in attending for word in PHONE_WORDS):
            found.add("phone")
        if any(word in attending for word in IN_PERSON_WORDS):
            found.add("in_person")
    found.discard("")
    return found


def _whole(value: Decimal | None) -> int | None:
    return None if value is None else int(value)


def windows_memo() -> Windows:
    """A memo of opening windows for the directory's time zone, to share between refreshes."""
    return _windows_memo(default_offset_minutes())


def _windows_memo(offset: int) -> Windows:
    """The encoded opening windows of a list of schedules, worked out once per distinct list.

    Many services share their hours (the same weekdays, nine to five); working the windows out is
    the costliest part of an entry, and the same schedules always give the same windows."""
    known: dict[tuple[tuple[Any, ...], ...], list[list[int]] | None] = {}

    def windows_of(schedules: list[dict[str, Any]]) -> list[list[int]] | None:
        key = tuple(tuple(schedule[name] for name in WINDOW_FIELDS) for schedule in schedules)
        if key not in known:
            windows = hours.service_windows(schedules, offset)
            known[key] = None if windows is None else hours.encode(windows)
        return known[key]

    return windows_of


def _entry(item: ServiceFacts, windows_of: Windows) -> dict[str, Any]:
    """The search entry's fields (model attributes), and the service's `positions` on the map."""
    service = item.service
    modalities = _modalities(item)
    costs = summarise_costs(item.costs, str(service["fees_description"] or ""))
    countries = {c for place in item.places for c in place.countries} or set(item.organization_countries)
    capacities = [value for value in item.capacities if value is not None]
    positions = _positions(item)
    return {
        "service_id": service["id"],
        "organization_id": service["organization_id"] or "",
        "name_key": fold(str(service["name"]))[:120],
        "support_type": service["support_type"] or "",
        "country": sorted(countries)[0][:2].upper() if countries else "",
        "online": bool(modalities & {"online", "phone"}),
        "located": bool(positions),
        "modalities": _bars(modalities),
        "languages": _bars(filter_language(str(row["code"] or "")) for row in item.languages),
        "topics": _bars(service["lived_experience_topics"] or ()),
        "cost_kinds": _bars(costs.kinds),
        "cost_lowest": costs.lowest_amount,
        "min_age": _whole(service["minimum_age"]),
        "max_age": _whole(service["maximum_age"]),
        "capacity_available": sum(capacities) if capacities else None,
        "hours_24_7": bool(service["hours_24_7"]),
        "open_windows": windows_of(item.schedules),
        "last_checked": last_checked(service["assured_date"], str(service["last_modified"] or "")),
        "positions": positions,
    }


def _document(item: ServiceFacts, entry: dict[str, Any], entry_id: int, located: list[geo.Point]) -> Document:
    service = item.service
    topics = lived_experience_topics()
    keywords = [
        SUPPORT_WORDS.get(entry["support_type"], ""),
        " ".join(
            topics.get(code, code.replace("_", " ")) for code in service["lived_experience_topics"] or ()
        ),
        item.organization_name,
        " ".join(str(row["name"] or row["code"] or "") for row in item.languages),
        " ".join(city for place in item.places for city in place.cities),
        " ".join(kind.replace("_", " ") for kind in listed_values(entry["cost_kinds"])),
    ]
    places = {place_token(geo.cell_of(point, geo.COARSE_CELL_DEGREES)) for point in located}
    places.update(fine_place_token(geo.cell_of(point)) for point in located)
    if entry["online"]:
        places.add(online_token(entry["country"]))
    return Document(
        entry_id=entry_id,
        name=fold(f"{service['name']} {service['alternate_name'] or ''}"),
        keywords=fold(" ".join(part for part in keywords if part)),
        body=fold(f"{service['description'] or ''} {service['eligibility_description'] or ''}"),
        # Facets after the places, as `add_facet_tokens` appends them to an index written before.
        places=" ".join([*sorted(places), *entry_facets(entry)]),
    )
