"""Template tags: a service's confidentiality notice beside every "ask for contact" button.

(Which scopes a person shares with a supporter is not a tag: telling the supporter is a read of the
person's consent, recorded by `sharing.services.scopes_shared_with` from the page's view.)"""

from __future__ import annotations

from typing import Any

from django import template

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
