"""A service's confidentiality policy and its limits, read from the directory for the supporter a
person is about to ask for contact (docs/sharing.md, "Confidentiality before contact").

The words come from the Carepath HSDS profile fields `confidentiality_policy` and
`confidentiality_limits` of the service the supporter's profile links; without a linked service, or
when the listing publishes neither, the page says plainly that none is published.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model
from django.utils.translation import gettext

from carepath.directory.models import Service
from carepath.directory.selectors.search_cards import CONFIDENTIALITY_LIMIT_LABELS
from carepath.matching.models import PeerSupporterProfile, ProfessionalProfile
from carepath.referrals.models import KindChoices
from carepath_core.referrals import SupportKind
from carepath_core.roles import Role


@dataclass(frozen=True)
class ConfidentialityNotice:
    service_name: str  # empty: the supporter's profile links no service
    organisation_name: str
    policy: str
    limits: tuple[str, ...]  # in words, in the order the profile lists them

    @property
    def published(self) -> bool:
        return bool(self.policy or self.limits)


@dataclass(frozen=True)
class AskTarget:
    """Who the person is about to ask, and what they should read first."""

    kind: str
    kind_label: str
    profile_id: int
    name: str
    own_statement: str  # a peer supporter's own confidentiality statement, if they wrote one
    notice: ConfidentialityNotice


NO_SERVICE = ConfidentialityNotice(service_name="", organisation_name="", policy="", limits=())


def notice_of_service(service: Service | None, *, with_organisation: bool = True) -> ConfidentialityNotice:
    """`with_organisation=False` where the service was read without its organisation (one query fewer
    per listing)."""
    if service is None:
        return NO_SERVICE
    organisation = None
    if with_organisation and service.organization_id:
        try:
            organisation = service.organization
        except ObjectDoesNotExist:  # directory links have no database constraint
            organisation = None
    return ConfidentialityNotice(
        service_name=service.name,
        organisation_name=organisation.name if organisation is not None else "",
        policy=(service.confidentiality_policy or "").strip(),
        limits=tuple(
            gettext(CONFIDENTIALITY_LIMIT_LABELS.get(code, code))
            for code in service.confidentiality_limits or ()
        ),
    )


def ask_target(kind: object, profile_id: object) -> AskTarget | None:
    """The supporter a person may ask, by profile id, with the notice to read; None when no
    supporter of that kind is taking requests under that id (the page answers 404)."""
    wanted = str(profile_id if profile_id is not None else "").strip()
    if not isinstance(kind, str) or kind not in (SupportKind.PEER.value, SupportKind.PROFESSIONAL.value):
        return None
    if not wanted.isdigit():
        return None
    profile = _taking_part(kind, int(wanted))
    if profile is None:
        return None
    return AskTarget(
        kind=kind,
        kind_label=str(KindChoices(kind).label),
        profile_id=profile.pk,
        name=profile.user.shown_name,
        own_statement=(getattr(profile, "confidentiality_statement", "") or "").strip(),
        notice=notice_of_service(profile.service),
    )


def _taking_part(kind: str, profile_id: int) -> Any:
    model: type[Model] = PeerSupporterProfile if kind == SupportKind.PEER.value else ProfessionalProfile
    role = Role.PEER_SUPPORTER if kind == SupportKind.PEER.value else Role.PROFESSIONAL
    return (
        model._default_manager.filter(pk=profile_id, active=True, user__is_active=True, user__role=role.value)
        .select_related("user", "service__organization")
        .first()
    )


def notices_of_peer_profiles(profile_ids: list[str]) -> dict[str, ConfidentialityNotice]:
    """The notice for each suggested peer supporter on a page of suggestions, in one query."""
    wanted = [int(pk) for pk in profile_ids if str(pk).isdigit()]
    found = PeerSupporterProfile.objects.filter(pk__in=wanted).select_related("service__organization")
    return {str(profile.pk): notice_of_service(profile.service) for profile in found}


def notices_of_professional_profiles(profile_ids: list[int]) -> dict[int, ConfidentialityNotice]:
    found = ProfessionalProfile.objects.filter(pk__in=profile_ids).select_related("service__organization")
    return {profile.pk: notice_of_service(profile.service) for profile in found}
