"""A JSON Schema compiled into a yes-or-no check, for the many records that are valid.

`jsonschema` explains every error, which is what an import shows; it is also slow, walking each
keyword through generic machinery for every value. `compile_verdict` turns a schema into nested
Python closures that only answer "valid or not", for the validation keywords the HSDS schemas use:
`type`, `properties`, `required`, `items`, `enum` (of text), `format` (checked by jsonschema's own
format checker) and `$ref` (resolved through the same registry). Callers validate with jsonschema
whatever the verdict refuses, so the errors and their messages stay jsonschema's.

A schema using any other validation keyword of the dialect, `$id` inside a resource, or an `enum`
holding other than text cannot be compiled (`Uncompilable`); the caller then keeps jsonschema
alone. `tests/unit/test_json_schema_verdict.py` checks that the verdicts equal jsonschema's.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable, Mapping
from typing import Any

from jsonschema import FormatChecker
from jsonschema.exceptions import UnknownType
from jsonschema.protocols import Validator
from referencing import Registry

Resolver = Any  # referencing's resolver (not exported by the package)

Check = Callable[[Any], bool]
COMPILED_KEYWORDS = frozenset({"type", "properties", "required", "items", "enum", "format", "$ref"})


class Uncompilable(Exception):
    """The schema uses something the compiler does not handle; validate with jsonschema alone."""


def compile_verdict(
    schema: Mapping[str, Any] | bool,
    *,
    validator_class: type[Validator],
    registry: Registry[Any] | None = None,
    format_checker: FormatChecker | None = None,
) -> Check:
    """Whether an instance is valid, as `validator_class(schema, registry=…, format_checker=…)` says."""
    compiler = _Compiler(validator_class, format_checker)
    return compiler.compile(schema, (registry or Registry()).resolver())


def _always(_instance: Any) -> bool:
    return True


def _is_number(instance: Any) -> bool:
    return isinstance(instance, numbers.Number) and not isinstance(instance, bool)


_TYPES: dict[str, Check] = {
    "string": lambda instance: isinstance(instance, str),
    "object": lambda instance: isinstance(instance, dict),
    "array": lambda instance: isinstance(instance, list),
    "boolean": lambda instance: isinstance(instance, bool),
    "null": lambda instance: instance is None,
    "number": _is_number,
}


class _Compiler:
    def __init__(self, validator_class: type[Validator], format_checker: FormatChecker | None) -> None:
        self.keywords = frozenset(validator_class.VALIDATORS)
        self.type_checker = validator_class.TYPE_CHECKER
        self.format_checker = format_checker
        # id(schema) -> (schema, compiled check or None while being compiled), for $ref cycles.
        self.compiled: dict[int, tuple[Any, Check | None]] = {}

    def compile(self, schema: Mapping[str, Any] | bool, resolver: Resolver) -> Check:
        if schema is True:
            return _always
        if schema is False:
            return lambda _instance: False
        if not isinstance(schema, Mapping):
            raise Uncompilable(f"not a schema: {schema!r}")
        known = self.compiled.get(id(schema))
        if known is not None:
            _schema, check = known
            return check if check is not None else self._late(schema)
        self.compiled[id(schema)] = (schema, None)
        checks = [self._keyword(keyword, value, schema, resolver) for keyword, value in schema.items()]
        check = _all_of([check for check in checks if check is not _always])
        self.compiled[id(schema)] = (schema, check)
        return check

    def _late(self, schema: Mapping[str, Any]) -> Check:
        """A check for a schema still being compiled (a $ref cycle): looked up when first used."""

        def check(instance: Any) -> bool:
            found = self.compiled[id(schema)][1]
            assert found is not None  # nosec B101 # type narrowing: compiled by the time anything is validated
            return found(instance)

        return check

    def _keyword(self, keyword: str, value: Any, schema: Mapping[str, Any], resolver: Resolver) -> Check:
        if keyword == "$id":
            raise Uncompilable("$id inside a resource")
        if keyword not in self.keywords:
            return _always  # an annotation or an unknown keyword: jsonschema ignores it too
        if keyword not in COMPILED_KEYWORDS:
            raise Uncompilable(f"keyword {keyword}")
        if keyword == "$ref":
            resolved = resolver.lookup(value)
            return self.compile(resolved.contents, resolved.resolver)
        if keyword == "properties":
            return self._properties(value, resolver)
        if keyword == "items":
            return _items(self.compile(value, resolver))
        compilers: dict[str, Callable[[Any], Check]] = {
            "type": self._type,
            "required": _required,
            "enum": _enum,
            "format": self._format,
        }
        return compilers[keyword](value)

    def _type(self, names: str | list[str]) -> Check:
        wanted = [names] if isinstance(names, str) else list(names)
        checks = [_TYPES.get(name) or self._checker_type(name) for name in wanted]
        if len(checks) == 1:
            return checks[0]
        return lambda instance: any(check(instance) for check in checks)

    def _checker_type(self, name: str) -> Check:
        is_type = self.type_checker.is_type
        try:
            is_type(None, name)
        except UnknownType:
            raise Uncompilable(f"type {name}") from None
        return lambda instance: bool(is_type(instance, name))

    def _properties(self, properties: Mapping[str, Any], resolver: Resolver) -> Check:
        """Checks each property present; the commonest shapes (any text, a UUID) inline, for speed.

        One lookup per property present: its check, or `_is_text` for any text (tested inline)."""
        plan: dict[str, Check] = {}
        for name, sub in properties.items():
            check = self.compile(sub, resolver)
            shape = self._text_shape(sub)
            if shape == "":
                plan[name] = _is_text
            elif shape is not None and shape in SURELY_CONFORMING:
                plan[name] = _usually(SURELY_CONFORMING[shape].match, check)
            elif check is not _always:
                plan[name] = check
        if not plan:
            return _always
        get = plan.get

        def check_properties(instance: Any) -> bool:
            if isinstance(instance, dict):
                for name, value in instance.items():
                    property_check = get(name)
                    if property_check is None:
                        continue
                    if property_check is _is_text:
                        if not isinstance(value, str):
                            return False
                    elif not property_check(value):
                        return False
            return True

        return check_properties

    def _text_shape(self, schema: Any) -> str | None:
        """ "" for a schema asking for text of any form, the format's name for text of a format; else None."""
        if not isinstance(schema, Mapping):
            return None
        keywords = {keyword: value for keyword, value in schema.items() if keyword in self.keywords}
        if keywords.get("type") != "string" or set(keywords) - {"type", "format"}:
            return None
        checked = self.format_checker is not None and keywords.get("format") in self.format_checker.checkers
        return str(keywords["format"]) if checked else ""

    def _format(self, name: str) -> Check:
        if self.format_checker is None or name not in self.format_checker.checkers:
            return _always  # jsonschema checks only the formats its checker knows, if it has one
        conforms = self.format_checker.conforms
        surely = SURELY_CONFORMING.get(name)
        if surely is None:
            return lambda instance: conforms(instance, name)
        match = surely.match
        # Most values have the usual form, which passes the format's check: skip that check for them.
        return lambda instance: (
            (isinstance(instance, str) and match(instance) is not None) or conforms(instance, name)
        )


# Text of these forms conforms to the format, by jsonschema's own check (the tests try it).
SURELY_CONFORMING = {
    # jsonschema: uuid.UUID(text) succeeds and the hyphens are at 8, 13, 18 and 23.
    "uuid": re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z"),
}


def _is_text(instance: Any) -> bool:
    return isinstance(instance, str)


def _usually(match: Callable[[str], Any], full_check: Check) -> Check:
    """Text of the usual form passes at once; anything else takes the full check."""
    return lambda value: (isinstance(value, str) and match(value) is not None) or full_check(value)


def _all_of(checks: list[Check]) -> Check:
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda instance: first(instance) and second(instance)

    def check(instance: Any) -> bool:
        for each in checks:  # noqa: SIM110  (a loop is faster than all() over a generator here)
            if not each(instance):
                return False
        return True

    return check


def _required(names: list[str]) -> Check:
    wanted = tuple(names)

    def check(instance: Any) -> bool:
        if isinstance(instance, dict):
            for name in wanted:
                if name not in instance:
                    return False
        return True

    return check


def _items(item_check: Check) -> Check:
    if item_check is _always:
        return _always

    def check(instance: Any) -> bool:
        if isinstance(instance, list):
            for item in instance:
                if not item_check(item):
                    return False
        return True

    return check


def _enum(values: list[Any]) -> Check:
    if not all(isinstance(value, str) for value in values):
        raise Uncompilable("enum of other than text")
    allowed = frozenset(values)
    # jsonschema's equality compares text with text only, as `in` on a set of text does.
    return lambda instance: isinstance(instance, str) and instance in allowed
