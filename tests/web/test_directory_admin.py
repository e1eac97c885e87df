"""The HSDS tables in the admin: every list, record and add page opens for coordinators, and
changes made there are audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.db import models
from django.test import Client

from carepath.audit.models import AuditAction, AuditEvent
from carepath.directory.models import HSDS_MODELS, Location, Organization, Service
from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db

TABLES = sorted(HSDS_MODELS)


def admin_path(model: type[models.Model], page: str = "") -> str:
    return f"/admin/directory/{model._meta.model_name}/{page}"


@pytest.fixture
def coordinator(personas: dict[str, Any]) -> Client:
    client = Client()
    sign_in(client, personas["coordinator"])
    return client


def test_every_hsds_table_is_in_the_admin() -> None:
    registered = admin.site._registry
    assert [table for table in TABLES if HSDS_MODELS[table] not in registered] == []


@pytest.mark.parametrize("table", TABLES)
def test_list_record_and_add_pages_open_for_coordinators(coordinator: Client, table: str) -> None:
    model = HSDS_MODELS[table]
    record = model._default_manager.create()
    changelist = coordinator.get(admin_path(model))
    assert changelist.status_code == 200
    assert coordinator.get(admin_path(model, "?q=" + str(record.pk))).status_code == 200
    assert coordinator.get(admin_path(model, f"{record.pk}/change/")).status_code == 200
    assert coordinator.get(admin_path(model, "add/")).status_code == 200


@pytest.mark.parametrize("table", ["service", "location", "address", "phone"])
def test_links_are_typed_as_ids_never_picked_from_every_row(coordinator: Client, table: str) -> None:
    page = coordinator.get(admin_path(HSDS_MODELS[table], "add/")).content.decode()
    assert "vForeignKeyRawIdAdminField" in page and '<select name="service"' not in page


def test_a_big_list_is_not_counted_in_full(coordinator: Client, django_assert_max_num_queries: Any) -> None:
    organization = Organization.objects.create(name="Org", description="d")
    Service.objects.bulk_create(
        Service(name=f"S{n}", status="active", organization_id=organization.pk) for n in range(60)
    )
    with django_assert_max_num_queries(8):
        page = coordinator.get(admin_path(Service)).content.decode()
    assert page.count("Org</td>") == 50


@pytest.mark.parametrize("role", ["help_seeker", "peer_supporter", "professional"])
def test_other_roles_are_kept_out(personas: dict[str, Any], role: str) -> None:
    client = Client()
    sign_in(client, personas[role])
    response = client.get(admin_path(Service))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_an_admin_change_is_audited_and_stamps_last_modified(
    coordinator: Client, personas: dict[str, Any]
) -> None:
    service = Service.objects.create(name="Group", status="active", last_modified="2020-01-01T00:00:00Z")
    response = coordinator.post(
        admin_path(Service, f"{service.pk}/change/"), {"name": "Renamed", "status": "active"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    stored = Service.objects.get(pk=service.pk)
    assert (
        stored.name == "Renamed"
        and stored.last_modified.startswith("20")
        and stored.last_modified != "2020-01-01T00:00:00Z"
    )
    event = AuditEvent.objects.get(action=AuditAction.DIRECTORY_RECORD_CHANGED)
    assert event.actor == personas["coordinator"] and event.details == {"fields": ["name"], "via": "admin"}


def test_an_admin_location_gets_its_position_worked_out(coordinator: Client) -> None:
    data = {"location_type": "physical", "name": "Hall", "latitude": "95", "longitude": "10"}
    assert coordinator.post(admin_path(Location, "add/"), data).status_code == 302
    assert Location.objects.get(name="Hall").position_usable is False
    location = Location.objects.get(name="Hall")
    data["latitude"] = "45"
    assert coordinator.post(admin_path(Location, f"{location.pk}/change/"), data).status_code == 302
    assert Location.objects.get(pk=location.pk).position_usable is True
    assert AuditEvent.objects.filter(
        action=AuditAction.DIRECTORY_RECORD_CREATED, subject_type="location"
    ).exists()


def test_an_admin_deletion_is_audited(coordinator: Client) -> None:
    organization = Organization.objects.create(name="Gone", description="d")
    response = coordinator.post(admin_path(Organization, f"{organization.pk}/delete/"), {"post": "yes"})
    assert response.status_code == 302
    assert not Organization.objects.exists()
    event = AuditEvent.objects.get(action=AuditAction.DIRECTORY_RECORD_DELETED)
    assert event.subject_type == "organization" and event.subject_id == organization.pk
