"""What a result card shows of each service, read from its records to be stored with its search entry.

The search index keeps these facts beside each entry (`SearchCard`, written by
`services.search_index` in the transaction of the change), so a page of results reads its cards
with one lookup per result instead of joining six tables for each page. Here they are read from
the records: the service's fields, its organisation's name, and its schedules, languages, phones
and costs, in two plain SQL queries for any number of services. Everything that depends on the
reader (the page's language, today's date, the time asked about) is left for `search_cards`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Context, Decimal
from typing import Any
from urllib.parse import urlsplit

from django.db import connection

from carepath.directory.models import (
    CostOption,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
)
from carepath.directory.selectors.prepared import any_of
from carepath.directory.selectors.raw_rows import chunked

DESCRIPTION_LENGTH = 280
SERVICE_FIELDS = (
    "id", "name", "description", "url", "email", "organization_id", "support_type", "licence_type",
    "licensing_body", "peer_certification", "training_standard", "supervision", "confidentiality_policy",
    "confidentiality_limits", "crisis_capable", "lived_experience_topics",
)  # fmt: skip
JSON_FIELDS = ("confidentiality_limits", "lived_experience_topics")

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
COST, SCHEDULE, LANGUAGE, PHONE = range(len(DETAIL_PARTS))
# What `carepath_core.search.hours_text` puts into words when a schedule has no description.
RULE_FIELDS = (
    "freq", "interval", "byday", "byweekno", "bymonthday", "byyearday", "count", "opens_at", "closes_at",
    "timezone", "valid_from", "valid_to", "dtstart", "until",
)  # fmt: skip
DATE_FIELDS = ("valid_from", "valid_to", "dtstart", "until")  # the days a schedule applies between
_AMOUNT = CostOption._meta.get_field("amount")
_AMOUNT_PLACES = Decimal(1).scaleb(-(_AMOUNT.decimal_places or 0))
_AMOUNT_CONTEXT = Context(prec=_AMOUNT.max_digits)  # the field's own context, as the ORM quantizes
_SQLITE_DECIMALS = Context(prec=15)  # as Django's SQLite backend reads a decimal stored as a number


def card_facts(service_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Each service's card facts as JSON-ready values (a service that is gone has none):

    - `service`: SERVICE_FIELDS, the description cut to what a card shows and the web address
      only when a link may point there;
    - `organization`: its organisation's name, or "";
    - `details`: (kind, text, text, text, amount, rule) for its costs (cheapest first, as the ORM's
      order_by("amount", "id")), then its schedules (with the place's name for a place's hours;
      the rule fields when there is no description, or dates to judge one by), languages and phone
      numbers, each in id order. Amounts are decimal strings.
    """
    found: dict[str, dict[str, Any]] = {}
    for chunk in chunked(service_ids):
        services = _services(chunk)
        details = _details(chunk)
        for service_id, (service, organization) in services.items():
            found[service_id] = {
                "service": service,
                "organization": organization,
                "details": details.get(service_id, []),
            }
    return found


def _services(ids: list[str]) -> dict[str, tuple[dict[str, Any], str]]:
    columns = [f"s.{name}" for name in SERVICE_FIELDS] + ["o.name"]
    among, params = any_of("s.id", ids)
    sql = (
        f"SELECT {', '.join(columns)} FROM {Service._meta.db_table} s "  # noqa: S608 (names from the models)
        f"LEFT JOIN {Organization._meta.db_table} o ON o.id = s.organization_id "
        f"WHERE {among}"
    )
    found = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            service = dict(zip(SERVICE_FIELDS, row, strict=False))
            for name in JSON_FIELDS:
                service[name] = json_value(service[name])
            crisis = service["crisis_capable"]
            service["crisis_capable"] = None if crisis is None else bool(crisis)  # SQLite: 0 or 1
            service["description"] = _shortened(service["description"] or "")
            service["url"] = _web_address(service["url"])
            found[service["id"]] = (service, row[len(SERVICE_FIELDS)] or "")
    return found


def _details(ids: list[str]) -> dict[str, list[list[Any]]]:
    among, params = any_of("service_id", ids)
    sql = " UNION ALL ".join(
        f"SELECT {kind}, service_id, {columns}, id, {_rule() if model is Schedule else 'NULL'} "  # noqa: S608 (names from the models)
        f"FROM {model._meta.db_table} WHERE {among}"
        for kind, (model, columns) in enumerate(DETAIL_PARTS)
    )
    sql += f" UNION ALL {_place_hours_sql(any_of('l.service_id', ids)[0])}"
    found: dict[str, list[list[Any]]] = defaultdict(list)
    with connection.cursor() as cursor:
        # Costs by amount then id (the ORM's order_by("amount", "id"): NULLs where the engine puts them).
        cursor.execute(f"{sql} ORDER BY 1, 6, 7", params * (len(DETAIL_PARTS) + 1))
        for kind, service_id, first, second, third, amount, _id, rule in cursor.fetchall():
            exact = _amount(amount)
            found[service_id].append(
                [kind, first, second, third, None if exact is None else str(exact), json_value(rule)]
            )
    return found


def _rule(table: str = "") -> str:
    """A schedule's rule fields as one JSON array, when it has no description to show instead, or
    when it has one and dates that say whether it still applies (`described_line`)."""
    prefix = f"{table}." if table else ""
    fields = ", ".join(f'{prefix}"{name}"' for name in RULE_FIELDS)  # quoted: `interval` is a keyword
    array = f"json_array({fields})" if connection.vendor == "sqlite" else f"json_build_array({fields})::text"
    dated = " OR ".join(f'{prefix}"{name}" IS NOT NULL' for name in DATE_FIELDS)
    return f"CASE WHEN TRIM(COALESCE({prefix}description, '')) = '' OR {dated} THEN {array} END"


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


def _amount(value: Any) -> Decimal | None:
    """The amount as the ORM gives it: SQLite hands a decimal column back as an int or a float."""
    if value is None or isinstance(value, Decimal):
        return value
    return _SQLITE_DECIMALS.create_decimal_from_float(value).quantize(_AMOUNT_PLACES, context=_AMOUNT_CONTEXT)


def json_value(value: Any) -> Any:
    """A JSON column's value as Python: SQLite hands JSON back as text through a raw cursor."""
    return json.loads(value) if isinstance(value, str) else value


def _web_address(url: str | None) -> str:
    """The service's website as a link only when it is an http(s) address: an imported record may
    hold `javascript:` or `data:` there, which a link would run (tests/e2e/test_stored_xss_journey.py)."""
    address = (url or "").strip()
    return address if urlsplit(address).scheme.lower() in {"http", "https"} else ""


def _shortened(text: str) -> str:
    if len(text) <= DESCRIPTION_LENGTH:
        return text
    return text[:DESCRIPTION_LENGTH].rsplit(" ", 1)[0] + "…"
