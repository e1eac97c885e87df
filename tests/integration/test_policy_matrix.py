"""Persona matrix: each role against its own account and someone else's."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from carepath import policy

ROLES = ["help_seeker", "peer_supporter", "professional", "coordinator"]

# (rule, role) -> (allowed on own account, allowed on another person's account)
ACCOUNT_RULES = {
    "can_view_account": {
        "help_seeker": (True, False),
        "peer_supporter": (True, False),
        "professional": (True, False),
        "coordinator": (True, True),
    },
    "can_change_role": {
        "help_seeker": (False, False),
        "peer_supporter": (False, False),
        "professional": (False, False),
        "coordinator": (False, True),
    },
    # Matching profiles: the owner's own, or a coordinator's view; wishes only the person's own.
    "can_edit_supporter_profile": {
        "help_seeker": (False, False),
        "peer_supporter": (True, False),
        "professional": (False, False),
        "coordinator": (False, False),
    },
    "can_view_supporter_profile": {
        "help_seeker": (False, False),
        "peer_supporter": (True, False),
        "professional": (False, False),
        "coordinator": (True, True),
    },
    "can_edit_professional_profile": {
        "help_seeker": (False, False),
        "peer_supporter": (False, False),
        "professional": (True, False),
        "coordinator": (False, False),
    },
    "can_view_professional_profile": {
        "help_seeker": (False, False),
        "peer_supporter": (False, False),
        "professional": (True, False),
        "coordinator": (True, True),
    },
    "can_keep_matching_wishes": {
        "help_seeker": (True, False),
        "peer_supporter": (False, False),
        "professional": (False, False),
        "coordinator": (False, False),
    },
}
ROLE_RULES = {
    "can_access_admin": {"coordinator"},
    "can_view_audit_trail": {"coordinator"},
    "can_manage_directory": {"coordinator"},
    "can_view_programme_outcomes": {"coordinator"},
    "can_import_episode_costs": {"coordinator"},
    "can_ask_for_matches": {"help_seeker"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("rule", sorted(ACCOUNT_RULES))
@pytest.mark.parametrize("role", ROLES)
def test_account_rules(personas: dict[str, Any], rule: str, role: str) -> None:
    actor = personas[role]
    other = personas["other_help_seeker"]
    own_allowed, other_allowed = ACCOUNT_RULES[rule][role]
    decide = getattr(policy, rule)
    assert decide(actor, actor) is own_allowed
    assert decide(actor, other) is other_allowed


@pytest.mark.django_db
@pytest.mark.parametrize("rule", sorted(ROLE_RULES))
@pytest.mark.parametrize("role", ROLES)
def test_role_rules(personas: dict[str, Any], rule: str, role: str) -> None:
    assert getattr(policy, rule)(personas[role]) is (role in ROLE_RULES[rule])


@pytest.mark.django_db
@pytest.mark.parametrize("rule", sorted(ACCOUNT_RULES) + sorted(ROLE_RULES))
def test_anonymous_and_deactivated_people_are_refused_everything(personas: dict[str, Any], rule: str) -> None:
    coordinator = personas["coordinator"]
    coordinator.is_active = False
    coordinator.save()
    other = personas["other_help_seeker"]
    decide = getattr(policy, rule)
    args_anonymous = (AnonymousUser(), other) if rule in ACCOUNT_RULES else (AnonymousUser(),)
    args_inactive = (coordinator, other) if rule in ACCOUNT_RULES else (coordinator,)
    assert decide(*args_anonymous) is False
    assert decide(*args_inactive) is False
