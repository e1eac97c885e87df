"""The HSDS API at /hsds/: shapes against the official schemas, filters, paging, errors, query budgets.

Official examples go in through the importer (as in tests/integration/test_hsds_roundtrip.py) and
come out of the API; a single record is compared with its official example by the round-trip
tests' flattener. Filters and paging use a small directory built here, whose answers are known
(indexed for search as every write path does). Word search, served limits and query plans at
scale: tests/web/test_hsds_api_scale.py.
"""

from __future__ import annotations

import io
import json
import re
import uuid
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from carepath.directory.models import (
    Address,
    Attribute,
    Location,
    Organization,
    Program,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from carepath.directory.services.search_index import rebuild_search_index
from carepath.interop.hsds_schema import page_validator, record_validator
from tests.integration.test_hsds_roundtrip import differences, flatten, official_validator

HSDS = Path(__file__).parents[3] / "shared" / "hsds"
EXAMPLES = HSDS / "examples"
SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
SERVICE_AT_LOCATION_ID = "e94c9f38-1e8f-4564-91d4-d53501ab1765"
ORGANIZATION_ID = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
TAXONOMY_ID = "5c4d79d7-cc55-470e-9f1f-8cad074e4892"
TERM_ID = "3f7b145d-84af-42d7-8fae-eaca714b02b2"
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"
UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
ITEM_SCHEMAS = {
    "services": "service.json",
    "service_at_locations": "service_at_location.json",
    "organizations": "organization.json",
    "taxonomies": "taxonomy.json",
    "taxonomy_terms": "taxonomy_term.json",
}

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not HSDS.exists(), reason="shared/hsds sits beside the clone in CI"),
]


def import_hsds(path: Path, *options: str) -> None:
    call_command("import-hsds", str(path), *options, stdout=io.StringIO(), stderr=io.StringIO())


def get_json(client: Client, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def ids(page: dict[str, Any]) -> list[str]:
    return [item["id"] for item in page["contents"]]


def assert_valid_page(page: dict[str, Any], endpoint: str) -> None:
    """Page fields, then each item against its object's official schema (list schemas are broken)."""
    assert [error.message for error in page_validator().iter_errors(page)] == []
    validator = official_validator(ITEM_SCHEMAS[endpoint])
    for item in page["contents"]:
        assert [error.message for error in validator.iter_errors(item)] == [], item["id"]


@pytest.fixture
def official(db: Any) -> None:
    import_hsds(EXAMPLES / "service_full.json")


@pytest.fixture
def every_official_example(db: Any, tmp_path: Path) -> None:
    for example in sorted(EXAMPLES.glob("*.json")):
        if example.name not in {"base.json", "tabular.json"}:
            import_hsds(example)
    package = tmp_path / "package"  # the examples' datapackage.json is a link stored as text
    package.mkdir()
    for file in EXAMPLES.glob("csv/*.csv"):
        (package / file.name).write_bytes(file.read_bytes())
    (package / "datapackage.json").write_bytes((HSDS / "datapackage.json").read_bytes())
    import_hsds(package, "--keep-unknown-references")


# The API document ------------------------------------------------------------------------------


def test_the_root_names_the_hsds_version_the_profile_and_the_openapi_document(client: Client) -> None:
    root = get_json(client, "/hsds/")
    assert root == {
        "version": "3.1",
        "profile": "https://carepath.example/hsds-profile/1.0.0",
        "openapi_url": "http://testserver/hsds/openapi.json",
    }
    schema = get_json(client, "/hsds/openapi.json")
    assert schema["info"]["title"] == "Carepath HSDS API" and schema["info"]["version"] == "3.1"
    assert set(schema["paths"]) == {
        "/hsds/",
        "/hsds/services",
        "/hsds/services/{id}",
        "/hsds/service_at_locations",
        "/hsds/service_at_locations/{id}",
        "/hsds/organizations",
        "/hsds/organizations/{id}",
        "/hsds/taxonomies",
        "/hsds/taxonomies/{id}",
        "/hsds/taxonomy_terms",
        "/hsds/taxonomy_terms/{id}",
    }
    assert not any(path.startswith("/hsds") for path in get_json(client, "/api/v1/openapi.json")["paths"])


# Official examples: shapes and schemas ---------------------------------------------------------


@pytest.mark.parametrize(
    ("example", "url", "table"),
    [
        ("service_full.json", f"/hsds/services/{SERVICE_ID}", "service"),
        (
            "service_at_location_full.json",
            f"/hsds/service_at_locations/{SERVICE_AT_LOCATION_ID}",
            "service_at_location",
        ),
        (
            "organization_full.json",
            f"/hsds/organizations/{ORGANIZATION_ID}?full_service=true",
            "organization",
        ),
        ("taxonomy.json", f"/hsds/taxonomies/{TAXONOMY_ID}", "taxonomy"),
        ("taxonomy_term.json", f"/hsds/taxonomy_terms/{TERM_ID}", "taxonomy_term"),
    ],
)
def test_a_record_comes_back_as_its_official_example(
    client: Client, example: str, url: str, table: str
) -> None:
    import_hsds(EXAMPLES / example)
    served: dict[tuple[str, str], dict[str, Any]] = {}
    flatten(get_json(client, url), table, served)
    original: dict[tuple[str, str], dict[str, Any]] = {}
    flatten(
        json.loads((EXAMPLES / example).read_text(encoding="utf-8"), parse_float=Decimal), table, original
    )
    assert differences(original, served) == []


def test_a_service_validates_against_the_official_compiled_schema(client: Client, official: None) -> None:
    service = get_json(client, f"/hsds/services/{SERVICE_ID}")
    assert [error.message for error in official_validator("service.json").iter_errors(service)] == []
    assert {"organization", "program", "service_at_locations", "phones", "attributes"} <= set(service)


def test_an_organization_lists_its_services_by_their_own_fields_unless_asked(
    client: Client, official: None
) -> None:
    organization = get_json(client, f"/hsds/organizations/{ORGANIZATION_ID}")
    assert [
        error.message for error in official_validator("organization.json").iter_errors(organization)
    ] == []
    assert {"locations", "programs", "contacts"} <= set(organization)
    (service,) = organization["services"]
    assert service["id"] == SERVICE_ID and service["name"] == "Community Counselling"
    assert "organization" not in service and not [
        key for key, value in service.items() if isinstance(value, list)
    ]
    full = get_json(client, f"/hsds/organizations/{ORGANIZATION_ID}?full_service=true")
    assert {"phones", "service_at_locations"} <= set(full["services"][0])
    assert "organization" not in full["services"][0]


LIST_SHAPES = [
    ("services", ""),
    ("services", "full=true"),
    ("service_at_locations", ""),
    ("service_at_locations", "full=true"),
    ("organizations", ""),
    ("organizations", "full=true"),
    ("organizations", "full_service=true"),
    ("taxonomies", ""),
    ("taxonomy_terms", ""),
]


@pytest.mark.parametrize(("endpoint", "query"), LIST_SHAPES)
def test_every_page_of_the_official_examples_is_valid(
    client: Client, every_official_example: None, endpoint: str, query: str
) -> None:
    first = get_json(client, f"/hsds/{endpoint}?per_page=1&{query}")
    assert first["total_items"] >= 1 and first["size"] == 1
    for number in range(1, first["total_pages"] + 1):
        assert_valid_page(get_json(client, f"/hsds/{endpoint}?per_page=1&page={number}&{query}"), endpoint)


def test_a_service_list_item_holds_its_one_to_one_fields_as_the_official_list_does(
    client: Client, official: None
) -> None:
    (item,) = get_json(client, "/hsds/services")["contents"]
    official_item = json.loads((EXAMPLES / "service_list.json").read_text(encoding="utf-8"))["contents"][0]
    assert set(item) == set(official_item)
    assert set(item["organization"]) == set(official_item["organization"])
    (located,) = get_json(client, "/hsds/service_at_locations")["contents"]
    assert {"location", "service"} <= set(located) and "service_areas" not in located
    assert "organization" in located["service"] and "phones" not in located["service"]


def test_minimal_gives_each_service_only_its_id_and_last_modified(client: Client, official: None) -> None:
    minimal = get_json(client, "/hsds/services?minimal=true")
    assert minimal["contents"] == [{"id": SERVICE_ID, "last_modified": "2023-03-15T10:30:45.123Z"}]
    assert get_json(client, "/hsds/services?minimal=true&full=true") == minimal


def test_services_carry_the_carepath_profile_fields(client: Client, db: Any) -> None:
    service = Service.objects.create(
        name="Peer line",
        status="active",
        support_type="peer",
        lived_experience_topics=["bereavement"],
        crisis_capable=False,
    )
    served = get_json(client, f"/hsds/services/{service.id}")
    assert served["support_type"] == "peer" and served["lived_experience_topics"] == ["bereavement"]
    assert served["crisis_capable"] is False and "hours_24_7" not in served  # unknown: left out
    assert [error.message for error in record_validator("service").iter_errors(served)] == []
    assert get_json(client, "/hsds/services")["contents"][0]["support_type"] == "peer"


# A directory with known answers ----------------------------------------------------------------


def _service(organization: Organization, name: str, description: str, modified: str, term: Any) -> Service:
    service = Service.objects.create(
        organization=organization, name=name, description=description, status="active", last_modified=modified
    )
    Attribute.objects.create(link_id=service.id, link_entity="service", taxonomy_term=term)
    return service


def _place(
    name: str, postcode: str, position: tuple[str, str] | None, address_type: str = "physical"
) -> Location:
    latitude, longitude = (Decimal(value) for value in position) if position else (None, None)
    location = Location.objects.create(
        location_type="physical",
        name=name,
        latitude=latitude,
        longitude=longitude,
        position_usable=position is not None,
    )
    Address.objects.create(
        location=location,
        address_1=f"1 {name} Street",
        city="London",
        state_province="London",
        postal_code=postcode,
        country="GB",
        address_type=address_type,
    )
    return location


@pytest.fixture
def directory(db: Any) -> SimpleNamespace:
    peers = Organization.objects.create(
        name="Riverside Peer Network", description="Run by people who have been there."
    )
    clinic = Organization.objects.create(
        name="City Counselling Clinic", description="Professional counselling."
    )
    Program.objects.create(organization=peers, name="Listening", description="Peer listening programme.")
    kinds = Taxonomy.objects.create(name="Support types", description="Kinds of support.")
    channels = Taxonomy.objects.create(name="Channels", description="How people get in touch.")
    peer = TaxonomyTerm.objects.create(
        code="peer", name="Peer support", description="By peers.", taxonomy_detail=kinds
    )
    group = TaxonomyTerm.objects.create(
        code="peer-group", name="Peer group", description="In a group.", taxonomy_detail=kinds, parent=peer
    )
    pro = TaxonomyTerm.objects.create(
        code="pro", name="Professional", description="By clinicians.", taxonomy_detail=kinds
    )
    text = TaxonomyTerm.objects.create(
        code="text", name="Text", description="By text.", taxonomy_detail=channels
    )
    # last_modified in three offsets: 07:00Z, 06:30Z, 07:30Z (the day before, in local time), none.
    listening = _service(peers, "Peer listening line", "Talk to someone.", "2024-05-01T09:00:00+02:00", peer)
    bereavement = _service(
        peers, "Bereavement group", "Meet peers after a loss.", "2024-05-01T06:30:00Z", group
    )
    counselling = _service(
        clinic, "Counselling sessions", "Weekly sessions.", "2024-04-30T23:30:00-08:00", pro
    )
    texting = _service(clinic, "Crisis text line", "Text us at any hour.", "", text)
    # Westminster, 1 km north of it, 10 km north of it, and at Westminster's postcode with no position.
    places = [
        _place("Westminster", "SW1A 0AA", ("51.5007", "-0.1246")),
        _place("Strand", "WC2N 5DU", ("51.5097", "-0.1246")),
        _place("Highgate", "N6 4BD", ("51.5900", "-0.1246")),
        _place("Annex", "SW1A 0AA", None),
    ]
    _place("Postbox", "SW1A 0AA", ("51.5007", "-0.1246"), address_type="postal")
    at = [
        ServiceAtLocation.objects.create(service=service, location=place)
        for service, place in zip([listening, bereavement, counselling, texting], places, strict=True)
    ]
    rebuild_search_index()  # what every write path does for the services it changes
    return SimpleNamespace(
        peers=peers, clinic=clinic, kinds=kinds, channels=channels, peer=peer, group=group, pro=pro,
        text=text, listening=listening, bereavement=bereavement, counselling=counselling, texting=texting,
        at=at,
    )  # fmt: skip


def _names(client: Client, url: str) -> set[str]:
    page = get_json(client, url)
    assert page["total_items"] == len(page["contents"])
    return {item["name"] for item in page["contents"]}


def test_services_filter_by_organization_term_taxonomy_and_search(client: Client, directory: Any) -> None:
    d = directory
    assert _names(client, f"/hsds/services?organization_id={d.peers.id}") == {
        "Peer listening line",
        "Bereavement group",
    }
    assert _names(client, f"/hsds/services?taxonomy_term_id={d.peer.id}") == {"Peer listening line"}
    assert _names(client, f"/hsds/services?taxonomy_id={d.kinds.id}") == {
        "Peer listening line",
        "Bereavement group",
        "Counselling sessions",
    }
    assert _names(client, f"/hsds/services?taxonomy_id={d.channels.id}") == {"Crisis text line"}
    # Words, stemmed and in any case: "peers" in a description is the word "peer".
    assert _names(client, "/hsds/services?search=PEER") == {"Peer listening line", "Bereavement group"}
    assert _names(client, "/hsds/services?search=any%20hour") == {"Crisis text line"}
    assert _names(client, "/hsds/services?search=hour%20peer") == set()  # every word, in one service
    assert _names(client, f"/hsds/services?search=sessions&organization_id={d.peers.id}") == set()
    assert _names(client, f"/hsds/services?taxonomy_term_id={UNKNOWN_ID}") == set()


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        ("2024-05-01T07:00:00Z", {"Peer listening line", "Counselling sessions"}),  # on or after
        ("2024-05-01T09:15:00%2B02:00", {"Counselling sessions"}),  # 07:15Z, written with an offset
        ("2024-04-30T00:00:00Z", {"Peer listening line", "Bereavement group", "Counselling sessions"}),
        ("2024-05-02T00:00:00Z", set()),
        ("0001-01-01T00:00:00%2B01:00", {"Peer listening line", "Bereavement group", "Counselling sessions"}),
        ("9999-12-31T23:59:59-01:00", set()),  # the calendar's ends: no overflow
    ],
)
def test_services_modified_after_compare_moments_not_text(
    client: Client, directory: Any, after: str, expected: set[str]
) -> None:
    assert _names(client, f"/hsds/services?modified_after={after}") == expected


def test_services_at_locations_filter_like_services(client: Client, directory: Any) -> None:
    d = directory
    assert set(ids(get_json(client, f"/hsds/service_at_locations?organization_id={d.clinic.id}"))) == {
        d.at[2].id,
        d.at[3].id,
    }
    assert ids(get_json(client, f"/hsds/service_at_locations?taxonomy_term_id={d.group.id}")) == [d.at[1].id]
    assert ids(get_json(client, "/hsds/service_at_locations?search=weekly")) == [
        d.at[2].id
    ]  # its service's words
    after = "/hsds/service_at_locations?modified_after=2024-05-01T07:15:00Z"
    assert ids(get_json(client, after)) == [d.at[2].id]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("postcode=SW1A%200AA", {0, 3}),  # physical addresses only: not the postbox
        ("postcode=SW1A%200AA&proximity=500", {0}),  # from the centre of the postcode's positions
        ("postcode=SW1A%200AA&proximity=2000", {0, 1}),  # Strand is 1.0 km away
        ("postcode=SW1A%200AA&proximity=20000", {0, 1, 2}),  # Highgate 9.9 km; Annex has no position
        ("postcode=WC2N%205DU&proximity=1100", {0, 1}),
        ("postcode=sw1a%200aa", set()),  # postcodes compare exactly
        ("postcode=NOWHERE&proximity=100000", set()),  # no known position, so nothing is near it
    ],
)
def test_services_at_locations_by_postcode_and_proximity(
    client: Client, directory: Any, query: str, expected: set[int]
) -> None:
    found = set(ids(get_json(client, f"/hsds/service_at_locations?{query}")))
    assert found == {directory.at[index].id for index in expected}


def test_taxonomy_terms_filter_by_taxonomy_parent_and_top_only(client: Client, directory: Any) -> None:
    d = directory
    assert _names(client, f"/hsds/taxonomy_terms?taxonomy_id={d.channels.id}") == {"Text"}
    assert _names(client, f"/hsds/taxonomy_terms?parent_id={d.peer.id}") == {"Peer group"}
    assert _names(client, "/hsds/taxonomy_terms?top_only=true") == {"Peer support", "Professional", "Text"}
    assert _names(client, "/hsds/taxonomy_terms?search=CLINIC") == {"Professional"}
    assert _names(client, "/hsds/taxonomies?search=channel") == {"Channels"}
    assert _names(client, "/hsds/organizations?search=counselling") == {"City Counselling Clinic"}
    assert _names(client, f"/hsds/organizations?taxonomy_term_id={d.peer.id}") == set()


def test_organizations_list_their_own_fields_unless_full(client: Client, directory: Any) -> None:
    page = get_json(client, "/hsds/organizations?search=riverside&full=true")
    assert_valid_page(page, "organizations")
    (organization,) = page["contents"]
    assert {service["name"] for service in organization["services"]} == {
        "Peer listening line",
        "Bereavement group",
    }
    assert organization["programs"][0]["name"] == "Listening"
    plain = get_json(client, "/hsds/organizations?search=riverside")["contents"][0]
    assert "services" not in plain and "programs" not in plain


# Paging ----------------------------------------------------------------------------------------


def test_paging_counts_pages_and_answers_beyond_the_end_with_an_empty_page(
    client: Client, directory: Any
) -> None:
    for number in range(7):
        Service.objects.create(name=f"Extra {number}", status="active")
    every = sorted(Service.objects.values_list("id", flat=True))
    pages = [get_json(client, f"/hsds/services?per_page=5&page={number}") for number in (1, 2, 3)]
    assert [page["size"] for page in pages] == [5, 5, 1]
    assert {(page["total_items"], page["total_pages"]) for page in pages} == {(11, 3)}
    assert [(page["page_number"], page["first_page"], page["last_page"]) for page in pages] == [
        (1, True, False),
        (2, False, False),
        (3, False, True),
    ]
    assert [item for page in pages for item in ids(page)] == every
    beyond = get_json(client, "/hsds/services?per_page=5&page=4")
    assert beyond == {
        "total_items": 11,
        "total_pages": 3,
        "page_number": 4,
        "size": 0,
        "first_page": False,
        "last_page": True,
        "empty": True,
        "contents": [],
        "capped": False,
    }
    assert get_json(client, "/hsds/services")["size"] == 11  # 50 a page by default


def test_an_empty_result_is_one_empty_first_page(client: Client, db: Any) -> None:
    assert get_json(client, "/hsds/services") == {
        "total_items": 0,
        "total_pages": 0,
        "page_number": 1,
        "size": 0,
        "first_page": True,
        "last_page": True,
        "empty": True,
        "contents": [],
        "capped": False,
    }


# Errors ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "endpoint", ["services", "service_at_locations", "organizations", "taxonomies", "taxonomy_terms"]
)
def test_an_unknown_id_is_a_json_404_naming_it(client: Client, official: None, endpoint: str) -> None:
    body = get_json(client, f"/hsds/{endpoint}/{UNKNOWN_ID}", status=404)
    assert body["detail"].startswith("id: no ") and UNKNOWN_ID in body["detail"]


def test_an_unknown_hsds_path_is_a_json_404(client: Client) -> None:
    assert get_json(client, "/hsds/locations", status=404) == {"detail": "no such HSDS endpoint"}


@pytest.mark.parametrize(
    ("url", "field", "problem"),
    [
        ("/hsds/services?page=0", "page", "greater than or equal to 1"),
        ("/hsds/services?page=two", "page", "integer"),
        ("/hsds/services?per_page=0", "per_page", "greater than or equal to 1"),
        ("/hsds/services?per_page=1000", "per_page", "less than or equal to 100"),
        ("/hsds/services/not-a-uuid", "id", "must be a UUID"),
        ("/hsds/organizations/123", "id", "must be a UUID"),
        ("/hsds/services?organization_id=123", "organization_id", "must be a UUID"),
        ("/hsds/service_at_locations?taxonomy_term_id=x", "taxonomy_term_id", "must be a UUID"),
        ("/hsds/taxonomy_terms?parent_id=x", "parent_id", "must be a UUID"),
        ("/hsds/services?modified_after=yesterday", "modified_after", "RFC 3339"),
        ("/hsds/services?modified_after=2024-05-01", "modified_after", "RFC 3339"),
        ("/hsds/services?modified_after=2024-13-01T00:00:00Z", "modified_after", "RFC 3339"),
        ("/hsds/services?modified_after=2024-05-01T10:00:00", "modified_after", "with an offset"),
        ("/hsds/services?full=maybe", "full", "true or false"),
        ("/hsds/services?search=a%00b", "search", "NUL"),
        ("/hsds/services?format=ndjson", "format", "json"),
        ("/hsds/service_at_locations?postcode=N1&proximity=-5", "proximity", "greater than 0"),
        ("/hsds/service_at_locations?postcode=N1&proximity=far", "proximity", "number"),
        ("/hsds/service_at_locations?postcode=N1&proximity=inf", "proximity", "finite"),
        ("/hsds/service_at_locations?proximity=500", "proximity", "needs a postcode"),
    ],
)
def test_a_bad_parameter_is_refused_naming_it(
    client: Client, db: Any, url: str, field: str, problem: str
) -> None:
    body = get_json(client, url, status=422)
    assert [error["field"] for error in body["errors"]] == [field]
    assert problem in body["errors"][0]["problem"] and body["detail"].startswith(f"{field}: ")


# Query budgets ---------------------------------------------------------------------------------


@pytest.fixture
def many_services(db: Any, tmp_path: Path) -> int:
    """Twelve copies of the official service_full.json under fresh ids: every HSDS table in use.
    Their location gets a usable position and a physical address, for postcode and proximity."""
    text = (EXAMPLES / "service_full.json").read_text(encoding="utf-8")
    for before, after in [('latitude": 100', 'latitude": 51.5'), ('longitude": 101', 'longitude": -0.12')]:
        text = text.replace(before, after)
    text = text.replace('"address_type": "postal"', '"address_type": "physical"')
    copies = []
    for number in range(12):
        renamed = UUID_TEXT.sub(
            lambda found, n=number: str(uuid.uuid5(uuid.NAMESPACE_URL, f"{n}/{found[0]}")), text
        )
        copies.append(json.loads(renamed))
    (tmp_path / "services.json").write_text(json.dumps(copies), encoding="utf-8")
    import_hsds(tmp_path / "services.json")
    return len(copies)


BUDGETS = [  # (list, queries for a page of any size: count, page, then one per table nested)
    ("services?minimal=true", 2),
    ("services", 4),
    ("services?full=true", 24),
    # A filter may count its candidates first (each word index once), to choose the plan; a filtered
    # list then reads the ids it serves (its count) and the page's rows.
    ("services?search=counselling", 6),
    ("services?modified_after=2023-03-15T10:30:45Z&search=counselling", 8),
    ("service_at_locations", 6),
    ("service_at_locations?full=true", 24),
    ("service_at_locations?postcode=ABC%201234&proximity=1000", 8),
    ("organizations", 2),
    ("organizations?search=example", 2),
    ("organizations?full=true", 17),
    ("organizations?full_service=true", 36),
    ("taxonomy_terms", 4),
    ("taxonomies", 3),
]


@pytest.mark.parametrize(("endpoint", "budget"), BUDGETS)
def test_a_page_costs_the_same_queries_whatever_its_size(
    client: Client, many_services: int, django_assert_max_num_queries: Any, endpoint: str, budget: int
) -> None:
    separator = "&" if "?" in endpoint else "?"
    counts = []
    for size in (1, many_services):
        with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(budget):
            page = get_json(client, f"/hsds/{endpoint}{separator}per_page={size}")
        counts.append(len(queries))
        assert page["total_items"] >= many_services and page["size"] == min(size, page["total_items"])
    assert counts[0] == counts[1], counts
