"""Keeping the search index in step with the directory.

Whatever changes a service (an import, the demo loader, a coordinator's edit) calls
`refresh_search_entries` with its id inside the same transaction, so the index never shows a
listing that is not there or misses one that is. `rebuild_search_index` remakes the whole index
(`carepath search-index rebuild`), a chunk of services at a time in bounded memory.

Only active services are indexed: an inactive, defunct or closed service is not offered to people.
The others go to the unlisted index (`record_words`), so the HSDS API and coordinators still find them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction

from carepath.directory.models import SearchEntry, SearchPoint
from carepath.directory.record_words import clear_unlisted, forget_unlisted, remember_unlisted
from carepath.directory.selectors.search_facts import ServiceFacts, all_service_ids, service_facts
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

Progress = Callable[[int], None]


def refresh_search_entries(service_ids: Iterable[str]) -> int:
    """Rebuild these services' search rows; returns how many are indexed.

    Call inside the transaction of the change, so the index and the directory change together.
    """
    if not connection.in_atomic_block:
        raise ApplicationError("the search index must change in the transaction of the change it follows")
    ids = list(dict.fromkeys(service_ids))
    indexed = 0
    for start in range(0, len(ids), CHUNK):
        indexed += _replace(ids[start : start + CHUNK])
    return indexed


def rebuild_search_index(progress: Progress | None = None) -> int:
    """Index every service again, in one transaction; returns how many services are indexed."""
    indexed = 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            text_index().clear(cursor)
        clear_unlisted()
        SearchPoint.objects.all().delete()
        SearchEntry.objects.all().delete()
        after = ""
        while chunk := all_service_ids(after, CHUNK):
            indexed += _insert(service_facts(chunk))
            after = chunk[-1]
            if progress is not None:
                progress(indexed)
    return indexed


def _replace(service_ids: Sequence[str]) -> int:
    forget_unlisted(service_ids)
    old = list(SearchEntry.objects.filter(service_id__in=service_ids).values_list("id", flat=True))
    if old:
        with connection.cursor() as cursor:
            text_index().delete(cursor, old)
        SearchPoint.objects.filter(entry_id__in=old).delete()
        SearchEntry.objects.filter(id__in=old).delete()
    return _insert(service_facts(service_ids))


def _insert(facts: dict[str, ServiceFacts]) -> int:
    offset = _default_offset_minutes()
    active = [item for item in facts.values() if item.service["status"] == "active"]
    # The others stay findable by their words for the HSDS API and coordinators (record_words).
    remember_unlisted([item.service for item in facts.values() if item.service["status"] != "active"])
    entries = [_entry(item, offset) for item in active]
    SearchEntry.objects.bulk_create(entries, batch_size=500)
    if any(entry.pk is None for entry in entries):  # a database that cannot return new ids
        by_service = dict(
            SearchEntry.objects.filter(service_id__in=[e.service_id for e in entries]).values_list(
                "service_id", "id"
            )
        )
        for entry in entries:
            entry.pk = by_service[entry.service_id]
    points: list[SearchPoint] = []
    documents: list[Document] = []
    for item, entry in zip(active, entries, strict=True):
        located = _positions(item)
        points.extend(
            SearchPoint(entry_id=entry.pk, cell=geo.cell_of(p), latitude=p.latitude, longitude=p.longitude)
            for p in located
        )
        documents.append(_document(item, entry, located))
    SearchPoint.objects.bulk_create(points, batch_size=1000)
    with connection.cursor() as cursor:
        index = text_index()
        index.delete(cursor, [document.entry_id for document in documents])  # ids a flushed table may reuse
        index.write(cursor, documents)
    return len(entries)


def _default_offset_minutes() -> int:
    zone = ZoneInfo(settings.CAREPATH_TIME_ZONE)
    offset = dt.datetime(2025, 1, 15, 12, tzinfo=zone).utcoffset()  # standard time, as schedules are
    return 0 if offset is None else int(offset.total_seconds() // 60)


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


def _entry(item: ServiceFacts, offset: int) -> SearchEntry:
    service = item.service
    modalities = _modalities(item)
    costs = summarise_costs(item.costs, str(service["fees_description"] or ""))
    countries = {c for place in item.places for c in place.countries} or set(item.organization_countries)
    windows = hours.service_windows(item.schedules, offset)
    capacities = [value for value in item.capacities if value is not None]
    return SearchEntry(
        service_id=service["id"],
        organization_id=service["organization_id"] or "",
        name_key=fold(str(service["name"]))[:120],
        support_type=service["support_type"] or "",
        country=sorted(countries)[0][:2].upper() if countries else "",
        online=bool(modalities & {"online", "phone"}),
        located=bool(_positions(item)),
        modalities=_bars(modalities),
        languages=_bars(filter_language(str(row["code"] or "")) for row in item.languages),
        topics=_bars(service["lived_experience_topics"] or ()),
        cost_kinds=_bars(costs.kinds),
        cost_lowest=costs.lowest_amount,
        min_age=_whole(service["minimum_age"]),
        max_age=_whole(service["maximum_age"]),
        capacity_available=sum(capacities) if capacities else None,
        hours_24_7=bool(service["hours_24_7"]),
        open_windows=None if windows is None else hours.encode(windows),
        last_checked=last_checked(service["assured_date"], str(service["last_modified"] or "")),
    )


def _document(item: ServiceFacts, entry: SearchEntry, located: list[geo.Point]) -> Document:
    service = item.service
    topics = lived_experience_topics()
    keywords = [
        SUPPORT_WORDS.get(entry.support_type, ""),
        " ".join(
            topics.get(code, code.replace("_", " ")) for code in service["lived_experience_topics"] or ()
        ),
        item.organization_name,
        " ".join(str(row["name"] or row["code"] or "") for row in item.languages),
        " ".join(city for place in item.places for city in place.cities),
        " ".join(kind.replace("_", " ") for kind in entry.cost_kinds.strip("|").split("|")),
    ]
    places = {place_token(geo.cell_of(point, geo.COARSE_CELL_DEGREES)) for point in located}
    places.update(fine_place_token(geo.cell_of(point)) for point in located)
    if entry.online:
        places.add(online_token(entry.country))
    return Document(
        entry_id=entry.pk,
        name=fold(f"{service['name']} {service['alternate_name'] or ''}"),
        keywords=fold(" ".join(part for part in keywords if part)),
        body=fold(f"{service['description'] or ''} {service['eligibility_description'] or ''}"),
        places=" ".join(sorted(places)),
    )
