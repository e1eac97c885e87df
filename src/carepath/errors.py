"""The root error of the application layer (services and selectors).

Domain errors come from `carepath_core.errors`; both are mapped to pages and JSON at the edges.
"""

from __future__ import annotations


class ApplicationError(Exception):
    """A request the application refuses; the message is safe to show to the person."""


class NotPermitted(ApplicationError):
    """The actor may not do this. Edges show it as 404 for objects, so existence is not leaked."""


class FieldProblem(ApplicationError):
    """Input that cannot be stored; names the field and the problem."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")
