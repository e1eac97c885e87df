"""The coordinators' batch-assignment page (/coordinator/assignment/): only coordinators; a
proposal for everyone waiting (from stored wishes and profiles, audited, nothing changed) or for
an uploaded instance file (the same answer as `carepath assign`); bad files named, nothing run."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from carepath.audit.models import AuditAction, AuditEvent
from carepath.matching import services
from carepath.matching.models import PeerSupporterProfile
from carepath.matching.services.assignment import MAX_INSTANCE_BYTES
from carepath.referrals.models import Referral
from tests.integration.test_assign_command import PROGRAMME
from tests.referral_setup import ask_peer
from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db

PAGE = "/coordinator/assignment/"
HOURS = {"availability": [{"days": ["TU"], "from": "18:00", "to": "21:00"}], "utc_offset": "+00:00"}


def as_user(client: Client, account: Any) -> Client:
    sign_in(client, account)
    return client


def supporter(make_account: Any, name: str, **changes: Any) -> PeerSupporterProfile:
    account = make_account(name.lower(), "peer_supporter", display_name=name)
    data = {"languages": ["en"], "topics": ["anxiety"], "modalities": ["online"], "capacity": 1, **HOURS}
    return services.save_supporter_profile(
        actor=account, owner=account, data={**data, **changes}, today=dt.date(2026, 3, 1)
    )


def wishes(make_account: Any, name: str, **changes: Any) -> Any:
    person = make_account(name.lower(), display_name=name)
    data = {"languages": ["en"], "topics": ["anxiety"], "modalities": ["online"], **HOURS, **changes}
    services.save_matching_wishes(actor=person, person=person, data=data)
    return person


def upload(client: Client, content: bytes, name: str = "instance.json") -> Any:
    file = SimpleUploadedFile(name, content, content_type="application/json")
    return client.post(PAGE, {"source": "file", "instance": file})


def downloaded(page: str) -> Any:
    found = re.search(r'href="data:application/json;base64,([A-Za-z0-9+/=]+)" download="([^"]+)"', page)
    assert found is not None and found.group(2) == "assignment-result.json"
    return json.loads(base64.b64decode(found.group(1)))


@pytest.mark.parametrize("role", ["help_seeker", "peer_supporter", "professional"])
def test_only_coordinators_have_the_page(client: Client, personas: dict[str, Any], role: str) -> None:
    as_user(client, personas[role])
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"source": "stored"}).status_code == 403
    assert not AuditEvent.objects.filter(subject_type="matching_batch_assignment").exists()


def test_signed_out_people_are_sent_to_log_in(client: Client) -> None:
    assert client.get(PAGE)["Location"].startswith("/accounts/login/")


def test_the_page_says_it_only_proposes(client: Client, personas: dict[str, Any]) -> None:
    page = as_user(client, personas["coordinator"]).get(PAGE).content.decode()
    assert "This page only proposes. It sends no requests and tells nobody." in page
    assert 'enctype="multipart/form-data"' in page


def test_everyone_waiting_is_proposed_a_supporter_and_nothing_changes(
    client: Client, personas: dict[str, Any], make_account: Any
) -> None:
    robin = supporter(make_account, "Robin", topics=["anxiety", "bereavement"])
    supporter(make_account, "Noor", languages=["ar"])
    supporter(make_account, "Away", active=False)
    wishes(make_account, "Alex", topics=["anxiety", "bereavement"])
    wishes(make_account, "Sam", topics=["depression"])
    already = wishes(make_account, "Kit")
    ask_peer(already, robin)  # waiting for an answer: not proposed again
    before = (
        Referral.objects.count(),
        list(PeerSupporterProfile.objects.values_list("current_load", flat=True)),
    )

    response = as_user(client, personas["coordinator"]).post(PAGE, {"source": "stored"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "For everyone waiting in this programme." in page
    assert "1 of 2 people have a supporter." in page
    assert re.search(r'<th scope="row">Alex</th>\s*<td>Robin</td>', page)
    assert "You both have lived experience of" in page
    assert re.search(r'<th scope="row">Sam</th>\s*<td>None</td>', page)
    assert "Kit" not in page and "Away" not in page
    result = downloaded(page)
    assert [(item["supporter"], item["score"] is not None) for item in result["assignments"]] == [
        (str(robin.pk), True),
        (None, False),
    ]
    assert result["loads"][str(robin.pk)] == 1
    # It proposed; it did not act.
    after = (
        Referral.objects.count(),
        list(PeerSupporterProfile.objects.values_list("current_load", flat=True)),
    )
    assert after == before
    event = AuditEvent.objects.get(subject_type="matching_batch_assignment")
    assert event.action == AuditAction.BATCH_ASSIGNMENT_RUN and event.actor_ref == str(
        personas["coordinator"].pk
    )
    assert event.details == {"people": 2, "supporters": 2, "assigned": 1}


def test_an_empty_programme_says_so(client: Client, personas: dict[str, Any]) -> None:
    page = as_user(client, personas["coordinator"]).post(PAGE, {"source": "stored"}).content.decode()
    assert "Nobody is waiting" in page and "No peer supporter is taking part at the moment." in page


def test_an_uploaded_file_gets_the_same_answer_as_the_command(
    client: Client, personas: dict[str, Any], tmp_path: Path
) -> None:
    content = json.dumps(PROGRAMME).encode()
    response = upload(as_user(client, personas["coordinator"]), content, "spring.json")
    page = response.content.decode()
    assert response.status_code == 200 and "For the file spring.json." in page
    source, target = tmp_path / "in.json", tmp_path / "out.json"
    source.write_bytes(content)
    call_command("assign", input=str(source), output=str(target), stdout=io.StringIO())
    assert downloaded(page) == json.loads(target.read_text())
    assert re.search(r'<th scope="row">s1</th>\s*<td>p1</td>', page)
    assert not AuditEvent.objects.filter(subject_type="matching_batch_assignment").exists()


def test_scores_given_pair_by_pair_are_accepted(client: Client, personas: dict[str, Any]) -> None:
    instance = {
        "seekers": [{"id": "a"}, {"id": "b"}],
        "supporters": [{"id": "x", "capacity": 1}],
        "scores": [["a", "x", 0.4], ["b", "x", 0.9]],
    }
    page = upload(as_user(client, personas["coordinator"]), json.dumps(instance).encode()).content.decode()
    assert downloaded(page)["assignments"][1] == {
        "seeker": "b",
        "supporter": "x",
        "score": 0.9,
        "reasons": ["The score was given in the input"],
    }


def duplicated() -> bytes:
    broken = copy.deepcopy(PROGRAMME)
    broken["seekers"][1]["id"] = "s1"
    return json.dumps(broken).encode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (duplicated(), "instance.json: seekers[1].id: &#x27;s1&#x27; is listed twice"),
        (b"{not json", "instance.json: instance: is not JSON"),
        ("café".encode("latin-1"), "instance.json: instance: is not UTF-8 text"),
        (b" " * (MAX_INSTANCE_BYTES + 1), "instance: is larger than 8 MB"),
        (
            b'{"seekers": [], "supporters": [{"id": "p", "capacity": -1}]}',
            "supporters[0].capacity: -1 is negative",
        ),
    ],
)
def test_a_bad_file_is_named_with_the_record_and_nothing_is_run(
    client: Client, personas: dict[str, Any], content: bytes, message: str
) -> None:
    response = upload(as_user(client, personas["coordinator"]), content)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was saved. Please correct these:" in page and message in page
    assert "Proposed assignment" not in page


def test_no_file_is_asked_for(client: Client, personas: dict[str, Any]) -> None:
    response = as_user(client, personas["coordinator"]).post(PAGE, {"source": "file"})
    assert response.status_code == 400 and "Choose the instance file to send." in response.content.decode()


def test_a_long_result_is_cut_on_the_page_but_whole_in_the_download(
    client: Client, personas: dict[str, Any]
) -> None:
    instance = {
        "seekers": [{"id": f"s{n:04d}", "languages": ["en"]} for n in range(600)],
        "supporters": [{"id": "p", "capacity": 50, "languages": ["en"], "modalities": ["online"]}],
    }
    page = upload(as_user(client, personas["coordinator"]), json.dumps(instance).encode()).content.decode()
    assert "Only the first 500 rows of each table are shown here" in page
    assert page.count('<th scope="row">s0') == 500
    assert len(downloaded(page)["assignments"]) == 600
