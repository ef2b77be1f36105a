"""How numbers look on screen: narrow enough for 80 columns, exact where it matters."""

from __future__ import annotations

from datetime import date

from copilot_tui.metrics.derive import format_change, format_rate

__all__ = ["compact", "count", "day", "format_change", "format_rate", "plural", "rate"]


def count(value: int | float | None) -> str:
    """A whole count as such (1,234); a float (AI credits, an average) always with its tenth, so 224.0 and 498.4
    line up in a column."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{int(value):,}"


def compact(value: int | float | None) -> str:
    """1,234 stays exact; 12,345 becomes 12.3k and 4,560,000 becomes 4.56M, so a column stays 6 wide."""
    if value is None:
        return "–"
    n = abs(value)
    if n < 10_000:
        return count(value)
    for size, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if n >= size:
            scaled = value / size
            digits = 2 if abs(scaled) < 10 else 1 if abs(scaled) < 100 else 0
            return f"{scaled:.{digits}f}{suffix}"
    return count(value)


def plural(n: int, one: str, many: str | None = None) -> str:
    """``n`` and its noun, singular for exactly one: "1 seat", "2 seats", "1,000 report lines"."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def rate(value: float | None) -> str:
    return format_rate(value)


def day(value: date | None) -> str:
    return value.isoformat() if value else "–"
