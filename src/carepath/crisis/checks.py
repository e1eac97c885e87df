"""Start-up checks: the crisis registry parses and the configured region exists."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

from carepath.crisis.selectors import crisis_registry
from carepath_core.errors import DomainError


@register()
def crisis_registry_is_sound(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    try:
        registry = crisis_registry()
    except DomainError as problem:
        return [Error(f"The crisis resources file is invalid: {problem}", id="carepath.E001")]
    if settings.CAREPATH_REGION not in registry.codes:
        return [
            Error(
                f"CAREPATH_REGION '{settings.CAREPATH_REGION}' has no crisis resources.",
                hint="Use one of: " + ", ".join(registry.codes),
                id="carepath.E002",
            )
        ]
    return []
