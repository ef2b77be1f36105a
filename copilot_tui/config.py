"""The user's config file (TOML) and the small state the app remembers between runs.

The config file is the user's: the app reads it and never writes it, so comments and order survive. Which keys it
may hold is declared once, by ``copilot_tui.settings.Settings``, which merges it with the flags and environment. A
missing file sets nothing; a broken one raises ``ConfigError`` whose message names the file and the line, because
"invalid config" without a place to look is no help in an SSH session.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

EXAMPLE = """\
# copilot-tui settings (every key is optional)
hostname = "github.com"          # or SUBDOMAIN.ghe.com
# api_url = "https://github.example.com/api/v3"   # only when the API is not at the hostname's usual place
default_org = "my-org"           # opened when no --org is given and none was opened before
orgs = ["my-org", "other-org"]   # shown in the org picker besides those your token can see
enterprises = ["my-enterprise"]  # enterprises to offer in the org picker
theme = "textual-dark"           # any Textual theme name
seat_price_business = 19         # a seat's price a month, for the cost of idle seats
seat_price_enterprise = 39
# users_columns = ["Login", "Days", "Interact", "Rate", "LoC+"]   # the users table's columns; or c in the app
# anonymize = true               # pseudonyms instead of logins and team names, on screen and in exports (n)
"""
"""The README's example file (a test checks the README shows it and that it reads without error)."""


class ConfigError(Exception):
    """A config file that cannot be used; ``str()`` names the file, the line and what to change."""

    def __init__(self, path: Path, line: int | None, problem: str) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        where = f"{path}, line {line}" if line else str(path)
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True, slots=True)
class ConfigFile:
    """What a config file says: the keys it sets, each with its line (for ``copilot-tui config``)."""

    path: Path
    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    exists: bool = True


_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")


def _line_of_key(text: str, key: str) -> int | None:
    pattern = re.compile(rf"^[ \t]*{re.escape(key)}[ \t]*=", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def parse_config(text: str, path: Path, defaults: Mapping[str, Any]) -> ConfigFile:
    """Check ``text`` against the known keys (``defaults``: each key's default, whose type says what it takes:
    a bool takes true or false, a tuple takes a list of names, a float a number, an int a whole number of 1 or more, anything else one
    string)."""
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
        if key not in defaults:
            raise fail(key, f"unknown setting {key!r} (known: {', '.join(sorted(defaults))})")

    values: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(defaults[key], bool):
            if not isinstance(value, bool):
                raise fail(key, f"{key} must be true or false, without quotes, e.g. {key} = true")
            values[key] = value
        elif isinstance(defaults[key], float):
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise fail(key, f"{key} must be a number of 0 or more, without quotes, e.g. {key} = 19")
            values[key] = float(value)
        elif isinstance(defaults[key], int) and not isinstance(defaults[key], bool):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise fail(key, f"{key} must be a whole number of 1 or more, without quotes, e.g. {key} = 4")
            values[key] = value
        elif isinstance(defaults[key], tuple):
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                raise fail(key, f'{key} must be a list of names, e.g. {key} = ["first", "second"]')
            values[key] = tuple(dict.fromkeys(v.strip() for v in value))
        else:
            if not isinstance(value, str) or not value.strip():
                raise fail(key, f'{key} must be a non-empty string in quotes, e.g. {key} = "name"')
            values[key] = value.strip()
    lines = {key: _line_of_key(text, key) or 0 for key in values}
    return ConfigFile(path, values, lines)


def read_config_file(path: Path, defaults: Mapping[str, Any]) -> ConfigFile:
    """Read and check the config file; a missing file sets nothing."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ConfigFile(path, exists=False)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, None, f"cannot be read: {exc}") from None
    return parse_config(text, path, defaults)


@dataclass(frozen=True, slots=True)
class State:
    """Remembered between runs; losing it costs nothing but a default."""

    last_scope: str | None = None
    """The org (or ``enterprise:NAME``) open when the app last closed."""
    theme: str | None = None
    """The theme last picked in the app."""
    demo_scope: str | None = None
    """The demo org last open: kept apart so ``--demo`` never replaces the real last org."""
    users_columns: tuple[str, ...] | None = None
    """The users table's columns last chosen in the app (the column picker, c), in order."""

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

    columns = data.get("users_columns")
    chosen = tuple(columns) if isinstance(columns, list) and all(isinstance(c, str) for c in columns) else None
    return State(
        last_scope=text("last_scope"), theme=text("theme"), demo_scope=text("demo_scope"), users_columns=chosen
    )


def save_state(path: Path, state: State) -> None:
    """Write atomically so a crash mid-write leaves the previous state, not half a file; readable by the user only."""
    from copilot_tui.files import write_private

    write_private(path, json.dumps(asdict(state), indent=2).encode())
