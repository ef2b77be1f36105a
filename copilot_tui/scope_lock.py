"""One fetch per scope at a time, across processes: an advisory lock beside each store file.

Two ``sync`` runs of one org (or ``sync`` and the app refreshing it) would each plan the same missing days and both
download every report. Whoever fetches for a scope holds ``<store file>.lock`` (``fcntl.flock``, released by the
kernel when the process ends, however it ends); another one waits for it, says so, and then plans again from what
the first one stored, so nothing is downloaded twice. Where ``fcntl`` is missing (Windows) there is no lock.
"""

from __future__ import annotations

import os
from pathlib import Path

from copilot_tui.files import FILE_MODE, private_dir

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class ScopeLock:
    """``try_acquire`` never blocks; ``release`` lets the next one in. Not re-entrant: one per fetch."""

    def __init__(self, store_file: Path) -> None:
        self.path = store_file.with_name(store_file.name + ".lock")
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def try_acquire(self) -> bool:
        if self._fd is not None:
            return True
        if fcntl is None:  # pragma: no cover - Windows
            self._fd = -1
            return True
        private_dir(self.path.parent)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        if hasattr(os, "fchmod"):
            os.fchmod(fd, FILE_MODE)
        self._fd = fd
        return True

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None or fd < 0:
            return
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
