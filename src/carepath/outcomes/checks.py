"""Start-up check: the outcome definitions parse against the instrument definitions."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register

from carepath.outcomes.selectors import jacobson_truax_method, talking_therapies_rules
from carepath_core.errors import DomainError


@register()
def outcome_definitions_are_sound(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    try:
        talking_therapies_rules()
        jacobson_truax_method()
    except DomainError as problem:
        return [Error(f"An outcome definition is invalid: {problem}", id="carepath.E030")]
    return []
