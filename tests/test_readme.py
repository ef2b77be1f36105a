"""The README stays true: its metric tables are the catalog's, and CI runs the README's test command."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from readme_metrics import features_table, labels_table, metrics_table  # noqa: E402


def test_readme_tables_match_the_catalog() -> None:
    readme = (ROOT / "README.md").read_text()
    assert metrics_table() in readme
    assert labels_table() in readme
    assert features_table() in readme


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"## Test\n.*?```sh\n(.*?)\n```", readme, flags=re.S)
    assert blocks, "README has no test command block"
    command = blocks[0].strip()
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(rf"^\s*(exec\s+)?{re.escape(command)}\s*$", ci, flags=re.M)


def test_readme_lists_the_keys_the_app_binds() -> None:
    readme = (ROOT / "README.md").read_text()
    keys = (ROOT / "screenshots" / "keys.md").read_text()
    body = "\n".join(line for line in keys.splitlines() if not line.startswith("<!--")).strip()
    assert body in readme, "README's key list is stale: copy screenshots/keys.md into it"


def test_readme_pictures_exist() -> None:
    readme = (ROOT / "README.md").read_text()
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", readme)
    assert pictures
    for picture in pictures:
        assert (ROOT / picture).is_file(), picture
