"""``tests/data/reference`` is a copy of ``shared/reference``: when ``shared/`` sits beside the checkout, the two hold
the same files, byte for byte, so a shape learned there reaches the tests here."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent / "data" / "reference"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "reference"


def test_the_reference_copy_matches_shared_reference() -> None:
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is not there: nothing to compare with")
    shared = {p.name: p.read_bytes() for p in SHARED.iterdir() if p.is_file()}
    here = {p.name: p.read_bytes() for p in HERE.iterdir() if p.is_file()}
    assert sorted(here) == sorted(shared), f"copy the files of {SHARED} into {HERE}"
    for name, data in shared.items():
        assert here[name] == data, f"{name} differs from {SHARED / name}: copy it into {HERE}"
