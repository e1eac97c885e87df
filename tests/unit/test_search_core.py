"""The pure search core: text folding, the grid and distances, opening hours, costs, query reading."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carepath_core.errors import InvalidData
from carepath_core.search import geo, hours
from carepath_core.search.costs import summarise_costs
from carepath_core.search.query import parse_query
from carepath_core.search.text import fold, query_words

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)  # a Monday


# Text ------------------------------------------------------------------------------------------


def test_fold_drops_case_and_accents() -> None:
    assert fold("Zoë's CAFÉ in Montréal") == "zoe's cafe in montreal"
    assert fold("Māori ŁÓDŹ") == "maori łodz"  # Ł has no decomposition: kept, lower-cased


def test_query_words_keep_only_letters_and_digits() -> None:
    assert query_words('Anxiety "peer" OR group* NEAR(x) -- ; DROP') == [
        "anxiety",
        "peer",
        "or",
        "group",
        "near",
        "x",
        "drop",
    ]
    assert query_words("grief grief GRIEF") == ["grief"]
    assert query_words("___") == []
    assert len(query_words(" ".join(f"w{i}" for i in range(40)))) == 12


@given(st.text())
def test_query_words_never_carry_query_syntax(text: str) -> None:
    for word in query_words(text):
        assert word and all(char.isalnum() or char == "_" for char in word) and '"' not in word


# Grid and distance -----------------------------------------------------------------------------


def test_distance_london_to_paris() -> None:
    # 343.5 km great-circle between the two city centres (GeoNames positions).
    assert geo.distance_km(geo.Point(51.50853, -0.12574), geo.Point(48.85341, 2.3488)) == pytest.approx(
        343.5, abs=1
    )


def test_points_off_the_earth_are_refused() -> None:
    with pytest.raises(ValueError):
        geo.Point(91, 0)


positions = st.tuples(st.floats(-84, 84), st.floats(-180, 179.999))


@given(positions, st.floats(0.1, 200), st.floats(0, 1), st.floats(0, 2 * math.pi))
def test_every_point_within_the_radius_is_in_one_of_its_cells(
    centre: tuple[float, float], radius: float, share: float, bearing: float
) -> None:
    origin = geo.Point(*centre)
    north = radius * share * math.cos(bearing) / geo.KM_PER_DEGREE
    latitude = min(max(origin.latitude + north, -89.9), 89.9)
    east = radius * share * math.sin(bearing) / max(geo.longitude_scale(latitude), 1e-9)
    longitude = (origin.longitude + east + 180) % 360 - 180
    point = geo.Point(latitude, longitude)
    if geo.distance_km(origin, point) <= radius * 0.999:
        assert geo.cell_of(point) in geo.cells_within(origin, radius)


def test_cells_wrap_across_the_antimeridian() -> None:
    cells = geo.cells_within(geo.Point(-41.0, 179.99), 10)
    assert geo.cell_of(geo.Point(-41.0, -179.99)) in cells


def _on_a_border(value: float, snap: bool) -> float:
    """The value, or the nearest cell border to it (where float arithmetic decides the cell)."""
    return round((value + 180) / geo.CELL_DEGREES) * geo.CELL_DEGREES - 180 if snap else value


@settings(max_examples=500)
@given(
    positions,
    st.floats(0.5, 30),
    st.floats(0.8, 1.1),  # how far towards one of the box's edges, as a share of its half-width
    st.floats(-1.1, 1.1),  # along that edge
    st.sampled_from(["north", "south", "east", "west"]),
    st.booleans(),
)
def test_a_cell_counted_inside_a_box_holds_no_position_outside_it(
    centre: tuple[float, float], radius: float, out: float, along: float, edge: str, snap: bool
) -> None:
    box = geo.box_around(geo.Point(*centre), radius)
    if box.west is None or box.east is None:
        return  # across the antimeridian: latitudes alone (the test below)
    half_lat, half_lon = box.north - centre[0], box.east - centre[1]
    north, east = {
        "north": (out, along),
        "south": (-out, along),
        "east": (along, out),
        "west": (along, -out),
    }[edge]
    latitude, longitude = centre[0] + north * half_lat, centre[1] + east * half_lon
    point = geo.Point(
        min(max(_on_a_border(latitude, snap), -89.9), 89.9), (_on_a_border(longitude, snap) + 180) % 360 - 180
    )
    if geo.cell_inside(geo.cell_of(point), box):
        assert box.south <= point.latitude <= box.north
        assert box.west <= point.longitude <= box.east


def test_cells_inside_and_on_the_edge_of_a_box() -> None:
    box = geo.box_around(geo.Point(51.5, -0.12), 25)
    assert geo.cell_inside(geo.cell_of(geo.Point(51.5, -0.12)), box)  # the centre's own cell
    assert not geo.cell_inside(geo.cell_of(geo.Point(box.north, -0.12)), box)  # crosses the northern edge
    assert not geo.cell_inside(geo.cell_of(geo.Point(51.5, 3.0)), box)  # far outside
    across = geo.box_around(geo.Point(-41.0, 179.99), 10)
    assert across.west is None and across.east is None  # no longitude bound across the antimeridian
    assert geo.cell_inside(geo.cell_of(geo.Point(-41.0, -179.99)), across)  # bounded by latitude alone
    assert not geo.cell_inside(geo.cell_of(geo.Point(-40.5, -179.99)), across)


# Opening hours ---------------------------------------------------------------------------------

WEEKDAYS = {
    "freq": "WEEKLY",
    "byday": "MO,TU,WE,TH,FR",
    "opens_at": "09:00",
    "closes_at": "17:00",
    "timezone": Decimal(0),
}


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2026-11-23T08:59+00:00", False),
        ("2026-11-23T09:00+00:00", True),
        ("2026-11-23T16:59+00:00", True),
        ("2026-11-23T17:00+00:00", False),
        ("2026-11-28T10:00+00:00", False),  # Saturday
        ("2026-11-23T10:00+01:00", True),  # 09:00 UTC
        ("2026-11-23T09:30+01:00", False),  # 08:30 UTC
    ],
)
def test_weekly_hours_either_side_of_opening_and_closing(moment: str, expected: bool) -> None:
    windows = hours.weekly_windows(WEEKDAYS)
    assert windows is not None and hours.is_open(windows, at(moment)) is expected


def test_an_offset_moves_the_window_into_utc() -> None:
    sydney = {**WEEKDAYS, "timezone": Decimal(10)}  # 09:00 Monday in Sydney is 23:00 Sunday UTC
    windows = hours.weekly_windows(sydney)
    assert windows is not None
    assert hours.is_open(windows, at("2026-11-22T23:30+00:00"))
    assert not hours.is_open(windows, at("2026-11-23T07:00+00:00"))
    offset_in_time = {**WEEKDAYS, "opens_at": "09:00-05:00", "closes_at": "17:00-05:00", "timezone": None}
    windows = hours.weekly_windows(offset_in_time)
    assert windows is not None and hours.is_open(windows, at("2026-11-23T14:30+00:00"))


def test_hours_past_midnight_and_to_the_end_of_the_day() -> None:
    night = hours.weekly_windows({"freq": "WEEKLY", "byday": "FR", "opens_at": "22:00", "closes_at": "02:00"})
    assert night is not None
    assert hours.is_open(night, at("2026-11-28T01:30+00:00"))  # Saturday 01:30
    every_day = hours.weekly_windows({"freq": "DAILY", "opens_at": "00:00", "closes_at": "23:59"})
    assert every_day is not None and hours.is_open(every_day, at("2026-11-29T23:59:30+00:00"))


def test_validity_dates_limit_the_windows() -> None:
    windows = hours.weekly_windows({**WEEKDAYS, "valid_to": dt.date(2026, 11, 20)})
    assert windows is not None and not hours.is_open(windows, at("2026-11-23T10:00+00:00"))
    assert hours.decode(hours.encode(windows)) == windows


@pytest.mark.parametrize(
    "rule",
    [
        {**WEEKDAYS, "freq": "MONTHLY"},
        {**WEEKDAYS, "interval": 2},
        {**WEEKDAYS, "byday": "1MO"},
        {**WEEKDAYS, "bymonthday": "1"},
        {**WEEKDAYS, "opens_at": ""},
        {**WEEKDAYS, "closes_at": "25:00"},
    ],
)
def test_hours_that_cannot_be_worked_out_are_unknown(rule: dict[str, object]) -> None:
    assert hours.weekly_windows(rule) is None
    assert hours.service_windows([rule]) is None


def test_a_moment_without_a_time_zone_is_refused() -> None:
    with pytest.raises(ValueError):
        hours.minute_of_week(dt.datetime(2026, 11, 23, 10, 0))


@given(
    st.integers(0, 6),
    st.integers(0, 23 * 60),
    st.integers(1, 600),
    st.integers(-12, 14),
    st.integers(0, 10079),
)
def test_a_window_agrees_with_local_clock_arithmetic(
    day: int, opens: int, length: int, offset: int, probe: int
) -> None:
    closes = min(opens + length, 24 * 60 - 2)
    if closes <= opens:
        return
    rule = {
        "freq": "WEEKLY",
        "byday": hours.DAY_CODES[day],
        "opens_at": f"{opens // 60:02d}:{opens % 60:02d}",
        "closes_at": f"{closes // 60:02d}:{closes % 60:02d}",
        "timezone": Decimal(offset),
    }
    windows = hours.weekly_windows(rule)
    assert windows is not None
    moment = dt.datetime(2026, 11, 23, tzinfo=dt.UTC) + dt.timedelta(
        minutes=probe
    )  # Monday 00:00 UTC onwards
    local = moment.astimezone(dt.timezone(dt.timedelta(hours=offset)))
    minute = local.hour * 60 + local.minute
    assert hours.is_open(windows, moment) is (local.weekday() == day and opens <= minute < closes)


# Costs -----------------------------------------------------------------------------------------


def test_cost_kinds_and_the_cheapest_amount() -> None:
    summary = summarise_costs(
        [
            {"option": "Per session", "amount": Decimal(60), "currency": "GBP"},
            {"option": "Sliding scale", "amount": Decimal(15), "amount_description": "depending on income"},
        ],
        "Most health insurance accepted.",
    )
    assert (
        summary.kinds == {"sliding_scale", "insurance"}
        and summary.lowest_amount == 15
        and summary.currency == "GBP"
    )
    assert summarise_costs([{"option": "Free", "amount": Decimal(0)}]).kinds == {"free"}
    assert not summarise_costs([]).known


# Reading a query -------------------------------------------------------------------------------


def test_a_full_query_is_read() -> None:
    query = parse_query(
        {
            "q": ["Anxiety groups"],
            "near": ["Leeds"],
            "radius_km": ["25"],
            "open": ["at"],
            "at": ["2026-12-01T18:30"],
            "tz": ["Europe/London"],
            "cost": ["free,sliding_scale"],
            "language": ["EN", "cy"],
            "support_type": ["peer"],
            "age": ["17"],
            "capacity": ["true"],
        },
        now=NOW,
    )
    assert query.words == ("anxiety", "groups") and query.radius_km == 25 and query.order == "relevance"
    assert query.at is not None and query.at.isoformat() == "2026-12-01T18:30:00+00:00"
    assert query.costs == {"free", "sliding_scale"} and query.languages == {"en", "cy"} and query.capacity


def test_open_now_is_read_in_the_chosen_zone_and_defaults_are_calm() -> None:
    query = parse_query({"near": ["Leeds"], "open": ["now"]}, now=NOW, default_zone="Europe/London")
    assert (
        query.at == NOW and query.order == "distance" and query.virtual == "include" and query.per_page == 20
    )


def test_one_value_only_for_single_fields() -> None:
    with pytest.raises(InvalidData) as refused:
        parse_query({"near": ["Leeds", "York"]}, now=NOW)
    assert refused.value.field == "near"
