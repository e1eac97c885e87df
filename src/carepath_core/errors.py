"""The root error of the domain layer and its subclasses.

Edges (views, the API, commands) map these to pages, JSON and exit codes.
"""

from __future__ import annotations


class DomainError(Exception):
    """Anything the domain refuses; the message is safe to show to a person."""


class InvalidData(DomainError):
    """Input that breaks a rule of the domain; names the field and the problem."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


class UnknownRegion(DomainError):
    """A crisis region code that the registry does not know."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(f"region: no crisis resources are known for '{code}'")
