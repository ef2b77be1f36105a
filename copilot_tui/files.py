"""Directories and files readable by their owner only, whatever the umask.

Everything the app writes holds something private: the store and exports hold logins, the state file the last org,
the log org names, paths and tracebacks. So every directory it creates is 0700 and every file 0600, set explicitly
(``mkdir``'s and ``open``'s modes are cut by the umask, and a umask such as 0277 would even make them unusable).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path, *, tighten: bool = False) -> Path:
    """``path`` as a directory, it and every parent it had to create made 0700; ``tighten`` makes an existing one
    0700 too (for the app's own directories, which older versions made 0755)."""
    missing: list[Path] = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for directory in reversed(missing):
        with contextlib.suppress(FileExistsError):
            directory.mkdir(mode=DIR_MODE)
        os.chmod(directory, DIR_MODE)
    if tighten and not missing and path.is_dir() and path.stat().st_mode & 0o077:
        os.chmod(path, DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty if it is missing, and make it 0600 either way, before anything is written to it."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
    try:
        _fchmod(fd)
    finally:
        os.close(fd)
    return path


def write_private(path: Path, data: bytes) -> None:
    """Replace ``path`` whole with ``data``, mode 0600: a crash mid-write leaves the previous file, not half of one."""
    fd, made = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # 0600
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(made, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(made)
        raise


def _fchmod(fd: int) -> None:
    if hasattr(os, "fchmod"):  # not on Windows before 3.13, where the mode bits mean little anyway
        os.fchmod(fd, FILE_MODE)
