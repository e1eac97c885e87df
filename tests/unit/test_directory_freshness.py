"""When a listing was last checked, and when that makes it stale: either side of the threshold."""

from __future__ import annotations

import datetime as dt

import pytest

from carepath_core.directory_freshness import is_stale, last_checked, modified_date, oldest_fresh_date
from carepath_core.errors import InvalidData

TODAY = dt.date(2026, 6, 30)


def test_the_assured_date_wins_over_last_modified() -> None:
    assert last_checked(dt.date(2026, 1, 2), "2026-06-01T10:00:00Z") == dt.date(2026, 1, 2)


@pytest.mark.parametrize(
    ("last_modified", "expected"),
    [
        ("2026-06-01T10:00:00Z", dt.date(2026, 6, 1)),
        ("2026-06-01T23:30:00-05:00", dt.date(2026, 6, 1)),  # the date as written, in its own offset
        ("2026-06-01T00:30:00+14:00", dt.date(2026, 6, 1)),
        ("2026-06-01T10:00:00.123456Z", dt.date(2026, 6, 1)),
        ("2026-06-01t10:00:00z", dt.date(2026, 6, 1)),  # RFC 3339 allows lower case
        ("2026-06-01T10:00", dt.date(2026, 6, 1)),  # what the HSDS importer accepts
        ("2024-02-29T08:00:00Z", dt.date(2024, 2, 29)),
    ],
)
def test_without_an_assured_date_the_date_of_last_modified_counts(
    last_modified: str, expected: dt.date
) -> None:
    assert last_checked(None, last_modified) == expected


@pytest.mark.parametrize(
    "last_modified",
    [
        "",
        "   ",
        "2026-06-01",  # a date alone is not an RFC 3339 date-time
        "2025-02-29T10:00:00Z",  # no such day
        "2026-13-01T10:00:00Z",
        "2026-06-01T25:00:00Z",
        "2026-06-01T10:00:00+0100",  # RFC 3339 offsets have a colon
        "yesterday",
        "01/06/2026 10:00",
    ],
)
def test_an_empty_or_malformed_last_modified_means_unknown(last_modified: str) -> None:
    assert modified_date(last_modified) is None
    assert last_checked(None, last_modified) is None


def test_stale_only_after_more_than_the_allowed_days() -> None:
    assert oldest_fresh_date(TODAY, 180) == dt.date(2026, 1, 1)
    assert is_stale(dt.date(2026, 1, 2), TODAY, 180) is False  # 179 days ago
    assert is_stale(dt.date(2026, 1, 1), TODAY, 180) is False  # exactly 180 days ago
    assert is_stale(dt.date(2025, 12, 31), TODAY, 180) is True  # 181 days ago


def test_never_checked_is_stale_and_a_future_check_is_not() -> None:
    assert is_stale(None, TODAY, 180) is True
    assert is_stale(TODAY + dt.timedelta(days=3), TODAY, 180) is False


def test_checked_today_is_fresh_even_with_no_days_allowed() -> None:
    assert is_stale(TODAY, TODAY, 0) is False
    assert is_stale(TODAY - dt.timedelta(days=1), TODAY, 0) is True


def test_a_negative_age_is_refused_naming_the_parameter() -> None:
    with pytest.raises(InvalidData, match="max_age_days"):
        is_stale(TODAY, TODAY, -1)


@pytest.mark.parametrize("days_ago", [179, 180, 181])
def test_the_text_rule_the_database_uses_agrees_with_is_stale(days_ago: int) -> None:
    # selectors.listings compares last_modified text with the oldest fresh date's ISO text.
    checked = TODAY - dt.timedelta(days=days_ago)
    for text in (f"{checked.isoformat()}T00:00:00Z", f"{checked.isoformat()}T23:59:59-08:00"):
        text_says_stale = text < oldest_fresh_date(TODAY, 180).isoformat()
        assert text_says_stale is is_stale(last_checked(None, text), TODAY, 180)
