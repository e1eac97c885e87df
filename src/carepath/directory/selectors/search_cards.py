"""What a result card shows: the ten-dimension facts of each service found, read for one page at once.

Two plain SQL queries per page whatever the number of results: the services with their search
entries and organisations, then their schedules, languages, phones and costs together. The labels
a card shows are translated once per page and language, not once per card.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Context, Decimal
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from django.db import connection
from django.utils.translation import get_language, gettext

from carepath.directory.models import (
    CostOption,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    SearchEntry,
    Service,
    ServiceAtLocation,
    SupportType,
)
from carepath.directory.selectors.prepared import any_of, prepared_cursor
from carepath.directory.selectors.search import Hit
from carepath.directory.selectors.service_details import default_offset_minutes
from carepath_core.directory_freshness import is_stale
from carepath_core.search import hours
from carepath_core.search.hours_text import hours_line
from carepath_core.vocabulary import lived_experience_topics, search_languages
from carepath_core.vocabulary.language_codes import search_language

DESCRIPTION_LENGTH = 280
REMEMBERED_TRANSLATIONS = 2000
_translations: dict[tuple[str | None, str], str] = {}
MODALITY_LABELS = {"in_person": "In person", "online": "Online", "phone": "By phone"}
CONFIDENTIALITY_LIMIT_LABELS = {
    "risk_to_life": "when someone's life is at risk",
    "safeguarding_child": "to protect a child from harm",
    "safeguarding_adult": "to protect an adult at risk from harm",
    "court_order": "when a court orders it",
    "serious_crime": "to prevent or report a serious crime",
    "public_health": "for public-health reasons set by law",
    "other": "in other cases the service describes",
}


@dataclass
class ServiceCard:
    service_id: str
    name: str
    organization_name: str
    description: str
    support_type: str
    support_type_label: str
    url: str
    email: str
    phone: str
    distance_km: float | None
    online: bool
    modalities: list[str]
    languages: list[str]
    topics: list[str]
    credentials: list[str]
    confidentiality_policy: str
    confidentiality_limits: list[str]
    costs: list[str]
    hours: list[str]
    hours_24_7: bool
    open_at_time: bool | None  # None: no time was asked about, or the hours are unknown
    capacity: str
    crisis_capable: bool | None
    last_checked: dt.date | None
    stale: bool
    score: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


class _Labels:
    """`gettext` in the page's language, remembered: a page of cards asks for the same few labels a
    hundred times, and asking Django for the active language each time cost more than the rest."""

    def __init__(self) -> None:
        self.language = get_language()

    def __call__(self, message: str) -> str:
        key = (self.language, message)
        found = _translations.get(key)
        if found is None:
            found = gettext(message)
            if len(_translations) < REMEMBERED_TRANSLATIONS:  # codes from listings are not a closed set
                _translations[key] = found
        return found

    def support_types(self) -> dict[str, str]:
        return {value: str(label) for value, label in SupportType.choices}


def _money(amount: Decimal | None, currency: str) -> str:
    if amount is None:
        return ""
    return f"{amount.normalize():f} {currency}".strip()


def _cost_line(row: dict[str, Any], _: _Labels) -> str:
    option = str(row["option"] or _("Cost"))
    amount = _money(row["amount"], str(row["currency"] or ""))
    if row["amount"] is not None and row["amount"] == 0:
        amount = "" if "free" in option.lower() else _("free")
    details = str(row["amount_description"] or "")
    return " — ".join(part for part in (f"{option}: {amount}" if amount else option, details) if part)


def _credentials(service: dict[str, Any], _: _Labels) -> list[str]:
    lines = []
    if service["licence_type"]:
        body = f" ({service['licensing_body']})" if service["licensing_body"] else ""
        lines.append(_("Licence: %(licence)s%(body)s") % {"licence": service["licence_type"], "body": body})
    if service["peer_certification"]:
        lines.append(_("Peer certification: %(name)s") % {"name": service["peer_certification"]})
    if service["training_standard"]:
        lines.append(_("Training: %(name)s") % {"name": service["training_standard"]})
    if service["supervision"]:
        lines.append(_("Supervision: %(text)s") % {"text": service["supervision"]})
    return lines


def _capacity(available: int | None, _: _Labels) -> str:
    if available is None:
        return ""
    if available <= 0:
        return _("No places free right now")
    return _("%(count)d place(s) free now") % {"count": available}


class _Entry(NamedTuple):
    """What a card shows from the search entry."""

    online: bool
    modalities: str
    hours_24_7: bool
    open_windows: Any  # as stored (SQLite: JSON text), read only when a time was asked about
    capacity_available: int | None
    last_checked: dt.date | None


def _open_at(entry: _Entry, moment: dt.datetime | None) -> bool | None:
    if moment is None:
        return None
    if entry.hours_24_7:
        return True
    windows = _json(entry.open_windows)
    if windows is None:
        return None
    return hours.is_open(hours.decode(windows), moment)


SERVICE_FIELDS = (
    "id", "name", "description", "url", "email", "organization_id", "support_type", "licence_type",
    "licensing_body", "peer_certification", "training_standard", "supervision", "confidentiality_policy",
    "confidentiality_limits", "crisis_capable", "lived_experience_topics",
)  # fmt: skip
JSON_FIELDS = ("confidentiality_limits", "lived_experience_topics")

# The cards are read with plain SQL, three queries a page: the ORM's cost per query (about a
# millisecond) was most of a radius search's time. Values come back as the ORM would give them.


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value  # SQLite gives JSON as text


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value  # SQLite: ISO text


def _flag(value: Any) -> bool | None:
    return None if value is None else bool(value)  # SQLite: 0 or 1


def _web_address(url: str | None) -> str:
    """The service's website as a link only when it is an http(s) address: an imported record may
    hold `javascript:` or `data:` there, which a link would run (tests/e2e/test_stored_xss_journey.py)."""
    address = (url or "").strip()
    return address if urlsplit(address).scheme.lower() in {"http", "https"} else ""


def _services(ids: list[str]) -> dict[str, tuple[dict[str, Any], str, _Entry]]:
    """Each service's fields, its organisation's name and its search entry, in one query."""
    columns = [f"s.{name}" for name in SERVICE_FIELDS] + ["o.name"] + [f"e.{name}" for name in _Entry._fields]
    among, params = any_of("s.id", ids)
    sql = (
        f"SELECT {', '.join(columns)} FROM {Service._meta.db_table} s "  # noqa: S608 (names from the models)
        f"JOIN {SearchEntry._meta.db_table} e ON e.service_id = s.id "
        f"LEFT JOIN {Organization._meta.db_table} o ON o.id = s.organization_id "
        f"WHERE {among}"
    )
    found = {}
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            service = dict(zip(SERVICE_FIELDS, row, strict=False))
            for name in JSON_FIELDS:
                service[name] = _json(service[name])
            service["crisis_capable"] = _flag(service["crisis_capable"])
            online, modalities, all_hours, windows, capacity, checked = row[len(SERVICE_FIELDS) + 1 :]
            entry = _Entry(bool(online), modalities, bool(all_hours), windows, capacity, _date(checked))
            found[service["id"]] = (service, row[len(SERVICE_FIELDS)] or "", entry)
    return found


class _Details(NamedTuple):
    schedules: dict[str, list[str]]  # each schedule's description, or else its rules in words
    languages: dict[str, list[str]]
    phones: dict[str, str]  # the first number
    costs: dict[str, list[str]]  # one line per cost option, cheapest first


# The details' tables, each as (kind, service_id, three texts, amount, id, a schedule's rule) for
# one UNION ALL query. Costs come first: PostgreSQL types a UNION's columns pair by pair from the
# left, and a NULL amount in the first two branches would make the column text, which a numeric
# amount cannot join.
DETAIL_PARTS = (
    (CostOption, "option, currency, amount_description, amount"),
    (Schedule, "description, '', '', NULL"),
    (Language, "name, code, '', NULL"),
    (Phone, "number, '', '', NULL"),
)
# What `carepath_core.search.hours_text` puts into words when a schedule has no description.
RULE_FIELDS = (
    "freq", "interval", "byday", "byweekno", "bymonthday", "byyearday", "count", "opens_at", "closes_at",
    "timezone", "valid_from", "valid_to", "dtstart", "until",
)  # fmt: skip


def _rule(table: str = "") -> str:
    """A schedule's rule fields as one JSON array, only when it has no description to show instead:
    one column, NULL on nearly every row, keeps the page's one query as light as it was."""
    prefix = f"{table}." if table else ""
    fields = ", ".join(f'{prefix}"{name}"' for name in RULE_FIELDS)  # quoted: `interval` is a keyword
    array = f"json_array({fields})" if connection.vendor == "sqlite" else f"json_build_array({fields})::text"
    return f"CASE WHEN TRIM(COALESCE({prefix}description, '')) = '' THEN {array} END"


COST, SCHEDULE, LANGUAGE, PHONE = range(len(DETAIL_PARTS))
_AMOUNT = CostOption._meta.get_field("amount")
_AMOUNT_PLACES = Decimal(1).scaleb(-(_AMOUNT.decimal_places or 0))
_AMOUNT_CONTEXT = Context(prec=_AMOUNT.max_digits)  # the field's own context, as the ORM quantizes
_SQLITE_DECIMALS = Context(prec=15)  # as Django's SQLite backend reads a decimal stored as a number


def _amount(value: Any) -> Decimal | None:
    """The amount as the ORM gives it: SQLite hands a decimal column back as an int or a float."""
    if value is None or isinstance(value, Decimal):
        return value
    return _SQLITE_DECIMALS.create_decimal_from_float(value).quantize(_AMOUNT_PLACES, context=_AMOUNT_CONTEXT)


def _place_hours_sql(among: str) -> str:
    """Detail rows for the hours a service has at its places: schedules of its service_at_locations
    that name no service, with the place's name (a schedule naming the service is read with the
    other details). Together these are the rows the search index reads for "open now"
    (`search_facts.service_facts`), so a card shows the hours that make it open.
    tests/integration/test_search_card_hours.py holds the two together."""
    schedule, link, location = (model._meta.db_table for model in (Schedule, ServiceAtLocation, Location))
    return (
        f"SELECT {SCHEDULE}, l.service_id, h.description, COALESCE(p.name, ''), '', NULL, h.id, "  # noqa: S608 (names from the models)
        f"{_rule('h')} "
        f"FROM {link} l JOIN {schedule} h ON h.service_at_location_id = l.id "
        f"LEFT JOIN {location} p ON p.id = l.location_id "
        # COALESCE, not IS NULL: given `service_id IS NULL`, SQLite would read every schedule
        # filed under a place (through the service_id index) rather than the page's places.
        f"WHERE {among} AND COALESCE(h.service_id, '') = ''"
    )


def _schedule_text(
    description: str, rule: str | None, default_offset: int, _: _Labels, today: dt.date
) -> str | None:
    """The schedule's description; without one, its rules in words (None when they cannot be said
    or have ended)."""
    if description and description.strip():
        return description
    if rule is None:
        return None
    return hours_line(dict(zip(RULE_FIELDS, json.loads(rule), strict=True)), default_offset, _, today)


def _hours_line(description: str, place: str, _: _Labels) -> str:
    if not place:
        return description
    return _("At %(place)s: %(hours)s") % {"place": place, "hours": description}


def _language_name(name: str, code: str) -> str:
    """The language as the listing names it; without a name, the search form's name for its code
    (`eng` and `en` are both English), or else the code as given."""
    return name or search_languages().get(search_language(code), code)


def _details(ids: list[str], _: _Labels, today: dt.date) -> _Details:
    """Schedules, languages, the first phone number and the costs of each service, in one query."""
    among, params = any_of("service_id", ids)
    sql = " UNION ALL ".join(
        f"SELECT {kind}, service_id, {columns}, id, {_rule() if model is Schedule else 'NULL'} "  # noqa: S608 (names from the models)
        f"FROM {model._meta.db_table} WHERE {among}"
        for kind, (model, columns) in enumerate(DETAIL_PARTS)
    )
    sql += f" UNION ALL {_place_hours_sql(any_of('l.service_id', ids)[0])}"
    found = _Details(defaultdict(list), defaultdict(list), {}, defaultdict(list))
    default_offset = default_offset_minutes()
    with prepared_cursor() as cursor:
        # Costs by amount then id (the ORM's order_by("amount", "id"): NULLs where the engine puts them).
        cursor.execute(f"{sql} ORDER BY 1, 6, 7", params * (len(DETAIL_PARTS) + 1))
        for kind, service_id, first, second, third, amount, _id, rule in cursor.fetchall():
            if kind == SCHEDULE:
                said = _schedule_text(first, rule, default_offset, _, today)
                if said:
                    found.schedules[service_id].append(_hours_line(said, second, _))
            elif kind == LANGUAGE:
                found.languages[service_id].append(_language_name(first, second))
            elif kind == PHONE:
                found.phones.setdefault(service_id, first)
            else:
                row = {
                    "option": first,
                    "currency": second,
                    "amount_description": third,
                    "amount": _amount(amount),
                }
                found.costs[service_id].append(_cost_line(row, _))
    return found


def result_cards(
    hits: list[Hit], *, moment: dt.datetime | None, today: dt.date, stale_after_days: int
) -> list[ServiceCard]:
    ids = [hit.service_id for hit in hits]
    if not ids:
        return []
    _ = _Labels()
    services = _services(ids)
    details = _details(ids, _, today)
    topic_labels = lived_experience_topics()
    support_labels = _.support_types()
    modality_labels = {f"|{code}|": _(label) for code, label in MODALITY_LABELS.items()}
    cards = []
    for hit in hits:
        if hit.service_id not in services:  # changed since the search ran: leave it out
            continue
        service, organization_name, entry = services[hit.service_id]
        kind = service["support_type"] or ""
        cards.append(
            ServiceCard(
                service_id=hit.service_id,
                name=service["name"],
                organization_name=organization_name,
                description=_shortened(service["description"]),
                support_type=kind,
                support_type_label=support_labels.get(kind, kind) if kind else _("Not stated"),
                url=_web_address(service["url"]),
                email=service["email"],
                phone=details.phones.get(hit.service_id, ""),
                distance_km=None if hit.distance_km is None else round(hit.distance_km, 1),
                online=entry.online,
                modalities=[label for bar, label in modality_labels.items() if bar in entry.modalities],
                languages=details.languages[hit.service_id],
                topics=[topic_labels.get(code, code) for code in service["lived_experience_topics"] or ()],
                credentials=_credentials(service, _),
                confidentiality_policy=service["confidentiality_policy"],
                confidentiality_limits=[
                    _(CONFIDENTIALITY_LIMIT_LABELS.get(code, code))
                    for code in service["confidentiality_limits"] or ()
                ],
                costs=details.costs[hit.service_id],
                hours=details.schedules[hit.service_id],
                hours_24_7=entry.hours_24_7,
                open_at_time=_open_at(entry, moment),
                capacity=_capacity(entry.capacity_available, _),
                crisis_capable=service["crisis_capable"],
                last_checked=entry.last_checked,
                stale=is_stale(entry.last_checked, today, stale_after_days),
                score=round(hit.score, 4),
            )
        )
    return cards


def _shortened(text: str) -> str:
    if len(text) <= DESCRIPTION_LENGTH:
        return text
    return text[:DESCRIPTION_LENGTH].rsplit(" ", 1)[0] + "…"
