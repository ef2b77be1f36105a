"""Print the README's generated tables: "What the numbers mean" from the metric catalog, and the config keys from
``copilot_tui.settings.Settings`` (tests check the README matches)."""

from __future__ import annotations

import ast
import inspect

from copilot_tui import settings
from copilot_tui.metrics.catalog import FEATURE_LABELS, GLOSSARY, WINDOW_WORDS


def metrics_table() -> str:
    lines = ["| Number | API field | Covers | What it counts |", "| --- | --- | --- | --- |"]
    for m in GLOSSARY:
        lines.append(f"| {m.label} | `{m.field}` | {WINDOW_WORDS[m.window]} | {m.meaning} |")
    return "\n".join(lines)


def labels_table() -> str:
    """The short labels on screen and the catalog's name for each (the app's glossary, g, says the same)."""
    from copilot_tui.ui.screens.glossary import glossary_sections

    lines = ["| Where | Label on screen | Stands for |", "| --- | --- | --- |"]
    for title, entries in glossary_sections():
        for entry in entries:
            if entry.label.lower() != entry.metric.label.lower():
                lines.append(f"| {title} | {entry.label} | {entry.metric.label} |")
    return "\n".join(lines)


def features_table() -> str:
    lines = ["| Feature in the data | Shown as |", "| --- | --- |"]
    for name, label in FEATURE_LABELS.items():
        lines.append(f"| `{name}` | {label} |")
    return "\n".join(lines)


def field_docs() -> dict[str, str]:
    """Each ``Settings`` field's docstring (the string under it in the class body)."""
    tree = ast.parse(inspect.getsource(settings.Settings))
    docs: dict[str, str] = {}
    body = tree.body[0].body  # type: ignore[attr-defined]
    for node, after in zip(body, body[1:], strict=False):
        named = isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
        if named and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant):
            docs[node.target.id] = " ".join(str(after.value.value).split())  # type: ignore[union-attr]
    return docs


def settings_table() -> str:
    docs = field_docs()
    lines = ["| Key | Environment | Flag | What it sets | Default |", "| --- | --- | --- | --- | --- |"]
    for name in settings.FILE_KEYS:
        spec = settings.FIELDS[name].metadata
        default = settings.FIELDS[name].default
        shown = "(none)" if default in (None, ()) else f"`{default}`"
        flag = f"`{spec['flag']}`" if spec["flag"] else ""
        lines.append(f"| `{name}` | `{settings.env_name(name)}` | {flag} | {docs[name]} | {shown} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(settings_table())
    print()
    print(metrics_table())
    print()
    print(labels_table())
    print()
    print(features_table())
