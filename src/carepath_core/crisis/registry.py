"""Crisis resources per region, as frozen values.

The registry is data shipped with the code (read by the Django adapter), so crisis help keeps
working when the database does not. Parsing is strict: a malformed number must fail the build,
never reach a person in distress.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from carepath_core.errors import UnknownRegion
from carepath_core.fields import at as _at
from carepath_core.fields import choice
from carepath_core.fields import listing as _list
from carepath_core.fields import require as _require
from carepath_core.fields import require_unique as _require_unique
from carepath_core.fields import text as _text

FALLBACK_REGION = "INTL"

_DIALLABLE = re.compile(r"^\+?[0-9]{3,15}$")
_DATE = re.compile(r"^(undated|[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?)$")
_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class ContactMethod(StrEnum):
    CALL = "call"
    TEXT = "text"
    CHAT = "chat"
    WEB = "web"
    EMAIL = "email"


class Verification(StrEnum):
    """How firmly a number is known: only `primary` is shown without a caution."""

    PRIMARY = "primary"
    SECONDARY = "secondary"
    UNCONFIRMED = "unconfirmed"


@dataclass(frozen=True, slots=True)
class CrisisContact:
    method: ContactMethod
    value: str
    label: str
    keyword: str = ""

    @property
    def href(self) -> str:
        """A link a phone or browser can act on directly."""
        if self.method is ContactMethod.CALL:
            return f"tel:{self.value}"
        if self.method is ContactMethod.TEXT:
            return f"sms:{self.value}" + (f"?&body={self.keyword}" if self.keyword else "")
        if self.method is ContactMethod.EMAIL:
            return f"mailto:{self.value}"
        return self.value


@dataclass(frozen=True, slots=True)
class CrisisResource:
    id: str
    name: str
    contacts: tuple[CrisisContact, ...]
    hours: str
    always_open: bool
    languages: tuple[str, ...]
    for_whom: str
    notes: str
    source_url: str
    source_dated: str
    last_verified: str
    status: Verification

    @property
    def is_confirmed(self) -> bool:
        return self.status is Verification.PRIMARY


@dataclass(frozen=True, slots=True)
class EmergencyNumber:
    """The number to call when a life is at risk; `also` holds equivalent numbers (e.g. 999 beside 112)."""

    number: str
    source_url: str
    source_dated: str
    status: Verification
    also: tuple[str, ...] = ()

    @property
    def numbers(self) -> tuple[str, ...]:
        return (self.number, *self.also)


@dataclass(frozen=True, slots=True)
class CrisisRegion:
    code: str
    name: str
    emergency: EmergencyNumber | None
    resources: tuple[CrisisResource, ...]


@dataclass(frozen=True, slots=True)
class CrisisRegistry:
    compiled: str
    regions: tuple[CrisisRegion, ...]

    def region(self, code: str) -> CrisisRegion:
        for region in self.regions:
            if region.code == code:
                return region
        raise UnknownRegion(code)

    def region_or_fallback(self, code: str | None) -> CrisisRegion:
        """The asked-for region, or the international directories when it is unknown."""
        try:
            return self.region(code or FALLBACK_REGION)
        except UnknownRegion:
            return self.region(FALLBACK_REGION)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(region.code for region in self.regions)


def parse_registry(document: Mapping[str, Any]) -> CrisisRegistry:
    """Turn the decoded JSON document into a registry, or raise InvalidData naming the field."""
    compiled = _text(document, "compiled", "")
    _require(bool(_ISO_DAY.match(compiled)), "compiled", "must be a date like 2026-11-25")
    raw_regions = _list(document, "regions", "")
    regions = tuple(_parse_region(raw, f"regions[{i}]") for i, raw in enumerate(raw_regions))
    _require_unique([r.code for r in regions], "regions", "region code")
    _require_unique([res.id for r in regions for res in r.resources], "regions", "resource id")
    _require(
        any(r.code == FALLBACK_REGION for r in regions),
        "regions",
        f"the fallback region {FALLBACK_REGION} is missing",
    )
    return CrisisRegistry(compiled=compiled, regions=regions)


def _parse_region(raw: Any, where: str) -> CrisisRegion:
    _require(isinstance(raw, Mapping), where, "must be an object")
    code = _text(raw, "code", where)
    raw_emergency = raw.get("emergency")
    emergency = None if raw_emergency is None else _parse_emergency(raw_emergency, f"{where}.emergency")
    _require(
        emergency is not None or code == FALLBACK_REGION,
        f"{where}.emergency",
        "every country region needs its emergency number",
    )
    resources = tuple(
        _parse_resource(item, f"{where}.resources[{i}]")
        for i, item in enumerate(_list(raw, "resources", where))
    )
    _require(bool(resources), f"{where}.resources", "a region needs at least one resource")
    return CrisisRegion(code=code, name=_text(raw, "name", where), emergency=emergency, resources=resources)


def _parse_emergency(raw: Any, where: str) -> EmergencyNumber:
    _require(isinstance(raw, Mapping), where, "must be an object or null")
    number = _text(raw, "number", where)
    also = tuple(str(extra) for extra in raw.get("also", []))
    for extra in (number, *also):
        _require(bool(_DIALLABLE.match(extra)), f"{where}.number", f"'{extra}' must be digits only")
    return EmergencyNumber(
        number=number,
        also=also,
        source_url=_url(raw, "source_url", where),
        source_dated=_date(raw, "source_dated", where),
        status=_status(raw, where),
    )


def _parse_resource(raw: Any, where: str) -> CrisisResource:
    _require(isinstance(raw, Mapping), where, "must be an object")
    resource_id = _text(raw, "id", where)
    _require(bool(_ID.match(resource_id)), f"{where}.id", "must be lowercase words joined by hyphens")
    contacts = tuple(
        _parse_contact(item, f"{where}.contacts[{i}]") for i, item in enumerate(_list(raw, "contacts", where))
    )
    _require(bool(contacts), f"{where}.contacts", "a resource needs at least one way to reach it")
    last_verified = _text(raw, "last_verified", where)
    _require(bool(_ISO_DAY.match(last_verified)), f"{where}.last_verified", "must be a date like 2026-11-25")
    always_open = raw.get("always_open")
    _require(isinstance(always_open, bool), f"{where}.always_open", "must be true or false")
    return CrisisResource(
        id=resource_id,
        name=_text(raw, "name", where),
        contacts=contacts,
        hours=_text(raw, "hours", where),
        always_open=bool(always_open),
        languages=tuple(_list(raw, "languages", where)),
        for_whom=_text(raw, "for_whom", where),
        notes=str(raw.get("notes") or ""),
        source_url=_url(raw, "source_url", where),
        source_dated=_date(raw, "source_dated", where),
        last_verified=last_verified,
        status=_status(raw, where),
    )


def _parse_contact(raw: Any, where: str) -> CrisisContact:
    _require(isinstance(raw, Mapping), where, "must be an object")
    method = ContactMethod(choice(raw, "method", where, [m.value for m in ContactMethod]))
    value = _text(raw, "value", where)
    if method in (ContactMethod.CALL, ContactMethod.TEXT):
        _require(bool(_DIALLABLE.match(value)), f"{where}.value", "must be the digits to dial, no spaces")
    elif method in (ContactMethod.CHAT, ContactMethod.WEB):
        _require(value.startswith("https://"), f"{where}.value", "must be an https:// address")
    else:
        _require("@" in value, f"{where}.value", "must be an email address")
    return CrisisContact(
        method=method, value=value, label=_text(raw, "label", where), keyword=str(raw.get("keyword") or "")
    )


def _status(raw: Mapping[str, Any], where: str) -> Verification:
    return Verification(choice(raw, "status", where, [v.value for v in Verification]))


def _url(raw: Mapping[str, Any], key: str, where: str) -> str:
    value = _text(raw, key, where)
    _require(value.startswith(("https://", "http://")), _at(where, key), "must be a web address")
    return value


def _date(raw: Mapping[str, Any], key: str, where: str) -> str:
    value = _text(raw, key, where)
    _require(bool(_DATE.match(value)), _at(where, key), "must be YYYY, YYYY-MM, YYYY-MM-DD or 'undated'")
    return value
