"""A pause of the cycle collector while a fold or a decode of many lines runs (it makes no cycles worth collecting)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_gc_lock = threading.Lock()
_gc_holders = 0


@contextmanager
def gc_paused() -> Iterator[None]:
    """Hold off the cycle collector while building many long-lived objects.

    Each collection walks every object alive, and a fold of millions of lines allocates enough to set one off
    every few hundred lines, for nothing: nothing made here forms cycles. Nested and concurrent holders share one
    pause.
    """
    global _gc_holders
    with _gc_lock:
        _gc_holders += 1
        if _gc_holders == 1:
            was_enabled = gc.isenabled()
            gc.disable()
            _gc_state.append(was_enabled)
    try:
        yield
    finally:
        with _gc_lock:
            _gc_holders -= 1
            if _gc_holders == 0 and _gc_state.pop():
                gc.enable()


_gc_state: list[bool] = []
