"""Start-up check: the decision aid content parses and the default rules keep every property."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register

from carepath.decision.selectors import decision_aid, default_rules_document, score_scales
from carepath_core.decision import check_rule_set, parse_rule_set
from carepath_core.errors import DomainError


@register()
def decision_data_is_sound(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    try:
        decision_aid()
        problems = check_rule_set(parse_rule_set(default_rules_document()), score_scales())
    except DomainError as problem:
        return [Error(f"Decision aid data is invalid: {problem}", id="carepath.E020")]
    return [Error(f"Default rules break a property: {p}", id="carepath.E021") for p in problems]
