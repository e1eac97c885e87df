"""Cost options, languages and opening hours through the editing services, against a real database.

Each change is checked, audited in its transaction, stamps the service's `last_modified` and
refreshes its search entry, so the search's cost, language and "open at" filters follow at once.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from carepath.audit.models import AuditAction, AuditEvent
from carepath.directory.models import (
    CostOption,
    Language,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
)
from carepath.directory.selectors import service_details
from carepath.directory.selectors.find import find_services
from carepath.directory.services import editing_details, editing_hours
from carepath.directory.services.edit_checks import InvalidRecord
from carepath.errors import NotPermitted
from carepath_core.directory_hours import Opening, WeeklyHours, week_of

pytestmark = pytest.mark.django_db

OLD_STAMP = "2020-01-01T00:00:00Z"
MONDAY_1030_UTC = dt.datetime(2026, 11, 23, 10, 30, tzinfo=dt.UTC)  # London is on UTC in November
MONDAY_1230_UTC = dt.datetime(2026, 11, 23, 12, 30, tzinfo=dt.UTC)
MONDAY_2030_UTC = dt.datetime(2026, 11, 23, 20, 30, tzinfo=dt.UTC)


@pytest.fixture
def coordinator(personas: dict[str, Any]) -> Any:
    return personas["coordinator"]


@pytest.fixture
def service(db: Any) -> Service:
    organization = Organization.objects.create(name="Harbour Peers", description="Peer support.")
    return editing_service(organization)


def editing_service(organization: Organization) -> Service:
    from django.db import transaction

    from carepath.directory.services.search_index import refresh_search_entries

    with transaction.atomic():
        created = Service.objects.create(
            organization_id=organization.pk,
            name="Kittiwake listening circle",
            status="active",
            support_type="peer",
            last_modified=OLD_STAMP,
        )
        refresh_search_entries([created.pk])
    return created


def found(now: dt.datetime = MONDAY_1030_UTC, **filters: str) -> list[str]:
    params = {"q": ["kittiwake"], **{name: [value] for name, value in filters.items()}}
    return [card.name for card in find_services(params, home_country="GB", now=now).cards]


def stamped(service: Service) -> bool:
    return Service.objects.get(pk=service.pk).last_modified != OLD_STAMP


def change_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.DIRECTORY_RECORD_CHANGED).order_by("id"))


# Cost options -------------------------------------------------------------------------------------


def test_a_sliding_scale_option_is_stored_audited_and_found_by_the_cost_filter(
    coordinator: Any, service: Service
) -> None:
    assert found(cost="sliding_scale") == []
    option = editing_details.add_cost_option(
        actor=coordinator,
        service=service,
        values={"option": "Adults", "amount": Decimal(15), "currency": "gbp", "amount_description": ""},
        kinds=["sliding_scale"],
    )
    stored = CostOption.objects.get(pk=option.pk)
    assert stored.option == "Adults (sliding scale)" and stored.currency == "GBP" and stored.amount == 15
    assert stamped(service)
    [event] = change_events()
    assert event.subject_type == "service" and event.subject_id == service.pk
    assert event.details == {"fields": ["cost_options"], "added": [option.pk]}
    assert found(cost="sliding_scale") == ["Kittiwake listening circle"]
    assert found(max_cost="20") == ["Kittiwake listening circle"] and found(max_cost="10") == []
    assert found(cost="insurance") == []


def test_a_free_option_is_found_as_free_and_within_any_budget(coordinator: Any, service: Service) -> None:
    editing_details.add_cost_option(
        actor=coordinator, service=service, values={"option": "", "amount": None}, kinds=["free"]
    )
    stored = CostOption.objects.get(service_id=service.pk)
    assert stored.amount == 0
    assert found(cost="free") == ["Kittiwake listening circle"] and found(max_cost="0") != []


@pytest.mark.parametrize(
    ("values", "kinds", "field", "problem"),
    [
        ({"amount": Decimal(40), "currency": "GBP"}, ["free"], "amount", "not free"),
        ({"option": "Free taster", "amount": Decimal(5), "currency": "GBP"}, [], "kinds", "free"),
        ({"amount": Decimal(40)}, [], "currency", "needed with an amount"),
        ({"amount": Decimal(40), "currency": "pounds"}, [], "currency", "three-letter"),
        ({"amount": Decimal(-5), "currency": "GBP"}, [], "amount", "0 or more"),
        ({"amount": "lots"}, [], "amount", "must be a number"),
        (
            {"option": "x", "valid_from": dt.date(2026, 3, 1), "valid_to": dt.date(2026, 1, 1)},
            [],
            "valid_to",
            "before",
        ),
        ({}, [], "option", "say what the option is"),
        ({"service_id": "elsewhere", "option": "x"}, [], "service_id", "cannot be edited here"),
    ],
)
def test_bad_cost_options_name_the_field_and_write_nothing(
    coordinator: Any, service: Service, values: dict[str, Any], kinds: list[str], field: str, problem: str
) -> None:
    with pytest.raises(InvalidRecord) as refused:
        editing_details.add_cost_option(actor=coordinator, service=service, values=values, kinds=kinds)
    assert refused.value.field == field and problem in refused.value.problem
    assert not CostOption.objects.exists() and not change_events() and not stamped(service)


def test_editing_a_cost_option_names_the_columns_and_an_unchanged_save_writes_nothing(
    coordinator: Any, service: Service
) -> None:
    option = editing_details.add_cost_option(
        actor=coordinator,
        service=service,
        values={"option": "Per session", "amount": Decimal(40), "currency": "GBP"},
    )
    saved = editing_details.update_cost_option(
        actor=coordinator, option=option, values={"amount": Decimal(35)}, kinds=["insurance"]
    )
    assert set(saved.changed) == {"amount", "option"}
    assert CostOption.objects.get(pk=option.pk).option == "Per session (insurance accepted)"
    assert change_events()[-1].details == {
        "fields": ["cost_options"],
        "changed": [option.pk],
        "columns": ["amount", "option"],
    }
    again = editing_details.update_cost_option(
        actor=coordinator, option=option, values={}, kinds=["insurance"]
    )
    assert again.changed == () and len(change_events()) == 2


def test_removing_a_cost_option_is_audited_and_the_filter_follows(coordinator: Any, service: Service) -> None:
    option = editing_details.add_cost_option(
        actor=coordinator, service=service, values={"option": "Free"}, kinds=["free"]
    )
    editing_details.remove_cost_option(actor=coordinator, option=option)
    assert not CostOption.objects.exists() and found(cost="free") == []
    assert change_events()[-1].details == {"fields": ["cost_options"], "removed": [option.pk]}


# Languages ----------------------------------------------------------------------------------------


def test_a_language_is_found_by_the_language_filter(coordinator: Any, service: Service) -> None:
    assert found(language="cy") == []
    language = editing_details.add_language(actor=coordinator, service=service, values={"code": " CY "})
    stored = Language.objects.get(pk=language.pk)
    assert stored.code == "cy" and stored.name == "Welsh" and stored.service_id == service.pk
    assert found(language="cy") == ["Kittiwake listening circle"] and stamped(service)
    assert change_events()[-1].details == {"fields": ["languages"], "added": [language.pk]}
    editing_details.remove_language(actor=coordinator, language=language)
    assert found(language="cy") == [] and not Language.objects.exists()


@pytest.mark.parametrize(
    ("values", "field", "problem"),
    [
        ({"code": "pt-BR", "name": "Portuguese"}, "code", "give the language alone (pt)"),
        ({"code": "welsh"}, "code", "two letters (ISO 639-1)"),
        ({"code": ""}, "code", "is required"),
        ({"code": "gsw"}, "name", "is required"),  # not a language the search form lists: name it
        ({"code": "cy", "phone_id": "x"}, "phone_id", "cannot be edited here"),
    ],
)
def test_bad_languages_name_the_field_and_write_nothing(
    coordinator: Any, service: Service, values: dict[str, Any], field: str, problem: str
) -> None:
    with pytest.raises(InvalidRecord) as refused:
        editing_details.add_language(actor=coordinator, service=service, values=values)
    assert refused.value.field == field and problem in refused.value.problem
    assert not Language.objects.exists() and not change_events()


@pytest.mark.parametrize("again", ["en", "eng"])
def test_a_language_listed_twice_is_refused(coordinator: Any, service: Service, again: str) -> None:
    Language.objects.create(service_id=service.pk, code="EN", name="English")
    with pytest.raises(InvalidRecord) as refused:
        editing_details.add_language(actor=coordinator, service=service, values={"code": again})
    assert (
        refused.value.field == "code" and "already listed for this service (as EN)" in refused.value.problem
    )


@pytest.mark.parametrize(("code", "name"), [("eng", "English"), ("wel", "Welsh"), ("cym", "Welsh")])
def test_a_three_letter_code_is_named_and_found_by_its_two_letter_twin(
    coordinator: Any, service: Service, code: str, name: str
) -> None:
    language = editing_details.add_language(actor=coordinator, service=service, values={"code": code})
    stored = Language.objects.get(pk=language.pk)
    assert stored.code == code and stored.name == name  # kept as sent, named as the form names it
    twin = "en" if code == "eng" else "cy"
    assert found(language=twin) == ["Kittiwake listening circle"]


# Opening hours ------------------------------------------------------------------------------------


def weekday_hours(offset: int = 0, attending: str = "In person") -> WeeklyHours:
    split_day = (Opening(9 * 60, 12 * 60), Opening(13 * 60, 17 * 60))
    return WeeklyHours(
        week_of({0: split_day, 1: split_day, 4: [Opening(18 * 60, 2 * 60)]}), offset, attending
    )


def whole_service() -> service_details.Place:
    return service_details.Place(None)


def test_saved_hours_are_what_open_at_finds(coordinator: Any, service: Service) -> None:
    saved = editing_hours.save_opening_hours(
        actor=coordinator, service=service, place=whole_service(), hours=weekday_hours()
    )
    rows = list(Schedule.objects.filter(service_id=service.pk).order_by("id"))
    assert len(saved.added) == len(rows) == 3 and stamped(service)
    assert {(row.byday, row.opens_at, row.closes_at) for row in rows} == {
        ("MO,TU", "09:00", "12:00"),
        ("MO,TU", "13:00", "17:00"),
        ("FR", "18:00", "02:00"),
    }
    assert all(
        row.timezone == 0 and row.freq == "WEEKLY" and row.attending_type == "In person" for row in rows
    )
    assert (
        rows[0].description
        == "Monday and Tuesday: 09:00 to 12:00 and 13:00 to 17:00. Friday: 18:00 to 02:00."
    )
    assert [row.description for row in rows[1:]] == ["", ""]
    assert change_events()[-1].details["fields"] == ["schedules"]
    assert found(open="at", at="2026-11-23T10:30") == ["Kittiwake listening circle"]
    assert found(open="at", at="2026-11-23T12:30") == []  # the lunch break
    assert found(open="at", at="2026-11-28T01:30") == ["Kittiwake listening circle"]  # Friday night
    assert found(open="now", now=MONDAY_2030_UTC) == []


def test_hours_in_another_offset_move_in_utc(coordinator: Any, service: Service) -> None:
    editing_hours.save_opening_hours(
        actor=coordinator, service=service, place=whole_service(), hours=weekday_hours(offset=-300)
    )
    assert found(open="now", now=MONDAY_1030_UTC) == []  # 05:30 in Toronto's standard time
    assert found(open="now", now=dt.datetime(2026, 11, 23, 14, 30, tzinfo=dt.UTC)) == [
        "Kittiwake listening circle"
    ]


def test_saving_the_same_hours_again_writes_nothing_and_changes_keep_rows(
    coordinator: Any, service: Service
) -> None:
    place = whole_service()
    first = editing_hours.save_opening_hours(
        actor=coordinator, service=service, place=place, hours=weekday_hours()
    )
    again = editing_hours.save_opening_hours(
        actor=coordinator, service=service, place=place, hours=weekday_hours()
    )
    assert not again.any and len(change_events()) == 1
    fewer = WeeklyHours(week_of({0: [Opening(9 * 60, 12 * 60)]}), 0, "In person")
    changed = editing_hours.save_opening_hours(actor=coordinator, service=service, place=place, hours=fewer)
    [row] = Schedule.objects.all()
    assert row.pk in first.added and changed.changed == (row.pk,) and len(changed.removed) == 2
    assert (row.byday, row.opens_at, row.description) == ("MO", "09:00", "Monday: 09:00 to 12:00.")


def test_rules_the_form_cannot_show_are_kept(coordinator: Any, service: Service) -> None:
    monthly = Schedule.objects.create(
        service_id=service.pk, freq="MONTHLY", byday="1SA", opens_at="10:00", closes_at="12:00"
    )
    dated = Schedule.objects.create(
        service_id=service.pk, freq="WEEKLY", byday="SU", opens_at="10:00", closes_at="12:00",
        valid_from=dt.date(2026, 6, 1),
    )  # fmt: skip
    current = service_details.hours_at(service, whole_service())
    assert set(current.split.kept) == {monthly.pk, dated.pk} and current.split.hours is None
    editing_hours.save_opening_hours(
        actor=coordinator, service=service, place=whole_service(), hours=weekday_hours()
    )
    editing_hours.save_opening_hours(
        actor=coordinator, service=service, place=whole_service(), hours=WeeklyHours(week_of({}), 0)
    )
    assert set(Schedule.objects.values_list("id", flat=True)) == {monthly.pk, dated.pk}


def test_hours_at_one_place_belong_to_its_service_at_location(coordinator: Any, service: Service) -> None:
    hall = Location.objects.create(
        organization_id=service.organization_id, location_type="physical", name="Hall"
    )
    link = ServiceAtLocation.objects.create(service_id=service.pk, location_id=hall.pk)
    place = service_details.place_of(service, link.pk)
    assert place is not None and place.location_name == "Hall"
    saved = editing_hours.save_opening_hours(
        actor=coordinator, service=service, place=place, hours=weekday_hours()
    )
    assert set(Schedule.objects.filter(service_at_location_id=link.pk).values_list("id", flat=True)) == set(
        saved.added
    )
    assert not Schedule.objects.filter(service_id=service.pk).exists()
    assert change_events()[-1].details["service_at_location"] == link.pk
    assert found(open="at", at="2026-11-23T10:30") == ["Kittiwake listening circle"]
    assert service_details.hours_at(service, whole_service()).split.hours is None


def test_a_place_of_another_service_is_refused(coordinator: Any, service: Service) -> None:
    other = Service.objects.create(name="Other", status="active")
    link = ServiceAtLocation.objects.create(service_id=other.pk, location_id="somewhere")
    assert service_details.place_of(service, link.pk) is None
    place = service_details.Place(link, "Elsewhere")
    with pytest.raises(InvalidRecord):
        editing_hours.save_opening_hours(
            actor=coordinator, service=service, place=place, hours=weekday_hours()
        )
    assert not Schedule.objects.exists()


def test_an_offset_the_importer_would_refuse_is_refused(coordinator: Any, service: Service) -> None:
    with pytest.raises(InvalidRecord) as refused:
        editing_hours.save_opening_hours(
            actor=coordinator, service=service, place=whole_service(), hours=weekday_hours(offset=15 * 60)
        )
    assert refused.value.field == "time_zone" and not Schedule.objects.exists()


# Every change: coordinators only, one transaction with its audit event ------------------------------


@pytest.mark.parametrize("role", ["help_seeker", "peer_supporter", "professional"])
def test_only_coordinators_may_change_what_describes_a_service(
    personas: dict[str, Any], role: str, service: Service
) -> None:
    actor = personas[role]
    with pytest.raises(NotPermitted):
        editing_details.add_cost_option(actor=actor, service=service, values={"option": "Free"})
    with pytest.raises(NotPermitted):
        editing_details.add_language(actor=actor, service=service, values={"code": "en"})
    with pytest.raises(NotPermitted):
        editing_hours.save_opening_hours(
            actor=actor, service=service, place=whole_service(), hours=weekday_hours()
        )
    assert not CostOption.objects.exists() and not Language.objects.exists() and not Schedule.objects.exists()


def test_a_failing_audit_undoes_the_change(
    coordinator: Any, service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_audit(**kwargs: Any) -> None:
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr(editing_details, "record_event", failing_audit)
    with pytest.raises(RuntimeError):
        editing_hours.save_opening_hours(
            actor=coordinator, service=service, place=whole_service(), hours=weekday_hours()
        )
    with pytest.raises(RuntimeError):
        editing_details.add_language(actor=coordinator, service=service, values={"code": "en"})
    assert not Schedule.objects.exists() and not Language.objects.exists() and not stamped(service)


@pytest.mark.parametrize(
    ("zone", "minutes"),
    [("Europe/London", 0), ("Australia/Sydney", 600), ("America/Santiago", -240), ("Pacific/Auckland", 720)],
)
def test_times_without_an_offset_are_read_in_standard_time_in_either_hemisphere(
    settings: Any, zone: str, minutes: int
) -> None:
    # The search index, the result cards and the hours form all read such times by this one offset;
    # January's alone would be summer time south of the equator (Sydney +11, Santiago -3).
    settings.CAREPATH_TIME_ZONE = zone
    assert service_details.default_offset_minutes() == minutes
