#!/usr/bin/env bash
# Runs inside dbus-run-session: starts gnome-keyring unlocked with a throwaway password, then the given command.
set -euo pipefail
export HOME="${COPILOT_TUI_KEYRING_HOME:?}" XDG_DATA_HOME="${COPILOT_TUI_KEYRING_HOME}/data"
mkdir -p "$XDG_DATA_HOME"
eval "$(printf 'copilot-tui-test' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK 2>/dev/null || true
export COPILOT_TUI_REAL_KEYRING=1
exec "$@"
