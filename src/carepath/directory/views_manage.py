"""Coordinators' pages for keeping the directory right, under /directory/manage/.

Listings of services (stale ones flagged, in words) and of organisations, an organisation's
page, and forms to add and edit organisations, services and locations. Each view is thin:
parse, ask `policy`, call one selector or service, render. A person who may not manage the
directory gets 403 for a page and 404 for a record, so a record's existence is not revealed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carepath import policy
from carepath.directory.forms import DirectoryRecordForm, LocationForm, OrganizationForm, ServiceForm
from carepath.directory.selectors import listings
from carepath.directory.services import editing
from carepath.directory.services.edit_checks import InvalidRecord

Form = TypeVar("Form", bound=DirectoryRecordForm)
MAX_PAGE = 10_000  # deeper pages cost the database more than any person reads; filter instead


def _require_manager(request: HttpRequest) -> None:
    if not policy.can_manage_directory(request.user):
        raise PermissionDenied


def _managed(request: HttpRequest, record: Any) -> Any:
    if record is None or not policy.can_manage_directory(request.user):
        raise Http404
    return record


def _page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and 1 <= int(raw) <= MAX_PAGE else 1


def _page_url(request: HttpRequest, number: int) -> str:
    query: QueryDict = request.GET.copy()
    query["page"] = str(number)
    return f"{request.path}?{query.urlencode()}"


def _pager(request: HttpRequest, page: listings.ListingPage[Any]) -> dict[str, str]:
    return {
        "previous_url": _page_url(request, page.number - 1) if page.has_previous else "",
        "next_url": _page_url(request, page.number + 1) if page.has_next else "",
    }


@login_required
def service_listings(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    text = request.GET.get("q", "").strip()[:200]
    stale_only = request.GET.get("stale") == "1"
    organization_id = request.GET.get("organization", "").strip()[:64]
    page = listings.service_listing(
        text=text,
        stale_only=stale_only,
        organization_id=organization_id,
        page=_page_number(request.GET.get("page")),
    )
    context = {
        "page": page,
        "q": text,
        "stale_only": stale_only,
        "organization": listings.organization_by_id(organization_id) if organization_id else None,
        "stale_days": listings.stale_after_days(),
        "here": request.get_full_path(),
        **_pager(request, page),
    }
    return render(request, "directory/manage/services.html", context)


@login_required
def organization_listings(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    text = request.GET.get("q", "").strip()[:200]
    page = listings.organization_listing(text=text, page=_page_number(request.GET.get("page")))
    context = {"page": page, "q": text, **_pager(request, page)}
    return render(request, "directory/manage/organizations.html", context)


@login_required
def organization_page(request: HttpRequest, organization_id: str) -> HttpResponse:
    organization = _managed(request, listings.organization_by_id(organization_id))
    context = {
        "organization": organization,
        "services": listings.services_of(organization),
        "locations": listings.locations_of(organization),
        "shown_at_most": listings.ORGANIZATION_PAGE_LIMIT,
        "stale_days": listings.stale_after_days(),
        "here": request.get_full_path(),
    }
    return render(request, "directory/manage/organization.html", context)


# Forms -----------------------------------------------------------------------------------------


def _posted(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def _posted_form(request: HttpRequest, form_class: type[Form]) -> Form | None:
    return form_class(request.POST) if request.method == "POST" else None


def _form_page(
    request: HttpRequest, form: DirectoryRecordForm, save: Callable[[], str], context: dict[str, Any]
) -> HttpResponse:
    """Save a valid posted form and go where `save` says; otherwise show the form (400 if posted)."""
    if request.method == "POST" and form.is_valid():
        try:
            return redirect(_next_or(request, save()))
        except InvalidRecord as invalid:  # a check the form could not see, such as a changed record
            form.add_problems(invalid.problems)
    status = 400 if request.method == "POST" else 200
    next_url = request.POST.get("next") or request.GET.get("next", "")
    context = {"form": form, "next": next_url if _is_safe(request, next_url) else "", **context}
    return render(request, "directory/manage/record_form.html", context, status=status)


def _is_safe(request: HttpRequest, url: str) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure())


def _next_or(request: HttpRequest, default: str) -> str:
    wanted = request.POST.get("next", "")
    return wanted if _is_safe(request, wanted) else default


def _saved_message(request: HttpRequest, changed: tuple[str, ...]) -> None:
    if changed:
        messages.success(request, _("Saved."))
    else:
        messages.info(request, _("Nothing was changed."))


def _organization_url(organization_id: Any) -> str:
    return reverse("manage_organization", args=[organization_id])


@login_required
def organization_add(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form = OrganizationForm(_posted(request))

    def save() -> str:
        organization = editing.create_organization(actor=request.user, values=form.values())
        messages.success(request, _("The organisation is added."))
        return _organization_url(organization.pk)

    back = reverse("manage_organizations")
    return _form_page(request, form, save, {"title": _("Add an organisation"), "back": back})


@login_required
def organization_edit(request: HttpRequest, organization_id: str) -> HttpResponse:
    organization = _managed(request, listings.organization_by_id(organization_id))
    form = _posted_form(request, OrganizationForm) or OrganizationForm.from_record(organization)

    def save() -> str:
        saved = editing.update_organization(
            actor=request.user, organization=organization, values=form.values()
        )
        _saved_message(request, saved.changed)
        return _organization_url(organization.pk)

    context = {
        "title": _("Edit organisation"),
        "record": organization,
        "back": _organization_url(organization.pk),
    }
    return _form_page(request, form, save, context)


@login_required
def service_add(request: HttpRequest, organization_id: str) -> HttpResponse:
    organization = _managed(request, listings.organization_by_id(organization_id))
    choices = listings.location_choices(organization.pk)
    form = ServiceForm(_posted(request), initial={"status": "active"}, location_choices=choices)

    def save() -> str:
        editing.create_service(
            actor=request.user,
            organization=organization,
            values=form.values(),
            checked_today=form.cleaned_data["checked_today"],
            location_ids=form.location_ids() or (),
        )
        messages.success(request, _("The service is added."))
        return _organization_url(organization.pk)

    context = {
        "title": _("Add a service"),
        "parent": organization,
        "back": _organization_url(organization.pk),
    }
    return _form_page(request, form, save, context)


@login_required
def service_edit(request: HttpRequest, service_id: str) -> HttpResponse:
    service = _managed(request, listings.service_by_id(service_id))
    choices = listings.location_choices(service.organization_id)
    if request.method == "POST":
        form = ServiceForm(request.POST, location_choices=choices)
    else:
        form = ServiceForm.from_record(service, location_choices=choices)
        form.initial["locations"] = listings.linked_location_ids(service)
    back = _service_home(service)

    def save() -> str:
        saved = editing.update_service(
            actor=request.user,
            service=service,
            values=form.values(),
            checked_today=form.cleaned_data["checked_today"],
            location_ids=form.location_ids(),
        )
        _saved_message(request, saved.changed)
        return back

    context = {
        "title": _("Edit service"),
        "record": service,
        "freshness": listings.freshness_of(service),
        "stale_days": listings.stale_after_days(),
        "back": back,
        "details_url": reverse("manage_service", args=[service.pk]),
    }
    return _form_page(request, form, save, context)


@login_required
@require_POST
def service_checked(request: HttpRequest, service_id: str) -> HttpResponse:
    service = _managed(request, listings.service_by_id(service_id))
    editing.mark_service_checked(actor=request.user, service=service)
    messages.success(request, _("“%(name)s” is marked as checked today.") % {"name": service.name})
    return redirect(_next_or(request, _service_home(service)))


def _service_home(service: Any) -> str:
    if service.organization_id and listings.organization_by_id(service.organization_id) is not None:
        return _organization_url(service.organization_id)
    return reverse("manage_services")


@login_required
def location_add(request: HttpRequest, organization_id: str) -> HttpResponse:
    organization = _managed(request, listings.organization_by_id(organization_id))
    form = LocationForm(_posted(request))

    def save() -> str:
        editing.create_location(
            actor=request.user, organization=organization, values=form.values(), address=form.address_values()
        )
        messages.success(request, _("The location is added."))
        return _organization_url(organization.pk)

    context = {
        "title": _("Add a location"),
        "parent": organization,
        "back": _organization_url(organization.pk),
    }
    return _form_page(request, form, save, context)


@login_required
def location_edit(request: HttpRequest, location_id: str) -> HttpResponse:
    location = _managed(request, listings.location_by_id(location_id))
    address = listings.physical_address_of(location)
    form = _posted_form(request, LocationForm) or LocationForm.for_location(location, address)
    back = (
        _organization_url(location.organization_id)
        if location.organization_id
        else reverse("manage_services")
    )

    def save() -> str:
        saved = editing.update_location(
            actor=request.user, location=location, values=form.values(), address=form.address_values()
        )
        _saved_message(request, saved.changed)
        return back

    return _form_page(request, form, save, {"title": _("Edit location"), "record": location, "back": back})
