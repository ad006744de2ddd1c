"""Bar charts drawn on the server as SVG geometry: no JavaScript, nothing to download, and the
same figures are given as a table beside each chart. Pure: numbers in, rectangles out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

WIDTH = 840
HEIGHT = 240
LEFT = 8  # room for the first bar's edge
RIGHT = 50  # room for the last date label to run past its bar
TOP = 40  # room for the "highest" label above the tallest bar
BOTTOM = 40  # room for the date labels under the bars (written larger on a phone)


def _n(value: float) -> str:
    # SVG coordinates as plain text: no locale separators, one decimal is sharp enough.
    return f"{value:.1f}"


@dataclass(frozen=True)
class Bar:
    day: dt.date
    value: int | Decimal
    x: str
    y: str
    width: str
    height: str


@dataclass(frozen=True)
class Tick:
    day: dt.date
    x: str


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    ticks: list[Tick]  # the dates written under the chart
    highest: int | Decimal
    total: int | Decimal
    width: int = WIDTH
    height: int = HEIGHT
    baseline: str = _n(HEIGHT - BOTTOM)
    label_y: str = _n(HEIGHT - 8)


def bar_chart(points: list[tuple[dt.date, int | Decimal]], *, tick_every: int = 1) -> BarChart:
    """One bar per (day, value); a date label under every `tick_every`-th bar."""
    values = [value for _, value in points]
    highest = max(values, default=0)
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(points), 1)
    bars = []
    for n, (day, value) in enumerate(points):
        # An empty period draws no bars rather than dividing by zero.
        height = float(value) / float(highest) * plot_height if highest else 0.0
        bars.append(
            Bar(
                day=day,
                value=value,
                x=_n(LEFT + n * slot + slot * 0.15),
                y=_n(TOP + plot_height - height),
                width=_n(slot * 0.7),
                height=_n(height),
            )
        )
    ticks = [
        Tick(day=day, x=_n(LEFT + n * slot + slot * 0.15))
        for n, (day, _) in enumerate(points)
        if n % tick_every == 0
    ]
    return BarChart(bars=bars, ticks=ticks, highest=highest, total=sum(values, type(highest)(0)))


def in_rows(bars: list[Bar], size: int) -> list[list[Bar]]:
    """The bars `size` to a row (a week of days), for the table under a chart."""
    return [bars[n : n + size] for n in range(0, len(bars), size)]
