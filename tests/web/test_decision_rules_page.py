"""Coordinators replace the stepped-care rules by uploading a file; unsound files change nothing."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from carepath.decision.models import RuleSetVersion
from carepath.decision.selectors import default_rules_document
from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db


def upload(client: Client, document: Any) -> Any:
    content = document if isinstance(document, bytes) else json.dumps(document).encode()
    return client.post("/decide/rules/", {"rules_file": SimpleUploadedFile("rules.json", content)})


@pytest.fixture
def coordinator(client: Client, personas: dict[str, Any]) -> Client:
    sign_in(client, personas["coordinator"])
    return client


def test_the_page_lists_the_active_rules_in_order(coordinator: Client) -> None:
    page = coordinator.get("/decide/rules/").content.decode()
    assert "Active: carepath-default, version 1.0.0" in page
    assert page.index('<th scope="row">risk</th>') < page.index('<th scope="row">no-clear-lean</th>')


def test_a_sound_file_becomes_active(coordinator: Client) -> None:
    document = copy.deepcopy(default_rules_document())
    document["version"] = "1.1.0"
    response = upload(coordinator, document)
    assert response.status_code == 302
    assert "version 1.1.0" in coordinator.get("/decide/rules/").content.decode()
    assert RuleSetVersion.objects.get(active=True).loaded_by is not None


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b"{not json", "not valid JSON"),
        ({"id": "x", "version": "1", "title": "t", "rules": []}, "rules: a rule set needs at least one rule"),
        ("broken-risk", "rule &#x27;risk&#x27;"),
    ],
)
def test_an_unsound_file_is_refused_with_the_reason(coordinator: Client, document: Any, message: str) -> None:
    if document == "broken-risk":
        document = copy.deepcopy(default_rules_document())
        document["rules"][0]["then"]["pathway"] = "peer"
    response = upload(coordinator, document)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The active rules are unchanged" in page and message in page
    assert not RuleSetVersion.objects.exists()


@pytest.mark.parametrize("role", ["help_seeker", "peer_supporter", "professional"])
def test_only_coordinators_see_the_rules_page(client: Client, personas: dict[str, Any], role: str) -> None:
    sign_in(client, personas[role])
    assert client.get("/decide/rules/").status_code == 404
    assert upload(client, default_rules_document()).status_code == 404
    assert not RuleSetVersion.objects.exists()
