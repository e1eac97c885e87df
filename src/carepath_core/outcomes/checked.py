"""Checking the numbers that outcome definitions are given, with errors that name the field.

Outcome figures are published and compared between programmes, so a wrong input must be refused,
never quietly coerced: `True` is not 1, `"7"` is not 7, and 9.5 is not a questionnaire total.
"""

from __future__ import annotations

import math

from carepath_core.errors import InvalidData


def whole_number(value: object, field: str) -> int:
    # bool is an int in Python, so JSON `true` would otherwise pass as 1: refuse it explicitly.
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidData(field, "must be a whole number")
    return value


def whole_number_between(value: object, field: str, low: int, high: int) -> int:
    number = whole_number(value, field)
    if not low <= number <= high:
        raise InvalidData(field, f"must be between {low} and {high}")
    return number


def count(value: object, field: str) -> int:
    """A number of people or sessions: a whole number, zero or more."""
    number = whole_number(value, field)
    if number < 0:
        raise InvalidData(field, "must not be negative")
    return number


def real_number(value: object, field: str) -> float:
    # Infinity and NaN would turn every later comparison into nonsense without raising.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidData(field, "must be a number")
    number = float(value)
    if not math.isfinite(number):
        raise InvalidData(field, "must be a finite number")
    return number


def positive_number(value: object, field: str) -> float:
    number = real_number(value, field)
    if number <= 0:
        raise InvalidData(field, "must be greater than 0")
    return number


def open_unit_interval(value: object, field: str) -> float:
    """A reliability coefficient: 0 would mean pure noise, 1 a perfect test with no error at all."""
    number = real_number(value, field)
    if not 0 < number < 1:
        raise InvalidData(field, "must be greater than 0 and less than 1")
    return number


def true_or_false(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidData(field, "must be true or false")
    return value
