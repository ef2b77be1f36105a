"""Write a table of the dashboard to a CSV or JSON file: the bytes come from ``copilot_tui.exports`` (the same code
``copilot-tui export`` prints with), so the file and the command's output are identical for the same table.

The picker offers a path in the export directory (``locations.export_dir()``) under a name that says what the file
holds and that no file has yet (``-2``, ``-3``, ... added); the user may change it. A file is replaced only when
the user said so; one that appeared in the meantime is kept and a free name taken instead, which the caller says.
"""

from __future__ import annotations

import os
from pathlib import Path

from copilot_tui import locations
from copilot_tui.exports import LABELS, WHATS, ExportData, ExportFormat, file_name, render
from copilot_tui.files import private_dir, write_private


def free_path(folder: Path, name: str) -> Path:
    """``folder / name``, or the first of ``name-2``, ``name-3``, ... that no file has."""
    path = folder / name
    stem, suffix = path.stem, path.suffix
    number = 1
    while path.exists():
        number += 1
        path = folder / f"{stem}-{number}{suffix}"
    return path


def default_path(what: str, fmt: ExportFormat, data: ExportData, folder: Path | None = None) -> Path:
    """Where the picker proposes to write: a free name in ``folder`` (the export directory by default)."""
    return free_path(folder or locations.export_dir(), file_name(what, fmt, data))


def export_table(
    what: str, fmt: ExportFormat, data: ExportData, path: Path | None = None, *, overwrite: bool = False
) -> tuple[Path, int]:
    """Write one table to ``path`` (a free name in the export directory when None); the path written and how many
    rows it holds. Without ``overwrite`` an existing file is never touched: the next free name is written."""
    content, rows = render(what, fmt, data)
    own = locations.export_dir()
    target = path or own / file_name(what, fmt, data)
    folder = target.parent
    private_dir(folder, tighten=folder == own)  # the app's own folder is 0700: exports hold logins
    if overwrite:
        write_private(target, content)
        return target, rows
    stem, suffix = target.stem, target.suffix
    number = 1
    while True:
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            number += 1
            target = folder / f"{stem}-{number}{suffix}"
            continue
        break
    with os.fdopen(fd, "wb") as fh:
        fh.write(content)
    return target, rows


__all__ = ["LABELS", "WHATS", "ExportData", "ExportFormat", "default_path", "export_table", "free_path"]
