"""The top line: what is shown (scope, period) on the left, what is happening (loading, waiting) on the right."""

from __future__ import annotations

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class StatusBar(Widget):
    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text; }
    """

    what: reactive[str] = reactive("")
    activity: reactive[str] = reactive("")
    busy: reactive[bool] = reactive(False)

    def render(self) -> Table:
        grid = Table.grid(expand=True)
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(justify="right", no_wrap=True, overflow="ellipsis")
        activity = Text(self.activity, style="bold" if self.busy else "dim")
        grid.add_row(Text(" " + self.what, style="bold"), activity + " ")
        return grid


class ErrorLine(Widget):
    """The last loading error's sentence, kept on screen until a load succeeds: a toast alone is gone in seconds."""

    DEFAULT_CSS = """
    ErrorLine { height: auto; max-height: 4; padding: 0 1; color: $text-error; background: $error 15%; display: none; }
    """

    message: reactive[str] = reactive("", layout=True)

    def watch_message(self, message: str) -> None:
        self.display = bool(message)

    def render(self) -> Text:
        return Text(self.message)


class ProblemsLine(Widget):
    """What the numbers leave out, in one line ("3 lines skipped, 1 day pending — w to see"); hidden when nothing
    is. A click opens the problems view as w does."""

    DEFAULT_CSS = """
    ProblemsLine { height: 1; padding: 0 1; color: $text-warning; background: $warning 10%; display: none; }
    ProblemsLine.-shown { display: block; }
    """

    message: reactive[str] = reactive("")

    def watch_message(self, message: str) -> None:
        self.set_class(bool(message), "-shown")  # a class, not ``display``: a too-small screen still hides it

    def render(self) -> Text:
        return Text(self.message, no_wrap=True, overflow="ellipsis")

    async def on_click(self) -> None:
        await self.run_action("screen.problems")


FOOTER_RANK = (
    "help",
    "quit",
    "filter",
    "cycle_sort",
    "export",
    "refresh",
    "select_cursor",
    "pick_org",
    "pick_period",
    "back",
)
"""Kept in a narrow footer in this order: help and the way out first (help lists every key), then the table's
filter, sort and export."""


def _rank(action: str) -> int:
    name = action.removeprefix("app.").removeprefix("screen.")
    return FOOTER_RANK.index(name) if name in FOOTER_RANK else len(FOOTER_RANK)


class FitFooter(Footer):
    """Textual's footer, showing only the keys that fit whole: at 80 columns a cut label reads as a typo.

    The most needed keys are kept first (``FOOTER_RANK``), then the others until the width is used.
    """

    _fitted_width = 0
    _composed: tuple[object, ...] | None = None

    def _keys_shown(self, width: int) -> tuple[object, ...]:
        """What a composition depends on: the width and the keys the screen would show."""
        if not self._bindings_ready:
            return (width,)
        active = self.screen.active_bindings.values()
        return (width, *((b.key, b.action, b.description, enabled, tip) for (_, b, enabled, tip) in active if b.show))

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Recompose only when the keys shown changed.

        Textual's footer recomposes on every bindings signal; a start-up sends several with the same keys (focus
        moving, widgets mounting), and each recomposition mounts and styles every key again (about 10 ms each).
        """
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        if self.is_attached and self._keys_shown(self.size.width or self.app.size.width) != self._composed:
            await self.recompose()

    def compose(self) -> ComposeResult:
        items = list(super().compose())
        width = self.size.width or self.app.size.width
        self._fitted_width = width
        self._composed = self._keys_shown(width)
        keys = [w for w in items if isinstance(w, FooterKey) and not w.has_class("-command-palette")]
        rest = [w for w in items if w not in keys]

        def cost(w: FooterKey) -> int:
            return cell_len(w.key_display) + cell_len(w.description) + 3

        room = width - sum(cost(w) for w in rest if isinstance(w, FooterKey)) - 2
        kept: set[int] = set()
        for w in sorted(keys, key=lambda w: _rank(w.action)):
            if cost(w) <= room:
                kept.add(id(w))
                room -= cost(w)
        shown = [w for w in keys if id(w) in kept]
        self.styles.grid_size_columns = len(shown)
        for w in shown:
            # FooterKey starts compact and the footer's data binding then turns that off: two restyles per key
            w.set_reactive(FooterKey.compact, self.compact)
        yield from shown
        yield from rest

    def on_resize(self) -> None:
        if self.size.width != self._fitted_width:
            self.refresh(recompose=True)
