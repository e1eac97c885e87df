"""Reading profiles and wishes, and turning rows into the matching core's `Supporter` and `Seeker`.

A supporter's id in matching is their profile's id (as text): it is what suggestions return and
what a person's exclusions name, and it says nothing about the account behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from carepath.matching.models import MatchingWishes, PeerSupporterProfile, ProfessionalProfile
from carepath.referrals.models import OPEN, Referral
from carepath_core.matching import Modality, Seeker, Supporter, WeeklyWindow
from carepath_core.matching.profiles import DEFAULT_MAX_DISTANCE_KM
from carepath_core.referrals import SupportKind
from carepath_core.roles import Role
from carepath_core.search.geo import Point


def supporter_profile_of(user: Any) -> PeerSupporterProfile | None:
    return PeerSupporterProfile.objects.filter(user_id=user.pk).select_related("service").first()


def supporter_profile_by_id(profile_id: int) -> PeerSupporterProfile | None:
    return PeerSupporterProfile.objects.filter(pk=profile_id).select_related("user", "service").first()


def professional_profile_of(user: Any) -> ProfessionalProfile | None:
    return ProfessionalProfile.objects.filter(user_id=user.pk).first()


def wishes_of(person: Any) -> MatchingWishes | None:
    return MatchingWishes.objects.filter(person_id=person.pk).first()


def supporter_ids() -> set[str]:
    """Every supporter profile's id, active or not: a person may exclude someone on a break."""
    return {str(pk) for pk in PeerSupporterProfile.objects.values_list("pk", flat=True)}


def active_supporter_profiles() -> QuerySet[PeerSupporterProfile]:
    """Profiles open to matching: switched on, and the account still a working peer supporter."""
    return PeerSupporterProfile.objects.filter(
        active=True, user__is_active=True, user__role=Role.PEER_SUPPORTER.value
    ).select_related("user")


def supporter_profiles_by_id(ids: list[str]) -> dict[str, PeerSupporterProfile]:
    found = PeerSupporterProfile.objects.filter(pk__in=[int(i) for i in ids]).select_related("user")
    return {str(profile.pk): profile for profile in found}


def active_supporters() -> list[Supporter]:
    return [as_supporter(profile) for profile in active_supporter_profiles().order_by("pk")]


def as_supporter(profile: PeerSupporterProfile) -> Supporter:
    return Supporter(
        id=str(profile.pk),
        languages=tuple(profile.languages),
        # A load above a lowered capacity counts as full rather than breaking the core's rule.
        capacity=profile.capacity,
        current_load=min(profile.current_load, profile.capacity),
        topics=frozenset(profile.topics),
        availability=_windows(profile.availability),
        modalities=frozenset(Modality(way) for way in profile.modalities),
        location=_point(profile.latitude, profile.longitude),
        experience=profile.experience,
    )


def as_seeker(wishes: MatchingWishes) -> Seeker:
    return Seeker(
        id=f"person-{wishes.person_id}",
        languages=tuple(wishes.languages),
        topics=frozenset(wishes.topics),
        availability=_windows(wishes.availability),
        modalities=frozenset(Modality(way) for way in wishes.modalities),
        location=_point(wishes.latitude, wishes.longitude),
        max_distance_km=wishes.max_distance_km or DEFAULT_MAX_DISTANCE_KM,
        excluded_supporter_ids=frozenset(wishes.excluded_supporters),
        experience=wishes.experience,
        utc_offset_minutes=offset_minutes(wishes.utc_offset),
    )


def offset_minutes(offset: str) -> int:
    """Minutes east of UTC of an offset the profile reader already checked ("+01:00", "-05:30")."""
    sign = -1 if offset.startswith("-") else 1
    hours, _, minutes = offset.lstrip("+-").partition(":")
    return sign * (int(hours or 0) * 60 + int(minutes or 0))


def _windows(pairs: list[list[int]]) -> tuple[WeeklyWindow, ...]:
    return tuple(WeeklyWindow(start, end) for start, end in pairs)


def _point(latitude: float | None, longitude: float | None) -> Point | None:
    return None if latitude is None or longitude is None else Point(latitude, longitude)


@dataclass(frozen=True)
class StoredProgramme:
    """Everyone a batch assignment could place, as the matching core sees them, and their names."""

    seekers: tuple[Seeker, ...]
    supporters: tuple[Supporter, ...]
    names: dict[str, str]  # matching id (a person's or a supporter's) -> the name to show


def stored_programme() -> StoredProgramme:
    """People who saved wishes and have no open peer request or relationship yet, and the peer
    supporters taking part, with their places as stored (accepted requests already count)."""
    waiting = list(
        MatchingWishes.objects.filter(person__is_active=True, person__role=Role.HELP_SEEKER.value)
        .exclude(person__in=_people_with_open_peer_support())
        .select_related("person")
        .order_by("person_id")
    )
    profiles = list(active_supporter_profiles().order_by("pk"))
    seekers = tuple(as_seeker(wishes) for wishes in waiting)
    names = {seeker.id: wishes.person.shown_name for seeker, wishes in zip(seekers, waiting, strict=True)}
    names.update({str(profile.pk): profile.user.shown_name for profile in profiles})
    return StoredProgramme(seekers, tuple(as_supporter(profile) for profile in profiles), names)


def _people_with_open_peer_support() -> QuerySet[Referral, Any]:
    return Referral.objects.filter(kind=SupportKind.PEER.value, status__in=OPEN).values("person_id")
