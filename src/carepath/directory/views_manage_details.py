"""Coordinators' pages for what describes one service: its cost options, languages and opening hours.

The service's page lists them, each with a way to change it; forms add and edit cost options, add
languages, and set the weekly hours of the whole service or of one place it is offered at;
removing is a button that posts. Thin views, as in `views_manage` (whose form page and checks
they share): parse, ask `policy`, call one selector or service, render. Anyone who may not manage
the directory gets 404 for all of them, so a record's existence is not revealed.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carepath.directory.forms_hours import WeeklyHoursForm
from carepath.directory.forms_service_details import COST_KIND_LABELS, CostOptionForm, LanguageForm
from carepath.directory.models import CostOption, Language, Service
from carepath.directory.opening_hours_text import hours_lines, rule_text, zone_shown
from carepath.directory.selectors import listings
from carepath.directory.selectors import service_details as details
from carepath.directory.services import editing_details, editing_hours
from carepath.directory.services.edit_checks import InvalidRecord
from carepath.directory.views_manage import _form_page, _managed, _posted, _posted_form, _saved_message
from carepath.errors import FieldProblem
from carepath.web.forms import show_problem

Record = TypeVar("Record", CostOption, Language)


def _service_url(service: Any, part: str = "") -> str:
    return reverse("manage_service", args=[service.pk]) + (f"#{part}-heading" if part else "")


def _with_service(request: HttpRequest, record: Record | None) -> tuple[Record, Service]:
    """A cost option or language and its service; 404 when either is missing or may not be managed."""
    service_id = getattr(record, "service_id", None)
    service = _managed(request, listings.service_by_id(service_id) if service_id else None)
    if record is None:
        raise Http404
    return record, service


@login_required
def service_page(request: HttpRequest, service_id: str) -> HttpResponse:
    service = _managed(request, listings.service_by_id(service_id))
    organization_id = service.organization_id
    context = {
        "service": service,
        "organization": listings.organization_by_id(organization_id) if organization_id else None,
        "freshness": listings.freshness_of(service),
        "stale_days": listings.stale_after_days(),
        "costs": [_cost_shown(option) for option in details.cost_options_of(service)],
        "languages": details.languages_of(service),
        "places": [
            _place_shown(service, hours)
            for hours in details.hours_of_places(service, details.places_of(service))
        ],
    }
    return render(request, "directory/manage/service.html", context)


def _cost_shown(option: Any) -> dict[str, Any]:
    kinds = details.cost_kinds_of(option)
    amount = "" if option.amount is None else f"{option.amount.normalize():f} {option.currency}".strip()
    return {
        "option": option,
        "amount": amount,
        "kinds": [str(label) for kind, label in COST_KIND_LABELS if kind in kinds],
    }


def _place_shown(service: Any, current: details.PlaceHours) -> dict[str, Any]:
    hours = current.split.hours
    return {
        "place": current.place,
        "lines": hours_lines(hours) if hours is not None else [],
        "zone": zone_shown(hours.offset_minutes) if hours is not None else "",
        "attending": hours.attending_type if hours is not None else "",
        "kept": [rule_text(row) for row in current.kept],
        "url": _hours_url(service, current.place),
    }


def _hours_url(service: Any, place: details.Place) -> str:
    if place.link_id is None:
        return reverse("manage_hours", args=[service.pk])
    return reverse("manage_hours_at", args=[service.pk, place.link_id])


# Cost options -------------------------------------------------------------------------------------


@login_required
def cost_option_add(request: HttpRequest, service_id: str) -> HttpResponse:
    service = _managed(request, listings.service_by_id(service_id))
    form = CostOptionForm(_posted(request), initial={"currency": details.usual_currency(service)})

    def save() -> str:
        editing_details.add_cost_option(
            actor=request.user, service=service, values=form.values(), kinds=form.chosen_kinds()
        )
        messages.success(request, _("The cost option is added."))
        return _service_url(service, "costs")

    context = {"title": _("Add a cost option"), "parent": service, "back": _service_url(service)}
    return _form_page(request, form, save, context)


@login_required
def cost_option_edit(request: HttpRequest, cost_option_id: str) -> HttpResponse:
    option, service = _with_service(request, details.cost_option_by_id(cost_option_id))
    form = _posted_form(request, CostOptionForm) or CostOptionForm.for_option(option)

    def save() -> str:
        saved = editing_details.update_cost_option(
            actor=request.user, option=option, values=form.values(), kinds=form.chosen_kinds()
        )
        _saved_message(request, saved.changed)
        return _service_url(service, "costs")

    context = {"title": _("Edit a cost option"), "parent": service, "back": _service_url(service)}
    return _form_page(request, form, save, context)


@login_required
@require_POST
def cost_option_remove(request: HttpRequest, cost_option_id: str) -> HttpResponse:
    option, service = _with_service(request, details.cost_option_by_id(cost_option_id))
    editing_details.remove_cost_option(actor=request.user, option=option)
    messages.success(request, _("The cost option is removed."))
    return redirect(_service_url(service, "costs"))


# Languages ----------------------------------------------------------------------------------------


@login_required
def language_add(request: HttpRequest, service_id: str) -> HttpResponse:
    service = _managed(request, listings.service_by_id(service_id))
    form = LanguageForm(_posted(request), service=service)

    def save() -> str:
        editing_details.add_language(actor=request.user, service=service, values=form.values())
        messages.success(request, _("The language is added."))
        return _service_url(service, "languages")

    context = {"title": _("Add a language"), "parent": service, "back": _service_url(service)}
    return _form_page(request, form, save, context)


@login_required
@require_POST
def language_remove(request: HttpRequest, language_id: str) -> HttpResponse:
    language, service = _with_service(request, details.language_by_id(language_id))
    editing_details.remove_language(actor=request.user, language=language)
    messages.success(request, _("The language is removed."))
    return redirect(_service_url(service, "languages"))


# Opening hours ------------------------------------------------------------------------------------


@login_required
def opening_hours(request: HttpRequest, service_id: str, link_id: str | None = None) -> HttpResponse:
    """The weekly hours of the service (`link_id` None) or of one place it is offered at."""
    service = _managed(request, listings.service_by_id(service_id))
    place = details.place_of(service, link_id)
    if place is None:
        raise Http404
    current = details.hours_at(service, place)
    form = _hours_form(request, current)
    saving = request.method == "POST" and "more" not in request.POST
    if saving and form.is_valid() and form.hours is not None:
        try:
            saved = editing_hours.save_opening_hours(
                actor=request.user,
                service=service,
                place=place,
                hours=form.hours,
                description=form.cleaned_data["description"],
            )
        except InvalidRecord as invalid:
            for field, problem in invalid.problems:
                show_problem(form, FieldProblem(field, problem))
        else:
            _saved_message(request, saved.added + saved.changed + saved.removed)
            return redirect(_service_url(service, "hours"))
    context = {
        "form": form,
        "service": service,
        "place": place,
        "kept": [rule_text(row) for row in current.kept],
        "back": _service_url(service),
    }
    return render(request, "directory/manage/hours_form.html", context, status=400 if saving else 200)


def _hours_form(request: HttpRequest, current: details.PlaceHours) -> WeeklyHoursForm:
    if request.method != "POST":
        return WeeklyHoursForm.for_place(current)
    if "more" in request.POST:  # another row of times for each day, nothing saved, nothing checked
        form = WeeklyHoursForm(request.POST)
        slots = form.slot_count + 1
        return WeeklyHoursForm(initial={**request.POST.dict(), "slots": slots}, slots=slots)
    return WeeklyHoursForm(request.POST)
