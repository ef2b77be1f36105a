"""Run the fake GitHub by hand: ``python -m copilot_tui.fakehub [--port N] [--parts N] [--today YYYY-MM-DD]
[--preset NAME]``.

It serves the demo dataset, prints its URLs and the test tokens, and runs until Ctrl-C, so a person can try
``GH_ENTERPRISE_TOKEN=ghp_fake_owner copilot-tui --api-url http://127.0.0.1:PORT --org octo-garage`` (``GH_TOKEN`` is
github.com's and never goes to another host).
"""

from __future__ import annotations

import argparse
import sys
import threading
from datetime import date

from copilot_tui.fakehub.server import DEFAULT_TOKENS, PRESETS, FakeGitHub


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m copilot_tui.fakehub",
        description="A fake GitHub API on this machine, serving the demo dataset to the test tokens it prints, "
        "until Ctrl-C.",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=0,
        help="the API's port (default: a free one; a fixed one keeps a keyring sign-in across runs)",
    )
    parser.add_argument("--parts", type=int, default=2, help="split each report into this many files (default 2)")
    parser.add_argument("--today", type=date.fromisoformat, default=None, help="the fake's today (YYYY-MM-DD)")
    parser.add_argument(
        "--preset",
        choices=sorted(PRESETS),
        default=None,
        help="answer with several of the real API's rough edges at once: "
        + "; ".join(f"{name}: {what}" for name, what in PRESETS.items()),
    )
    args = parser.parse_args(argv)
    hub = FakeGitHub(today=args.today, parts_per_report=args.parts, preset=args.preset, port=args.port).start()
    orgs = ", ".join(o.login for o in hub.dataset.orgs)
    print(f"fake GitHub API:       {hub.api_url}")
    print(f"fake download host:    {hub.download_url}")
    print(f"organizations:         {orgs}")
    print(f"enterprise:            {hub.dataset.enterprise}")
    print(f"today (for day ranges): {hub.today}")
    if args.preset:
        print(f"preset {args.preset}:      {PRESETS[args.preset]}")
    print("tokens:")
    for token, spec in DEFAULT_TOKENS.items():
        kind = "fine-grained" if spec.scopes is None else f"classic, scopes {', '.join(spec.scopes) or 'none'}"
        print(f"  {token:<24} {spec.login} ({kind}; role {spec.role})")
    print(
        f"try:  GH_ENTERPRISE_TOKEN=ghp_fake_owner copilot-tui export --api-url {hub.api_url} --org {hub.dataset.orgs[0].login}"
    )
    try:
        print("Ctrl-C stops it.", flush=True)  # inside: a Ctrl-C right after it still stops it cleanly
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        hub.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
