"""Editing the directory through its services: HSDS checks, audit in the same transaction, rollback."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from carepath.audit.models import AuditAction, AuditEvent
from carepath.directory.models import Address, Location, Organization, Service
from carepath.directory.services import editing
from carepath.directory.services.edit_checks import InvalidRecord
from carepath.errors import NotPermitted

pytestmark = pytest.mark.django_db

RFC3339_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
ORGANIZATION = {"name": "Harbour Peers", "description": "Peer support by the sea."}
SERVICE = {"name": "Walk and talk", "status": "active"}


@pytest.fixture
def coordinator(personas: dict[str, Any]) -> Any:
    return personas["coordinator"]


@pytest.fixture
def organization(coordinator: Any) -> Organization:
    return editing.create_organization(actor=coordinator, values=ORGANIZATION)


@pytest.fixture
def service(coordinator: Any, organization: Organization) -> Service:
    old = Service.objects.create(
        organization_id=organization.pk,
        name="Old group",
        status="active",
        last_modified="2020-01-01T00:00:00Z",
    )
    return old


def events(action: AuditAction) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_a_new_organisation_is_stored_with_an_hsds_id_and_audited(coordinator: Any) -> None:
    organization = editing.create_organization(
        actor=coordinator, values={**ORGANIZATION, "website": "https://harbour.example.org", "email": ""}
    )
    stored = Organization.objects.get(pk=organization.pk)
    assert re.fullmatch(r"[0-9a-f-]{36}", stored.pk) and stored.website == "https://harbour.example.org"
    [event] = events(AuditAction.DIRECTORY_RECORD_CREATED)
    assert (
        event.actor == coordinator and event.subject_type == "organization" and event.subject_id == stored.pk
    )
    assert event.details == {"fields": ["description", "name", "website"]}


@pytest.mark.parametrize(
    ("values", "field", "problem"),
    [
        ({"name": "No description"}, "description", "is required"),
        ({**ORGANIZATION, "email": "not-an-address"}, "email", "is not a valid email"),
        ({**ORGANIZATION, "website": "harbour.example.org"}, "website", "https://"),
        ({**ORGANIZATION, "year_incorporated": Decimal("1999.5")}, "year_incorporated", "whole number"),
        ({**ORGANIZATION, "year_incorporated": 3000}, "year_incorporated", "in the future"),
        ({**ORGANIZATION, "uri": "no scheme"}, "uri", "scheme"),
        ({**ORGANIZATION, "tax_status": 12}, "tax_status", "must be text"),
        ({**ORGANIZATION, "id": "mine"}, "id", "cannot be edited here"),
    ],
)
def test_bad_organisation_input_names_the_field_and_writes_nothing(
    coordinator: Any, values: dict[str, Any], field: str, problem: str
) -> None:
    with pytest.raises(InvalidRecord) as refused:
        editing.create_organization(actor=coordinator, values=values)
    assert refused.value.field == field and problem in refused.value.problem
    assert not Organization.objects.exists() and not AuditEvent.objects.exists()


def test_every_problem_is_listed_at_once(coordinator: Any) -> None:
    with pytest.raises(InvalidRecord) as refused:
        editing.create_organization(actor=coordinator, values={"email": "x", "website": "ftp://a.b"})
    assert {field for field, _ in refused.value.problems} == {"name", "description", "email", "website"}


@pytest.mark.parametrize("role", ["help_seeker", "peer_supporter", "professional"])
def test_only_coordinators_may_change_the_directory(personas: dict[str, Any], role: str) -> None:
    with pytest.raises(NotPermitted):
        editing.create_organization(actor=personas[role], values=ORGANIZATION)
    assert not Organization.objects.exists()


def test_a_new_service_gets_profile_fields_last_modified_and_optionally_todays_check(
    coordinator: Any, organization: Organization
) -> None:
    values = {
        **SERVICE,
        "support_type": "peer",
        "lived_experience_topics": ["depression", "bereavement"],
        "confidentiality_limits": ["risk_to_life"],
        "crisis_capable": False,
        "minimum_age": Decimal(16),
        "maximum_age": Decimal(25),
    }
    service = editing.create_service(
        actor=coordinator, organization=organization, values=values, checked_today=True
    )
    stored = Service.objects.get(pk=service.pk)
    assert stored.organization_id == organization.pk and stored.support_type == "peer"
    assert stored.lived_experience_topics == ["depression", "bereavement"] and stored.crisis_capable is False
    assert stored.assured_date == timezone.localdate() and RFC3339_UTC.match(stored.last_modified)
    [event] = [e for e in events(AuditAction.DIRECTORY_RECORD_CREATED) if e.subject_type == "service"]
    assert event.details["checked_today"] is True and "support_type" in event.details["fields"]


@pytest.mark.parametrize(
    ("values", "field", "problem"),
    [
        ({"name": "No status"}, "status", "is required"),
        ({**SERVICE, "status": "open"}, "status", "is not one of active"),
        ({**SERVICE, "support_type": "guru"}, "support_type", "is not one of peer"),
        ({**SERVICE, "confidentiality_limits": ["gossip"]}, "confidentiality_limits", "item 1"),
        ({**SERVICE, "lived_experience_topics": "depression"}, "lived_experience_topics", "must be a list"),
        ({**SERVICE, "crisis_capable": "yes"}, "crisis_capable", "true or false"),
        ({**SERVICE, "minimum_age": Decimal(-1)}, "minimum_age", "0 or more"),
        (
            {**SERVICE, "minimum_age": Decimal(30), "maximum_age": Decimal(18)},
            "maximum_age",
            "below the minimum",
        ),
        ({**SERVICE, "minimum_age": Decimal("1.1234567")}, "minimum_age", "more than 6 decimal places"),
        ({**SERVICE, "assured_date": dt.date(2999, 1, 1)}, "assured_date", "in the future"),
        ({**SERVICE, "assurer_email": "nobody"}, "assurer_email", "valid email"),
        ({**SERVICE, "last_modified": "2020-01-01T00:00:00Z"}, "last_modified", "cannot be edited here"),
    ],
)
def test_bad_service_input_names_the_field_and_writes_nothing(
    coordinator: Any, organization: Organization, values: dict[str, Any], field: str, problem: str
) -> None:
    with pytest.raises(InvalidRecord) as refused:
        editing.create_service(actor=coordinator, organization=organization, values=values)
    assert refused.value.field == field and problem in refused.value.problem
    assert not Service.objects.exists()


def test_updating_a_service_changes_only_what_is_given_and_stamps_last_modified(
    coordinator: Any, service: Service
) -> None:
    saved = editing.update_service(actor=coordinator, service=service, values={"description": "Fresh words"})
    stored = Service.objects.get(pk=service.pk)
    assert saved.changed == ("description",) and stored.name == "Old group"
    assert stored.last_modified != "2020-01-01T00:00:00Z" and RFC3339_UTC.match(stored.last_modified)
    assert stored.assured_date is None
    [event] = events(AuditAction.DIRECTORY_RECORD_CHANGED)
    assert event.details == {"fields": ["description"]} and event.subject_id == service.pk


def test_saving_without_a_change_writes_nothing(coordinator: Any, service: Service) -> None:
    saved = editing.update_service(actor=coordinator, service=service, values={"name": "Old group"})
    assert saved.changed == ()
    assert Service.objects.get(pk=service.pk).last_modified == "2020-01-01T00:00:00Z"
    assert not events(AuditAction.DIRECTORY_RECORD_CHANGED)


def test_marking_a_service_checked_sets_todays_assured_date(coordinator: Any, service: Service) -> None:
    saved = editing.mark_service_checked(actor=coordinator, service=service)
    assert saved.changed == ("assured_date",)
    assert Service.objects.get(pk=service.pk).assured_date == timezone.localdate()
    [event] = events(AuditAction.DIRECTORY_RECORD_CHANGED)
    assert event.details == {"fields": ["assured_date"], "checked_today": True}
    assert editing.mark_service_checked(actor=coordinator, service=service).changed == ()  # already today


def test_an_update_is_checked_as_the_whole_record_would_be(coordinator: Any, service: Service) -> None:
    Service.objects.filter(pk=service.pk).update(url="www.no-scheme.example")  # as an import may leave it
    with pytest.raises(InvalidRecord) as refused:
        editing.update_service(actor=coordinator, service=service, values={"description": "x"})
    assert refused.value.field == "url"
    assert Service.objects.get(pk=service.pk).description == ""


def test_the_change_and_its_audit_event_are_one_transaction(
    coordinator: Any, service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_audit(**kwargs: Any) -> None:
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr(editing, "record_event", failing_audit)
    with pytest.raises(RuntimeError):
        editing.update_service(
            actor=coordinator, service=service, values={"name": "Renamed"}, checked_today=True
        )
    stored = Service.objects.get(pk=service.pk)
    assert stored.name == "Old group" and stored.assured_date is None
    assert stored.last_modified == "2020-01-01T00:00:00Z"


def test_audit_events_are_written_inside_the_change_transaction(
    coordinator: Any, service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import connection

    seen: list[bool] = []
    real = editing.record_event

    def watching(**kwargs: Any) -> Any:
        seen.append(connection.in_atomic_block and Service.objects.get(pk=service.pk).name == "Renamed")
        return real(**kwargs)

    monkeypatch.setattr(editing, "record_event", watching)
    editing.update_service(actor=coordinator, service=service, values={"name": "Renamed"})
    assert seen == [True]


# Locations -------------------------------------------------------------------------------------

PLACE = {
    "location_type": "physical",
    "name": "Harbour hall",
    "latitude": Decimal("50.3755"),
    "longitude": Decimal("-4.1427"),
}
ADDRESS = {
    "address_1": "1 Quay Road",
    "city": "Plymouth",
    "state_province": "Devon",
    "postal_code": "PL1 2AA",
    "country": "GB",
}


def test_a_location_with_a_position_and_address(coordinator: Any, organization: Organization) -> None:
    location = editing.create_location(
        actor=coordinator, organization=organization, values=PLACE, address=ADDRESS
    )
    stored = Location.objects.get(pk=location.pk)
    assert stored.position_usable is True and stored.organization_id == organization.pk
    address = Address.objects.get(location_id=location.pk)
    assert address.address_type == "physical" and address.postal_code == "PL1 2AA"
    [event] = events(AuditAction.DIRECTORY_RECORD_CREATED)[1:]
    assert "physical_address" in event.details["fields"]


def test_a_location_without_coordinates_is_kept_off_the_map(
    coordinator: Any, organization: Organization
) -> None:
    values = {"location_type": "virtual", "name": "Online", "url": "https://meet.example.org"}
    location = editing.create_location(actor=coordinator, organization=organization, values=values)
    assert Location.objects.get(pk=location.pk).position_usable is False
    assert not Address.objects.exists()


@pytest.mark.parametrize(
    ("values", "address", "field", "problem"),
    [
        ({**PLACE, "latitude": Decimal("90.5")}, None, "latitude", "outside -90 to 90"),
        ({**PLACE, "latitude": Decimal("-90.01")}, None, "latitude", "outside -90 to 90"),
        ({**PLACE, "longitude": Decimal("180.0001")}, None, "longitude", "outside -180 to 180"),
        ({**PLACE, "longitude": None}, None, "latitude", "without a longitude"),
        ({**PLACE, "location_type": "mobile"}, None, "location_type", "is not one of physical"),
        (PLACE, {**ADDRESS, "postal_code": ""}, "postal_code", "is required"),
        (PLACE, {**ADDRESS, "country": "United Kingdom"}, "country", "two-letter"),
    ],
)
def test_bad_location_input_names_the_field(
    coordinator: Any,
    organization: Organization,
    values: dict[str, Any],
    address: dict[str, Any] | None,
    field: str,
    problem: str,
) -> None:
    with pytest.raises(InvalidRecord) as refused:
        editing.create_location(actor=coordinator, organization=organization, values=values, address=address)
    assert refused.value.field == field and problem in refused.value.problem
    assert refused.value.problem.count(";") == 0  # not the importer's "the location is kept" note
    assert not Location.objects.exists() and not Address.objects.exists()


@pytest.mark.parametrize(("latitude", "longitude"), [("-90", "-180"), ("90", "180"), ("0", "0")])
def test_coordinates_at_the_limits_are_usable(
    coordinator: Any, organization: Organization, latitude: str, longitude: str
) -> None:
    values = {**PLACE, "latitude": Decimal(latitude), "longitude": Decimal(longitude)}
    location = editing.create_location(actor=coordinator, organization=organization, values=values)
    assert Location.objects.get(pk=location.pk).position_usable is True


def test_updating_a_location_replaces_or_removes_its_address(
    coordinator: Any, organization: Organization
) -> None:
    location = editing.create_location(
        actor=coordinator, organization=organization, values=PLACE, address=ADDRESS
    )
    moved = {**ADDRESS, "address_1": "2 Quay Road"}
    saved = editing.update_location(
        actor=coordinator, location=location, values={"name": "Hall"}, address=moved
    )
    assert saved.changed == ("name", "physical_address")
    assert Address.objects.get(location_id=location.pk).address_1 == "2 Quay Road"
    saved = editing.update_location(
        actor=coordinator, location=location, values={"latitude": None, "longitude": None}, address=None
    )
    assert set(saved.changed) == {"latitude", "longitude", "position_usable", "physical_address"}
    assert not Address.objects.exists() and Location.objects.get(pk=location.pk).position_usable is False


# The search index follows every change, in the change's transaction -----------------------------


@pytest.fixture
def refreshed(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    from django.db import connection

    from carepath.directory.services import admin_changes

    calls: list[set[str]] = []

    def spy(service_ids: Any) -> int:
        assert connection.in_atomic_block
        calls.append(set(service_ids))
        return len(calls[-1])

    monkeypatch.setattr(editing, "refresh_search_entries", spy)
    monkeypatch.setattr(admin_changes, "refresh_search_entries", spy)
    return calls


def test_search_entries_follow_service_organisation_and_location_changes(
    coordinator: Any, organization: Organization, service: Service, refreshed: list[set[str]]
) -> None:
    from carepath.directory.models import ServiceAtLocation

    editing.update_service(actor=coordinator, service=service, values={"name": "New name"})
    editing.mark_service_checked(actor=coordinator, service=service)
    editing.update_organization(actor=coordinator, organization=organization, values={"name": "Renamed org"})
    location = editing.create_location(actor=coordinator, organization=organization, values=PLACE)
    ServiceAtLocation.objects.create(service_id=service.pk, location_id=location.pk)
    editing.update_location(actor=coordinator, location=location, values={"name": "Moved"}, address=None)
    assert refreshed == [{service.pk}] * 4


def test_an_admin_change_refreshes_the_services_it_reaches(
    coordinator: Any, service: Service, refreshed: list[set[str]]
) -> None:
    from carepath.directory.models import CostOption
    from carepath.directory.services.admin_changes import delete_from_admin, save_from_admin

    cost = CostOption(service_id=service.pk, option="Free")
    save_from_admin(actor=coordinator, record=cost, created=True, fields=["option"])
    delete_from_admin(actor=coordinator, records=[cost])
    assert refreshed == [{service.pk}, {service.pk}]


def test_a_new_active_service_is_searchable_and_a_closed_one_is_not(
    coordinator: Any, organization: Organization
) -> None:
    from carepath.directory.models import SearchEntry

    created = editing.create_service(actor=coordinator, organization=organization, values=SERVICE)
    assert SearchEntry.objects.filter(service_id=created.pk).exists()
    editing.update_service(actor=coordinator, service=created, values={"status": "defunct"})
    assert not SearchEntry.objects.filter(service_id=created.pk).exists()


# Where a service is offered ---------------------------------------------------------------------


def test_a_service_is_offered_at_its_organisations_locations(
    coordinator: Any, organization: Organization, refreshed: list[set[str]]
) -> None:
    from carepath.directory.models import ServiceAtLocation

    hall = editing.create_location(actor=coordinator, organization=organization, values=PLACE)
    online = editing.create_location(
        actor=coordinator, organization=organization, values={"location_type": "virtual", "name": "Online"}
    )
    created = editing.create_service(
        actor=coordinator, organization=organization, values=SERVICE, location_ids=[hall.pk]
    )
    assert set(ServiceAtLocation.objects.values_list("service_id", "location_id")) == {(created.pk, hall.pk)}
    assert "locations" in events(AuditAction.DIRECTORY_RECORD_CREATED)[-1].details["fields"]

    saved = editing.update_service(actor=coordinator, service=created, values={}, location_ids=[online.pk])
    assert saved.changed == ("locations",)
    assert set(ServiceAtLocation.objects.values_list("location_id", flat=True)) == {online.pk}
    assert RFC3339_UTC.match(Service.objects.get(pk=created.pk).last_modified)
    assert (
        editing.update_service(actor=coordinator, service=created, values={}, location_ids=None).changed == ()
    )


def test_a_location_of_another_organisation_is_refused(coordinator: Any, organization: Organization) -> None:
    other = editing.create_organization(actor=coordinator, values={"name": "Other", "description": "x"})
    elsewhere = editing.create_location(actor=coordinator, organization=other, values=PLACE)
    with pytest.raises(InvalidRecord) as refused:
        editing.create_service(
            actor=coordinator, organization=organization, values=SERVICE, location_ids=[elsewhere.pk]
        )
    assert refused.value.field == "locations" and "not a location of the service's organisation" in str(
        refused.value
    )
    assert not Service.objects.exists()
