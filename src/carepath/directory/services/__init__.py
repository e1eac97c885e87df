"""Changes to the directory."""

from __future__ import annotations

from django.db import transaction

from carepath.directory.models import Organization


def ensure_organization(*, name: str, description: str, website: str = "", email: str = "") -> Organization:
    """Create the organisation by name unless it exists (idempotent, for seed data)."""
    with transaction.atomic():
        organization, _created = Organization.objects.get_or_create(
            name=name, defaults={"description": description, "website": website, "email": email}
        )
    return organization
