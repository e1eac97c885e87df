"""The naive search the benchmark compares with: no search index at all, straight from the HSDS tables.

Each word is a substring match (`icontains`) on the service's name or description; the distance is
worked out for every location of every matching service (equirectangular, in SQL) and the services
within the radius are sorted by it. Support type, language and cost filters are joins on the HSDS
tables. "Open now" is left out (the naive search would have to read every schedule), which only
makes the naive search faster than a complete one would be.
"""

from __future__ import annotations

import math

from django.db.models import Exists, F, FloatField, Min, OuterRef, Q, QuerySet
from django.db.models.functions import Cast

from carepath.directory.models import CostOption, Language, Service
from carepath.directory.selectors.places import Place
from carepath_core.search.geo import KM_PER_DEGREE
from carepath_core.search.query import ServiceQuery

LOCATION = "service_at_locations__location"


def naive_search(query: ServiceQuery, place: Place) -> list[tuple[str, float]]:
    """(service id, km) of one page of services within the radius, nearest first."""
    services: QuerySet[Service] = Service.objects.filter(status="active")
    for word in query.words:
        services = services.filter(Q(name__icontains=word) | Q(description__icontains=word))
    if query.support_types:
        services = services.filter(support_type__in=sorted(query.support_types))
    if query.languages:
        languages = Language.objects.filter(service=OuterRef("pk"), code__in=sorted(query.languages))
        services = services.filter(Exists(languages))
    if query.costs:
        costs = CostOption.objects.filter(service=OuterRef("pk"))
        wanted = Q()
        if "free" in query.costs:
            wanted |= Q(amount=0)
        if "sliding_scale" in query.costs:
            wanted |= Q(option__icontains="sliding")
        if "insurance" in query.costs:
            wanted |= Q(option__icontains="insurance")
        services = services.filter(Exists(costs.filter(wanted)))
    centre = place.point
    scale = KM_PER_DEGREE * math.cos(math.radians(centre.latitude))
    north = (Cast(F(f"{LOCATION}__latitude"), FloatField()) - centre.latitude) * KM_PER_DEGREE
    east = (Cast(F(f"{LOCATION}__longitude"), FloatField()) - centre.longitude) * scale
    first = (query.page - 1) * query.per_page
    rows = (
        services.filter(**{f"{LOCATION}__latitude__isnull": False, f"{LOCATION}__longitude__isnull": False})
        .values("id")  # group by the service alone
        .annotate(distance2=Min(north * north + east * east, output_field=FloatField()))
        .filter(distance2__lte=query.radius_km**2)
        .order_by("distance2", "id")
        .values_list("id", "distance2")[first : first + query.per_page]
    )
    return [(service_id, math.sqrt(distance2)) for service_id, distance2 in rows]
