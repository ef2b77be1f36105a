#!/usr/bin/env bash
# Runs inside dbus-run-session (see scripts/test): starts gnome-keyring's Secret Service unlocked with a throwaway
# password in a throwaway HOME, checks that it stores and returns a secret and that Python's `keyring` picks it,
# then runs the given command there with COPILOT_TUI_REAL_KEYRING=1 (the keyring tests run instead of skipping).
set -euo pipefail
base="${COPILOT_TUI_KEYRING_HOME:?run through scripts/test}"
python="${COPILOT_TUI_PYTHON:-python3}"

export HOME="$base/home"
export XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share" XDG_CACHE_HOME="$HOME/.cache"
export XDG_STATE_HOME="$HOME/.local/state" XDG_RUNTIME_DIR="$base/run"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME"
mkdir -m 700 -p "$XDG_RUNTIME_DIR"
# A desktop session's keyring must not be the one unlocked or used here.
unset GNOME_KEYRING_CONTROL
# The backend must be the one `keyring` detects in this session, not one named by the caller's environment.
unset PYTHON_KEYRING_BACKEND
# Console scripts installed beside the interpreter (copilot-tui) come first on PATH.
PATH="$(dirname "$python"):$PATH"
export PATH

controls=$(printf '%s' "copilot-tui-test-$$" | gnome-keyring-daemon --unlock --components=secrets)
eval "$controls"
export GNOME_KEYRING_CONTROL
# The daemon forks before it owns its D-Bus name; a client that asked too early would have D-Bus start another,
# locked one. Wait until the name is owned (a few milliseconds, at most ten seconds).
owned() {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'
}
for _ in $(seq 100); do owned && break; sleep 0.1; done
owned || { echo "scripts/test: gnome-keyring-daemon never appeared on D-Bus" >&2; exit 1; }

probe="probe-$$"
printf '%s' "$probe" | secret-tool store --label="copilot-tui test probe" copilot-tui-probe "$probe"
if [ "$(secret-tool lookup copilot-tui-probe "$probe")" != "$probe" ]; then
  echo "scripts/test: gnome-keyring started but does not return what was stored" >&2
  exit 1
fi
secret-tool clear copilot-tui-probe "$probe"
backend=$("$python" -c 'import keyring; k = keyring.get_keyring(); print(type(k).__module__ + "." + type(k).__name__)')
if [ "$backend" != "keyring.backends.SecretService.Keyring" ]; then
  echo "scripts/test: Python's keyring picked $backend, not the Secret Service of this session" >&2
  exit 1
fi
echo "scripts/test: gnome-keyring unlocked on a private D-Bus session; keyring backend $backend" >&2

export COPILOT_TUI_REAL_KEYRING=1
exec "$@"
