"""The import graph keeps its floors: no module imports from a floor above it, no circles.

Floors (see docs/architecture.md), lowest first:

1. ``knowledge`` - the clinical content and its models; imports nothing of Unknot's.
   Beside it ``bounds`` (limits on input) and ``fonts`` (the PDF's font files).
2. ``engine`` - pure functions from findings to an assessment.
3. ``intake``, ``present``, ``report``, ``diary``, ``fhir``, ``validation`` - what
   reads, lays out, keeps or exchanges an assessment; each uses the engine.
4. ``cli``, ``web`` - the surfaces a person meets.
5. ``__main__`` - ``python -m unknot``.

The package's own ``__init__`` holds only the version and imports nothing, so
it counts as the ground floor.

Every import counts, at the top of a file or inside a function (lazy), and
imports made only for type checking too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "unknot"

FLOORS: dict[str, int] = {
    "knowledge": 1,
    "bounds": 1,  # limits on input (sizes, dates): used by every floor, imports nothing
    "fonts": 1,  # font files for the PDF
    "cachedir": 1,  # where the compiled knowledge is cached

    "engine": 2,
    "intake": 3,
    "present": 3,
    "report": 3,
    "diary": 3,
    "fhir": 3,
    "validation": 3,
    "cli": 4,
    "web": 4,
    "__main__": 5,
    "start": 5,  # the ``unknot`` command's first step
    "__init__": 1,  # the package itself: only its version, which any floor may read
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> Iterator[str]:
    """Every unknot module that ``path`` imports (a package's ``__init__`` counts as it)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("unknot"):
                    yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("unknot"):
                continue
            for alias in node.names:  # ``from .pkg import module`` imports the module
                sub = f"{target}.{alias.name}"
                yield sub if _exists(sub) else target


def _exists(module: str) -> bool:
    rel = Path(*module.split(".")[1:])
    return (SRC / rel).with_suffix(".py").exists() or (SRC / rel / "__init__.py").exists()


def _resolve(module: str) -> str:
    """A module name as it exists on disk (``unknot.engine.assess`` -> ``unknot.engine``)."""
    while not _exists(module) and "." in module:
        module = module.rsplit(".", 1)[0]
    return module


def graph(root: Path = SRC) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        name = module_name(path)
        out[name] = {_resolve(m) for m in imports(path)} - {name}
    return out


def floor(module: str) -> int:
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "__init__"
    return FLOORS[top]


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def package_init_edges(edges: dict[str, set[str]]) -> dict[str, set[str]]:
    """A package's ``__init__`` re-exports its modules: importing a module from inside
    its own package through the package is not a circle of meaning, so those edges go."""
    out: dict[str, set[str]] = {}
    for module, targets in edges.items():
        out[module] = {t for t in targets if not module.startswith(t + ".")}
    return out


def test_every_package_has_a_floor() -> None:
    tops = {module_name(p).split(".")[1] for p in SRC.rglob("*.py") if p.parent != SRC}
    tops |= {p.stem for p in SRC.glob("*.py")}
    assert tops <= set(FLOORS), f"give these a floor: {sorted(tops - set(FLOORS))}"


def test_no_module_imports_from_a_floor_above_it() -> None:
    upward = [
        f"{module} (floor {floor(module)}) imports {target} (floor {floor(target)})"
        for module, targets in graph().items()
        for target in sorted(targets)
        if floor(target) > floor(module)
    ]
    assert not upward, "\n".join(upward)


def test_knowledge_imports_nothing_of_unknot_above_it() -> None:
    found = {
        target
        for module, targets in graph().items()
        if module.startswith("unknot.knowledge")
        for target in targets
        if floor(target) > 1
    }
    assert not found


def test_there_are_no_import_circles() -> None:
    assert cycles(package_init_edges(graph())) == []


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ({"a": {"b"}, "b": {"a"}, "c": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
    ],
)
def test_the_circle_finder_finds_circles(
    edges: dict[str, set[str]], expected: list[list[str]]
) -> None:
    assert cycles(edges) == expected


def test_the_walk_sees_lazy_and_relative_imports(tmp_path: Path) -> None:
    engine = SRC / "engine" / "entry.py"
    assert "unknot.engine.assessment" in set(imports(engine))
    cli_assess = SRC / "cli" / "quick.py"
    assert "unknot.engine" in {_resolve(m) for m in imports(cli_assess)}  # inside a function
