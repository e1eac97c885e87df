"""What a person currently shares, and with whom they could share.

`granted_scopes` is the one question the policy asks on every shared read: it reads the current
rows in one query each time, with no cache, so a withdrawal holds from the very next request.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, Q
from django.utils.translation import gettext_lazy as _

from carepath.matching.models import PeerSupporterProfile, ProfessionalProfile
from carepath.referrals.models import OPEN, Referral
from carepath.sharing.models import SharingChoice
from carepath.sharing.recipients import RecipientKey, RecipientKind
from carepath.sharing.scopes import Scope
from carepath_core.referrals import Status, SupportKind

_PROFILES: dict[str, type[PeerSupporterProfile] | type[ProfessionalProfile]] = {
    SupportKind.PEER.value: PeerSupporterProfile,
    SupportKind.PROFESSIONAL.value: ProfessionalProfile,
}
_SCOPE_FIELDS = [scope.value for scope in Scope]


def granted_scopes(*, person_id: Any, supporter_id: Any, kind: str) -> frozenset[Scope]:
    """What the person shares now with this supporter, through an active relationship of `kind`:
    their own grant, together with the grant to the organisation of the service their profile links.
    Empty without an active relationship, whatever the rows say."""
    active = Referral.objects.filter(
        person_id=person_id, supporter_id=supporter_id, kind=kind, status=Status.ACTIVE.value
    )
    rows = (
        SharingChoice.objects.filter(person_id=person_id)
        .filter(Exists(active))
        .filter(Q(recipient_account_id=supporter_id) | _organisation_of(kind, supporter_id))
        .values_list(*_SCOPE_FIELDS)
    )
    granted: set[Scope] = set()
    for flags in rows:
        granted |= {scope for scope, on in zip(Scope, flags, strict=True) if on}
    return frozenset(granted)


def _organisation_of(kind: str, supporter_id: Any) -> Q:
    linked = _PROFILES[kind].objects.filter(user_id=supporter_id, service__isnull=False)
    return Q(recipient_organization_id__in=linked.values("service__organization_id"))


@dataclass(frozen=True)
class Recipient:
    """One line of the person's "Who can see what" page."""

    key: RecipientKey
    name: str
    description: str
    connected: bool  # in an open relationship with the person now (or, for an organisation, a member is)
    active: bool  # sharing works only while a relationship is active
    scopes: frozenset[Scope] = frozenset()
    changed_at: dt.datetime | None = None
    members: tuple[str, ...] = field(default_factory=tuple)

    @property
    def kind(self) -> str:
        return self.key.kind.value


def recipients_of(person: Any) -> list[Recipient]:
    """Everyone the person is in touch with through Carepath, each of their organisations, and
    anyone else a choice still names with something shared (so it can be withdrawn)."""
    referrals = list(
        Referral.objects.filter(person_id=person.pk, status__in=OPEN)
        .select_related("supporter")
        .order_by("created_at", "id")
    )
    rows = {key_of(row): row for row in _choices_of(person)}
    found = [_account_line(r, rows.get(RecipientKey.account(r.supporter_id))) for r in referrals]
    found += _organisation_lines(referrals, rows)
    shown = {line.key for line in found}
    for key, row in rows.items():
        if key not in shown and row.scopes:
            found.append(_earlier_line(key, row))
    return found


def connected_keys(person: Any) -> set[RecipientKey]:
    """Recipients the person may grant to: accounts and organisations of their open relationships."""
    return {line.key for line in recipients_of(person) if line.connected}


def _choices_of(person: Any) -> Any:
    return SharingChoice.objects.filter(person_id=person.pk).select_related(
        "recipient_account", "recipient_organization"
    )


def recipient_filter(key: RecipientKey) -> dict[str, Any]:
    if key.kind is RecipientKind.ACCOUNT:
        return {"recipient_account_id": int(key.id)}
    return {"recipient_organization_id": key.id}


def key_of(row: SharingChoice) -> RecipientKey:
    if row.recipient_account_id is not None:
        return RecipientKey.account(row.recipient_account_id)
    return RecipientKey.organisation(row.recipient_organization_id)


def _account_line(referral: Referral, row: SharingChoice | None) -> Recipient:
    is_active = referral.status == Status.ACTIVE.value
    role = _("Peer supporter") if referral.kind == SupportKind.PEER.value else _("Professional")
    state = _("supporting you now") if is_active else _("has not answered your request yet")
    return Recipient(
        key=RecipientKey.account(referral.supporter_id),
        name=referral.supporter.shown_name,
        description=f"{role}, {state}",
        connected=True,
        active=is_active,
        scopes=row.scopes if row else frozenset(),
        changed_at=row.changed_at if row else None,
    )


def _organisation_lines(
    referrals: list[Referral], rows: dict[RecipientKey, SharingChoice]
) -> list[Recipient]:
    members: dict[str, list[tuple[str, bool]]] = {}
    names: dict[str, str] = {}
    for kind, model in _PROFILES.items():
        by_user = {r.supporter_id: r for r in referrals if r.kind == kind}
        linked = model.objects.filter(user_id__in=by_user, service__organization__isnull=False).values_list(
            "user_id", "service__organization_id", "service__organization__name"
        )
        for user_id, org_id, org_name in linked:
            referral = by_user[user_id]
            members.setdefault(org_id, []).append(
                (referral.supporter.shown_name, referral.status == Status.ACTIVE.value)
            )
            names[org_id] = org_name
    lines = []
    for org_id in sorted(members, key=lambda o: (names[o].lower(), o)):
        key, row = RecipientKey.organisation(org_id), rows.get(RecipientKey.organisation(org_id))
        lines.append(
            Recipient(
                key=key,
                name=names[org_id] or str(_("An organisation without a name")),
                description=str(_("Organisation: everyone there who supports you")),
                connected=True,
                active=any(active for _name, active in members[org_id]),
                scopes=row.scopes if row else frozenset(),
                changed_at=row.changed_at if row else None,
                members=tuple(sorted(name for name, _active in members[org_id])),
            )
        )
    return lines


def _earlier_line(key: RecipientKey, row: SharingChoice) -> Recipient:
    if key.kind is RecipientKind.ACCOUNT:
        name = row.recipient_account.shown_name if row.recipient_account else str(_("A former supporter"))
    else:
        org = row.recipient_organization
        name = org.name if org is not None else str(_("An organisation no longer listed"))
    return Recipient(
        key=key,
        name=name,
        description=str(
            _("Not in touch with you now, so nothing is shared. If you are again, this applies again.")
        ),
        connected=False,
        active=False,
        scopes=row.scopes,
        changed_at=row.changed_at,
    )
