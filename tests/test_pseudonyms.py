"""Pseudonyms: stable under one key, different under another, the key kept 0600 in the config dir, made once."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from copilot_tui.pseudonyms import KEY_BYTES, PseudonymKeyError, Pseudonyms, install_pseudonyms, load_key
from copilot_tui.settings import SettingsError, resolve_settings


def test_a_name_gets_one_pseudonym_under_a_key_and_another_under_another_key() -> None:
    one, same, other = Pseudonyms(b"k" * 32), Pseudonyms(b"k" * 32), Pseudonyms(b"x" * 32)
    assert one.user("Mona-Lisa") == same.user("mona-lisa") == one.user("MONA-LISA")
    assert one.user("mona-lisa") != other.user("mona-lisa")
    assert re.fullmatch(r"user-[0-9a-hjkmnp-tv-z]{9}", one.user("mona-lisa"))
    assert re.fullmatch(r"team-[0-9a-hjkmnp-tv-z]{9}", one.team("payments"))
    assert one.team("payments") != one.user("payments")  # a team and a login of one name stay apart
    assert one.team("(no team)") == "(no team)"
    logins = [f"user{i}" for i in range(20_000)]
    assert len(set(one.users(logins))) == len(logins)


def test_redact_replaces_the_names_known_and_nothing_else() -> None:
    names = Pseudonyms(b"k" * 32)
    ada, web = names.user("ada"), names.team("web")
    text = "KeyError: 'Ada' in team web (adam, ada-x, octo-org)"
    assert names.redact(text) == f"KeyError: '{ada}' in team {web} (adam, ada-x, octo-org)"


def test_the_key_is_made_once_kept_0600_and_a_broken_one_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "config" / "pseudonym.key"
    first = install_pseudonyms(path).user("ada")
    assert len(path.read_bytes()) == KEY_BYTES
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert install_pseudonyms(path).user("ada") == first
    path.write_bytes(b"short")
    with pytest.raises(PseudonymKeyError, match="not a pseudonym key"):
        load_key(path)


def test_anonymize_comes_from_the_flag_the_environment_or_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    assert not resolve_settings({}, environ={}, config_path=config).anonymize
    assert resolve_settings({"anonymize": True}, environ={}, config_path=config).anonymize
    settings = resolve_settings({}, environ={"COPILOT_TUI_ANONYMIZE": "yes"}, config_path=config)
    assert settings.anonymize and settings.origin("anonymize") == "environment COPILOT_TUI_ANONYMIZE"
    with pytest.raises(SettingsError, match="COPILOT_TUI_ANONYMIZE must be 1 or 0"):
        resolve_settings({}, environ={"COPILOT_TUI_ANONYMIZE": "maybe"}, config_path=config)
    config.write_text("anonymize = true\n")
    assert resolve_settings({}, environ={}, config_path=config).anonymize
    config.write_text('anonymize = "yes"\n')
    broken = resolve_settings({}, environ={}, config_path=config)
    assert broken.config_error is not None and "true or false" in str(broken.config_error)
