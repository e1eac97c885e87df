"""Coordinators' changes to what describes a service: its cost options and languages.

Each change is checked by the importer's rules (`edit_checks`: the value readers and the HSDS
schema of the record) and the few more of `carepath_core.directory_details`; a problem raises
`InvalidRecord` naming every field, and nothing is written. Like every change to a service
(`editing`), a change here is one transaction that sets the service's `last_modified`, refreshes
its search entry and writes one audit event about the service, naming what changed (`fields`)
and the rows added, changed or removed, never their values.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from django.db import transaction

from carepath import policy
from carepath.audit.models import AuditAction
from carepath.audit.services import record_event
from carepath.directory.models import CostOption, Language, Service
from carepath.directory.services.edit_checks import EDITABLE_COLUMNS, InvalidRecord, check_values
from carepath.directory.services.editing import Saved, now_rfc3339
from carepath.directory.services.search_index import refresh_search_entries
from carepath.errors import NotPermitted
from carepath_core.directory_details import (
    cost_problems,
    filter_language,
    language_code_problem,
    unticked_problem,
    with_kinds,
)
from carepath_core.search.costs import CostKind
from carepath_core.vocabulary import search_languages

COST_OPTIONS = "cost_options"  # how the audit trail names what changed on the service
LANGUAGES = "languages"
KINDS_FIELD = "kinds"  # the cost kinds ticked, as forms name them


def require_manager(actor: Any) -> None:
    if not policy.can_manage_directory(actor):
        raise NotPermitted("only coordinators may change the directory")


def locked_service(service: Service) -> Service:
    """The service, locked until the transaction ends: changes to what it owns happen one at a time."""
    return Service.objects.select_for_update().get(pk=service.pk)


def service_changed(actor: Any, service: Service, facet: str, **rows: Any) -> None:
    """Bookkeeping of a change to what describes `service` (locked), in the change's transaction."""
    service.last_modified = now_rfc3339()
    service.save(update_fields=["last_modified"])
    refresh_search_entries([service.pk])
    details: dict[str, Any] = {"fields": [facet]}
    details.update({key: value for key, value in rows.items() if value})
    record_event(
        actor=actor,
        action=AuditAction.DIRECTORY_RECORD_CHANGED,
        subject_type="service",
        subject_id=service.pk,
        details=details,
    )


# Cost options -------------------------------------------------------------------------------------


def cost_option_values(values: Mapping[str, Any], kinds: Collection[str] | None) -> dict[str, Any]:
    """The columns to store, or InvalidRecord; `kinds` (when given) are the kinds search must read."""
    given = {**values, "currency": str(values.get("currency") or "").strip().upper()}
    stored, problems = check_values("cost_option", given)
    if problems:
        raise InvalidRecord(problems)
    if kinds is not None:
        kinded = with_kinds(stored, kinds)
        stored, problems = check_values("cost_option", kinded.values)  # the words added are checked too
        problems += [(KINDS_FIELD, unticked_problem(kind)) for kind in sorted(kinded.unticked)]
        if CostKind.FREE in kinds and stored["amount"] is not None and stored["amount"] > 0:
            problems.append(("amount", "is above 0, so the option is not free"))
    problems += cost_problems(stored)
    if problems:
        raise InvalidRecord(problems)
    return stored


def add_cost_option(
    *, actor: Any, service: Service, values: Mapping[str, Any], kinds: Collection[str] | None = None
) -> CostOption:
    require_manager(actor)
    stored = cost_option_values(values, kinds)
    with transaction.atomic():
        current = locked_service(service)
        option = CostOption(service_id=current.pk, **stored)
        option.save(force_insert=True)
        service_changed(actor, current, COST_OPTIONS, added=[option.pk])
    return option


def update_cost_option(
    *, actor: Any, option: CostOption, values: Mapping[str, Any], kinds: Collection[str] | None = None
) -> Saved[CostOption]:
    require_manager(actor)
    with transaction.atomic():
        service = locked_service(Service(pk=option.service_id))  # the service first, as every change here
        current = CostOption.objects.select_for_update().get(pk=option.pk)
        stored = cost_option_values({**_columns(current, "cost_option"), **values}, kinds)
        changed = tuple(column for column, value in stored.items() if getattr(current, column) != value)
        if changed:
            for column in changed:
                setattr(current, column, stored[column])
            current.save()
            service_changed(actor, service, COST_OPTIONS, changed=[current.pk], columns=sorted(changed))
    return Saved(current, changed)


def remove_cost_option(*, actor: Any, option: CostOption) -> None:
    require_manager(actor)
    with transaction.atomic():
        service = locked_service(Service(pk=option.service_id))
        if CostOption.objects.filter(pk=option.pk).delete()[0]:
            service_changed(actor, service, COST_OPTIONS, removed=[option.pk])


# Languages ----------------------------------------------------------------------------------------


def language_values(service: Service, values: Mapping[str, Any]) -> dict[str, Any]:
    """The columns to store, or InvalidRecord. A code the search form knows gets its name if none is
    given, a three-letter code by its two-letter twin's (`eng` is English, filed as `en`)."""
    code = str(values.get("code") or "").strip().lower()
    given = {**values, "code": code}
    if not str(values.get("name") or "").strip():
        given["name"] = search_languages().get(filter_language(code), "")
    stored, problems = check_values("language", given)
    if not code:
        problems.append(("code", "is required"))
    elif problem := language_code_problem(code):
        problems.append(("code", problem))
    elif listed := _listed_as(service, code):
        problems.append(("code", f"this language is already listed for this service (as {listed})"))
    if code and not stored.get("name"):
        problems.append(("name", "is required for a language the search form does not list"))
    if problems:
        raise InvalidRecord(problems)
    return stored


def _listed_as(service: Service, code: str) -> str:
    """The code the service already lists `code`'s language under (`en` for `eng`), or ""."""
    for (listed,) in Language.objects.filter(service_id=service.pk).values_list("code"):
        if filter_language(str(listed or "")) == filter_language(code):
            return str(listed)
    return ""


def add_language(*, actor: Any, service: Service, values: Mapping[str, Any]) -> Language:
    require_manager(actor)
    with transaction.atomic():
        current = locked_service(service)
        stored = language_values(current, values)
        language = Language(service_id=current.pk, **stored)
        language.save(force_insert=True)
        service_changed(actor, current, LANGUAGES, added=[language.pk])
    return language


def remove_language(*, actor: Any, language: Language) -> None:
    require_manager(actor)
    with transaction.atomic():
        service = locked_service(Service(pk=language.service_id))
        if Language.objects.filter(pk=language.pk).delete()[0]:
            service_changed(actor, service, LANGUAGES, removed=[language.pk])


def _columns(record: Any, table: str) -> dict[str, Any]:
    return {column: getattr(record, column) for column in EDITABLE_COLUMNS[table]}
