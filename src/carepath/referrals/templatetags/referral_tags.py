"""Template tags the matches page uses to offer 'Ask to get in touch' on each suggestion."""

from __future__ import annotations

from typing import Any

from django import template

from carepath import policy
from carepath.referrals.selectors import asked_peer_profile_ids, status_counts

register = template.Library()


@register.simple_tag(takes_context=True)
def asked_peer_supporters(context: Any) -> set[str]:
    """Ids of the suggested supporters this person already asked (one query for the whole page)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not policy.can_ask_for_contact(user):
        return set()
    return asked_peer_profile_ids(user)


@register.simple_tag(takes_context=True)
def support_counts(context: Any) -> dict[str, int]:
    """Referrals by status for the signed-in account: as supporter, or as the person who asked."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not policy.can_have_notifications(user):
        return {}
    return status_counts(user, as_supporter=policy.can_support_people(user))
