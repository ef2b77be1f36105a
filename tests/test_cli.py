"""The command line: help and version work, and shared options may stand before or after the subcommand."""

from __future__ import annotations

import argparse
import subprocess
import sys
from typing import Any

import pytest

from copilot_tui import __version__
from copilot_tui.cli import build_parser


@pytest.mark.parametrize(
    ("argv", "org", "demo"),
    [
        (["--org", "x", "export"], "x", False),
        (["export", "--org", "y"], "y", False),
        (["--demo", "export", "--org", "z"], "z", True),
        (["export"], None, False),
        (["--org", "w"], "w", False),
    ],
)
def test_shared_options_before_or_after_the_subcommand(argv: list[str], org: str | None, demo: bool) -> None:
    args = build_parser().parse_args(argv)
    assert (args.org, args.demo) == (org, demo)


def test_version_and_help_in_a_real_process() -> None:
    out = subprocess.run([sys.executable, "-m", "copilot_tui", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"copilot-tui {__version__}"
    out = subprocess.run([sys.executable, "-m", "copilot_tui", "--help"], capture_output=True, text=True, check=True)
    for word in (
        "--demo",
        "--org",
        "--enterprise",
        "--hostname",
        "--api-url",
        "auth",
        "export",
        "sync",
        "cache",
        "COPILOT_TUI_DATA_DIR",
        "COPILOT_TUI_KEYRING_TIMEOUT",
    ):
        assert word in out.stdout, word
    listed = [line.split()[0] for line in out.stdout.splitlines() if line.startswith(" ") and line.split()]
    commands = ("open", "auth", "export", "sync", "cache", "config")
    assert [name for name in listed if name in commands] == list(commands)  # each once, with its own help


def test_sync_help_offers_only_what_sync_takes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["sync", "--help"])
    out = capsys.readouterr().out
    assert "--org" in out and "--since" in out
    options = [line.split()[0] for line in out.splitlines() if line.startswith("  -")]
    assert "--org" in options and "--demo" not in options and "--offline" not in options


@pytest.mark.parametrize("argv", [["--org", "a", "--enterprise", "b"], ["export", "--org", "a", "--enterprise", "b"]])
def test_org_and_enterprise_exclude_each_other(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(argv)
    assert exited.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_org_and_enterprise_on_both_sides_of_the_subcommand_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    from copilot_tui import cli

    assert cli.main(["--org", "a", "export", "--enterprise", "b"]) == 2
    assert "--org and --enterprise" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--demo", "auth", "status"], "copilot-tui auth status cannot run with --demo"),
        (["--offline", "cache", "info"], "copilot-tui cache info cannot run with --offline"),
        (["--org", "x", "auth", "logout"], "copilot-tui auth logout cannot run with --org"),
        (["--demo", "sync", "--org", "x"], "copilot-tui sync cannot run with --demo"),
    ],
)
def test_a_shared_flag_the_subcommand_does_not_take_is_refused(
    argv: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given before the subcommand, the top level parses it; quietly ignoring it would open something else."""
    from copilot_tui import cli

    assert cli.main(argv) == 2
    assert said in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["--org", "x", "cache", "info"],
        ["--hostname", "acme.ghe.com", "auth", "status"],
        ["--demo", "export"],
        ["--offline", "config"],
        ["--org", "x"],
    ],
)
def test_a_shared_flag_the_subcommand_takes_is_kept(argv: list[str]) -> None:
    from copilot_tui.cli import unused_flags

    parser = build_parser()
    assert unused_flags(parser, parser.parse_args(argv)) is None


def _leaves(parser: argparse.ArgumentParser, words: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    """Every runnable subcommand (``auth status``, ``sync``) with its parser."""
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for word, sub in action.choices.items():
                found += _leaves(sub, (*words, word)) or [((*words, word), sub)]
    return found


LEAVES = _leaves(build_parser())
POSITIONALS = {("open",): ("reports/",)}
"""What a subcommand needs besides its options to parse."""


@pytest.mark.parametrize("words", [w for w, _ in LEAVES], ids=[" ".join(w) for w, _ in LEAVES])
def test_every_subcommands_help_lists_exactly_the_shared_flags_it_takes(
    words: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    """A flag its --help offers works, before or after the subcommand; one it does not offer is refused."""
    from copilot_tui import cli
    from copilot_tui.cli import SHARED_FLAGS, unused_flags

    with pytest.raises(SystemExit):
        build_parser().parse_args([*words, "--help"])
    options = [line.strip().split("  ")[0] for line in capsys.readouterr().out.splitlines() if line.startswith("  -")]
    listed = {word.rstrip(",") for option in options for word in option.split() if word.startswith("-")}
    values = {"--org": "o", "--enterprise": "e", "--hostname": "h.ghe.com", "--api-url": "http://127.0.0.1:1"}
    words = (*words, *POSITIONALS.get(words, ()))
    for flag in SHARED_FLAGS.values():
        given = [flag, values[flag]] if flag in values else [flag]
        parser = build_parser()
        if flag in listed:
            assert unused_flags(parser, parser.parse_args([*given, *words])) is None, flag
            parser.parse_args([*words, *given])  # after the subcommand too
        else:
            assert cli.main([*given, *words]) == 2, flag
            assert f"cannot run with {flag}" in capsys.readouterr().err


def test_sync_help_does_not_promise_the_last_org() -> None:
    """sync wants the scope named (it says so when none is); the app and export open the last one used."""
    sync = build_parser()._subparsers._group_actions[0].choices["sync"].format_help()  # type: ignore[union-attr]
    assert "organization to sync" in sync and "last one used" not in sync
    assert "organization to open (default: the last one used)" in build_parser().format_help()
