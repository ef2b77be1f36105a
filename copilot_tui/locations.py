"""Every directory and file the app uses, in one place.

Tests and sandboxes point the app elsewhere with ``COPILOT_TUI_CONFIG_DIR``, ``COPILOT_TUI_DATA_DIR`` and
``COPILOT_TUI_LOG_DIR`` so a test run never reads or writes the real home directory. Every directory made here is
0700 (``copilot_tui.files``); the app's own platform directories are made so even when an older version left them
0755, while a directory named in the environment is the user's and is left as it is.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from copilot_tui.files import private_dir

APP_NAME = "copilot-tui"


def _dir(env: str, default: str) -> Path:
    override = os.environ.get(env)
    path = Path(override) if override else Path(default)
    return private_dir(path, tighten=not override)


def config_dir() -> Path:
    return _dir("COPILOT_TUI_CONFIG_DIR", platformdirs.user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    return _dir("COPILOT_TUI_DATA_DIR", platformdirs.user_data_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    return _dir("COPILOT_TUI_LOG_DIR", platformdirs.user_log_dir(APP_NAME, appauthor=False))


def config_file() -> Path:
    """The user's TOML settings; the app reads it and never rewrites it, so comments in it survive."""
    return config_dir() / "config.toml"


def state_file() -> Path:
    """What the app remembers between runs (last org, last theme): kept apart from the user's config file."""
    return data_dir() / "state.json"


def log_file() -> Path:
    return log_dir() / "copilot-tui.log"


def demo_cache_file() -> Path:
    """The demo's generated report files, kept so ``--demo`` starts without making them again
    (``copilot_tui.demo_cache``; ``cache clear --all`` removes it)."""
    return data_dir() / "demo-reports.bin"


def export_dir() -> Path:
    return _dir("COPILOT_TUI_EXPORT_DIR", str(data_dir() / "exports"))
