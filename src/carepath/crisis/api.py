"""Crisis resources over the JSON API, for apps and partner sites that embed them."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from ninja import Router

from carepath.crisis.selectors import crisis_registry

router = Router(tags=["crisis"])


@router.get("/regions", summary="List the regions with crisis resources")
def list_regions(request: Any) -> list[dict[str, str]]:
    return [{"code": region.code, "name": region.name} for region in crisis_registry().regions]


@router.get("/regions/{code}", summary="Crisis resources for one region, emergency number first")
def region_resources(request: Any, code: str) -> dict[str, Any]:
    region = crisis_registry().region(code)
    return asdict(region)
