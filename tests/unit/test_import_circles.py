"""No import circle between the modules of trialguard, and no module over 300 lines.

Every import counts: at the top of a module, inside a function, under TYPE_CHECKING. A package's
`__init__` is a module of its own: `pkg/__init__` importing `pkg.sub` while `pkg.sub` imports
from `pkg` is a circle. `from pkg import name` points to `pkg.name` when that is a module, else
to `pkg` itself.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "trialguard"
LONGEST_MODULE = 300  # lines; data tables would be named here, and none is that long yet


def module_paths() -> dict[str, Path]:
    """Every module of the package by its dotted name."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imported_names(name: str, path: Path) -> set[str]:
    """The dotted names a module imports anywhere in its text, relative imports resolved."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(package, node.module, node.level)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _absolute(package: str, module: str | None, level: int) -> str:
    if not level:
        return module or ""
    parts = package.split(".")[: len(package.split(".")) - (level - 1)]
    return ".".join(parts + ([module] if module else []))


def import_graph() -> dict[str, set[str]]:
    """Module -> the package's modules it imports (the longest dotted prefix that is one)."""
    paths = module_paths()
    graph = {}
    for name, path in paths.items():
        targets = set()
        for imported in imported_names(name, path):
            while imported and imported not in paths:
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                targets.add(imported)
        graph[name] = targets
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            target = next(targets, None)
            if target is not None:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def test_no_import_circle_between_modules():
    found = circles(import_graph())
    assert found == [], "\n".join(" <-> ".join(group) for group in found)


def test_the_walk_sees_imports_inside_functions_and_under_type_checking():
    graph = import_graph()
    assert "trialguard.pipeline" in graph["trialguard"]  # TYPE_CHECKING
    assert any(g.startswith("trialguard.reporting") for g in graph["trialguard.report"])


def test_the_circle_finder_finds_a_circle_and_its_members():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert circles(graph) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_relative_imports_resolve_against_the_package():
    assert _absolute("trialguard.reporting", "json", 1) == "trialguard.reporting.json"
    assert _absolute("trialguard.reporting", None, 2) == "trialguard"
    assert _absolute("trialguard", "trialguard.report", 0) == "trialguard.report"


def test_no_module_is_longer_than_the_guide():
    long = {
        path.relative_to(ROOT).as_posix(): lines
        for path in module_paths().values()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > LONGEST_MODULE
    }
    assert long == {}
