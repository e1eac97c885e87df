"""Crisis resources: the registry shipped as data, parsed and checked here."""

from carepath_core.crisis.registry import (
    FALLBACK_REGION,
    ContactMethod,
    CrisisContact,
    CrisisRegion,
    CrisisRegistry,
    CrisisResource,
    EmergencyNumber,
    Verification,
    parse_registry,
)

__all__ = [
    "FALLBACK_REGION",
    "ContactMethod",
    "CrisisContact",
    "CrisisRegion",
    "CrisisRegistry",
    "CrisisResource",
    "EmergencyNumber",
    "Verification",
    "parse_registry",
]
