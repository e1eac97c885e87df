"""The authorization matrix as data: for every route and method, what each role gets, per ownership.

A key is a URL name (`my_support_detail`), a shell-style pattern of URL names (`admin:*_change`),
an unnamed route's pattern, or an API operation's OpenAPI path. `kind` names the record whose id
fills the URL (tests/security/world.py makes one the actor owns, one the actor is assigned to and
one unrelated, where such a relation exists). A role's expectation is one answer class for every
ownership, or a mapping per ownership. Answer classes are in tests/security/probe.py.

A new route fails tests/security/test_route_coverage.py until it has a row here, and a row that
names no route fails it too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.security.probe import ALLOW, FORBIDDEN, LOGIN, NOT_ALLOWED, NOT_FOUND, UNAUTHORIZED
from tests.security.world import ROLES

A, N, F, L, M, U = ALLOW, NOT_FOUND, FORBIDDEN, LOGIN, NOT_ALLOWED, UNAUTHORIZED
Expectation = str | Mapping[str, str]

OWN_ONLY = {"own": A, "assigned": N, "unrelated": N}  # the person's own record and nobody else's
RELATED = {"own": A, "assigned": A, "unrelated": N}  # both sides of a relationship
ASSIGNED_ONLY = {"own": N, "assigned": A, "unrelated": N}
OWN_BUT_NOT_THEIRS_TO_DO = {"own": F, "assigned": A, "unrelated": N}  # seen, but the other side acts
SUPPORTER_DOES = {"own": F, "assigned": A, "unrelated": N}


@dataclass(frozen=True)
class Row:
    route: str
    method: str
    expect: Mapping[str, Expectation]
    kind: str | None = None
    body: Any = None  # form fields (pages) or JSON (API); "{name}" takes a value of the world
    query: Mapping[str, str] = field(default_factory=dict)

    def expected(self, role: str, ownership: str) -> str:
        wanted = self.expect[role]
        return wanted if isinstance(wanted, str) else wanted[ownership]


def row(
    route: str,
    method: str = "GET",
    *,
    anonymous: Expectation,
    signed_in: Expectation | None = None,
    kind: str | None = None,
    body: Any = None,
    query: Mapping[str, str] | None = None,
    **roles: Expectation,
) -> Row:
    """`signed_in` stands for every signed-in role not named."""
    expect: dict[str, Expectation] = {"anonymous": anonymous}
    for role in ROLES[1:]:
        given = roles.get(role, signed_in)
        assert given is not None, f"{route} {method}: no expectation for {role}"
        expect[role] = given
    unknown = set(roles) - set(ROLES)
    assert not unknown, f"{route} {method}: unknown roles {unknown}"
    return Row(route, method, expect, kind, body, query or {})


def public(route: str, method: str = "GET", **extra: Any) -> Row:
    return row(route, method, anonymous=A, signed_in=A, **extra)


def signed_in_only(route: str, method: str = "GET", **extra: Any) -> Row:
    return row(route, method, anonymous=L, signed_in=A, **extra)


def post_only(route: str, kind: str | None = None) -> Row:
    """A GET to a write-only route: sign in first, then 405 whatever the record."""
    return row(route, "GET", anonymous=L, signed_in=M, kind=kind)


def coordinators(route: str, method: str = "GET", deny: str = F, **extra: Any) -> Row:
    return row(route, method, anonymous=L, signed_in=deny, coordinator=A, **extra)


def api_signed_in(route: str, method: str = "GET", **extra: Any) -> Row:
    return row(route, method, anonymous=U, signed_in=A, **extra)


ASK = {"kind": "peer", "profile": "{peer_profile_id}"}
CONTACT = {"happened_on": "{today}", "channel": "phone", "minutes": "30", "note": "A short call"}
HAND_OFF = {"hand_off-professional": "{pro_profile_id}", "hand_off-reason": "Sleep has got worse"}

PAGES = [
    public("home"),
    signed_in_only("role_home"),
    public("crisis_help"),
    public("signup"),
    public("signup", "POST"),
    public("login"),
    public("login", "POST"),
    row("logout", anonymous=M, signed_in=M),  # signing out is a POST, so a link cannot do it
    public("logout", "POST"),
    signed_in_only("account"),
    post_only("api_token_create"),
    signed_in_only("api_token_create", "POST"),
    post_only("api_token_revoke", "token"),
    row("api_token_revoke", "POST", kind="token", anonymous=L, signed_in=OWN_ONLY),
    signed_in_only("password_change"),
    signed_in_only("password_change", "POST"),
    signed_in_only("password_change_done"),
    public("password_reset"),
    public("password_reset", "POST"),
    public("password_reset_done"),
    public("password_reset_confirm"),
    public("password_reset_confirm", "POST"),
    public("password_reset_complete"),
    public("check_in"),
    public("check_in_questions"),
    public("check_in_questions", "POST", body={"instruments": "phq9"}),
    signed_in_only("check_in_history"),
    signed_in_only("progress"),
    signed_in_only("progress", "POST"),
    row("progress_episode", kind="episode", anonymous=L, signed_in=OWN_ONLY),
    row("progress_episode", "POST", kind="episode", anonymous=L, signed_in=OWN_ONLY),
    post_only("progress_record_session", "episode"),
    row("progress_record_session", "POST", kind="episode", anonymous=L, signed_in=OWN_ONLY),
    post_only("progress_end_episode", "episode"),
    row("progress_end_episode", "POST", kind="episode", anonymous=L, signed_in=OWN_ONLY),
    coordinators("programme_outcomes"),
    coordinators("programme_outcomes_csv"),
    public("decide"),
    public("decide", "POST"),
    coordinators("decision_rules", deny=N),
    coordinators("decision_rules", "POST", deny=N),
    public("find", query={"q": "peer"}),
    public("safety_plan"),
    # Anyone may print a plan; keeping one needs an account, so the anonymous save goes to sign-in.
    row("safety_plan", "POST", anonymous=L, signed_in=A),
    # The plan is the person's own: only help-seekers here have one, so the others find none.
    row("safety_plan_pdf", anonymous=L, signed_in=N, help_seeker=A),
    row("safety_plan_export", anonymous=L, signed_in=N, help_seeker=A),
    post_only("risk_alert_consent"),
    signed_in_only("risk_alert_consent", "POST"),
    coordinators("risk_flags", deny=N),
    post_only("review_risk_flag", "risk_flag"),
    row("review_risk_flag", "POST", kind="risk_flag", anonymous=L, signed_in=N, coordinator=A),
    row("matches", anonymous=L, signed_in=F, help_seeker=A),
    row("matches", "POST", anonymous=L, signed_in=F, help_seeker=A),
    row("supporter_profile", anonymous=L, signed_in=F, peer_supporter=A),
    row("supporter_profile", "POST", anonymous=L, signed_in=F, peer_supporter=A),
    # The whole profile is for its owner and coordinators, not for the person it supports.
    row(
        "supporter_profile_detail",
        kind="supporter_profile",
        anonymous=L,
        signed_in=N,
        peer_supporter=OWN_ONLY,
        coordinator=A,
    ),
    row("my_support", anonymous=L, signed_in=F, help_seeker=A),
    # Asking shows the supporter's confidentiality notice first; its confirm button sends the request.
    row("ask_for_contact", anonymous=L, signed_in=F, help_seeker=A, query=ASK),
    row("ask_for_contact", "POST", anonymous=L, signed_in=F, help_seeker=A, body=ASK),
    row("my_support_detail", kind="referral", anonymous=L, signed_in=RELATED, coordinator=N),
    post_only("withdraw_request", "referral"),
    row(
        "withdraw_request",
        "POST",
        kind="referral",
        anonymous=L,
        help_seeker=OWN_ONLY,
        peer_supporter={"assigned": F, "unrelated": N},
        professional={"assigned": F, "unrelated": N},
        coordinator=N,
    ),
    post_only("end_support_person", "referral"),
    row("end_support_person", "POST", kind="referral", anonymous=L, signed_in=RELATED, coordinator=N),
    # The consent screen is the person's alone: not the peer who asked, not the professional.
    row("hand_off_consent", kind="hand_off", anonymous=L, signed_in=N, help_seeker=OWN_ONLY),
    row("hand_off_consent", "POST", kind="hand_off", anonymous=L, signed_in=N, help_seeker=OWN_ONLY),
    row("people_i_support", anonymous=L, signed_in=F, peer_supporter=A, professional=A),
    row("supporting_detail", kind="referral", anonymous=L, signed_in=RELATED, coordinator=N),
    post_only("accept_request", "referral"),
    row("accept_request", "POST", kind="referral", anonymous=L, signed_in=SUPPORTER_DOES, coordinator=N),
    post_only("decline_request", "referral"),
    row("decline_request", "POST", kind="referral", anonymous=L, signed_in=SUPPORTER_DOES, coordinator=N),
    post_only("end_support_supporter", "referral"),
    row("end_support_supporter", "POST", kind="referral", anonymous=L, signed_in=RELATED, coordinator=N),
    post_only("log_contact", "referral"),
    row(
        "log_contact",
        "POST",
        kind="referral",
        body=CONTACT,
        anonymous=L,
        signed_in=SUPPORTER_DOES,
        coordinator=N,
    ),
    post_only("ask_hand_off", "referral"),
    # Only the peer supporter suggests a hand-off; the professional sees the page but may not.
    row(
        "ask_hand_off",
        "POST",
        kind="referral",
        body=HAND_OFF,
        anonymous=L,
        signed_in=SUPPORTER_DOES,
        professional={"assigned": F, "unrelated": N},
        coordinator=N,
    ),
    # What was shared on a hand-off: the person and the receiving professional, never the peer.
    row(
        "shared_snapshot",
        kind="pro_referral",
        anonymous=L,
        signed_in=N,
        help_seeker=OWN_ONLY,
        professional=ASSIGNED_ONLY,
    ),
    row("notifications", anonymous=L, signed_in=A, coordinator=F),
    post_only("notification_read", "notification"),
    row("notification_read", "POST", kind="notification", anonymous=L, signed_in=OWN_ONLY),
    post_only("notifications_read_all"),
    row("notifications_read_all", "POST", anonymous=L, signed_in=A, coordinator=F),
    coordinators("manage_services"),
    coordinators("manage_organizations"),
    coordinators("manage_organization_add"),
    coordinators("manage_organization_add", "POST"),
    # A directory record behind a coordinators' page is "not found" for everyone else.
    *[
        coordinators(name, method, deny=N, kind="directory")
        for name in (
            "manage_organization",
            "manage_organization_edit",
            "manage_service_add",
            "manage_location_add",
            "manage_service_edit",
            "manage_location_edit",
            "manage_cost_option_add",
            "manage_cost_option_edit",
            "manage_language_add",
            "manage_hours",
            "manage_hours_at",
        )
        for method in ("GET", "POST")
    ],
    coordinators("manage_service", deny=N, kind="directory"),
    *[
        row(name, "GET", anonymous=L, signed_in=M, kind="directory")
        for name in ("manage_service_checked", "manage_cost_option_remove", "manage_language_remove")
    ],
    *[
        coordinators(name, "POST", deny=N, kind="directory")
        for name in ("manage_service_checked", "manage_cost_option_remove", "manage_language_remove")
    ],
    coordinators("audit_trail"),
    signed_in_only("access_log"),
    # Issue 8: two-factor sign-in, the person's rights, consent-scoped sharing, batch matching.
    *[
        signed_in_only(name, method)
        for name in ("two_factor_set_up", "two_factor_verify", "two_factor_recovery_codes", "account_erase")
        for method in ("GET", "POST")
    ],
    # Roles that must keep two-factor sign-in cannot turn it off.
    *[
        row("two_factor_turn_off", method, anonymous=L, signed_in=A, professional=F, coordinator=F)
        for method in ("GET", "POST")
    ],
    post_only("account_export_json"),
    signed_in_only("account_export_json", "POST"),
    post_only("account_export_fhir"),
    signed_in_only("account_export_fhir", "POST"),
    public("account_erased"),
    public("account_erased", "POST"),
    row("professional_profile", anonymous=L, signed_in=F, professional=A),
    row("professional_profile", "POST", anonymous=L, signed_in=F, professional=A),
    coordinators("batch_assignment"),
    coordinators("batch_assignment", "POST"),
    row("who_can_see_what", anonymous=L, signed_in=F, help_seeker=A),
    row("who_can_see_what", "POST", anonymous=L, signed_in=F, help_seeker=A),
    post_only("withdraw_all_sharing"),
    row("withdraw_all_sharing", "POST", anonymous=L, signed_in=F, help_seeker=A),
    # The seeker shares their safety plan with their peer only (tests/security/world.py): the peer's
    # relationship opens; the professional, with nothing shared, and everyone else get "not found".
    row("shared_with_me", kind="referral", anonymous=L, signed_in=N, peer_supporter=ASSIGNED_ONLY),
]

ADMIN = [
    # The admin opens to coordinators by policy; everyone else is sent to its sign-in page.
    public("admin:login"),
    row("admin:logout", anonymous=A, signed_in=A, coordinator=M),  # signs out with a POST only
    row("admin:view_on_site", anonymous=L, signed_in=L, coordinator=N, kind="admin"),
    row("admin/(?P<url>.*)$", anonymous=L, signed_in=L, coordinator=N, kind="admin"),
    # Groups and django-axes' records keep Django's own permission flags, which no account has.
    row("admin:autocomplete", anonymous=L, signed_in=L, coordinator=F),
    *[
        row(f"admin:{model}_{view}", anonymous=L, signed_in=L, coordinator=F, kind="admin")
        for model in ("auth_group", "axes_accessattempt", "axes_accessfailurelog", "axes_accesslog")
        for view in ("changelist", "add", "delete", "change")
    ],
    row("admin:axes_accesslog_history", anonymous=L, signed_in=L, coordinator=F, kind="admin"),
    # django-otp's device pages are not in the admin (carepath/accounts/two_factor_admin.py).
    # The audit trail is read-only, even in the admin.
    row("admin:audit_auditevent_add", anonymous=L, signed_in=L, coordinator=F, kind="admin"),
    row("admin:audit_auditevent_delete", anonymous=L, signed_in=L, coordinator=F, kind="admin"),
    row("admin:*", anonymous=L, signed_in=L, coordinator=A, kind="admin"),
    row("admin/*", anonymous=L, signed_in=L, coordinator=A, kind="admin"),  # old-style links redirect
]

SCHEMAS = [
    public("api-v1:openapi-json"),
    public("api-v1:openapi-view"),
    row("api-v1:api-root", anonymous=N, signed_in=N),  # nothing at the bare prefix
    public("hsds:openapi-json"),
    public("hsds:openapi-view"),
    public("hsds:api-root"),
    row("hsds:unknown_path", anonymous=N, signed_in=N, kind="hsds"),
]

API = [
    public("/api/v1/health"),
    api_signed_in("/api/v1/accounts/me"),
    public("/api/v1/crisis/regions"),
    public("/api/v1/crisis/regions/{code}", kind="code"),
    public("/api/v1/instruments"),
    public("/api/v1/instruments/{code}", kind="code"),
    public("/api/v1/instruments/{code}/score", "POST", kind="code"),
    public("/api/v1/instruments/{code}/fhir", kind="code"),
    api_signed_in("/api/v1/assessments", "POST"),
    api_signed_in("/api/v1/assessments"),
    row("/api/v1/assessments/{assessment_id}", kind="assessment", anonymous=U, signed_in=OWN_ONLY),
    row("/api/v1/assessments/{assessment_id}/fhir", kind="assessment", anonymous=U, signed_in=OWN_ONLY),
    public("/api/v1/fhir/score", "POST"),
    api_signed_in("/api/v1/fhir/assessments", "POST"),
    public("/api/v1/decision-aid"),
    public("/api/v1/recommendations", "POST"),
    public("/api/v1/rules"),
    row("/api/v1/rules", "POST", anonymous=N, signed_in=N, coordinator=A),
    public("/api/v1/services/search", query={"q": "peer"}),
    public("/api/v1/outcomes/classify", "POST"),
    public("/api/v1/outcomes/rci", "POST"),
    row("/api/v1/reports/outcomes", anonymous=U, signed_in=F, coordinator=A),
    row("/api/v1/matches/suggest", "POST", anonymous=U, signed_in=F, help_seeker=A),
    api_signed_in("/api/v1/referrals"),
    row("/api/v1/referrals", "POST", anonymous=U, signed_in=F, help_seeker=A),
    row("/api/v1/referrals/before-asking", anonymous=U, signed_in=F, help_seeker=A, query=ASK),
    row("/api/v1/referrals/{referral_id}", kind="referral", anonymous=U, signed_in=RELATED, coordinator=N),
    # In the API a step that is the other side's answers 404, like a record the caller cannot see.
    *[
        row(
            f"/api/v1/referrals/{{referral_id}}/{step}",
            "POST",
            kind="referral",
            anonymous=U,
            signed_in=ASSIGNED_ONLY,
        )
        for step in ("accept", "decline")
    ],
    row(
        "/api/v1/referrals/{referral_id}/withdraw",
        "POST",
        kind="referral",
        anonymous=U,
        signed_in=N,
        help_seeker=OWN_ONLY,
    ),
    row(
        "/api/v1/referrals/{referral_id}/end",
        "POST",
        kind="referral",
        anonymous=U,
        signed_in=RELATED,
        coordinator=N,
    ),
    row(
        "/api/v1/referrals/{referral_id}/contacts",
        kind="referral",
        anonymous=U,
        signed_in=RELATED,
        coordinator=N,
    ),
    row(
        "/api/v1/referrals/{referral_id}/contacts",
        "POST",
        kind="referral",
        body=CONTACT,
        anonymous=U,
        signed_in=ASSIGNED_ONLY,
    ),
    row(
        "/api/v1/referrals/{referral_id}/hand-offs",
        "POST",
        kind="referral",
        anonymous=U,
        signed_in=N,
        peer_supporter=ASSIGNED_ONLY,
    ),
    # Its status and reason: the person and the peer who asked; the professional waits for consent.
    row(
        "/api/v1/referrals/hand-offs/{hand_off_id}",
        kind="hand_off",
        anonymous=U,
        signed_in=N,
        help_seeker=OWN_ONLY,
        peer_supporter=ASSIGNED_ONLY,
    ),
    *[
        row(
            f"/api/v1/referrals/hand-offs/{{hand_off_id}}/{answer}",
            "POST",
            kind="hand_off",
            anonymous=U,
            signed_in=N,
            help_seeker=OWN_ONLY,
        )
        for answer in ("agree", "decline")
    ],
    row(
        "/api/v1/referrals/{referral_id}/shared",
        kind="pro_referral",
        anonymous=U,
        signed_in=N,
        help_seeker=OWN_ONLY,
        professional=ASSIGNED_ONLY,
    ),
    row(
        "/api/v1/referrals/{referral_id}/service-request",
        kind="referral",
        anonymous=U,
        signed_in=RELATED,
        coordinator=N,
    ),
    api_signed_in("/api/v1/me/export"),
    row("/api/v1/matching/professional-profile", anonymous=U, signed_in=F, professional=A),
    row("/api/v1/matching/professional-profile", "PUT", anonymous=U, signed_in=F, professional=A),
    row("/api/v1/sharing", anonymous=U, signed_in=F, help_seeker=A),
    row("/api/v1/sharing", "PUT", anonymous=U, signed_in=F, help_seeker=A),
    row("/api/v1/sharing/withdraw-all", "POST", anonymous=U, signed_in=F, help_seeker=A),
    row(
        "/api/v1/sharing/people/{referral_id}",
        kind="referral",
        anonymous=U,
        signed_in=N,
        peer_supporter=ASSIGNED_ONLY,
    ),
    api_signed_in("/api/v1/notifications"),
    row(
        "/api/v1/notifications/{notice_id}/read", "POST", kind="notification", anonymous=U, signed_in=OWN_ONLY
    ),
    row("/api/v1/notifications/read-all", "POST", anonymous=U, signed_in=A, coordinator=N),
    # The HSDS directory is public and read-only.
    *[
        public(f"/hsds/{table}{suffix}", kind="hsds" if suffix else None)
        for table in ("services", "service_at_locations", "organizations", "taxonomies", "taxonomy_terms")
        for suffix in ("", "/{id}")
    ],
    public("/hsds/"),
]

MATRIX: list[Row] = [*PAGES, *ADMIN, *SCHEMAS, *API]
