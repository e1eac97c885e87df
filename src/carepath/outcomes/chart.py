"""The geometry of a progress chart: one measure's scores over time, drawn by a template as SVG.

Hand-built instead of matplotlib (which is not a run-time dependency): the chart is a handful of
rectangles, one line and some circles, and building it here keeps the SVG small, styled by the
site's CSS, and free of fonts or scripts. Coordinates are in the viewBox; the page scales them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from carepath.outcomes.selectors import MeasureSeries

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 12, 44  # room for the score axis and the dates


@dataclass(frozen=True)
class BandArea:
    label: str
    y: float
    height: float
    label_y: float
    shade: int  # 0 (least severe) … 4; the CSS gives each its tint


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    total: int
    reliable: bool


@dataclass(frozen=True)
class Tick:
    value: int | str
    x: float
    y: float
    anchor: str = "end"  # SVG text-anchor: score ticks end at the axis; dates start or end at their point


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    plot_right: int
    plot_width: int
    plot_bottom: int
    bands: tuple[BandArea, ...]
    caseness_y: float
    caseness_from: int
    line: str  # the polyline's points attribute
    markers: tuple[Marker, ...]
    score_ticks: tuple[Tick, ...]
    date_ticks: tuple[Tick, ...]


def progress_chart(series: MeasureSeries) -> Chart:
    highest = series.rule.highest
    plot_bottom, plot_right = HEIGHT - BOTTOM, WIDTH - RIGHT

    def y_of(total: float) -> float:
        return round(plot_bottom - (plot_bottom - TOP) * total / highest, 1)

    # A band covers its lowest total up to the next band's lowest, so the caseness line drawn at
    # the cut-off sits exactly on the edge of the band it opens.
    bands = tuple(
        BandArea(
            label=band.label,
            y=y_of(min(band.max + 1, highest)),
            height=round(y_of(band.min) - y_of(min(band.max + 1, highest)), 1),
            label_y=round((y_of(band.min) + y_of(min(band.max + 1, highest))) / 2 + 5, 1),
            shade=min(index, 4),
        )
        for index, band in enumerate(series.instrument.bands)
    )
    xs = _x_positions([p.completed_at for p in series.points], LEFT + 12, plot_right - 12)
    markers = tuple(
        Marker(x=x, y=y_of(p.total), total=p.total, reliable=p.is_reliable_change)
        for x, p in zip(xs, series.points, strict=True)
    )
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        plot_right=plot_right,
        plot_width=plot_right - LEFT,
        plot_bottom=plot_bottom,
        bands=bands,
        caseness_y=y_of(series.rule.caseness_from),
        caseness_from=series.rule.caseness_from,
        line=" ".join(f"{m.x},{m.y}" for m in markers),
        markers=markers,
        score_ticks=tuple(
            Tick(value=v, x=LEFT - 6, y=y_of(v) + 5)
            for v in sorted({0, highest, *(b.min for b in series.instrument.bands)})
        ),
        date_ticks=_date_ticks(series, xs, plot_bottom + 28),
    )


def _x_positions(moments: list[dt.datetime], start: float, end: float) -> list[float]:
    """Spaced by time, so a long gap between check-ins looks like one; a single point sits mid-way."""
    first, last = moments[0], moments[-1]
    span = (last - first).total_seconds()
    if span <= 0:
        return [round((start + end) / 2, 1)] * len(moments)
    return [round(start + (end - start) * (m - first).total_seconds() / span, 1) for m in moments]


def _date_ticks(series: MeasureSeries, xs: list[float], y: float) -> tuple[Tick, ...]:
    # Only the first and last dates: more would collide on a phone, and the table has them all.
    first = Tick(value=f"{series.first.completed_at:%Y-%m-%d}", x=xs[0], y=y, anchor="start")
    if len(xs) == 1 or xs[-1] - xs[0] < 280:
        return (first,)
    return (first, Tick(value=f"{series.last.completed_at:%Y-%m-%d}", x=xs[-1], y=y, anchor="end"))
