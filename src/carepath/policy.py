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


def can_view_own_access_log(actor: Any) -> bool:
    """Anyone signed in may see the audit events about their own account and records, and only those."""
    return _role(actor) is not None


def can_manage_api_token(actor: Any, token: Any) -> bool:
    """A personal API token is its owner's alone to revoke; nobody else, coordinators included."""
    return _role(actor) is not None and actor.pk == token.owner_id


def can_manage_directory(actor: Any) -> bool:
    return is_coordinator(actor)


def can_use_role_home(actor: Any, role: Role) -> bool:
    """Each role home is for that role only."""
    return _role(actor) is role


def can_keep_assessments(actor: Any) -> bool:
    """Anyone signed in may keep their own check-ins; anonymous check-ins are never stored."""
    return _role(actor) is not None


def can_view_assessment(actor: Any, assessment: Any) -> bool:
    """The person themself, or a supporter they share their check-in results with (see
    "Consent-scoped sharing" below)."""
    if _role(actor) is None:
        return False
    return actor.pk == assessment.person_id or _sees_shared(actor, assessment.person_id, "screening_results")


def can_keep_safety_plan(actor: Any) -> bool:
    return _role(actor) is not None


def can_view_safety_plan(actor: Any, plan: Any) -> bool:
    """The plan is the person's own; a supporter sees it only while the person shares it with them
    (see "Consent-scoped sharing" below)."""
    if _role(actor) is None:
        return False
    return actor.pk == plan.person_id or _sees_shared(actor, plan.person_id, "safety_plan")


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
    """Only the person themself. Consent-scoped sharing covers check-in results, not episodes
    (their sessions and costs), so a supporter never opens an episode (docs/sharing.md)."""
    return _role(actor) is not None and actor.pk == episode.person_id


def can_change_episode(actor: Any, episode: Any) -> bool:
    """The same rule as seeing it: a person records their own sessions and ends their own episodes."""
    return can_view_episode(actor, episode)


def can_view_programme_outcomes(actor: Any) -> bool:
    """Programme outcome reports (suppressed aggregates) are for coordinators who run the programme."""
    return is_coordinator(actor)


def can_import_episode_costs(actor: Any) -> bool:
    """Coordinators bring in costs from the programme's finance records (by episode id, so no
    person's episode is shown to them); the command line needs no account."""
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


# --- Referrals, support relationships and hand-offs (docs/referrals.md) -------------------------
# A referral links a person with one supporter. Only those two see it; coordinators see none
# (programme figures come from aggregates). A supporter keeps access only while their account
# still holds the role the relationship needs, so a changed role closes the door at once.

_SUPPORTER_ROLE = {"peer": Role.PEER_SUPPORTER, "professional": Role.PROFESSIONAL}


def _is_person(actor: Any, referral: Any) -> bool:
    return _role(actor) is Role.HELP_SEEKER and actor.pk == referral.person_id


def _is_supporter(actor: Any, referral: Any) -> bool:
    role = _role(actor)
    needed = _SUPPORTER_ROLE.get(referral.kind)
    return role is not None and role is needed and actor.pk == referral.supporter_id


def can_ask_for_contact(actor: Any) -> bool:
    """People looking for support ask supporters for contact; supporters do not ask each other."""
    return _role(actor) is Role.HELP_SEEKER


def can_support_people(actor: Any) -> bool:
    """The 'People I support' page: peer supporters and professionals."""
    return _role(actor) in (Role.PEER_SUPPORTER, Role.PROFESSIONAL)


def can_view_referral(actor: Any, referral: Any) -> bool:
    return _is_person(actor, referral) or _is_supporter(actor, referral)


def can_respond_to_referral(actor: Any, referral: Any) -> bool:
    """Accepting or declining is the asked supporter's answer; the status table decides when."""
    return _is_supporter(actor, referral)


def can_withdraw_referral(actor: Any, referral: Any) -> bool:
    return _is_person(actor, referral)


def can_end_referral(actor: Any, referral: Any) -> bool:
    """Either side may end a relationship."""
    return can_view_referral(actor, referral)


def can_log_contact(actor: Any, referral: Any) -> bool:
    """The supporter keeps the contact log; the person reads it."""
    return _is_supporter(actor, referral)


def can_view_contact_log(actor: Any, referral: Any) -> bool:
    """Dates, ways and lengths of contact: both sides of the relationship."""
    return can_view_referral(actor, referral)


def can_view_peer_notes(actor: Any, referral: Any) -> bool:
    """Peer notes are written alongside the person, so the person reads them too."""
    return referral.kind == "peer" and can_view_referral(actor, referral)


def can_view_clinical_notes(actor: Any, referral: Any) -> bool:
    """Private clinical notes: the professional who wrote them only. Never a peer supporter,
    not the person through Carepath, not a coordinator."""
    return referral.kind == "professional" and _is_supporter(actor, referral)


def can_ask_for_hand_off(actor: Any, referral: Any) -> bool:
    """A peer supporter in the relationship may suggest a professional; the person decides."""
    return referral.kind == "peer" and _is_supporter(actor, referral)


def can_answer_hand_off(actor: Any, hand_off: Any) -> bool:
    """Only the person agrees or declines, and only they see what would be shared before then."""
    return _role(actor) is Role.HELP_SEEKER and actor.pk == hand_off.person_id


def can_view_hand_off(actor: Any, hand_off: Any) -> bool:
    """Its status and reason: the person and the peer who asked. Never the content to be shared."""
    is_peer = _role(actor) is Role.PEER_SUPPORTER and actor.pk == hand_off.peer_id
    return can_answer_hand_off(actor, hand_off) or is_peer


def can_view_shared_snapshot(actor: Any, referral: Any) -> bool:
    """What the person agreed to share on a hand-off: the person and the receiving professional."""
    from_hand_off = referral.hand_off_id is not None and referral.kind == "professional"
    return from_hand_off and can_view_referral(actor, referral)


def can_have_notifications(actor: Any) -> bool:
    """Notices are about support relationships. Coordinators take part in none, so they have no
    notices page, no header count and no query for one."""
    return _role(actor) in (Role.HELP_SEEKER, Role.PEER_SUPPORTER, Role.PROFESSIONAL)


def can_read_notification(actor: Any, notification: Any) -> bool:
    return _role(actor) is not None and actor.pk == notification.recipient_id


# --- Consent-scoped sharing (docs/sharing.md) ---------------------------------------------------
# A person chooses, per supporter, professional or organisation, which of four scopes they share
# (check-in results, safety plan, peer notes, contact details). A supporter sees a scope only while
# BOTH hold: an ACTIVE referral joins them to the person (with the role its kind needs), and the
# person's current choice for them, or for the organisation of the service their profile links,
# grants that scope. The rows are read on every call, never cached, so a withdrawal holds from the
# very next request. Coordinators and other people looking for support get nothing this way, and no
# scope reaches clinical notes: "notes" are peer notes only.

_SHARING_KIND = {Role.PEER_SUPPORTER: "peer", Role.PROFESSIONAL: "professional"}


def _sees_shared(actor: Any, person_id: Any, scope: str) -> bool:
    role = _role(actor)
    kind = _SHARING_KIND.get(role) if role is not None else None
    if kind is None or actor.pk == person_id:
        return False
    # Imported here, not at the top: the admin's app config imports this module while Django is
    # still loading apps, before any model (the sharing rows) may be imported.
    from carepath.sharing.selectors.grants import granted_scopes

    return scope in granted_scopes(person_id=person_id, supporter_id=actor.pk, kind=kind)


def can_see_shared(actor: Any, person: Any, scope: str) -> bool:
    """May `actor` see this scope of `person`'s records now? (scope: a `carepath.sharing.scopes.Scope`)"""
    return _role(actor) is not None and _sees_shared(actor, person.pk, str(scope))


def can_manage_sharing(actor: Any) -> bool:
    """The "Who can see what" page: a person looking for support decides for themself only."""
    return _role(actor) is Role.HELP_SEEKER


def can_open_shared_records(actor: Any, referral: Any) -> bool:
    """The supporter's page of what a person shares with them: the supporter in this referral,
    while it is active. Which scopes it shows is `can_see_shared`, asked per scope."""
    return _is_supporter(actor, referral) and referral.status == "active"


# --- Two-factor sign-in (docs/security.md, "Two-factor sign-in") -------------------------------
# Professionals and coordinators see other people's records, so their accounts must prove a second
# factor before anything else; anyone else may turn it on for themselves.


def requires_two_factor(actor: Any) -> bool:
    """Roles that work with other people's clinical records or run the programme."""
    role = _role(actor)
    return role is not None and role.is_staff_role


def can_turn_off_two_factor(actor: Any) -> bool:
    """Anyone who turned it on may turn it off, except the roles that must keep it."""
    return _role(actor) is not None and not requires_two_factor(actor)


def can_reset_two_factor(actor: Any, account: Any) -> bool:
    """A coordinator resets someone else's lost authenticator (`carepath two-factor reset`), never
    their own: a second person must be satisfied it is really them asking."""
    return is_coordinator(actor) and actor.pk != account.pk


def can_create_api_token(actor: Any, *, session_verified: bool) -> bool:
    """A token outlives the session that made it, so a role that needs two-factor sign-in may make
    one only from a session that passed it; otherwise a password alone would mint a credential."""
    return _role(actor) is not None and (session_verified or not requires_two_factor(actor))


# --- Batch assignment of a programme (docs/matching.md, "The coordinator's page") --------------
# The page proposes who could support whom from the programme's stored wishes and profiles; it
# changes nothing, and people still ask for contact themselves.


def can_run_batch_assignment(actor: Any) -> bool:
    """Coordinators run the programme, so they may see a proposal for all of it."""
    return is_coordinator(actor)


# --- The person's rights: export and erasure (docs/rights.md) ----------------------------------
# Only the account itself may take its data away or erase it; nobody does it on someone's behalf
# through Carepath (an operator acting on a written request uses the database, outside the app).


def can_export_account(actor: Any, account: Any) -> bool:
    return _role(actor) is not None and actor.pk == account.pk


def can_erase_account(actor: Any, account: Any) -> bool:
    return _role(actor) is not None and actor.pk == account.pk
