"""Places for the HSDS API's `proximity`: usable locations within a distance of a point.

The locations in the smallest latitude-longitude box around the circle are read from the index on
the position (`location_position`: latitude, longitude, usable, id, so nothing else is read), then
the haversine decides, in SQL that runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import math

from django.db.models import FloatField, Q, QuerySet
from django.db.models.functions import Cast, Cos, Radians, Sin

from carepath.directory.models import Location

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)


def box(latitude: float, longitude: float, metres: float) -> Q:
    """Positions in the smallest latitude-longitude box around the circle (the index on the
    position reads only those); none when the circle reaches a pole or crosses 180°."""
    angle = metres / EARTH_RADIUS_M
    if angle >= math.pi / 2:
        return Q()
    slack = 1e-9  # the box only narrows: the haversine decides at the edge
    span = math.degrees(angle) + slack
    box = Q(latitude__gte=latitude - span, latitude__lte=latitude + span)
    if abs(latitude) + span >= 90:
        return box
    lon_span = math.degrees(math.asin(min(1.0, math.sin(angle) / math.cos(math.radians(latitude))))) + slack
    if abs(longitude) + lon_span >= 180:
        return box
    return box & Q(longitude__gte=longitude - lon_span, longitude__lte=longitude + lon_span)


def within(latitude: float, longitude: float, metres: float) -> QuerySet[Location]:
    """Usable locations within `metres` of a point, by the haversine formula, in portable SQL."""
    phi, lam = math.radians(latitude), math.radians(longitude)
    here_phi = Radians(Cast("latitude", FloatField()))
    here_lam = Radians(Cast("longitude", FloatField()))
    half_phi = Sin((here_phi - phi) / 2.0)
    half_lam = Sin((here_lam - lam) / 2.0)
    haversine = half_phi * half_phi + math.cos(phi) * Cos(here_phi) * half_lam * half_lam
    limit = math.sin(min(metres / (2 * EARTH_RADIUS_M), math.pi / 2)) ** 2
    located = Location.objects.filter(
        box(latitude, longitude, metres),
        position_usable=True,
        latitude__isnull=False,
        longitude__isnull=False,
    )
    return located.annotate(haversine=haversine).filter(haversine__lte=limit)
