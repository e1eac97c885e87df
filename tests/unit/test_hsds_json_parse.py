"""`hsds_json.parse_json` reads a document as the standard parser with exact decimals reads it.

orjson parses the usual document; numbers come through the value readers as the same decimals, and a
document orjson cannot read exactly (a longer number, NaN, a lone surrogate, a syntax error) goes
through the standard parser, whose answer, or error, is the one the import reports.
"""

from __future__ import annotations

import codecs
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carepath.interop.hsds_json import parse_json, read_json_file
from carepath.interop.hsds_tables import TABLES
from carepath.interop.hsds_values import read_value


def _exact(text: str) -> Any:
    return json.loads(text, parse_float=Decimal)


def _read_numbers(document: Any) -> Any:
    """The stored values of the numbers a document holds, as the readers make them (a coordinate)."""
    if isinstance(document, dict):
        return {key: _read_numbers(value) for key, value in document.items()}
    if isinstance(document, list):
        return [_read_numbers(value) for value in document]
    if isinstance(document, (int, float, Decimal)) and not isinstance(document, bool):
        return read_value(TABLES["location"], "latitude", document)
    return document


numbers = st.decimals(allow_nan=False, allow_infinity=False, places=6, min_value=-(10**8), max_value=10**8)


@given(st.lists(numbers, min_size=1, max_size=20))
def test_numbers_of_up_to_15_digits_read_as_the_exact_parser_reads_them(values: list[Decimal]) -> None:
    text = "[" + ", ".join(f"{value:f}" for value in values) + "]"

    assert _read_numbers(parse_json(text.encode())) == _read_numbers(_exact(text))


def test_other_forms_of_numbers_read_as_the_exact_parser_reads_them() -> None:
    text = '[1.10, 5e0, -0.0, 1E+2, 0, "text", true, null, {"a": [2.5]}]'
    assert _read_numbers(parse_json(text.encode())) == _read_numbers(_exact(text))


@pytest.mark.parametrize(
    "text",
    [
        '{"latitude": 51.12345678901234567, "n": 12345678901234567890123}',  # beyond a double
        '{"amount": 0.1000000000000000055511151231257827}',
        '{"a": NaN, "b": "x"}',  # the standard parser takes NaN (the reader then refuses the value)
        '{"name": "\\ud800"}',  # a lone surrogate
    ],
)
def test_what_orjson_cannot_read_exactly_goes_to_the_standard_parser(text: str) -> None:
    assert repr(parse_json(text.encode())) == repr(_exact(text))


def test_long_numbers_keep_every_digit() -> None:
    parsed = parse_json(b'{"latitude": 51.12345678901234567, "n": 12345678901234567890123}')
    assert parsed == {"latitude": Decimal("51.12345678901234567"), "n": 12345678901234567890123}


def test_a_byte_order_mark_is_skipped() -> None:
    assert parse_json(codecs.BOM_UTF8 + b'{"id": "a"}') == {"id": "a"}


def test_a_syntax_error_is_reported_where_the_standard_parser_reports_it(tmp_path: Path) -> None:
    path = tmp_path / "services.json"
    path.write_text('[{"id": "a",\n  "name": }]', encoding="utf-8")
    with pytest.raises(json.JSONDecodeError) as standard:
        json.loads(path.read_text())

    batch = read_json_file(path)

    (problem,) = batch.problems
    assert problem.where == f"line {standard.value.lineno} column {standard.value.colno}"
    assert problem.problem == f"is not valid JSON: {standard.value.msg}"


def test_text_that_is_not_utf_8_cannot_be_read(tmp_path: Path) -> None:
    path = tmp_path / "services.json"
    path.write_bytes(b'[{"id": "\xff"}]')

    (problem,) = read_json_file(path).problems

    assert "cannot be read" in problem.problem
