"""The programme report over HTTP: the API (who may read it, 422s, suppression, OpenAPI), the
coordinators' dashboard and its CSV download."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client

from carepath.audit.models import AuditAction, AuditEvent
from carepath.outcomes.models import Episode
from carepath.outcomes.report_rows import rebuild_report_rows
from carepath.screening.models import Assessment
from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/outcomes"
PAGE = "/programme/outcomes/"
OTHER_ROLES = ["help_seeker", "peer_supporter", "professional"]
START, END = dt.date(2026, 1, 5), dt.date(2026, 3, 2)


def signed_in(account: Any) -> Client:
    client = Client()
    sign_in(client, account)
    return client


def course(person: Any, phq9: tuple[int, int], gad7: tuple[int, int], pathway: str = "peer") -> None:
    Episode.objects.create(
        person=person, pathway=pathway, started_on=START, ended_on=END, sessions_attended=4
    )
    for code, (first, last) in (("phq9", phq9), ("gad7", gad7)):
        for total, day in ((first, START), (last, END)):
            Assessment.objects.create(
                person=person,
                instrument=code,
                instrument_version="1",
                answers={},
                total=total,
                band_index=0,
                band_label="stored",
                completed_at=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC),
            )


@pytest.fixture
def programme(make_account: Any) -> None:
    """Peer support: 6 recover, 6 do not, 5 were not at caseness. Both: only 3 people (suppressed)."""
    for index in range(6):
        course(make_account(f"a{index}"), (18, 4), (14, 3))
        course(make_account(f"b{index}"), (18, 17), (14, 13))
    for index in range(5):
        course(make_account(f"c{index}"), (6, 4), (5, 3))
    for index in range(3):
        course(make_account(f"d{index}"), (18, 4), (14, 3), pathway="both")


# --- API ------------------------------------------------------------------------------------------


def test_a_coordinator_reads_the_report_and_small_groups_are_suppressed(
    personas: dict[str, Any], programme: None
) -> None:
    response = signed_in(personas["coordinator"]).get(URL, {"from": "2026-01-01", "to": "2026-12-31"})
    assert response.status_code == 200
    body = response.json()
    assert body["suppress_below"] == 5 and body["filters"]["from"] == "2026-01-01"
    both, peer = body["groups"]
    assert peer["key"] == "peer" and peer["recovery"]["rate"] == pytest.approx(0.5)
    assert 0 < peer["recovery"]["ci_low"] < 0.5 < peer["recovery"]["ci_high"] < 1
    assert both["finished"] == {"value": None, "suppressed": True}
    assert both["recovery"]["rate"] is None and both["recovery"]["ci_low"] is None
    assert "3" not in str(both["finished"])
    (event,) = AuditEvent.objects.filter(action=AuditAction.OUTCOMES_REPORT_READ)
    assert event.actor == personas["coordinator"] and event.details["channel"] == "api"


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_are_refused_with_403(personas: dict[str, Any], role: str) -> None:
    response = signed_in(personas[role]).get(URL)
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.OUTCOMES_REPORT_READ).exists()


def test_anonymous_callers_get_401(client: Client) -> None:
    assert client.get(URL).status_code == 401


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "31/01/2026"}, "from"),
        ({"to": "soon"}, "to"),
        ({"from": "2026-02-01", "to": "2026-01-01"}, "to"),
        ({"pathway": "self-help"}, "pathway"),
        ({"group_by": "organisation"}, "group_by"),
        ({"service": "no-such-service"}, "service"),
        ({"organisation": "no-such-organisation"}, "organisation"),
    ],
)
def test_bad_parameters_get_422_naming_the_field(
    personas: dict[str, Any], query: dict[str, str], field: str
) -> None:
    response = signed_in(personas["coordinator"]).get(URL, query)
    assert response.status_code == 422
    body = response.json()
    assert body["errors"][0]["field"] == field
    assert body["detail"].startswith(f"{field}: ")


def test_openapi_lists_the_report_with_its_parameters(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/reports/outcomes"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert names == {"from", "to", "service", "organisation", "pathway", "group_by"}


# --- dashboard and CSV --------------------------------------------------------------------------


def test_the_dashboard_shows_figures_chart_and_withheld_cells(
    personas: dict[str, Any], programme: None
) -> None:
    response = signed_in(personas["coordinator"]).get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="img"' in html and '<title id="recovery-chart-title"' in html
    assert "<caption" in html and 'scope="row"' in html
    assert "50.0%" in html  # peer recovery rate
    assert "fewer than 5" in html
    assert AuditEvent.objects.filter(action=AuditAction.OUTCOMES_REPORT_READ).count() == 1


def test_the_dashboard_uses_the_configured_threshold(
    personas: dict[str, Any], programme: None, settings: Any
) -> None:
    settings.CAREPATH_SUPPRESS_BELOW = 7
    html = signed_in(personas["coordinator"]).get(PAGE).content.decode()
    assert "fewer than 7" in html and "fewer than 5" not in html


def test_a_bad_filter_is_shown_beside_its_field(personas: dict[str, Any]) -> None:
    response = signed_in(personas["coordinator"]).get(PAGE, {"from": "not a date"})
    assert response.status_code == 400
    assert "must be a date written as YYYY-MM-DD" in response.content.decode()


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_the_dashboard_and_csv_are_for_coordinators_only(personas: dict[str, Any], role: str) -> None:
    client = signed_in(personas[role])
    assert client.get(PAGE).status_code == 403
    assert client.get("/programme/outcomes.csv").status_code == 403


def test_anonymous_people_are_sent_to_sign_in(client: Client) -> None:
    assert client.get(PAGE).status_code == 302
    assert client.get("/programme/outcomes.csv").status_code == 302


def test_the_csv_download_carries_the_filters_and_suppression(
    personas: dict[str, Any], programme: None
) -> None:
    response = signed_in(personas["coordinator"]).get("/programme/outcomes.csv", {"pathway": "both"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {row["group"] for row in rows} == {"both"}
    finished = next(row for row in rows if row["figure"] == "finished")
    assert finished["value"] == "fewer than 5"
    (event,) = AuditEvent.objects.filter(action=AuditAction.OUTCOMES_REPORT_READ)
    assert event.details["channel"] == "csv" and event.details["filters"]["pathway"] == "both"


def test_the_dashboard_asks_the_database_the_same_few_times_however_many_episodes(
    personas: dict[str, Any], make_account: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in(personas["coordinator"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PAGE).status_code == 200
        return len(captured)

    # The episodes are written past the services here; their report rows as `migrate` writes them.
    course(make_account("first"), (18, 4), (14, 3))
    rebuild_report_rows()
    client.get(PAGE)  # the first request of a staff session also records the time it was seen
    few = queries()
    for index in range(30):
        course(make_account(f"more{index}"), (18, 4), (14, 3), pathway=("peer", "both")[index % 2])
    rebuild_report_rows()
    assert queries() == few <= 12
