"""Sparklines as text, so a pane can put a label, the line, the latest value and the trend on one row."""

from __future__ import annotations

from collections.abc import Sequence

BARS = "▁▂▃▄▅▆▇█"


def resample(values: Sequence[float], width: int) -> list[float]:
    """Fit a series into ``width`` cells: each cell is the mean of the days it covers."""
    if width <= 0 or not values:
        return []
    if len(values) <= width:
        return list(values)
    out: list[float] = []
    for i in range(width):
        lo = i * len(values) // width
        hi = max(lo + 1, (i + 1) * len(values) // width)
        chunk = values[lo:hi]
        out.append(sum(chunk) / len(chunk))
    return out


def sparkline(values: Sequence[float], width: int) -> str:
    """One cell per day when it fits, each day widened evenly when there is room, days averaged when there is not."""
    if values and len(values) * 2 <= width:
        stretch = width // len(values)
        values = [v for v in values for _ in range(stretch)]
    cells = resample(values, width)
    if not cells:
        return ""
    active = [v for v in cells if v > 0]
    if not active:
        return BARS[0] * len(cells)
    lo, hi = min(active), max(active)
    span = hi - lo
    top = len(BARS) - 1

    def bar(v: float) -> str:
        if v <= 0:
            return BARS[0]  # a day with none: the floor, not a gap that reads as missing data
        if span == 0:
            return BARS[top // 2]
        return BARS[1 + round((v - lo) / span * (top - 1))]

    # non-zero days from the second bar up, scaled between the smallest and largest: a sparkline is for shape, the number beside it for size
    return "".join(bar(v) for v in cells)
