"""The geometry of the programme chart: recovery rate per group with its 95 % interval as whiskers.

Hand-built SVG like the progress chart (`chart.py`), for the same reasons: matplotlib is not a
run-time dependency, and a few lines and circles styled by the site's CSS stay small and readable.
Each group gets a row: its name above, a dot at the rate, a line from the low to the high end of
the interval. A withheld rate draws no dot and says so in words.
"""

from __future__ import annotations

from dataclasses import dataclass

from carepath.outcomes.report_lines import fewer_than, withheld
from carepath.outcomes.report_services import OutcomesReport

WIDTH = 640
LEFT, RIGHT, TOP, ROW, AXIS = 16, 24, 8, 56, 40  # the axis row holds the percentage labels


@dataclass(frozen=True)
class ChartRow:
    name: str
    label_y: float
    y: float
    x: float | None  # the rate's dot; None when withheld
    low_x: float | None
    high_x: float | None
    note: str  # "47.6%" or "withheld (fewer than 5)"


@dataclass(frozen=True)
class AxisTick:
    label: str
    x: float


@dataclass(frozen=True)
class RecoveryChart:
    width: int
    height: int
    left: int
    plot_right: int
    axis_y: float
    rows: tuple[ChartRow, ...]
    ticks: tuple[AxisTick, ...]
    threshold: int


def recovery_chart(report: OutcomesReport) -> RecoveryChart:
    plot_right = WIDTH - RIGHT

    def x_of(fraction: float) -> float:
        return round(LEFT + (plot_right - LEFT) * fraction, 1)

    rows = []
    for index, group in enumerate(report.figures.groups):
        top = TOP + index * ROW
        rate, interval = group.recovery.rate.value, group.recovery.rate.interval
        shown = rate is not None and interval is not None
        rows.append(
            ChartRow(
                name=report.labels.get(group.key, group.key),
                label_y=top + 16,
                y=top + 38,
                x=x_of(rate) if rate is not None else None,
                low_x=x_of(interval.low) if interval is not None else None,
                high_x=x_of(interval.high) if interval is not None else None,
                note=f"{rate * 100:.1f}%" if shown and rate is not None else _withheld_note(report.threshold),
            )
        )
    axis_y = TOP + len(rows) * ROW + 8
    return RecoveryChart(
        width=WIDTH,
        height=int(axis_y + AXIS),
        left=LEFT,
        plot_right=plot_right,
        axis_y=axis_y,
        rows=tuple(rows),
        ticks=tuple(AxisTick(label=f"{p}%", x=x_of(p / 100)) for p in (0, 25, 50, 75, 100)),
        threshold=report.threshold,
    )


def _withheld_note(threshold: int) -> str:
    return f"{withheld()} ({fewer_than(threshold)})"
