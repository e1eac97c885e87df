"""Progress pages through the test client: episodes, the chart and its table, forms, who may see what."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from carepath.audit.models import AuditAction, AuditEvent
from carepath.outcomes import services
from carepath.outcomes.models import Episode
from carepath.screening.models import Assessment
from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db

STARTED = dt.date(2026, 1, 5)


def signed_in(client: Client, account: Any) -> Client:
    sign_in(client, account)
    return client


def keep(person: Any, instrument: str, total: int, day: dt.date) -> None:
    Assessment.objects.create(
        person=person,
        instrument=instrument,
        instrument_version="1",
        answers={},
        total=total,
        band_index=0,
        band_label="stored",
        completed_at=dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC),
    )


@pytest.fixture
def seeker(personas: dict[str, Any]) -> Any:
    return personas["help_seeker"]


@pytest.fixture
def episode(seeker: Any) -> Episode:
    return services.start_episode(person=seeker, pathway="peer", started_on=STARTED)


@pytest.fixture
def with_scores(seeker: Any, episode: Episode) -> Episode:
    for day, phq9, gad7 in ((6, 18, 14), (20, 13, 10), (48, 8, 5)):
        when = STARTED + dt.timedelta(days=day)
        keep(seeker, "phq9", phq9, when)
        keep(seeker, "gad7", gad7, when)
    for _ in range(3):
        services.record_session(actor=seeker, episode=episode)
    return episode


def table_rows(page: str, caption_start: str) -> list[list[str]]:
    """The body rows of the table whose caption starts with `caption_start`, as cell texts."""
    table = re.search(rf"<caption>{re.escape(caption_start)}.*?<tbody>(.*?)</tbody>", page, re.S)
    assert table, f"no table captioned {caption_start!r}"
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in rows
    ]


def test_the_pages_need_a_signed_in_person(client: Client, episode: Episode) -> None:
    for url in ("/progress/", f"/progress/{episode.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
    assert client.post(f"/progress/{episode.pk}/session/").status_code == 302
    episode.refresh_from_db()
    assert episode.sessions_attended == 0


def test_the_list_shows_only_my_episodes_and_a_start_form(client: Client, personas: dict[str, Any]) -> None:
    services.start_episode(person=personas["help_seeker"], pathway="both", started_on=STARTED)
    services.start_episode(person=personas["other_help_seeker"], pathway="professional", started_on=STARTED)
    page = signed_in(client, personas["help_seeker"]).get("/progress/").content.decode()
    assert "Peer and professional support, from 2026-01-05" in page
    assert "Professional support, from" not in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert '<label for="id_pathway">Kind of support</label>' in page
    assert 'type="date" name="started_on"' in page


def test_starting_an_episode_through_the_form(client: Client, seeker: Any) -> None:
    response = signed_in(client, seeker).post(
        "/progress/", {"pathway": "professional", "started_on": "2026-02-01", "service_id": ""}
    )
    episode = Episode.objects.get(person=seeker)
    assert response.status_code == 302 and response["Location"] == f"/progress/{episode.pk}/"
    assert episode.pathway == "professional" and episode.started_on == dt.date(2026, 2, 1)
    assert AuditEvent.objects.filter(action=AuditAction.EPISODE_STARTED).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Your episode of support is started." in page
    assert "There are no check-ins in this episode yet." in page


def test_form_errors_are_shown_beside_their_fields(client: Client, seeker: Any) -> None:
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = signed_in(client, seeker).post(
        "/progress/", {"pathway": "", "started_on": tomorrow, "service_id": "nowhere"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_pathway_error"' in page and "Choose the kind of support." in page
    assert not Episode.objects.exists()
    # With the pathway chosen, the service refuses the date and names it beside the date field.
    page = client.post("/progress/", {"pathway": "peer", "started_on": tomorrow}).content.decode()
    error = re.search(r'id="id_started_on_error">(.*?)</div>', page, re.S)
    assert error and "Cannot be in the future." in error.group(1)
    page = client.post(
        "/progress/", {"pathway": "peer", "started_on": "2026-01-05", "service_id": "x1"}
    ).content.decode()
    error = re.search(r'id="id_service_id_error">(.*?)</div>', page, re.S)
    assert error and "No service in the directory has the id &#x27;x1&#x27;." in error.group(1)
    assert not Episode.objects.exists()


def test_the_detail_page_draws_a_chart_with_a_table_of_the_same_numbers(
    client: Client, seeker: Any, with_scores: Episode
) -> None:
    page = signed_in(client, seeker).get(f"/progress/{with_scores.pk}/").content.decode()
    for code, name in (("phq9", "PHQ-9"), ("gad7", "GAD-7")):
        svg = re.search(
            rf'<svg class="progress-svg"[^>]*aria-labelledby="{code}-chart-title"'
            rf' aria-describedby="{code}-chart-desc">(.*?)</svg>',
            page,
            re.S,
        )
        assert svg, f"no {name} chart"
        assert (
            f'<title id="{code}-chart-title">Chart of your {name} scores in this episode</title>'
            in svg.group(1)
        )
        assert f'<desc id="{code}-chart-desc">3 scores from 2026-01-11 to 2026-02-22' in svg.group(1)
        assert svg.group(1).count('class="score-point"') == 3
        assert 'class="caseness-line"' in svg.group(1)
        assert svg.group(1).count('class="band band-') == (5 if code == "phq9" else 4)
    assert '<th scope="col">Score</th>' in page
    assert table_rows(page, "PHQ-9 scores") == [
        ["2026-01-11", "18", "Moderately severe", "No"],
        ["2026-01-25", "13", "Moderate", "No"],
        ["2026-02-22", "8", "Mild", "Yes, better"],
    ]
    assert table_rows(page, "GAD-7 scores") == [
        ["2026-01-11", "14", "Moderate", "No"],
        ["2026-01-25", "10", "Moderate", "Yes, better"],
        ["2026-02-22", "5", "Mild", "Yes, better"],
    ]
    phq9_chart = page[page.index('id="phq9-chart-title"') : page.index("</svg>")]
    assert phq9_chart.count('class="reliable-mark"') == 1  # only the last PHQ-9 score moved 6 or more
    assert "Your PHQ-9 score has come down from 18 to 8." in page
    assert "Services call this reliable recovery." in page


def test_recording_a_session_and_ending_the_episode(client: Client, seeker: Any, episode: Episode) -> None:
    signed_in(client, seeker)
    response = client.post(f"/progress/{episode.pk}/session/")
    assert response.status_code == 302
    assert "The session is recorded." in client.get(response["Location"]).content.decode()
    episode.refresh_from_db()
    assert episode.sessions_attended == 1

    before_start = client.post(f"/progress/{episode.pk}/end/", {"ended_on": "2026-01-01"})
    assert before_start.status_code == 400
    assert 'id="id_ended_on_error"' in before_start.content.decode()
    assert "Cannot be before the start date." in before_start.content.decode()

    response = client.post(f"/progress/{episode.pk}/end/", {"ended_on": "2026-03-01"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "The episode is ended." in page and "Record a session" not in page
    episode.refresh_from_db()
    assert episode.ended_on == dt.date(2026, 3, 1)


def test_the_forms_need_the_csrf_token(seeker: Any, episode: Episode) -> None:
    strict = Client(enforce_csrf_checks=True)
    signed_in(strict, seeker)
    assert strict.post(f"/progress/{episode.pk}/session/").status_code == 403
    assert strict.post("/progress/", {"pathway": "peer", "started_on": "2026-01-05"}).status_code == 403
    episode.refresh_from_db()
    assert episode.sessions_attended == 0


def test_someone_elses_episode_or_an_unknown_one_is_404(
    client: Client, personas: dict[str, Any], episode: Episode
) -> None:
    for name in ("other_help_seeker", "coordinator"):
        client.logout()
        signed_in(client, personas[name])
        assert client.get(f"/progress/{episode.pk}/").status_code == 404, name
        assert client.post(f"/progress/{episode.pk}/session/").status_code == 404, name
        assert client.post(f"/progress/{episode.pk}/end/", {"ended_on": "2026-03-01"}).status_code == 404, (
            name
        )
    assert client.get(f"/progress/{episode.pk + 1000}/").status_code == 404
    episode.refresh_from_db()
    assert (episode.sessions_attended, episode.ended_on) == (0, None)


def test_the_session_form_takes_post_only(client: Client, seeker: Any, episode: Episode) -> None:
    assert signed_in(client, seeker).get(f"/progress/{episode.pk}/session/").status_code == 405


def test_a_single_score_is_drawn_and_described_as_one(client: Client, seeker: Any, episode: Episode) -> None:
    keep(seeker, "phq9", 11, STARTED + dt.timedelta(days=2))
    page = signed_in(client, seeker).get(f"/progress/{episode.pk}/").content.decode()
    assert '<desc id="phq9-chart-desc">One score, on 2026-01-07' in page
    assert "gad7-chart-title" not in page  # no GAD-7 kept, so no GAD-7 chart
    assert "You have one PHQ-9 check-in in this episode, with a score of 11." in page
    assert "It is at or above 10, the level services use to decide who may need more help." in page


def test_the_list_page_has_a_query_budget(
    client: Client, seeker: Any, django_assert_max_num_queries: Any
) -> None:
    from carepath.directory.models import Service

    service = Service.objects.create(name="Riverside counselling", status="active")
    for day in range(8):
        services.start_episode(
            person=seeker, pathway="both", started_on=STARTED + dt.timedelta(days=day), service_id=service.pk
        )
    signed_in(client, seeker)
    with django_assert_max_num_queries(6):
        page = client.get("/progress/").content.decode()
    assert page.count("Riverside counselling") == 8
