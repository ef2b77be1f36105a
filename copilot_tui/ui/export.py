"""Write a table of the dashboard to a CSV or JSON file: the bytes come from ``copilot_tui.exports`` (the same code
``copilot-tui export`` prints with), so the file and the command's output are identical for the same table.

The file goes to the export directory (``locations.export_dir()``) under a name that says what it holds; an
existing file of that name is never overwritten (``-2``, ``-3``, ... is added). The caller shows the path.
"""

from __future__ import annotations

import os
from pathlib import Path

from copilot_tui import locations
from copilot_tui.exports import LABELS, WHATS, ExportData, ExportFormat, file_name, render


def export_table(what: str, fmt: ExportFormat, data: ExportData, directory: Path | None = None) -> tuple[Path, int]:
    """Write one table; the path written and how many rows it holds."""
    content, rows = render(what, fmt, data)
    folder = directory or locations.export_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if directory is None:
        folder.chmod(0o700)  # the app's own folder: exports hold logins
    name = file_name(what, fmt, data)
    path = folder / name
    stem, suffix = path.stem, path.suffix
    number = 1
    while True:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            number += 1
            path = folder / f"{stem}-{number}{suffix}"
            continue
        break
    with os.fdopen(fd, "wb") as fh:
        fh.write(content)
    return path, rows


__all__ = ["LABELS", "WHATS", "ExportData", "ExportFormat", "export_table"]
