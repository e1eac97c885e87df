"""`carepath demo-directory`: a synthetic HSDS directory, the same for the same size and seed.

Checked through the directory's own exports: byte-identical for the same seed, different for
another; every service valid under the Carepath profile and the official HSDS schema; the mix of
support types with matching profile fields; only fictional phone numbers and example.org
addresses; and the fast bulk path stores exactly what importing its own export stores.
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import frictionless
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from jsonschema import Draft202012Validator

from carepath.audit.models import AuditAction, AuditEvent
from carepath.demo.directory_phones import RESERVED_NUMBER_PATTERNS
from carepath.directory.models import HSDS_MODELS, Location, Organization, Phone, Service
from carepath.directory.selectors.hsds import hsds_record_count, hsds_tables
from carepath.interop.hsds_profile import shipped_schema
from tests.integration.test_hsds_roundtrip import EXPORT_FILES, HSDS, official_validator

pytestmark = pytest.mark.django_db

EXAMPLE_ORG = re.compile(r"^[a-z0-9.-]+@example\.org$")


def generate(*options: str) -> str:
    out = io.StringIO()
    call_command("demo-directory", *options, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def export(folder: Path, form: str = "json") -> Path:
    call_command("export-hsds", str(folder), "--format", form, stdout=io.StringIO(), stderr=io.StringIO())
    return folder


def clear_directory() -> None:
    for model in HSDS_MODELS.values():
        model._default_manager.all().delete()


def exported_files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def services_in(folder: Path) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = json.loads((folder / "services.json").read_text(encoding="utf-8"))[
        "contents"
    ]
    return items


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    """400 demo services (seed 11), exported as JSON."""
    generate("--services", "400", "--seed", "11")
    return export(tmp_path / "directory")


def test_the_same_seed_gives_a_byte_identical_export(tmp_path: Path) -> None:
    generate("--services", "80", "--seed", "5")
    first_json, first_csv = export(tmp_path / "a"), export(tmp_path / "a-csv", "tabular")
    clear_directory()
    generate("--services", "80", "--seed", "5")
    second_json, second_csv = export(tmp_path / "b"), export(tmp_path / "b-csv", "tabular")

    assert exported_files(first_json) == exported_files(second_json)
    assert exported_files(first_csv) == exported_files(second_csv)


def test_another_seed_gives_another_directory(tmp_path: Path) -> None:
    generate("--services", "30", "--seed", "5")
    first = export(tmp_path / "a")
    clear_directory()
    generate("--services", "30", "--seed", "6")
    second = export(tmp_path / "b")

    assert (first / "services.json").read_bytes() != (second / "services.json").read_bytes()
    assert {item["id"] for item in services_in(first)}.isdisjoint(item["id"] for item in services_in(second))


def test_counts_and_the_summary() -> None:
    printed = generate("--services", "123", "--seed", "2")

    assert Service.objects.count() == 123
    organizations = Organization.objects.count()
    assert 123 / 5 <= organizations <= 123
    assert f"123 services of {organizations} organisations, {hsds_record_count()} HSDS records" in printed
    event = AuditEvent.objects.get(action=AuditAction.DEMO_LOADED)
    assert event.details["directory_services"] == 123 and event.details["seed"] == 2


def test_a_mix_of_support_types_with_matching_profile_fields(directory: Path) -> None:
    services = services_in(directory)
    kinds = Counter(item["support_type"] for item in services)

    assert 0.3 <= kinds["peer"] / len(services) <= 0.5
    assert 0.3 <= kinds["professional"] / len(services) <= 0.5
    assert kinds["hybrid"] and kinds["self_help"] and kinds["crisis"]
    for item in services:
        assert item["description"].startswith("Demo listing")
        assert item["confidentiality_policy"] and "risk_to_life" in item["confidentiality_limits"]
        if item["support_type"] in ("peer", "hybrid"):
            assert item["lived_experience_topics"] and item["peer_certification"] and item["supervision"]
        if item["support_type"] in ("professional", "hybrid"):
            assert item["licence_type"] and item["licensing_body"] and item["supervision"]
        if item["support_type"] == "crisis":
            assert item["crisis_capable"] is True and item["hours_24_7"] is True
            assert [schedule["byday"] for schedule in item["schedules"]] == ["MO,TU,WE,TH,FR,SA,SU"]
        else:
            assert item["hours_24_7"] is False


def test_every_service_validates_against_the_profile_and_the_official_schema(directory: Path) -> None:
    profile = Draft202012Validator(
        shipped_schema("schema/compiled/service.json"), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    official = official_validator("service.json") if HSDS.exists() else None
    for item in services_in(directory):
        assert [error.message for error in profile.iter_errors(item)] == [], item["id"]
        if official is not None:
            assert [error.message for error in official.iter_errors(item)] == [], item["id"]
    for name in set(EXPORT_FILES) - {"services.json"}:
        assert json.loads((directory / name).read_text(encoding="utf-8"))["contents"] == []


def test_schedules_costs_languages_and_places_are_realistic(directory: Path) -> None:
    services = services_in(directory)
    schedules = [schedule for item in services for schedule in item["schedules"]]
    assert {schedule["byday"] for schedule in schedules} >= {"MO,TU,WE,TH,FR", "TU,TH", "SA"}
    assert all(schedule["freq"] == "WEEKLY" and schedule["opens_at"] for schedule in schedules)
    options = Counter(cost["option"] for item in services for cost in item["cost_options"])
    assert options["Free"] and options["Sliding scale"] and options["Per session"]
    currencies = {cost["currency"] for item in services for cost in item["cost_options"]}
    assert currencies <= {"GBP", "EUR", "USD", "CAD", "AUD", "NZD"} and len(currencies) >= 4
    languages = Counter(language["code"] for item in services for language in item["languages"])
    assert languages.most_common(1)[0][0] == "en" and len(languages) > 3
    kinds = Counter(Location.objects.values_list("location_type", flat=True))
    assert kinds["physical"] and kinds["virtual"]
    assert not Location.objects.filter(location_type="virtual", latitude__isnull=False).exists()
    assert Location.objects.filter(location_type="physical", position_usable=False).count() == 0


def test_only_fictional_phone_numbers_and_example_org_addresses(directory: Path) -> None:
    numbers = list(Phone.objects.values_list("number", flat=True))
    assert numbers
    for number in numbers:
        assert any(pattern.match(number) for pattern in RESERVED_NUMBER_PATTERNS.values()), number
    tables = hsds_tables()
    emails = [row["email"] for name in ("service", "organization") for row in tables[name]]
    assert emails and all(EXAMPLE_ORG.match(email) for email in emails)
    urls = [row["url"] for row in tables["service"]] + [row["website"] for row in tables["organization"]]
    urls += [row["url"] for row in tables["location"] if row["url"]]
    assert all(url.startswith("https://example.org/demo/") for url in urls)


def test_the_bulk_path_stores_what_importing_its_export_stores(directory: Path, tmp_path: Path) -> None:
    before = hsds_tables()
    positions = dict(Location.objects.values_list("id", "position_usable"))
    clear_directory()
    call_command("import-hsds", str(directory), stdout=io.StringIO(), stderr=io.StringIO())

    assert hsds_tables() == before
    assert dict(Location.objects.values_list("id", "position_usable")) == positions
    assert exported_files(export(tmp_path / "again")) == exported_files(directory)


def test_the_tabular_export_validates_with_frictionless(tmp_path: Path) -> None:
    generate("--services", "50", "--seed", "4")
    folder = export(tmp_path / "package", "tabular")

    report = frictionless.Package(str(folder / "datapackage.json")).validate()
    assert report.valid, report.flatten(["title", "rowNumber", "fieldName", "note"])


def test_if_empty_loads_beside_the_demo_organisations_but_skips_a_directory_with_services() -> None:
    call_command("demo", stdout=io.StringIO())
    generate("--services", "20", "--seed", "1", "--if-empty")
    assert Service.objects.count() == 20

    printed = generate("--services", "20", "--seed", "2", "--if-empty")
    assert Service.objects.count() == 20
    assert "already has services" in printed


def test_loading_the_same_seed_twice_is_refused_and_changes_nothing() -> None:
    generate("--services", "20", "--seed", "1")
    count = hsds_record_count()
    with pytest.raises(CommandError, match="already in the directory") as raised:
        generate("--services", "25", "--seed", "1")
    assert raised.value.returncode == 2
    assert hsds_record_count() == count


def test_refused_in_production_mode(settings: Any) -> None:
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        generate("--services", "5")
    assert not Service.objects.exists()


def test_a_terminal_gets_a_progress_bar() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Terminal()
    call_command("demo-directory", "--services", "10", stdout=out)
    assert "Generating [##############################] 10/10 services" in out.getvalue()
