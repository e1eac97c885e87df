"""One demo service's HSDS rows: the service with its profile fields, schedules, costs, languages, phone.

Pure: everything comes from the `random.Random` it is given, so the same generator state gives the
same rows. Values are in the form the HSDS readers produce (Decimal numbers, text times, lists).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from carepath.demo import directory_words as words
from carepath.demo.directory_phones import fictional_number
from carepath.demo.directory_towns import Town, standard_offset_hours

Row = dict[str, Any]
WEEKDAYS = "MO,TU,WE,TH,FR"
EVERY_DAY = "MO,TU,WE,TH,FR,SA,SU"
PART_WEEK = "Monday, Wednesday and Friday"
EVENINGS = "Tuesday and Thursday evenings, 18:00 to 20:30."
# Support type -> chance that the service is online or by phone only (a virtual location).
VIRTUAL_SHARE = {"peer": 0.15, "professional": 0.2, "hybrid": 0.1, "self_help": 0.7, "crisis": 0.75}
# Support type -> chance that it can respond to a person in crisis itself.
CRISIS_CAPABLE_SHARE = {"peer": 0.0, "professional": 0.1, "hybrid": 0.3, "self_help": 0.0, "crisis": 1.0}
# A version 4 UUID's fixed bits: (bits to clear, bits to set) for the version and the variant.
# Countries where private therapy is commonly paid through health insurance or a health fund.
INSURANCE_COUNTRIES = ("US", "AU", "CA")
# The one unit demo capacities are counted in (written once, with the first batch).
PEOPLE_UNIT_ID = "5e0f1a3c-8d2b-4c47-9a61-0c7d2e4b9f10"
PEOPLE_UNIT = {"id": PEOPLE_UNIT_ID, "name": "people", "scheme": "Carepath demo", "identifier": "people"}
INSURANCE_NOTE = "Accepted from most health insurers and health funds; ask before you book."
VERSION_4 = (0xF << 76 | 0xC000 << 48, 0x4 << 76 | 0x8000 << 48)


def new_id(rng: random.Random) -> str:
    """A random (version 4) UUID from the generator, written as HSDS ids are: 8-4-4-4-12 hex digits."""
    clear, mark = VERSION_4
    digits = f"{rng.getrandbits(128) & ~clear | mark:032x}"
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass(frozen=True)
class ServicePlan:
    """What was decided about one service before its rows are written."""

    id: str
    organization_id: str
    name: str
    support_type: str
    town: Town
    virtual: bool


def plan_service(rng: random.Random, organization_id: str, stem: str, town: Town) -> ServicePlan:
    (support_type,) = rng.choices(tuple(words.SUPPORT_MIX), weights=tuple(words.SUPPORT_MIX.values()))
    own_stem = stem if rng.random() < 0.6 else rng.choice(words.NAME_STEMS)
    name = f"{own_stem} {rng.choice(words.SERVICE_KINDS[support_type])}"
    virtual = rng.random() < VIRTUAL_SHARE[support_type]
    return ServicePlan(new_id(rng), organization_id, name, support_type, town, virtual)


def service_rows(rng: random.Random, plan: ServicePlan) -> dict[str, list[Row]]:
    """The service and everything that describes only it, by HSDS table."""
    rows: dict[str, list[Row]] = {
        "service": [{**_service(rng, plan), **profile_fields(rng, plan)}],
        "schedule": _schedules(rng, plan),
        "language": _languages(rng, plan),
        "cost_option": _cost_options(rng, plan),
    }
    extras = _extras_random(plan)
    capacity = _capacity(extras, plan)
    if capacity is not None:
        rows["service_capacity"] = [capacity]
    insurable = plan.support_type in ("professional", "hybrid") and plan.town.country in INSURANCE_COUNTRIES
    if insurable and extras.random() < 0.4:
        insurance = _cost(extras, plan, "Insurance", 0, INSURANCE_NOTE)
        del insurance["amount"]  # what insurance pays is between the person and their insurer
        rows["cost_option"].append(insurance)
    number = fictional_number(rng, plan.town.country, plan.town.region_code)
    if number is not None and rng.random() < 0.85:
        rows["phone"] = [
            {
                "id": new_id(rng),
                "service_id": plan.id,
                "number": number,
                "type": "voice",
                "description": "Demo number from a range reserved for fiction; it cannot be called.",
            }
        ]
    return rows


def _extras_random(plan: ServicePlan) -> random.Random:
    """A generator of its own for rows added later (capacity, insurance), so the earlier rows of a
    seed stay exactly as they were: the main generator's sequence is not touched."""
    return random.Random(f"carepath-demo-extras:{plan.id}")  # noqa: S311  # nosec B311 # demo data, reproducible


def _capacity(rng: random.Random, plan: ServicePlan) -> Row | None:
    """Places free now, for about two thirds of peer and professional services (the others do not say)."""
    if plan.support_type not in ("peer", "professional", "hybrid") or rng.random() < 0.35:
        return None
    maximum = rng.choice((8, 10, 12, 15, 20, 30))
    available = 0 if rng.random() < 0.3 else rng.randint(1, maximum // 2)
    return {
        "id": new_id(rng),
        "service_id": plan.id,
        "unit_id": PEOPLE_UNIT_ID,
        "available": Decimal(available),
        "maximum": Decimal(maximum),
        "description": "People who can start now (demo figure).",
        "updated": "2025-11-01T09:00:00Z",
    }


def _service(rng: random.Random, plan: ServicePlan) -> Row:
    where = (
        f"online and by phone across {words.COUNTRY_NAMES[plan.town.country]}"
        if plan.virtual
        else f"in and around {plan.town.name}"
    )
    youth = plan.support_type in ("peer", "self_help") and rng.random() < 0.15
    row: Row = {
        "id": plan.id,
        "organization_id": plan.organization_id,
        "name": plan.name,
        "description": f"{words.DEMO_NOTE} {plan.name} offers {words.OFFERS[plan.support_type]}, {where}.",
        "url": f"https://example.org/demo/{plan.id[:8]}/{slug(plan.name)}",
        "email": f"{slug(plan.name)}@example.org",
        "status": "active",
        "application_process": rng.choice(
            ("Self-referral: phone or email us.", "Self-referral or referral by a doctor.", "Drop in.")
        ),
        "wait_time": rng.choice(words.WAIT_TIMES[:2] if plan.support_type == "crisis" else words.WAIT_TIMES),
        "eligibility_description": "Young people aged 16 to 25." if youth else "Adults aged 18 and over.",
        "minimum_age": Decimal(16 if youth else 18),
        "last_modified": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T"
        f"{rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}:00Z",
    }
    if youth:
        row["maximum_age"] = Decimal(25)
    return row


def profile_fields(rng: random.Random, plan: ServicePlan) -> Row:
    """The Carepath profile's fields, matching the support type (docs/hsds-profile.md)."""
    kind, country = plan.support_type, plan.town.country
    fields: Row = {
        "support_type": kind,
        "confidentiality_policy": words.CONFIDENTIALITY_POLICIES[kind],
        "confidentiality_limits": list(words.CONFIDENTIALITY_LIMITS[kind]),
        "crisis_capable": rng.random() < CRISIS_CAPABLE_SHARE[kind],
        "hours_24_7": kind == "crisis",
        "evidence_notes": words.EVIDENCE_NOTE,
    }
    if kind in ("peer", "hybrid"):
        fields["lived_experience_topics"] = sorted(
            rng.sample(words.LIVED_EXPERIENCE_TOPICS, rng.randint(1, 3))
        )
        fields["peer_certification"] = rng.choice(words.PEER_CERTIFICATIONS[country])
        fields["training_standard"] = rng.choice(words.TRAINING_STANDARDS["peer"])
        fields["supervision"] = rng.choice(words.SUPERVISION["peer"])
    if kind in ("professional", "hybrid"):
        fields["licence_type"], fields["licensing_body"] = rng.choice(words.CREDENTIALS[country])
        fields["supervision"] = rng.choice(words.SUPERVISION["professional"])
    if kind == "professional":
        fields["training_standard"] = rng.choice(words.TRAINING_STANDARDS["professional"])
    if kind == "self_help":
        fields["training_standard"] = words.TRAINING_STANDARDS["self_help"][0]
    if words.OUTCOME_MEASURES[kind]:
        fields["outcome_measures"] = list(words.OUTCOME_MEASURES[kind])
    return fields


def _schedule(rng: random.Random, plan: ServicePlan, days: str, hours: tuple[str, str], text: str) -> Row:
    row: Row = {
        "id": new_id(rng),
        "service_id": plan.id,
        "freq": "WEEKLY",
        "wkst": "MO",
        "byday": days,
        "opens_at": hours[0],
        "closes_at": hours[1],
        "description": text,
        "attending_type": "Online or by phone" if plan.virtual else "In person",
    }
    offset = standard_offset_hours(plan.town.timezone, plan.town.latitude)
    if offset is not None:
        row["timezone"] = Decimal(str(offset))
    return row


def _schedules(rng: random.Random, plan: ServicePlan) -> list[Row]:
    if plan.support_type == "crisis":
        return [_schedule(rng, plan, EVERY_DAY, ("00:00", "23:59"), "Open 24 hours a day, every day.")]
    opens, closes = rng.choice((("09:00", "17:00"), ("08:30", "16:30"), ("10:00", "16:00")))
    days, named = (WEEKDAYS, "Monday to Friday") if rng.random() < 0.8 else ("MO,WE,FR", PART_WEEK)
    found = [_schedule(rng, plan, days, (opens, closes), f"{named}, {opens} to {closes}.")]
    if rng.random() < 0.3:
        found.append(_schedule(rng, plan, "TU,TH", ("18:00", "20:30"), EVENINGS))
    if rng.random() < 0.15:
        found.append(_schedule(rng, plan, "SA", ("10:00", "13:00"), "Saturday mornings, 10:00 to 13:00."))
    return found


def _language(rng: random.Random, plan: ServicePlan, language: tuple[str, str], note: str = "") -> Row:
    row: Row = {"id": new_id(rng), "service_id": plan.id, "code": language[0], "name": language[1]}
    if note:
        row["note"] = note
    return row


def _languages(rng: random.Random, plan: ServicePlan) -> list[Row]:
    regional = words.REGIONAL_LANGUAGES.get((plan.town.country, plan.town.region_code))
    found = []
    if regional is not None and regional[0] == "fr":  # Quebec: French first, English mostly too
        found.append(_language(rng, plan, regional))
        regional = words.ENGLISH if rng.random() < 0.7 else None
    else:
        found.append(_language(rng, plan, words.ENGLISH))
    if regional is not None and rng.random() < 0.6:
        found.append(_language(rng, plan, regional))
    others = words.OTHER_LANGUAGES[plan.town.country]
    if rng.random() < 0.25:
        (other,) = rng.choices(others, weights=range(len(others), 0, -1))
        if all(row["code"] != other[0] for row in found):
            found.append(_language(rng, plan, other, "Sessions in this language on request."))
    return found


def _cost(rng: random.Random, plan: ServicePlan, option: str, amount: int, text: str) -> Row:
    return {
        "id": new_id(rng),
        "service_id": plan.id,
        "option": option,
        "currency": words.CURRENCIES[plan.town.country],
        "amount": Decimal(amount),
        "amount_description": text,
    }


def _cost_options(rng: random.Random, plan: ServicePlan) -> list[Row]:
    if plan.support_type in ("peer", "self_help", "crisis"):
        return [_cost(rng, plan, "Free", 0, "No charge.")]
    low, high = words.SESSION_PRICES[words.CURRENCIES[plan.town.country]]
    price = rng.randrange(low, high + 1, 5)
    found = []
    if plan.support_type == "hybrid":
        found.append(_cost(rng, plan, "Free", 0, "Peer support sessions are free."))
    choice = rng.random()
    if choice < 0.5:
        found.append(_cost(rng, plan, "Per session", price, "per 50-minute session"))
    elif choice < 0.85:
        reduced = max(price // 4 // 5 * 5, 5)
        text = f"per session, from {reduced} to {price} depending on income"
        found.append(_cost(rng, plan, "Sliding scale", reduced, text))
    else:
        found.append(_cost(rng, plan, "Free", 0, "Free at the point of use."))
    return found
