from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "reference"


def shared_file(name: str) -> Path:
    path = SHARED / name
    if not path.exists():
        pytest.fail(f"reference file {path} is missing: shared/ must sit beside the checkout")
    return path


@pytest.fixture(scope="session")
def reference() -> Callable[[str], Path]:
    """The path of a file under ``shared/reference``."""
    return shared_file


@pytest.fixture(scope="session")
def line_shapes() -> dict[str, Any]:
    return json.loads(shared_file("report-line-shapes.json").read_text())
