"""The people and records every attack test runs against, each record carrying a canary.

For each role there is an actor, and for each kind of record with an id in a URL there is, where
the relation exists, one record that is the actor's own, one the actor is assigned to (a referral
where they are the supporter, the records of a person they support) and one unrelated record. Every
record's free text holds a distinctive canary, so a denial can be checked to reveal none of it.
Records are made through the real services wherever one exists, so statuses and audit rows are real.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from carepath.accounts import token_services
from carepath.accounts.models import User
from carepath.directory.models import (
    CostOption,
    Language,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from carepath.directory.services.search_index import refresh_search_entries
from carepath.outcomes.services import start_episode
from carepath.referrals.models import Notification, Referral
from carepath.referrals.services import hand_offs
from carepath.safety.models import RiskFlag
from carepath.sharing import services as sharing_services
from carepath.sharing.recipients import RecipientKey
from tests.conftest import PASSWORD
from tests.referral_setup import (
    active,
    ask_peer,
    keep_check_in,
    keep_plan,
    peer_profile,
    professional_profile,
)

ROLES = ("anonymous", "help_seeker", "peer_supporter", "professional", "coordinator")
OWNERSHIPS = ("own", "assigned", "unrelated")
NONE = "none"  # the one cell of a route that names no record
CANARY = "CANARY"  # every canary starts with this, and nothing else in Carepath's text does


def canary(label: str) -> str:
    return f"{CANARY}{label.replace('-', '').upper()}Z"


@dataclass
class World:
    actors: dict[str, User | None]
    # kind -> (role, ownership) -> URL keyword arguments naming that record
    records: dict[str, dict[tuple[str, str], dict[str, Any]]] = field(default_factory=dict)
    canaries: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)  # named values for request bodies

    def cells(self, kind: str | None) -> list[tuple[str, str, dict[str, Any]]]:
        """Every (role, ownership, URL kwargs) this world has for one kind of record."""
        if kind not in self.records:  # a route that names no record of a person
            return [(role, NONE, {}) for role in ROLES]
        found = self.records[kind]
        return [
            (role, ownership, found[(role, ownership)])
            for role in ROLES
            for ownership in OWNERSHIPS
            if (role, ownership) in found
        ]

    def add(self, kind: str, role: str, ownership: str, **kwargs: Any) -> None:
        self.records.setdefault(kind, {})[(role, ownership)] = kwargs


def _account(username: str, role: str) -> User:
    account = User(username=username, role=role, display_name=username.replace("-", " ").title())
    account.set_password(PASSWORD)
    account.save()
    return account


def _plan(person: User, label: str) -> None:
    keep_plan(person, {"warning_signs": canary(f"plan-{label}"), "people_to_ask": "A friend"})


def _hand_off_pair(
    person: User, profile: Any, pro_profile: Any, label: str
) -> tuple[Referral, Any, Referral]:
    """A peer relationship, a hand-off the person agreed to, and the professional referral it made."""
    peer = profile.user
    peer_referral = active(ask_peer(person, profile))
    hand_off = hand_offs.ask_for_hand_off(
        actor=peer, referral=peer_referral, professional_id=pro_profile.pk, reason=canary(f"handoff-{label}")
    )
    screen = hand_offs.open_consent_screen(actor=person, hand_off=hand_off)
    pro_referral = hand_offs.agree_to_hand_off(
        actor=person, hand_off=hand_off, agreed_fingerprint=screen.fingerprint
    )
    hand_off.refresh_from_db()
    return peer_referral, hand_off, active(pro_referral)


def _directory(world: World) -> None:
    organization = Organization.objects.create(name=canary("org"), description=canary("org-about"))
    with transaction.atomic():
        service = Service.objects.create(
            organization_id=organization.pk, name=canary("service"), status="active", support_type="peer"
        )
        refresh_search_entries([service.pk])
    place = Location.objects.create(
        organization_id=organization.pk, location_type="physical", name=canary("location")
    )
    link = ServiceAtLocation.objects.create(service_id=service.pk, location_id=place.pk)
    cost = CostOption.objects.create(service_id=service.pk, option=canary("cost"), amount=40, currency="GBP")
    language = Language.objects.create(service_id=service.pk, code="cy", name=canary("language"))
    taxonomy = Taxonomy.objects.create(name=canary("taxonomy"))
    term = TaxonomyTerm.objects.create(name=canary("term"), code="cp-1", taxonomy_detail_id=taxonomy.pk)
    ids = {
        "taxonomy_id": taxonomy.pk,
        "term_id": term.pk,
        "organization_id": organization.pk,
        "service_id": service.pk,
        "location_id": place.pk,
        "link_id": link.pk,
        "cost_option_id": cost.pk,
        "language_id": language.pk,
    }
    world.values.update(ids)
    # Directory records have no owner: every role meets them as records that are not theirs.
    for role in ROLES:
        world.add("directory", role, "unrelated", **ids)
    world.canaries += [
        canary(x) for x in ("org", "org-about", "service", "location", "cost", "language", "taxonomy", "term")
    ]


def build_world() -> World:
    seeker = _account("seeker", "help_seeker")
    stranger = _account("stranger", "help_seeker")
    peer = _account("peer", "peer_supporter")
    other_peer = _account("other-peer", "peer_supporter")
    pro = _account("pro", "professional")
    other_pro = _account("other-pro", "professional")
    coordinator = _account("coord", "coordinator")
    actors: dict[str, User | None] = {
        "anonymous": None,
        "help_seeker": seeker,
        "peer_supporter": peer,
        "professional": pro,
        "coordinator": coordinator,
    }
    world = World(actors=actors, values={"today": dt.date.today().isoformat()})
    signed_in = {role: account for role, account in actors.items() if account is not None}
    supporters = {"peer_supporter": peer, "professional": pro}

    own_profile = peer_profile(peer, capacity=5, experience=canary("profile-peer"))
    far_profile = peer_profile(other_peer, capacity=5, experience=canary("profile-otherpeer"))
    pro_profile = professional_profile(pro, capacity=5)
    far_pro_profile = professional_profile(other_pro, capacity=5)
    world.values["pro_profile_id"] = pro_profile.pk
    world.values["peer_profile_id"] = far_profile.pk
    world.canaries += [canary("profile-peer"), canary("profile-otherpeer")]

    # Records of the two help-seekers, then the relationships that assign the seeker to supporters.
    people = {"seeker": seeker, "stranger": stranger}
    for label, person in people.items():
        keep_check_in(person)
        _plan(person, label)
        world.canaries.append(canary(f"plan-{label}"))
    peer_referral, hand_off, pro_referral = _hand_off_pair(seeker, own_profile, pro_profile, "seeker")
    far_peer_referral, far_hand_off, far_pro_referral = _hand_off_pair(
        stranger, far_profile, far_pro_profile, "stranger"
    )
    world.canaries += [canary("handoff-seeker"), canary("handoff-stranger")]
    # The seeker shares their safety plan with their peer supporter and nothing with the
    # professional, so "what is shared with me" has an allowed cell and refused ones beside it.
    sharing_services.change_sharing(
        actor=seeker, recipient=RecipientKey.account(peer.pk), scopes=["safety_plan"]
    )

    today = dt.date.today()
    assessments: dict[int, Any] = {}
    episodes: dict[int, Any] = {}
    tokens: dict[int, Any] = {}
    flags: dict[int, Any] = {}
    for label, account in [*signed_in.items(), ("stranger", stranger)]:
        assessments[account.pk] = keep_check_in(account)
        episodes[account.pk] = start_episode(person=account, pathway="peer", started_on=today)
        token, _ = token_services.create_token(owner=account, name=canary(f"token-{label}"))
        tokens[account.pk] = token
        flags[account.pk] = RiskFlag.objects.create(person=account, reasons=[canary(f"flag-{label}")])
        world.canaries += [canary(f"token-{label}"), canary(f"flag-{label}")]

    for role, account in signed_in.items():
        world.add("assessment", role, "own", assessment_id=assessments[account.pk].pk)
        world.add("episode", role, "own", episode_id=episodes[account.pk].pk)
        world.add("token", role, "own", token_id=tokens[account.pk].pk)
        world.add("risk_flag", role, "own", flag_id=flags[account.pk].pk)
    for role in ROLES:
        world.add("assessment", role, "unrelated", assessment_id=assessments[stranger.pk].pk)
        world.add("episode", role, "unrelated", episode_id=episodes[stranger.pk].pk)
        world.add("token", role, "unrelated", token_id=tokens[stranger.pk].pk)
        world.add("risk_flag", role, "unrelated", flag_id=flags[stranger.pk].pk)
    # A supporter is "assigned" to the seeker's records through their active relationship.
    for role in supporters:
        world.add("assessment", role, "assigned", assessment_id=assessments[seeker.pk].pk)
        world.add("episode", role, "assigned", episode_id=episodes[seeker.pk].pk)
        world.add("token", role, "assigned", token_id=tokens[seeker.pk].pk)
        world.add("risk_flag", role, "assigned", flag_id=flags[seeker.pk].pk)

    # Referrals: the seeker's own; each supporter's own relationship with the seeker; a stranger's.
    world.add("referral", "help_seeker", "own", referral_id=peer_referral.pk)
    world.add("referral", "peer_supporter", "assigned", referral_id=peer_referral.pk)
    world.add("referral", "professional", "assigned", referral_id=pro_referral.pk)
    # The professional referral a hand-off made: the peer who asked is assigned to it too.
    world.add("pro_referral", "help_seeker", "own", referral_id=pro_referral.pk)
    world.add("pro_referral", "peer_supporter", "assigned", referral_id=pro_referral.pk)
    world.add("pro_referral", "professional", "assigned", referral_id=pro_referral.pk)
    world.add("hand_off", "help_seeker", "own", hand_off_id=hand_off.pk)
    world.add("hand_off", "peer_supporter", "assigned", hand_off_id=hand_off.pk)
    world.add("hand_off", "professional", "assigned", hand_off_id=hand_off.pk)
    for role in ROLES:
        world.add("referral", role, "unrelated", referral_id=far_peer_referral.pk)
        world.add("pro_referral", role, "unrelated", referral_id=far_pro_referral.pk)
        world.add("hand_off", role, "unrelated", hand_off_id=far_hand_off.pk)

    # Notices come from the relationships above; a supporter's "assigned" one is the seeker's.
    def notice_of(account: User) -> int:
        found = Notification.objects.filter(recipient=account).first()
        assert found is not None, account
        return found.pk

    for role in ("help_seeker", *supporters):
        world.add("notification", role, "own", notice_id=notice_of(signed_in[role]))
    for role in supporters:
        world.add("notification", role, "assigned", notice_id=notice_of(seeker))
    for role in ROLES:
        world.add("notification", role, "unrelated", notice_id=notice_of(stranger))

    # Peer supporter profiles: the peer's own; the seeker's own supporter's; someone else's.
    world.add("supporter_profile", "peer_supporter", "own", profile_id=own_profile.pk)
    world.add("supporter_profile", "help_seeker", "assigned", profile_id=own_profile.pk)
    for role in ROLES:
        world.add("supporter_profile", role, "unrelated", profile_id=far_profile.pk)

    _directory(world)
    return world


_HSDS_IDS = {
    "services": "service_id",
    "service_at_locations": "link_id",
    "organizations": "organization_id",
    "taxonomies": "taxonomy_id",
    "taxonomy_terms": "term_id",
}


def route_values(world: World, pattern: str, key: str) -> dict[str, Any]:
    """Values for the parameters of a route that names no person's record."""
    values: dict[str, Any] = {"uidb64": "MQ", "token": "set-password", "rest": "no-such-table"}
    values["code"] = "phq9" if "/instruments/" in pattern else "US"
    table = pattern.removeprefix("/hsds/").split("/")[0]
    if table in _HSDS_IDS:
        values["id"] = world.values[_HSDS_IDS[table]]
    if pattern.startswith("/admin/"):
        values.update(_admin_values(world, key))
    return values


def _admin_values(world: World, key: str) -> dict[str, Any]:
    """The admin's record pages open the first record of their model (or a missing one, "0")."""
    from django.contrib import admin
    from django.contrib.contenttypes.models import ContentType

    seeker = world.actors["help_seeker"]
    assert seeker is not None
    found: dict[str, Any] = {
        "id": seeker.pk,
        "content_type_id": ContentType.objects.get_for_model(User).pk,
        "app_label": "directory",
        "url": "no-such-page/",
        "object_id": seeker.pk,
        "pk": "0",
    }
    for model in admin.site._registry:
        meta = model._meta
        if key.startswith(
            (f"admin:{meta.app_label}_{meta.model_name}_", f"admin/{meta.app_label}/{meta.model_name}/")
        ):
            first = model.objects.order_by("pk").first()
            found["object_id"] = first.pk if first is not None else "0"
    return found
