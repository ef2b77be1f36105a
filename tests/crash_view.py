"""What a crash shows, rendered to text: Textual's crash screen (a rich traceback with every frame's locals) and
Python's own traceback with locals, for the tests that prove the token is in neither."""

from __future__ import annotations

import traceback

import rich
from rich.console import Console
from rich.traceback import Traceback


def rendered(renderable: object) -> str:
    console = Console(record=True, width=200, color_system=None)
    console.print(renderable)
    return console.export_text()


def crash_text(exc: BaseException) -> str:
    """The exception as Textual's crash screen draws it (``App._fatal_error``'s settings) and as ``traceback``
    with ``capture_locals`` prints it. Frames before the app's own (the test's) are left out, as a real crash has
    none of them."""
    tb = exc.__traceback__
    while tb is not None and "copilot_tui" not in tb.tb_frame.f_code.co_filename:
        tb = tb.tb_next
    exc = exc.with_traceback(tb)
    screen = Traceback.from_exception(
        type(exc), exc, exc.__traceback__, show_locals=True, locals_max_length=5, suppress=[rich]
    )
    plain = "".join(traceback.TracebackException.from_exception(exc, capture_locals=True).format())
    return rendered(screen) + "\n" + plain


class ForcedCrash(RuntimeError):
    """The bug a crash test plants."""
