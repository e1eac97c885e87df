"""Distances and the grid the directory indexes positions on.

A position is filed under a grid cell (a square of `CELL_DEGREES` on each side, numbered row by
column); a radius search asks only for the cells that the radius can touch, which an ordinary
B-tree index answers on SQLite and PostgreSQL alike. Distances inside the database use the
equirectangular approximation (plain arithmetic, which every SQL engine has); within 100 km and
away from the poles it is within 0.5% of the great-circle distance, which `distance_km` gives for
what is shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180
CELL_DEGREES = 0.05  # about 5.6 km north to south
COARSE_CELL_DEGREES = 0.2  # the cells words in the text index carry: about 22 km
COLUMNS_PER_ROW = 10_000  # more than 360 / CELL_DEGREES, so cell numbers never collide
MAX_LATITUDE_FOR_RADIUS = 85.0  # beyond this a longitude degree is too short for the grid


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float

    def __post_init__(self) -> None:
        if not (-90 <= self.latitude <= 90 and -180 <= self.longitude <= 180):
            raise ValueError(f"({self.latitude}, {self.longitude}) is not a position on Earth")


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance (haversine)."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat, dlon = lat2 - lat1, math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _row(latitude: float, size: float) -> int:
    return min(int((latitude + 90) // size), int(180 // size) - 1)


def _column(longitude: float, size: float) -> int:
    columns = round(360 / size)
    return int((longitude + 180) // size) % columns


def cell_of(point: Point, size: float = CELL_DEGREES) -> int:
    return _row(point.latitude, size) * COLUMNS_PER_ROW + _column(point.longitude, size)


def cells_within(centre: Point, radius_km: float, size: float = CELL_DEGREES) -> list[int]:
    """Every cell a circle of `radius_km` around `centre` can touch (a few more at the corners)."""
    if abs(centre.latitude) > MAX_LATITUDE_FOR_RADIUS:
        raise ValueError("radius searches stop at 85 degrees of latitude")
    lat_span = radius_km / KM_PER_DEGREE
    cos_lat = math.cos(math.radians(min(abs(centre.latitude) + lat_span, MAX_LATITUDE_FOR_RADIUS)))
    lon_span = min(radius_km / (KM_PER_DEGREE * cos_lat), 180.0)
    first_row = _row(max(centre.latitude - lat_span, -90.0), size)
    last_row = _row(min(centre.latitude + lat_span, 90.0), size)
    columns = round(360 / size)
    first_column = int((centre.longitude - lon_span + 180) // size)
    last_column = int((centre.longitude + lon_span + 180) // size)
    wanted = {column % columns for column in range(first_column, last_column + 1)}
    return [
        row * COLUMNS_PER_ROW + column for row in range(first_row, last_row + 1) for column in sorted(wanted)
    ]


@dataclass(frozen=True)
class Box:
    """The latitudes and longitudes a circle can reach; no longitude bound (None) across the antimeridian."""

    south: float
    north: float
    west: float | None
    east: float | None


# A cell counts as inside a box only this far clear of its edges: a position on a cell's border is
# filed by floating-point arithmetic, so which side of a box edge it falls on is never assumed.
_INSIDE_MARGIN_DEGREES = 1e-9


def box_around(centre: Point, radius_km: float) -> Box:
    """The box a circle fits in (its longitudes widened for the latitude farthest from the equator)."""
    lat_span = radius_km / KM_PER_DEGREE
    lon_span = radius_km / max(longitude_scale(min(abs(centre.latitude) + lat_span, 89.0)), 1e-6)
    if centre.longitude - lon_span > -180 and centre.longitude + lon_span < 180:
        west, east = centre.longitude - lon_span, centre.longitude + lon_span
        return Box(centre.latitude - lat_span, centre.latitude + lat_span, west, east)
    return Box(centre.latitude - lat_span, centre.latitude + lat_span, None, None)


def cell_inside(cell: int, box: Box, size: float = CELL_DEGREES) -> bool:
    """Whether every position filed under the cell (numbered as by `cell_of`) is inside the box."""
    row, column = divmod(cell, COLUMNS_PER_ROW)
    south, west = row * size - 90, column * size - 180
    margin = _INSIDE_MARGIN_DEGREES
    if not (box.south + margin <= south and south + size <= box.north - margin):
        return False
    if box.west is None or box.east is None:
        return True
    return box.west + margin <= west and west + size <= box.east - margin


def longitude_scale(latitude: float) -> float:
    """Kilometres per degree of longitude at `latitude` (the equirectangular factor)."""
    return KM_PER_DEGREE * math.cos(math.radians(latitude))
