"""What a result card shows: the ten-dimension facts of each service found, read for one page at once.

One plain SQL query per page whatever the number of results: each result's search entry with the
card facts stored beside it (`selectors.card_facts`, kept in step by `services.search_index`),
looked up by entry id. What depends on the reader is worked out here: the labels in the page's
language (translated once per page and language, not once per card), the hours said from rules
as of today, and whether each service is open at the time asked about.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

import orjson
from django.utils.translation import get_language, gettext

from carepath.directory.models import SearchCard, SearchEntry, SupportType
from carepath.directory.selectors.card_facts import COST, LANGUAGE, PHONE, RULE_FIELDS, SCHEDULE, json_value
from carepath.directory.selectors.prepared import any_of, prepared_cursor
from carepath.directory.selectors.search import Hit
from carepath.directory.selectors.service_details import default_offset_minutes
from carepath_core.directory_freshness import is_stale
from carepath_core.search import hours
from carepath_core.search.hours_text import described_line, hours_line
from carepath_core.vocabulary import lived_experience_topics, search_languages
from carepath_core.vocabulary.language_codes import search_language

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
    windows = json_value(entry.open_windows)
    if windows is None:
        return None
    return hours.is_open(hours.decode(windows), moment)


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value  # SQLite: ISO text


def _stored(hits: list[Hit]) -> dict[int, tuple[dict[str, Any], _Entry]]:
    """Each hit's card facts and search entry, by entry id, in one query (an entry gone since the
    search ran, or now another service's, is left out)."""
    entry_columns = ", ".join(f"e.{name}" for name in _Entry._fields)
    among, params = any_of("e.id", [hit.entry_id for hit in hits])
    sql = (
        f"SELECT e.id, e.service_id, c.facts, {entry_columns} "  # noqa: S608 (names from the models)
        f"FROM {SearchEntry._meta.db_table} e JOIN {SearchCard._meta.db_table} c ON c.entry_id = e.id "
        f"WHERE {among}"
    )
    services = {hit.entry_id: hit.service_id for hit in hits}
    found = {}
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        for entry_id, service_id, facts, online, modalities, all_hours, windows, capacity, checked in cursor:
            if services[entry_id] == service_id:
                entry = _Entry(bool(online), modalities, bool(all_hours), windows, capacity, _date(checked))
                found[entry_id] = (orjson.loads(facts), entry)
    return found


class _Details(NamedTuple):
    schedules: list[str]  # each schedule's description, or else its rules in words
    languages: list[str]
    phone: str  # the first number
    costs: list[str]  # one line per cost option, cheapest first


def _schedule_text(
    description: str, rule: list[Any] | None, default_offset: int, _: _Labels, today: dt.date
) -> str | None:
    """The schedule's description; without one, its rules in words (None when they cannot be said
    or have ended). A description is judged by the schedule's dates too (`described_line`); cards
    stored before they kept a described schedule's rule show it as written."""
    fields = None if rule is None else dict(zip(RULE_FIELDS, rule, strict=True))
    if description and description.strip():
        return described_line(description, fields, _, today)
    if fields is None:
        return None
    return hours_line(fields, default_offset, _, today)


def _hours_line(description: str, place: str, _: _Labels) -> str:
    if not place:
        return description
    return _("At %(place)s: %(hours)s") % {"place": place, "hours": description}


def _language_name(name: str, code: str) -> str:
    """The language as the listing names it; without a name, the search form's name for its code
    (`eng` and `en` are both English), or else the code as given."""
    return name or search_languages().get(search_language(code), code)


def _details(rows: list[list[Any]], _: _Labels, today: dt.date, default_offset: int) -> _Details:
    """A service's stored detail rows (`card_facts`) as the card says them."""
    found = _Details([], [], "", [])
    phones: list[str] = []
    for kind, first, second, third, amount, rule in rows:
        if kind == SCHEDULE:
            said = _schedule_text(first, rule, default_offset, _, today)
            if said:
                found.schedules.append(_hours_line(said, second, _))
        elif kind == LANGUAGE:
            found.languages.append(_language_name(first, second))
        elif kind == PHONE:
            phones.append(first)
        elif kind == COST:
            row = {
                "option": first,
                "currency": second,
                "amount_description": third,
                "amount": None if amount is None else Decimal(amount),
            }
            found.costs.append(_cost_line(row, _))
    return found._replace(phone=phones[0] if phones else "")


def result_cards(
    hits: list[Hit], *, moment: dt.datetime | None, today: dt.date, stale_after_days: int
) -> list[ServiceCard]:
    if not hits:
        return []
    _ = _Labels()
    stored = _stored(hits)
    default_offset = default_offset_minutes()
    topic_labels = lived_experience_topics()
    support_labels = _.support_types()
    modality_labels = {f"|{code}|": _(label) for code, label in MODALITY_LABELS.items()}
    cards = []
    for hit in hits:
        if hit.entry_id not in stored:  # changed since the search ran: leave it out
            continue
        facts, entry = stored[hit.entry_id]
        service = facts["service"]
        details = _details(facts["details"], _, today, default_offset)
        kind = service["support_type"] or ""
        cards.append(
            ServiceCard(
                service_id=hit.service_id,
                name=service["name"],
                organization_name=facts["organization"],
                description=service["description"],
                support_type=kind,
                support_type_label=support_labels.get(kind, kind) if kind else _("Not stated"),
                url=service["url"],
                email=service["email"],
                phone=details.phone,
                distance_km=None if hit.distance_km is None else round(hit.distance_km, 1),
                online=entry.online,
                modalities=[label for bar, label in modality_labels.items() if bar in entry.modalities],
                languages=details.languages,
                topics=[topic_labels.get(code, code) for code in service["lived_experience_topics"] or ()],
                credentials=_credentials(service, _),
                confidentiality_policy=service["confidentiality_policy"],
                confidentiality_limits=[
                    _(CONFIDENTIALITY_LIMIT_LABELS.get(code, code))
                    for code in service["confidentiality_limits"] or ()
                ],
                costs=details.costs,
                hours=details.schedules,
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
