"""Errors of the decision adapter."""

from __future__ import annotations

from carepath.errors import ApplicationError
from carepath_core.decision import RuleProblem


class RuleSetRefused(ApplicationError):
    """A rule file that breaks a required property; the active rules stay as they were."""

    def __init__(self, problems: tuple[RuleProblem, ...]) -> None:
        self.problems = problems
        super().__init__("The rule file was refused: " + "; ".join(str(p) for p in problems))
