"""A recommendation shaped for reading: in words, beside the ten-row grid, and as a printable PDF."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carepath.crisis.selectors import region_for
from carepath_core.decision import DecisionAid, Option, Recommendation

CRISIS_FIRST_NAME = _("Crisis help first")
LEVEL_WORDS = {
    "self_help": _("Self-help may be enough for now, with more help if you want it."),
    "peer_support": _("At least peer support: someone who has been through something like this."),
    "low_intensity": _("At least short, guided help from a trained practitioner."),
    "high_intensity": _("Treatment from a trained professional, such as talking therapy."),
    "urgent": _("Urgent help now: a crisis line or emergency service."),
}
CERTAINTY_WORDS = {
    "high": _("High"),
    "moderate": _("Moderate"),
    "low": _("Low"),
    "very_low": _("Very low"),
}
BAR_HEIGHT, BAR_GAP, BAR_LEFT, BAR_SPAN = 22, 12, 150, 200


def pathway_name(aid: DecisionAid, pathway: str) -> str:
    if pathway in aid.options:
        return aid.options[pathway][0]
    return str(CRISIS_FIRST_NAME) if pathway == "crisis_first" else ""


def result_context(aid: DecisionAid, recommendation: Recommendation) -> dict[str, Any]:
    """What the result page and the PDF show, beyond the recommendation itself."""
    numbers: dict[str, int] = {}
    for dimension in aid.dimensions:
        for cited in dimension.evidence.citations:
            numbers.setdefault(cited, len(numbers) + 1)
    rows = [
        {
            "row": row,
            "content": aid.dimension(row.id),
            "certainty": CERTAINTY_WORDS[aid.dimension(row.id).evidence.certainty],
            "sources": sorted(numbers[c] for c in aid.dimension(row.id).evidence.citations),
        }
        for row in recommendation.dimensions
    ]
    return {
        "recommendation": recommendation,
        "pathway_name": pathway_name(aid, recommendation.pathway.value),
        "level_words": LEVEL_WORDS[recommendation.minimum_level.value],
        "rows": rows,
        "aid_options": aid.options,
        "sources": [(number, aid.citations[key]) for key, number in numbers.items()],
        "fit_bars": _fit_bars(aid, recommendation),
        "fit_known": any(share is not None for share in recommendation.fit.values()),
        "chart": _chart_size(),
    }


def _fit_bars(aid: DecisionAid, recommendation: Recommendation) -> list[dict[str, Any]]:
    bars = []
    for index, option in enumerate(Option):
        share = recommendation.fit.get(option.value)
        top = index * (BAR_HEIGHT + BAR_GAP)
        bars.append(
            {
                "name": aid.options[option.value][0],
                "percent": round(share * 100) if share is not None else None,
                "width": round((share or 0) * BAR_SPAN, 1),
                "top": top,
                "text_y": top + BAR_HEIGHT - 6,
                "value_x": BAR_LEFT + round((share or 0) * BAR_SPAN) + 6,
            }
        )
    return bars


def _chart_size() -> dict[str, int]:
    return {
        "width": BAR_LEFT + BAR_SPAN + 50,
        "height": len(Option) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP,
        "left": BAR_LEFT,
        "bar_height": BAR_HEIGHT,
    }


def recommendation_pdf(request: HttpRequest, context: dict[str, Any]) -> bytes:
    # Imported here: WeasyPrint needs Pango from the system, and only the print buttons use it.
    from weasyprint import HTML

    html = render_to_string(
        "decision/recommendation_pdf.html",
        {**context, "region": region_for(request), "printed_at": timezone.now()},
        request=request,
    )
    return bytes(HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf())
