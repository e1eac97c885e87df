"""Writing matching data: profiles and wishes (`profiles`). The batch assignment (`assignment`)
stores nothing, but runs here so the coordinators' page and `carepath assign` share it."""

from carepath.matching.services.profiles import (
    save_matching_wishes,
    save_professional_profile,
    save_supporter_profile,
)

__all__ = ["save_matching_wishes", "save_professional_profile", "save_supporter_profile"]
