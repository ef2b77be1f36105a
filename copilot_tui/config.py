"""The user's settings file (TOML) and the small state the app remembers between runs.

The config file is the user's: the app reads it and never writes it, so comments and order survive. A missing file
means defaults; a broken one raises ``ConfigError`` whose message names the file and the line, because "invalid
config" without a place to look is no help in an SSH session.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

EXAMPLE = """\
# copilot-tui settings
hostname = "github.com"          # or SUBDOMAIN.ghe.com
default_org = "my-org"           # opened when no --org is given and none was opened before
orgs = ["my-org", "other-org"]   # shown in the org picker besides those your token can see
enterprises = ["my-enterprise"]  # enterprises to offer in the org picker
theme = "textual-dark"           # any Textual theme name
"""


class ConfigError(Exception):
    """A config file that cannot be used; ``str()`` names the file, the line and what to change."""

    def __init__(self, path: Path, line: int | None, problem: str) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        where = f"{path}, line {line}" if line else str(path)
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True, slots=True)
class Config:
    hostname: str = "github.com"
    """GitHub host: github.com, or SUBDOMAIN.ghe.com for GitHub Enterprise Cloud with data residency."""
    default_org: str | None = None
    """The org opened at start when neither --org nor a last-used org says otherwise."""
    orgs: tuple[str, ...] = ()
    """Orgs offered in the picker in addition to those the token can list."""
    enterprises: tuple[str, ...] = ()
    """Enterprises offered in the picker (the API cannot list them for a token)."""
    theme: str | None = None
    """Textual theme name; when unset, the theme last picked in the app (or Textual's default)."""
    path: Path | None = field(default=None, compare=False)
    """The file these settings came from, for messages."""


_KNOWN = {"hostname", "default_org", "orgs", "enterprises", "theme"}
_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")


def _line_of_key(text: str, key: str) -> int | None:
    pattern = re.compile(rf"^[ \t]*{re.escape(key)}[ \t]*=", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def parse_config(text: str, path: Path) -> Config:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_POSITION.search(message)
        line = int(match.group(1)) if match else None
        if line is None and "(at end of document)" in message:
            line = text.count("\n") + (0 if text.endswith("\n") else 1)
            message = message.replace("(at end of document)", "at the end of the file")
        problem = _TOML_POSITION.sub("", message).strip()
        raise ConfigError(path, line, f"not valid TOML: {problem}") from None

    def fail(key: str, problem: str) -> ConfigError:
        return ConfigError(path, _line_of_key(text, key), problem)

    for key in data:
        if key not in _KNOWN:
            raise fail(key, f"unknown setting {key!r} (known: {', '.join(sorted(_KNOWN))})")

    def text_value(key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise fail(key, f'{key} must be a non-empty string in quotes, e.g. {key} = "name"')
        return value.strip()

    def list_value(key: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise fail(key, f'{key} must be a list of names, e.g. {key} = ["first", "second"]')
        return tuple(dict.fromkeys(v.strip() for v in value))

    return Config(
        hostname=text_value("hostname") or "github.com",
        default_org=text_value("default_org"),
        orgs=list_value("orgs"),
        enterprises=list_value("enterprises"),
        theme=text_value("theme"),
        path=path,
    )


def load_config(path: Path) -> Config:
    """Read the config file; a missing file gives the defaults."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(path=path)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, None, f"cannot be read: {exc}") from None
    return parse_config(text, path)


@dataclass(frozen=True, slots=True)
class State:
    """Remembered between runs; losing it costs nothing but a default."""

    last_scope: str | None = None
    """The org (or ``enterprise:NAME``) open when the app last closed."""
    theme: str | None = None
    """The theme last picked in the app."""
    demo_scope: str | None = None
    """The demo org last open: kept apart so ``--demo`` never replaces the real last org."""

    def with_changes(self, **changes: Any) -> State:
        return replace(self, **changes)


def load_state(path: Path) -> State:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return State()
    if not isinstance(data, dict):
        return State()

    def text(key: str) -> str | None:
        value = data.get(key)
        return value if isinstance(value, str) else None

    return State(last_scope=text("last_scope"), theme=text("theme"), demo_scope=text("demo_scope"))


def save_state(path: Path, state: State) -> None:
    """Write atomically so a crash mid-write leaves the previous state, not half a file."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(state), indent=2), encoding="utf-8")
    tmp.replace(path)
