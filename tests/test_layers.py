"""The layers of the bot, read from the source: the engine stays free of Telegram and SQL, storage
free of the channels, and no two modules import each other at load time.

Imports under ``if TYPE_CHECKING:`` are for annotations only and never run, so they may point
anywhere; every other import (module level or inside a function) counts.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "bot"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULE_NAMES = {_module_name(path) for path in PACKAGE.rglob("*.py")}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path) -> set[str]:
    """Every module this file imports when it runs, with relative imports resolved."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                # ``from bot import i18n`` imports the module bot.i18n (and the package's
                # __init__, which Python runs first and which is not a cycle).
                names = {f"{base}.{alias.name}" for alias in child.names}
                modules = names & MODULE_NAMES
                found.update(modules)
                if names - modules:
                    found.add(base)
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return found


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}
IMPORTS = {name: _imports(path) for name, path in MODULES.items()}


def _within(imported: str, prefix: str) -> bool:
    return imported == prefix or imported.startswith(prefix + ".")


def test_the_package_is_read() -> None:
    assert "bot.engine.meeting" in MODULES
    assert "bot.engine.acts" in IMPORTS["bot.engine.meeting"]


def test_no_import_cycle_between_modules() -> None:
    graph = {
        name: {other for other in imported if other in MODULES and other != name}
        for name, imported in IMPORTS.items()
    }
    done: set[str] = set()
    path: list[str] = []

    def walk(name: str) -> None:
        if name in path:
            cycle = [*path[path.index(name) :], name]
            pytest.fail("import cycle: " + " -> ".join(cycle))
        if name in done:
            return
        path.append(name)
        for other in sorted(graph[name]):
            walk(other)
        path.pop()
        done.add(name)

    for name in sorted(graph):
        walk(name)


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        ("bot.engine", ("bot.channels", "bot.storage", "telegram", "sqlite3", "psycopg")),
        ("bot.storage", ("bot.channels", "telegram")),
    ],
)
def test_layer_imports_nothing_from_the_outer_ones(layer: str, forbidden: tuple[str, ...]) -> None:
    wrong = sorted(
        f"{name} imports {imported}"
        for name, imported_all in IMPORTS.items()
        if _within(name, layer)
        for imported in imported_all
        if any(_within(imported, outer) for outer in forbidden)
    )
    assert not wrong, wrong
