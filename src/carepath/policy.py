"""Every access decision in Carepath, in one module.

Views, the API and the admin ask here; nothing else decides. A function takes the actor first
and answers yes or no. For objects, a "no" is shown as 404 so existence is not revealed.
"""

from __future__ import annotations

from typing import Any

from carepath_core.roles import Role


def _role(actor: Any) -> Role | None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return None
    return Role(actor.role)


def is_coordinator(actor: Any) -> bool:
    return _role(actor) is Role.COORDINATOR


def can_view_account(actor: Any, account: Any) -> bool:
    """Own account, or a coordinator who runs the programme."""
    role = _role(actor)
    return role is not None and (actor.pk == account.pk or role is Role.COORDINATOR)


def can_change_role(actor: Any, account: Any) -> bool:
    """Coordinators grant roles, never their own (so nobody can lock the last coordinator out)."""
    return is_coordinator(actor) and actor.pk != account.pk


def can_access_admin(actor: Any) -> bool:
    return is_coordinator(actor)


def can_view_audit_trail(actor: Any) -> bool:
    return is_coordinator(actor)


def can_manage_directory(actor: Any) -> bool:
    return is_coordinator(actor)


def can_use_role_home(actor: Any, role: Role) -> bool:
    """Each role home is for that role only."""
    return _role(actor) is role


def can_keep_assessments(actor: Any) -> bool:
    """Anyone signed in may keep their own check-ins; anonymous check-ins are never stored."""
    return _role(actor) is not None


def can_view_assessment(actor: Any, assessment: Any) -> bool:
    """Only the person themself for now; sharing with supporters comes with consent-scoped sharing."""
    return _role(actor) is not None and actor.pk == assessment.person_id


def can_keep_safety_plan(actor: Any) -> bool:
    return _role(actor) is not None


def can_view_safety_plan(actor: Any, plan: Any) -> bool:
    """The plan is the person's own; supporters see it only once consented sharing exists."""
    return _role(actor) is not None and actor.pk == plan.person_id


def can_review_risk_flags(actor: Any) -> bool:
    return is_coordinator(actor)


def can_manage_rules(actor: Any) -> bool:
    return is_coordinator(actor)


def can_keep_recommendations(actor: Any) -> bool:
    return _role(actor) is not None


def can_keep_episodes(actor: Any) -> bool:
    """Anyone signed in may record their own episodes of support."""
    return _role(actor) is not None


def can_view_episode(actor: Any, episode: Any) -> bool:
    """Only the person themself for now; supporters see progress once consented sharing exists."""
    return _role(actor) is not None and actor.pk == episode.person_id


def can_change_episode(actor: Any, episode: Any) -> bool:
    """The same rule as seeing it: a person records their own sessions and ends their own episodes."""
    return can_view_episode(actor, episode)


def can_view_programme_outcomes(actor: Any) -> bool:
    """Programme outcome reports (suppressed aggregates) are for coordinators who run the programme."""
    return is_coordinator(actor)


def can_edit_supporter_profile(actor: Any, owner: Any) -> bool:
    """A peer supporter edits their own profile and nobody else's."""
    return _role(actor) is Role.PEER_SUPPORTER and actor.pk == owner.pk


def can_edit_professional_profile(actor: Any, owner: Any) -> bool:
    return _role(actor) is Role.PROFESSIONAL and actor.pk == owner.pk


def can_view_supporter_profile(actor: Any, owner: Any) -> bool:
    """The whole profile (training, supervisor, private place) is for its owner and coordinators;
    people looking for support see only the parts a suggestion shows."""
    return can_edit_supporter_profile(actor, owner) or is_coordinator(actor)


def can_view_professional_profile(actor: Any, owner: Any) -> bool:
    return can_edit_professional_profile(actor, owner) or is_coordinator(actor)


def can_keep_matching_wishes(actor: Any, person: Any) -> bool:
    """A help-seeker states their own wishes; nobody states them on their behalf."""
    return _role(actor) is Role.HELP_SEEKER and actor.pk == person.pk


def can_ask_for_matches(actor: Any) -> bool:
    """Suggestions are for help-seekers looking for a peer supporter."""
    return _role(actor) is Role.HELP_SEEKER
