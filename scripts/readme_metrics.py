"""Print the README's "What the numbers mean" table from the metric catalog (tests check the README matches)."""

from __future__ import annotations

from copilot_tui.metrics.catalog import FEATURE_LABELS, METRICS


def metrics_table() -> str:
    lines = ["| Number | API field | What it counts |", "| --- | --- | --- |"]
    for m in METRICS:
        lines.append(f"| {m.label} | `{m.field}` | {m.meaning} |")
    return "\n".join(lines)


def features_table() -> str:
    lines = ["| Feature in the data | Shown as |", "| --- | --- |"]
    for name, label in FEATURE_LABELS.items():
        lines.append(f"| `{name}` | {label} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(metrics_table())
    print()
    print(features_table())
