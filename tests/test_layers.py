"""The house rules of the core package, checked on its source: imports between its top-level parts point
one way only (lazy imports inside functions count too), the ``/transcribe`` client never imports the server,
the composition root is imported only by the command line, and no module outgrows 500 lines."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "dictation_daemon"


def _imports() -> dict[tuple[str, str], list[str]]:
    """(importing part, imported part) → the modules whose imports make that edge."""
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        package = parts[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = list(package[: len(package) - node.level + 1])
                    targets = [".".join(base + ([node.module] if node.module else []))]
                else:
                    targets = [node.module or ""]
            for target in targets:
                target_parts = target.split(".")
                if target_parts[0] != "dictation_daemon" or len(target_parts) < 2 or len(parts) < 2:
                    continue
                source, imported = parts[1], target_parts[1]
                if source != imported:
                    edges[(source, imported)].append(".".join(parts))
    return edges


def test_no_import_cycle_between_the_top_level_parts():
    edges = _imports()
    graph: dict[str, set[str]] = defaultdict(set)
    for source, imported in edges:
        graph[source].add(imported)

    def reaches(start: str, goal: str) -> bool:
        seen, stack = set(), [start]
        while stack:
            node = stack.pop()
            if node == goal:
                return True
            if node not in seen:
                seen.add(node)
                stack.extend(graph[node])
        return False

    cycles = sorted(f"{a} -> {b} ({edges[(a, b)][0]})" for a, b in edges if reaches(b, a))
    assert cycles == []


def test_the_transcribe_client_does_not_import_the_server():
    assert [modules for (source, imported), modules in _imports().items()
            if source == "client" and imported == "server"] == []


def test_only_the_command_line_imports_the_composition_root():
    importers = {source for source, imported in _imports() if imported == "app"}
    assert importers <= {"cli", "doctor", "__main__"}


def test_the_vocabulary_imports_nothing_of_the_daemon():
    assert [imported for source, imported in _imports() if source == "events"] == []


def test_no_module_is_over_500_lines():
    long = {str(path.relative_to(PACKAGE)): count for path in PACKAGE.rglob("*.py")
            if (count := len(path.read_text(encoding="utf-8").splitlines())) > 500}
    assert long == {}
