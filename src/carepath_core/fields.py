"""Reading fields out of decoded JSON documents, with errors that name the field.

Shared by every parser of shipped data (crisis lines, instruments): each reader checks one
field and raises InvalidData("path.to.field", "problem") when it is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from carepath_core.errors import InvalidData


def at(where: str, key: str) -> str:
    """The dotted path of `key` inside `where` (the document root is "")."""
    return f"{where}.{key}" if where else key


def require(condition: bool, field: str, problem: str) -> None:
    if not condition:
        raise InvalidData(field, problem)


def require_unique(values: Sequence[str], field: str, what: str) -> None:
    seen: set[str] = set()
    for value in values:
        require(value not in seen, field, f"{what} '{value}' appears twice")
        seen.add(value)


def mapping(raw: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise InvalidData(where, "must be an object")
    return raw


def text(raw: Mapping[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    require(isinstance(value, str) and value.strip() != "", at(where, key), "is required text")
    return str(value)


def optional_text(raw: Mapping[str, Any], key: str, where: str) -> str:
    value = raw.get(key, "")
    require(value is None or isinstance(value, str), at(where, key), "must be text")
    return str(value or "")


def listing(raw: Mapping[str, Any], key: str, where: str) -> Sequence[Any]:
    value = raw.get(key)
    if not isinstance(value, list):
        raise InvalidData(at(where, key), "must be a list")
    return list(value)


def integer(raw: Mapping[str, Any], key: str, where: str) -> int:
    value = raw.get(key)
    # bool is an int in Python; a definition saying `true` for a number is a mistake.
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidData(at(where, key), "must be a whole number")
    return value


def optional_integer(raw: Mapping[str, Any], key: str, where: str) -> int | None:
    return None if raw.get(key) is None else integer(raw, key, where)


def boolean(raw: Mapping[str, Any], key: str, where: str) -> bool:
    value = raw.get(key)
    require(isinstance(value, bool), at(where, key), "must be true or false")
    return bool(value)


def choice(raw: Mapping[str, Any], key: str, where: str, allowed: Sequence[str]) -> str:
    value = text(raw, key, where)
    require(value in allowed, at(where, key), f"'{value}' is not one of {', '.join(allowed)}")
    return value
