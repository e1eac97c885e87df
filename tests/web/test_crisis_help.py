"""Crisis help: the right region, remembered without an account, and alive without a database."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from carepath.crisis.selectors import REGION_COOKIE
from tests.sign_in import sign_in

URL = "/crisis/"


def test_the_default_region_comes_from_settings(client: Client, settings: Any) -> None:
    settings.CAREPATH_REGION = "AU"
    page = client.get(URL).content.decode()
    assert 'href="tel:000"' in page and "13 11 14" in page


def test_without_a_region_setting_the_international_directories_show(client: Client) -> None:
    page = client.get(URL).content.decode()
    assert "findahelpline.com" in page
    assert "Call your local emergency number now." in page


def test_choosing_a_region_is_remembered_in_a_cookie(client: Client) -> None:
    response = client.get(URL, {"region": "GB-ENG"})
    assert response.cookies[REGION_COOKIE].value == "GB-ENG"
    page = client.get(URL).content.decode()
    assert 'href="tel:999"' in page and "116 123" in page
    assert 'value="GB-ENG" selected' in page
    # The footer of every other page follows the same choice.
    assert "If a life is at risk now, call 999." in client.get(reverse("home")).content.decode()


def test_an_unknown_region_is_ignored_not_stored(client: Client) -> None:
    response = client.get(URL, {"region": "../../etc"})
    assert response.status_code == 200
    assert REGION_COOKIE not in response.cookies


def test_ireland_offers_both_emergency_numbers(client: Client) -> None:
    page = client.get(URL, {"region": "IE"}).content.decode()
    assert 'href="tel:112"' in page and 'href="tel:999"' in page


def test_unconfirmed_numbers_carry_a_caution(client: Client) -> None:
    page = client.get(URL, {"region": "US"}).content.decode()
    assert "Crisis Text Line" in page
    assert "not yet confirmed these details" in page


def test_every_line_cites_its_source_and_check_date(client: Client) -> None:
    page = client.get(URL, {"region": "US"}).content.decode()
    assert "https://988lifeline.org/get-help/what-to-expect" in page
    assert "checked 2026-11-25" in page


@pytest.mark.django_db
def test_crisis_help_works_when_the_database_is_down(client: Client, make_account: Any) -> None:
    sign_in(client, make_account("someone"))  # a session cookie that would need the database
    client.cookies[REGION_COOKIE] = "NZ"
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection",
        side_effect=OperationalError("database unreachable"),
    ):
        response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="tel:111"' in page and "1737" in page


def test_languages_are_named_in_words(client: Client) -> None:
    page = client.get(URL, {"region": "CA"}).content.decode()
    assert "<dt>Languages</dt><dd>English, French</dd>" in page


@pytest.mark.parametrize(
    "code", ["US", "GB-ENG", "GB-WLS", "GB-SCT", "GB-NIR", "IE", "CA", "AU", "NZ", "INTL"]
)
def test_every_region_renders(client: Client, code: str) -> None:
    response = client.get(URL, {"region": code})
    assert response.status_code == 200
    assert f'value="{code}" selected' in response.content.decode()
