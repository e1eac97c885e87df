"""API tokens in the services and on the command line: hashed at rest, audited, revocable."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from carepath.accounts import token_selectors, token_services
from carepath.accounts.token_models import ApiToken, ApiTokenState
from carepath.audit.models import AuditEvent
from carepath.errors import FieldProblem

pytestmark = pytest.mark.django_db


def test_a_token_is_random_and_only_its_sha256_is_kept(personas: dict[str, Any]) -> None:
    token, text = token_services.create_token(owner=personas["help_seeker"], name="backup")
    _, other_text = token_services.create_token(owner=personas["help_seeker"], name="backup")
    assert text.startswith("cpat_") and len(text) == 5 + 43 and text != other_text
    stored = ApiToken.objects.values().get(pk=token.pk)
    assert stored["digest"] == hashlib.sha256(text.encode()).hexdigest()
    assert stored["prefix"] == text[:12]
    assert not any(text[12:] in str(value) for value in stored.values())


def test_making_and_revoking_are_audited_without_the_token(personas: dict[str, Any]) -> None:
    seeker = personas["help_seeker"]
    token, text = token_services.create_token(owner=seeker, name="backup", expires_days=30, actor=seeker)
    token_services.revoke_token(token=token, actor=seeker)
    token_services.revoke_token(token=token, actor=seeker)  # again: nothing changes, nothing recorded
    events = list(AuditEvent.objects.filter(subject_type="api_token").order_by("id"))
    assert [(e.action, e.actor_label, e.subject_id) for e in events] == [
        ("account.token_created", "seeker", str(token.pk)),
        ("account.token_revoked", "seeker", str(token.pk)),
    ]
    assert events[0].details["owner_id"] == seeker.pk and events[0].details["expires_at"]
    assert all(text[12:] not in str(e.details) for e in events)


def test_only_an_active_token_of_an_active_owner_is_usable(personas: dict[str, Any]) -> None:
    seeker = personas["help_seeker"]
    token, text = token_services.create_token(owner=seeker, expires_days=1)
    assert token_selectors.usable_token(text) == token
    later = timezone.now() + dt.timedelta(days=1, seconds=1)
    assert token_selectors.usable_token(text, now=later) is None
    assert token.state_at(later) is ApiTokenState.EXPIRED
    seeker.is_active = False
    seeker.save()
    assert token_selectors.usable_token(text) is None
    seeker.is_active = True
    seeker.save()
    token_services.revoke_token(token=token)
    assert token_selectors.usable_token(text) is None
    assert token_selectors.usable_token("cpat_" + "x" * 200) is None


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"expires_days": 0}, "expires_days"),
        ({"expires_days": 4000}, "expires_days"),
        ({"name": "x" * 81}, "name"),
    ],
)
def test_bad_token_details_are_refused_naming_the_field(
    personas: dict[str, Any], options: dict[str, Any], field: str
) -> None:
    with pytest.raises(FieldProblem) as refusal:
        token_services.create_token(owner=personas["help_seeker"], **options)
    assert refusal.value.field == field
    assert not ApiToken.objects.exists() and not AuditEvent.objects.exists()


def test_the_command_makes_lists_and_revokes_tokens(personas: dict[str, Any]) -> None:
    out, err = StringIO(), StringIO()
    call_command(
        "token",
        "create",
        "--user",
        "seeker",
        "--name",
        "nightly export",
        "--expires-days",
        "7",
        stdout=out,
        stderr=err,
    )
    text = out.getvalue().strip()
    assert text.startswith("cpat_") and "\n" not in text  # stdout is the token alone, for scripts
    assert "cannot be shown again" in err.getvalue()
    token = token_selectors.usable_token(text)
    assert token is not None and token.name == "nightly export" and token.owner == personas["help_seeker"]
    event = AuditEvent.objects.get(action="account.token_created")
    assert event.actor is None and event.actor_label == "command line"

    listing = StringIO()
    call_command("token", "list", "--user", "seeker", stdout=listing)
    assert f"{token.pk}\t{token.prefix}…\tactive" in listing.getvalue() and text not in listing.getvalue()

    revoked = StringIO()
    call_command("token", "revoke", str(token.pk), stdout=revoked)
    assert "is revoked" in revoked.getvalue()
    assert token_selectors.usable_token(text) is None
    listing = StringIO()
    call_command("token", "list", "--user", "seeker", stdout=listing)
    assert "\trevoked\t" in listing.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create", "--user", "nobody"], "--user: no account is called 'nobody'"),
        (["create", "--user", "seeker", "--expires-days", "0"], "--expires-days: must be a whole number"),
        (["list", "--user", "nobody"], "no account"),
        (["revoke", "999999"], "id: no API token has the number 999999"),
    ],
)
def test_the_command_names_what_is_wrong(personas: dict[str, Any], args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message) as refusal:
        call_command("token", *args)
    assert refusal.value.returncode == 2


def test_only_the_owner_may_manage_a_token(personas: dict[str, Any]) -> None:
    from django.contrib.auth.models import AnonymousUser

    from carepath import policy

    token, _text = token_services.create_token(owner=personas["help_seeker"])
    assert policy.can_manage_api_token(personas["help_seeker"], token)
    for who in ("other_help_seeker", "peer_supporter", "professional", "coordinator"):
        assert not policy.can_manage_api_token(personas[who], token), who
    assert not policy.can_manage_api_token(AnonymousUser(), token)
