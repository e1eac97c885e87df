"""The four roles a Carepath account can hold.

Relationships (who supports whom) are rows elsewhere, never role levels: a role says what
kind of user someone is, not how much they may see.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    HELP_SEEKER = "help_seeker"
    PEER_SUPPORTER = "peer_supporter"
    PROFESSIONAL = "professional"
    COORDINATOR = "coordinator"

    @property
    def is_staff_role(self) -> bool:
        """Roles that work with other people's records (and so need stronger sign-in later)."""
        return self in (Role.PROFESSIONAL, Role.COORDINATOR)


# Only help-seekers may create their own account; every other role is granted by a coordinator.
SELF_SERVICE_ROLES: frozenset[Role] = frozenset({Role.HELP_SEEKER})
