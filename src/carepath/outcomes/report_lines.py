"""The programme report as lines of text and numbers, shared by the dashboard, CSV and PDF.

One function turns a group's figures into lines, so a withheld figure reads the same everywhere:
a hidden count is "fewer than N" (N the configured threshold), a hidden rate or value "withheld".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from carepath_core.outcomes import ShownCount
from carepath_core.outcomes.report_figures import GroupFigures, RateFigure


@dataclass(frozen=True)
class FigureLine:
    code: str  # stable name for files: "recovery", "finished" …
    name: str  # what a reader calls it
    value: str  # as shown: "47.6%", "12", "withheld"
    interval: str  # "30.2% to 65.8%", or "" when the figure has no interval
    basis: str  # what it was worked from: "10 of 21", "fewer than 5 of 21"
    # For files: plain numbers as text, or the same "fewer than N" / "withheld" words.
    number: str
    low: str = ""
    high: str = ""
    numerator: str = ""
    denominator: str = ""


def fewer_than(threshold: int) -> str:
    return _("fewer than %(n)s") % {"n": threshold}


def withheld() -> str:
    return _("withheld")


def figure_lines(group: GroupFigures, threshold: int) -> list[FigureLine]:
    return [
        _count_line("finished", _("Finished courses"), group.finished, threshold),
        _count_line("scored", _("Finished with scores on both measures"), group.scored, threshold),
        _rate_line("recovery", _("Recovery rate"), group.recovery, threshold),
        _rate_line("reliable_improvement", _("Reliable improvement"), group.reliable_improvement, threshold),
        _rate_line("reliable_recovery", _("Reliable recovery"), group.reliable_recovery, threshold),
        _rate_line(
            "reliable_deterioration", _("Reliable deterioration"), group.reliable_deterioration, threshold
        ),
        _rate_line("drop_out", _("Drop-out rate"), group.dropped_out, threshold),
        _waiting_line(group, threshold),
        _cost_line(group, threshold),
    ]


def _count_text(count: ShownCount, threshold: int) -> str:
    return fewer_than(threshold) if count.value is None else str(count.value)


def _count_line(code: str, name: str, count: ShownCount, threshold: int) -> FigureLine:
    text = _count_text(count, threshold)
    return FigureLine(code=code, name=name, value=text, interval="", basis="", number=text)


def _percent(fraction: float) -> str:
    return f"{fraction * 100:.1f}%"


def _rate_line(code: str, name: str, figure: RateFigure, threshold: int) -> FigureLine:
    numerator = _count_text(figure.numerator, threshold)
    denominator = _count_text(figure.denominator, threshold)
    basis = _("%(k)s of %(n)s") % {"k": numerator, "n": denominator}
    rate, interval = figure.rate.value, figure.rate.interval
    if rate is None or interval is None:
        hidden = withheld()
        return FigureLine(code, name, hidden, hidden, basis, hidden, hidden, hidden, numerator, denominator)
    return FigureLine(
        code=code,
        name=name,
        value=_percent(rate),
        interval=_("%(low)s to %(high)s") % {"low": _percent(interval.low), "high": _percent(interval.high)},
        basis=basis,
        number=f"{rate:.4f}",
        low=f"{interval.low:.4f}",
        high=f"{interval.high:.4f}",
        numerator=numerator,
        denominator=denominator,
    )


def _waiting_line(group: GroupFigures, threshold: int) -> FigureLine:
    waiting = group.waiting
    episodes = _count_text(waiting.episodes, threshold)
    basis = _("%(n)s episodes with both dates") % {"n": episodes}
    value = withheld() if waiting.median_days is None else f"{waiting.median_days:g}"
    return FigureLine(
        "median_days_to_first_contact",
        _("Median days from asking for help to first contact"),
        value,
        "",
        basis,
        value,
        denominator=episodes,
    )


def _cost_line(group: GroupFigures, threshold: int) -> FigureLine:
    cost = group.cost_per_recovered
    episodes = _count_text(cost.costed_episodes, threshold)
    basis = _("%(n)s episodes with a known cost") % {"n": episodes}
    value = withheld() if cost.per_recovered is None else f"{cost.per_recovered:.2f}"
    return FigureLine(
        "cost_per_recovered", _("Cost per recovered person"), value, "", basis, value, denominator=episodes
    )
