"""Errors of the screening adapter."""

from __future__ import annotations

from carepath.errors import ApplicationError


class UnknownInstrument(ApplicationError):
    def __init__(self, code: str, known: tuple[str, ...]) -> None:
        self.code = code
        super().__init__(f"instrument: '{code}' is not a known questionnaire (known: {', '.join(known)})")
