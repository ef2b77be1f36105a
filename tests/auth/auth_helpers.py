"""Helpers of the sign-in tests: an environment that never reaches the real home, a way to run the real CLI as a
subprocess, and a scan of a directory tree for a token."""

from __future__ import annotations

import os
import site
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TOKEN_VARS = ("GH_TOKEN", "GITHUB_TOKEN", "GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN")
REAL_KEYRING = bool(os.environ.get("COPILOT_TUI_REAL_KEYRING"))
needs_real_keyring = pytest.mark.skipif(
    not REAL_KEYRING,
    reason="needs the real Secret Service of scripts/test (COPILOT_TUI_REAL_KEYRING is not set)",
)


def fake_token(prefix: str = "ghp_") -> str:
    """A token of GitHub's shape that no test shares with another, so finding it anywhere means it leaked."""
    return prefix + uuid.uuid4().hex + uuid.uuid4().hex[:4]


def isolated_env(home: Path) -> dict[str, str]:
    """The environment of a CLI subprocess: a fresh HOME and app dirs under ``home``, no token variables, the
    session's D-Bus kept (so the real keyring of scripts/test is reachable), and the pip install still visible."""
    env = {k: v for k, v in os.environ.items() if k not in TOKEN_VARS and not k.startswith("COPILOT_TUI_")}
    env.pop("PYTHON_KEYRING_BACKEND", None)
    dirs = {
        "HOME": home,
        "XDG_CONFIG_HOME": home / ".config",
        "XDG_DATA_HOME": home / ".local/share",
        "XDG_CACHE_HOME": home / ".cache",
        "XDG_STATE_HOME": home / ".local/state",
        "COPILOT_TUI_CONFIG_DIR": home / "app-config",
        "COPILOT_TUI_DATA_DIR": home / "app-data",
        "COPILOT_TUI_LOG_DIR": home / "app-log",
    }
    for name, path in dirs.items():
        path.mkdir(parents=True, exist_ok=True)
        env[name] = str(path)
    env["PYTHONUSERBASE"] = os.environ.get("PYTHONUSERBASE") or site.getuserbase()
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(HERE), os.environ.get("PYTHONPATH", "")) if p)
    if REAL_KEYRING:
        env["COPILOT_TUI_REAL_KEYRING"] = "1"
    return env


def run_cli(
    args: list[str], env: dict[str, str], *, stdin: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """The real CLI in its own process; ``timeout`` only keeps a hung run from hanging the suite."""
    return subprocess.run(
        [sys.executable, "-m", "copilot_tui", *args],
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=timeout,
    )


def files_containing(root: Path, secret: str) -> list[Path]:
    """Every file under ``root`` whose bytes hold ``secret``."""
    needle = secret.encode()
    return [p for p in root.rglob("*") if p.is_file() and not p.is_symlink() and needle in p.read_bytes()]
