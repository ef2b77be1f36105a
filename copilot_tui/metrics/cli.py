"""Copilot CLI over a period: sessions, requests, prompts and tokens day by day (``totals_by_cli``), for the scope
(its day records) or one user (their rows), with each figure's sum over the period."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from copilot_tui.metrics.model import CliTotals

#: Catalog key, short label and ``totals_by_cli`` field of each summed CLI figure.
CLI_FIGURES: tuple[tuple[str, str, str], ...] = (
    ("cli_sessions", "Sessions", "session_count"),
    ("cli_requests", "Requests", "request_count"),
    ("cli_prompts", "Prompts", "prompt_count"),
    ("cli_prompt_tokens", "Tokens in", "prompt_tokens_sum"),
    ("cli_output_tokens", "Tokens out", "output_tokens_sum"),
)


def cli_values(cli: CliTotals) -> dict[str, int]:
    """The counts a ``totals_by_cli`` carries, by field name (tokens flattened); those it leaves out are absent."""
    values = {
        name: value
        for name in ("session_count", "request_count", "prompt_count")
        if (value := getattr(cli, name)) is not None
    }
    if cli.token_usage is not None:
        for name in ("output_tokens_sum", "prompt_tokens_sum"):
            value = getattr(cli.token_usage, name)
            if value is not None:
                values[name] = value
    return values


@dataclass(frozen=True, slots=True)
class CliSeries:
    """One CLI figure day by day over a period (0 on a day without any) and its total over the period."""

    metric: str
    """The figure's key in ``metrics.catalog``."""
    label: str
    days: tuple[date, ...]
    values: tuple[int, ...]
    total: int | None
    """Over the period: the sum, or for users the distinct users of the period (None when not known)."""


def cli_series(
    records: Iterable[Any], days: Sequence[date], *, users_field: str | None = None, users_total: int | None = None
) -> list[CliSeries]:
    """The CLI figures of ``records`` (day records of the scope, or one user's rows: anything with ``day`` and
    ``cli``) over ``days``; with ``users_field``, a first series of daily CLI users read from each record's active
    users (``users_total``: the period's distinct CLI users). Empty when no record carries CLI figures."""
    index = {d: i for i, d in enumerate(days)}
    columns = {field: [0] * len(days) for _key, _label, field in CLI_FIGURES}
    users = [0] * len(days)
    carried = False
    for record in records:
        i = index.get(record.day)
        if i is None:
            continue
        if users_field is not None:
            users[i] = record.active(users_field) or 0
        if record.cli is not None:
            carried = True
            for field, value in cli_values(record.cli).items():
                columns[field][i] += value
    if not carried and not any(users):
        return []
    series = []
    if users_field is not None:
        series.append(CliSeries("period_cli_users", "Users", tuple(days), tuple(users), users_total))
    for key, label, field in CLI_FIGURES:
        values = tuple(columns[field])
        series.append(CliSeries(key, label, tuple(days), values, sum(values)))
    return series


__all__ = ["CLI_FIGURES", "CliSeries", "cli_series", "cli_values"]
