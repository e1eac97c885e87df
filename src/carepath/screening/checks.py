"""Start-up check: every instrument definition parses."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register

from carepath.screening.selectors import instrument_registry
from carepath_core.errors import DomainError


@register()
def instrument_definitions_are_sound(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    try:
        instrument_registry()
    except DomainError as problem:
        return [Error(f"An instrument definition is invalid: {problem}", id="carepath.E010")]
    return []
