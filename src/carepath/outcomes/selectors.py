"""Reading the outcome definitions (shipped data) once per process."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from carepath.screening.selectors import instrument_registry
from carepath_core.outcomes import (
    JacobsonTruaxMethod,
    TalkingTherapiesRules,
    parse_jacobson_truax,
    parse_talking_therapies,
)


@cache
def talking_therapies_rules() -> TalkingTherapiesRules:
    # Cut-offs and reliable-change sizes come from the same instrument registry the screening
    # pages use, so a check-in and an outcome report can never disagree about them.
    return parse_talking_therapies(_definition("talking_therapies.json"), instrument_registry())


@cache
def jacobson_truax_method() -> JacobsonTruaxMethod:
    return parse_jacobson_truax(_definition("jacobson_truax.json"))


def _definition(name: str) -> Any:
    folder = resources.files("carepath_core.outcomes").joinpath("definitions")
    return json.loads(folder.joinpath(name).read_text(encoding="utf-8"))
