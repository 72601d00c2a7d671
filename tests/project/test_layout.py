"""The layout's rules, read from the code: the pipeline free of Django, the app free of the project
package, Whoosh only behind search's face, no import loops, no formatter opt-outs."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP_PACKAGES = ("documents", "search")


def modules(package: str) -> dict[str, Path]:
    found = {}
    for path in (ROOT / package).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports_of(path: Path, top_level_only: bool = False) -> set[str]:
    """Every module ``path`` imports (``from a.b import c`` counts a.b and a.b.c)."""
    tree = ast.parse(path.read_text())
    nodes = tree.body if top_level_only else ast.walk(tree)
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


APP = {name: path for package in APP_PACKAGES for name, path in modules(package).items()}


@pytest.mark.parametrize("name", sorted(n for n in APP if n.startswith("documents.ingest")))
def test_the_ingest_pipeline_imports_nothing_of_django_or_the_rest_of_the_app(name):
    wrong = {
        module
        for module in imports_of(APP[name])
        if module.split(".")[0] in ("django", "search", "foia_archive", "haystack", "taggit")
        or module.startswith("documents.")
        and not module.startswith("documents.ingest")
    }
    assert not wrong


def test_no_app_module_imports_the_project_package():
    assert {
        name
        for name, path in APP.items()
        if any(module.split(".")[0] == "foia_archive" for module in imports_of(path))
    } == set()


def test_whoosh_is_imported_only_inside_search_and_search_only_through_its_face():
    # The benchmarks time plain Whoosh beside the archive's search, so they are not held to it.
    outside = {**modules("documents"), **modules("foia_archive")}
    assert {
        n for n, p in outside.items() if any(m.startswith("whoosh") for m in imports_of(p))
    } == set()
    private = {
        name
        for name, path in outside.items()
        if any(
            module.split(".")[1:2] and module.split(".")[1].startswith("_")
            for module in imports_of(path)
            if module.startswith("search.")
        )
    }
    assert private == set()


def test_no_module_imports_another_in_a_loop():
    graph = {
        name: {module for module in imports_of(path, top_level_only=True) if module in APP}
        for name, path in APP.items()
    }
    loops = []

    def visit(name, trail):
        if name in trail:
            loops.append(trail[trail.index(name) :] + [name])
            return
        if name in done:
            return
        for module in sorted(graph[name]):
            if module != name and not name.startswith(module + "."):
                visit(module, [*trail, name])
        done.add(name)

    done: set[str] = set()
    for name in sorted(graph):
        visit(name, [])
    assert loops == []


def test_the_formatter_formats_everything():
    skipped = [
        path.relative_to(ROOT)
        for package in (*APP_PACKAGES, "foia_archive", "tests", "benchmarks")
        for path in (ROOT / package).rglob("*.py")
        if "fmt: skip" in path.read_text() and path.name != "test_layout.py"
    ]
    assert skipped == []
