"""Template tags: a service's confidentiality notice beside every "ask for contact" button, and the
link from a supporter's referral page to what the person shares with them."""

from __future__ import annotations

from typing import Any

from django import template

from carepath import policy
from carepath.sharing.scopes import SCOPE_LABELS, Scope
from carepath.sharing.selectors.confidentiality import (
    ConfidentialityNotice,
    notice_of_service,
    notices_of_peer_profiles,
)

register = template.Library()


@register.simple_tag
def peer_confidentiality_notices(cards: Any) -> dict[str, ConfidentialityNotice]:
    """The notices of a page of suggested peer supporters, in one query."""
    return notices_of_peer_profiles([str(card.supporter) for card in cards or ()])


@register.simple_tag
def notice_for(notices: Any, profile_id: Any) -> ConfidentialityNotice:
    """From the page's notices when it read them all at once; otherwise read for this one card."""
    found = notices if isinstance(notices, dict) else notices_of_peer_profiles([str(profile_id)])
    return found.get(str(profile_id)) or notice_of_service(None)


@register.simple_tag
def confidentiality_of(service: Any) -> ConfidentialityNotice:
    """The notice of a service already read with its profile (no query of its own)."""
    return notice_of_service(service, with_organisation=False)


@register.simple_tag(takes_context=True)
def shared_with_viewer(context: Any, referral: Any) -> list[str]:
    """What the person in `referral` shares with the signed-in supporter now, by name; empty when
    nothing (so the page offers no link). Reading names of scopes is not reading the records."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not policy.can_open_shared_records(user, referral):
        return []
    return [str(SCOPE_LABELS[s]) for s in Scope if policy.can_see_shared(user, referral.person, s)]
