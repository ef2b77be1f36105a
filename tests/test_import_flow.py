"""The package's imports follow the data flow and never run in a circle.

Data flows GitHub -> metrics (decoding, computing) -> store -> sources -> the UI and the commands; a module imports
from its own layer or the layers below it, never from one above. Every import counts: those inside functions, under
``TYPE_CHECKING``, and ``importlib.import_module`` of a constant name or f-string prefix, so a lazy import cannot hide
an arrow that runs backwards.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "copilot_tui"
ROOT = "copilot_tui"

#: The layers, lowest first: a module may import from its own layer and those listed before it. A name stands for
#: that module and every module under it (the package itself, ``copilot_tui``, only for itself).
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "low",
        (
            "copilot_tui",
            "copilot_tui.files",
            "copilot_tui.locations",
            "copilot_tui.scope",
            "copilot_tui.config",
            "copilot_tui.pseudonyms",
        ),
    ),
    ("github", ("copilot_tui.github",)),
    ("metrics", ("copilot_tui.metrics", "copilot_tui.licenses")),
    (
        "store",
        (
            "copilot_tui.block_index",
            "copilot_tui.store",
            "copilot_tui.scope_lock",
            "copilot_tui.facts",
            "copilot_tui.demo_cache",
            "copilot_tui.report_files",
            "copilot_tui.auth",
        ),
    ),
    ("settings", ("copilot_tui.settings",)),
    ("sources: the snapshot", ("copilot_tui.sources", "copilot_tui.sources.snapshot")),
    ("sources: the contract", ("copilot_tui.sources.contract",)),
    ("sources: fetch planning", ("copilot_tui.sources.planning",)),
    ("sources: what sources share", ("copilot_tui.sources.stored", "copilot_tui.sources.at_hand")),
    (
        "sources",
        (
            "copilot_tui.sources.offline",
            "copilot_tui.sources.live",
            "copilot_tui.sources.demo",
            "copilot_tui.sources.files",
        ),
    ),
    ("sources: the factory", ("copilot_tui.sources.factory",)),
    ("views and exports", ("copilot_tui.views", "copilot_tui.exports", "copilot_tui.export_parquet")),
    (
        "ui, below its widgets",
        ("copilot_tui.ui", "copilot_tui.ui.errors", "copilot_tui.ui.export", "copilot_tui.ui.format"),
    ),
    ("ui widgets", ("copilot_tui.ui.widgets", "copilot_tui.ui.session", "copilot_tui.ui.view")),
    ("ui screens", ("copilot_tui.ui.screens",)),
    ("ui command palette", ("copilot_tui.ui.commands",)),
    ("app", ("copilot_tui.app",)),
    ("command line", ("copilot_tui.commands", "copilot_tui.cli", "copilot_tui.__main__", "copilot_tui.fakehub")),
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer_of(module: str) -> int | None:
    """The index in ``LAYERS`` of the longest name that covers ``module``."""
    best: tuple[int, int] | None = None
    for index, (_, names) in enumerate(LAYERS):
        for name in names:
            covers = module == name or (name != ROOT and module.startswith(name + "."))
            if covers and (best is None or len(name) > best[0]):
                best = (len(name), index)
    return None if best is None else best[1]


def resolved(name: str) -> str | None:
    """The package's module that ``name`` is, or that holds it (``pkg.mod.attr`` -> ``pkg.mod``)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imported(module: str, source: str) -> Iterator[tuple[str, int]]:
    """The package's modules that ``module`` imports (anywhere in it), with the line of each import."""
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            # ``from pkg import mod`` imports the module ``pkg.mod``; ``from mod import name`` the module ``mod``
            names = [f"{base}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module":
            names = list(dynamic_names(module, node))
        for name in names:
            target = resolved(name)
            if target is not None and target != module:
                yield target, node.lineno


def dynamic_names(module: str, call: ast.Call) -> Iterator[str]:
    """What ``import_module(...)`` may load: a constant name, or every module under an f-string's constant start."""
    if not call.args:
        return
    arg = call.args[0]
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        yield arg.value
    elif isinstance(arg, ast.JoinedStr):
        prefix = ""
        for part in arg.values:
            if isinstance(part, ast.Constant):
                prefix += str(part.value)
            elif isinstance(part.value, ast.Name) and part.value.id == "__name__":
                prefix += module
            else:
                break
        yield from (name for name in MODULES if name.startswith(prefix) and prefix.endswith("."))


@functools.cache
def import_graph() -> dict[str, dict[str, int]]:
    """Each module's imports of the package, each with the line of its first import."""
    graph: dict[str, dict[str, int]] = {}
    for module, path in MODULES.items():
        edges = graph.setdefault(module, {})
        for target, line in imported(module, path.read_text()):
            edges.setdefault(target, line)
    return graph


def circles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, {}):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def where(module: str, line: int) -> str:
    return f"{MODULES[module].relative_to(PACKAGE.parent)}:{line}"


def test_every_module_has_a_layer() -> None:
    missing = [m for m in MODULES if layer_of(m) is None]
    assert missing == [], f"give these modules a layer in LAYERS ({__file__}): {missing}"


def test_no_import_runs_against_the_flow() -> None:
    graph = import_graph()
    backwards = []
    for module, edges in graph.items():
        mine = layer_of(module)
        for target, line in edges.items():
            theirs = layer_of(target)
            if mine is not None and theirs is not None and theirs > mine:
                backwards.append(
                    f"{where(module, line)}: {module} ({LAYERS[mine][0]}) imports {target} ({LAYERS[theirs][0]})"
                )
    assert backwards == [], "imports against the flow:\n" + "\n".join(backwards)


def test_no_import_circle() -> None:
    graph = import_graph()
    problems = []
    for group in circles(graph):
        ties = [f"  {where(m, graph[m][t])}: {m} imports {t}" for m in group for t in graph[m] if t in group]
        problems.append(f"{' <-> '.join(group)}:\n" + "\n".join(ties))
    assert problems == [], "import circles:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("copilot_tui.store", "def f():\n    from copilot_tui.ui import format\n", {"copilot_tui.ui.format"}),
        ("copilot_tui.store", "if TYPE_CHECKING:\n    import copilot_tui.app as app\n", {"copilot_tui.app"}),
        ("copilot_tui.metrics.parse", "from .derive import Period\n", {"copilot_tui.metrics.derive"}),
        ("copilot_tui.metrics.parse", "from . import model\n", {"copilot_tui.metrics.model"}),
        ("copilot_tui.cli", "importlib.import_module(f'copilot_tui.commands.{name}')\n", {"copilot_tui.commands.sync"}),
    ],
)
def test_the_walk_sees_lazy_relative_and_dynamic_imports(module: str, source: str, expected: set[str]) -> None:
    assert expected <= {target for target, _ in imported(module, source)}
