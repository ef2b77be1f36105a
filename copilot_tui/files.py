"""Directories and files readable by their owner only, whatever the umask.

Everything the app writes holds something private: the store and exports hold logins, the state file the last org,
the log org names, paths and tracebacks. So every directory it creates is 0700 and every file 0600, set explicitly
(``mkdir``'s and ``open``'s modes are cut by the umask, and a umask such as 0277 would even make them unusable).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
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


def private_temp_dir(kind: str) -> tempfile.TemporaryDirectory[str]:
    """A 0700 temporary directory named for its kind and this process (``copilot-tui-KIND-PID-...``), so that a
    later start can tell whether the process that made it still runs; those of processes gone are removed first."""
    remove_stale_temp_dirs(kind)
    return tempfile.TemporaryDirectory(prefix=f"copilot-tui-{kind}-{os.getpid()}-")


def remove_stale_temp_dirs(kind: str, root: Path | None = None) -> list[Path]:
    """Remove this user's temporary directories of ``kind`` whose process no longer runs (killed, or ended
    without cleaning up); the ones removed. A directory of a running process, or another user's, is left alone."""
    if os.name == "nt":  # no signal 0 to ask whether a process runs
        return []
    pattern = re.compile(rf"^copilot-tui-{re.escape(kind)}-(\d+)-")
    removed = []
    try:
        entries = list(os.scandir(root or tempfile.gettempdir()))
    except OSError:
        return []
    for entry in entries:
        found = pattern.match(entry.name)
        try:
            if found is None or not entry.is_dir(follow_symlinks=False):
                continue
            if entry.stat(follow_symlinks=False).st_uid != os.getuid() or process_runs(int(found[1])):
                continue
        except OSError:
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        removed.append(Path(entry.path))
    return removed


def process_runs(pid: int) -> bool:
    """Whether process ``pid`` exists (one of another user's too)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fchmod(fd: int) -> None:
    if hasattr(os, "fchmod"):  # not on Windows before 3.13, where the mode bits mean little anyway
        os.fchmod(fd, FILE_MODE)
