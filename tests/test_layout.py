"""The layout stays readable: static checks over toolkit/**/*.py, no import of the package.

docs/design.md, "How the code is laid out", states the rules these tests keep true:

* no import cycle among toolkit modules (module-level imports, package ``__init__`` included);
* no module over 700 lines;
* only ``toolkit.cli`` imports click;
* an import between toolkit modules inside a function says why on the same or the line above
  (start-up time measured, or a cycle it breaks);
* the library never prints and never exits: only ``toolkit.cli`` and ``toolkit/__main__.py`` do.

Everything is read with `ast` and `tokenize`, so the whole file runs in well under a second.
Known exceptions are listed below, each with its reason; a new one fails, and an entry that
no longer applies fails too, so the lists only shrink.
"""

from __future__ import annotations

import ast
import gc
import tokenize
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "toolkit"
MAX_LINES = 700

#: Modules allowed over `MAX_LINES` for now: path -> why. Empty: every module fits.
LONG_MODULES: dict[str, str] = {}

#: Imports between toolkit modules inside a function that carry no comment saying why, found
#: when this test was written: (path, function, imported module) -> what to do. None of them
#: breaks a cycle (each was tried at module level). Fix the source, then remove the entry;
#: never add one.
UNCOMMENTED_LOCAL_IMPORTS: dict[tuple[str, str, str], str] = {}

#: Exits the library may make: (path, call) -> why.
LIBRARY_EXITS: dict[tuple[str, str], str] = {
    ("toolkit/parallel.py", "os._exit()"):
        "a forked worker ends without running the parent's atexit handlers and finalizers",
}

#: Where printing and exiting belong: the command line and ``python -m toolkit``.
CLI_PATHS = ("toolkit/cli/", "toolkit/cli.py", "toolkit/__main__.py")


# ---------------------------------------------------------------------------
# reading the package


@dataclass(frozen=True)
class Import:
    """One import statement's target inside toolkit (or a third-party top-level name)."""

    module: str      # importing module, e.g. "toolkit.actions.collect"
    target: str      # imported module, e.g. "toolkit.ledger" or "click"
    line: int
    function: str    # enclosing function's qualified name, "" at module level
    type_only: bool  # under ``if TYPE_CHECKING:``: never runs


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def _sources() -> dict[str, Path]:
    """Module name -> file, for every module of the package."""
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_package(module: str) -> bool:
    return _sources()[module].name == "__init__.py"


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@cache
def _tree(path: Path) -> ast.Module:
    # parsed with the garbage collector off: a parse makes tens of thousands of objects, none
    # garbage, and in a test worker whose heap is large each full collection they set off
    # walked all of it (the package's parse took 2-3 s there, under 1 s with it off)
    enabled = gc.isenabled()
    gc.disable()
    try:
        return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    finally:
        if enabled:
            gc.enable()


@pytest.fixture(scope="module", autouse=True)
def _parsed_once():
    """The package is parsed once for the module's tests (`_tree`) and let go after them:
    kept, its ASTs (hundreds of thousands of objects) were walked again by every later full
    garbage collection of the test worker."""
    yield
    for cached in (_sources, _tree, _imports, _comment_lines):
        cached.cache_clear()


def _resolve(module: str, node: ast.ImportFrom) -> str:
    """The absolute module a ``from ... import`` names (before its imported names)."""
    if not node.level:
        return node.module or ""
    package = module if _is_package(module) else module.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """Every module an import statement makes Python run, toolkit or not.

    ``import a.b.c`` and ``from a.b import c`` (``c`` a module) run ``a``, ``a.b`` and
    ``a.b.c``: a package's ``__init__`` runs before any of its submodules, so it is an edge
    too, unless it is a package the importing module itself lives in (already running).
    """
    if isinstance(node, ast.Import):
        named = [alias.name for alias in node.names]
    else:
        base = _resolve(module, node)
        named = [base]
        for alias in node.names:
            if f"{base}.{alias.name}" in _sources():
                named.append(f"{base}.{alias.name}")
    own = module.split(".")
    out: list[str] = []
    for name in named:
        parts = name.split(".")
        for i in range(1, len(parts) + 1):
            ancestor = ".".join(parts[:i])
            inside = parts[:i] == own[:i] and (i < len(own) or ancestor == module)
            if not inside and ancestor not in out:
                out.append(ancestor)
    return out


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


@cache
def _imports(module: str) -> tuple[Import, ...]:
    found: list[Import] = []

    def visit(node: ast.AST, function: str, type_only: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                for target in _targets(module, child):
                    found.append(Import(module, target, child.lineno, function, type_only))
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, f"{function}.{child.name}" if function else child.name, type_only)
            elif isinstance(child, ast.Lambda):
                visit(child, function or "<lambda>", type_only)
            elif isinstance(child, ast.ClassDef):
                # a class body runs at import; its methods do not
                inner = f"{function}.{child.name}" if function else ""
                for item in child.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        prefix = f"{function}.{child.name}" if function else child.name
                        visit(item, f"{prefix}.{item.name}", type_only)
                    else:
                        visit(ast.Module(body=[item], type_ignores=[]), inner, type_only)
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                for item in child.body:
                    visit(ast.Module(body=[item], type_ignores=[]), function, True)
                for item in child.orelse:
                    visit(ast.Module(body=[item], type_ignores=[]), function, type_only)
            elif isinstance(child, (ast.stmt, ast.excepthandler, ast.match_case)):
                # an import is a statement: only statements (and the handlers and cases that
                # hold statements) can hold one, never an expression
                visit(child, function, type_only)

    visit(_tree(_sources()[module]), "", False)
    return tuple(found)


def _graph() -> dict[str, set[str]]:
    """toolkit module -> toolkit modules it runs at import time."""
    modules = _sources()
    return {m: {i.target for i in _imports(m)
                if not i.function and not i.type_only and i.target in modules and i.target != m}
            for m in modules}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return out


def _path_in(component: list[str], graph: dict[str, set[str]]) -> str:
    """One concrete loop through a component, for the failure message."""
    start = component[0]
    members = set(component)
    trail, seen = [start], {start}
    while True:
        nxt = sorted(graph[trail[-1]] & members)
        back = [n for n in nxt if n == start]
        if back and len(trail) > 1:
            return " → ".join([*trail, start])
        fresh = [n for n in nxt if n not in seen]
        if not fresh:
            return " → ".join([*trail, nxt[0] if nxt else "?"])
        trail.append(fresh[0])
        seen.add(fresh[0])


@cache
def _comment_lines(path: Path) -> frozenset[int]:
    lines = set()
    with path.open("rb") as f:
        for tok in tokenize.tokenize(f.readline):
            if tok.type == tokenize.COMMENT:
                lines.add(tok.start[0])
    return frozenset(lines)


def _explained(path: Path, line: int) -> bool:
    """A comment on the import's line, or just above the run of imports it belongs to."""
    comments = _comment_lines(path)
    if line in comments:
        return True
    text = path.read_text(encoding="utf-8").splitlines()
    above = line - 1
    while above >= 1 and text[above - 1].lstrip().startswith(("import ", "from ")) and above not in comments:
        above -= 1  # the comment may head a block of imports
    return above in comments


# ---------------------------------------------------------------------------
# the rules


def test_the_reader_understands_relative_imports_and_packages():
    """The graph is only as good as its resolver: pin it on imports that exist today."""
    collect = {i.target for i in _imports("toolkit.actions.collect") if not i.function}
    assert {"toolkit.owed", "toolkit.parallel", "toolkit.ledger", "toolkit.master"} <= collect
    assert "toolkit.actions" not in collect and "toolkit" not in collect  # its own packages
    base = {i.target for i in _imports("toolkit.cli.base") if not i.function}
    assert {"click", "toolkit.click_zh", "toolkit.errors", "toolkit.period"} <= base
    # imported where the workspace is opened (`State.workspace`), and `report` for annotations
    assert "toolkit.workspace" in {i.target for i in _imports("toolkit.cli.base") if i.function}
    assert all(i.type_only for i in _imports("toolkit.cli.base") if i.target == "toolkit.report")
    ledger = {i.target for i in _imports("toolkit.ledger") if not i.function}
    assert {"toolkit.ledger.migrations", "toolkit.ledger.store"} <= ledger
    master = _imports("toolkit.master")
    assert all(i.type_only for i in master if i.target.startswith("toolkit.master."))
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles():
    graph = _graph()
    loops = [_path_in(c, graph) for c in _cycles(graph)]
    assert not loops, "import cycles among toolkit modules (module-level imports):\n" + "\n".join(loops)


def test_no_module_over_700_lines():
    lengths = {_rel(p): len(p.read_text(encoding="utf-8").splitlines()) for p in _sources().values()}
    too_long = {p: n for p, n in lengths.items() if n > MAX_LINES and p not in LONG_MODULES}
    assert not too_long, f"modules over {MAX_LINES} lines (split them): {too_long}"
    fits_now = [p for p in LONG_MODULES if lengths.get(p, 0) <= MAX_LINES]
    assert not fits_now, f"remove from LONG_MODULES, they fit now: {fits_now}"


def _in_cli(path: Path) -> bool:
    rel = _rel(path)
    return rel.startswith(CLI_PATHS[0]) or rel in CLI_PATHS[1:]


def test_only_the_cli_imports_click():
    offenders = [f"{_rel(_sources()[i.module])}:{i.line}"
                 for m, path in _sources().items() if not _in_cli(path)
                 for i in _imports(m) if i.target == "click" or i.target.startswith("click.")]
    assert not offenders, f"click imported outside toolkit.cli: {offenders}"


def _local_imports() -> dict[tuple[str, int], tuple[str, str]]:
    """(path, line) -> (function, module) of every import of a toolkit module inside a
    function; the module is the deepest one the statement names."""
    out: dict[tuple[str, int], tuple[str, str]] = {}
    for m, path in _sources().items():
        for i in _imports(m):
            if i.function and i.target.startswith("toolkit."):
                key = (_rel(path), i.line)
                if key not in out or len(i.target) > len(out[key][1]):
                    out[key] = (i.function, i.target)
    return out


def test_imports_inside_functions_say_why():
    """A toolkit import inside a function hides a dependency from readers and from the cycle
    test; it is only worth it for measured start-up time or to break a cycle, and says so."""
    silent: dict[tuple[str, str, str], int] = {}
    for (rel, line), (function, target) in sorted(_local_imports().items()):
        if not _explained(ROOT / rel, line):
            silent.setdefault((rel, function, target), line)
    new = [f"{rel}:{line} {function}() imports {target}" for (rel, function, target), line in silent.items()
           if (rel, function, target) not in UNCOMMENTED_LOCAL_IMPORTS]
    assert not new, ("imports inside functions without a comment saying why "
                     "(start-up time measured, or the cycle it breaks):\n" + "\n".join(new))
    fixed = sorted(set(UNCOMMENTED_LOCAL_IMPORTS) - set(silent))
    assert not fixed, f"explained or gone now, remove from UNCOMMENTED_LOCAL_IMPORTS: {fixed}"


def _calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Name) and f.id in ("print", "exit", "quit"):
                yield node.lineno, f"{f.id}()"
            elif isinstance(f, ast.Attribute) and f.attr in ("exit", "_exit") and isinstance(f.value, ast.Name) \
                    and f.value.id in ("sys", "os"):
                yield node.lineno, f"{f.value.id}.{f.attr}()"
        elif isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(exc, ast.Name) and exc.id == "SystemExit":
                yield node.lineno, "raise SystemExit"
        elif isinstance(node, ast.ImportFrom) and node.module == "sys" and any(
                a.name == "exit" for a in node.names):
            yield node.lineno, "from sys import exit"


def test_the_library_never_prints_or_exits():
    found = [(_rel(path), line, what) for path in _sources().values() if not _in_cli(path)
             for line, what in _calls(_tree(path))]
    offenders = [f"{rel}:{line} {what}" for rel, line, what in found if (rel, what) not in LIBRARY_EXITS]
    assert not offenders, "the library prints or exits (return data, raise DubanError):\n" + "\n".join(offenders)
    unused = sorted(set(LIBRARY_EXITS) - {(rel, what) for rel, _, what in found})
    assert not unused, f"remove from LIBRARY_EXITS, no longer there: {unused}"


def test_the_detector_sees_print_and_exit():
    code = ast.parse("import sys\nprint(1)\nsys.exit(2)\nraise SystemExit(3)\ndef f():\n    exit()\n")
    assert [what for _, what in sorted(_calls(code))] == ["print()", "sys.exit()", "raise SystemExit", "exit()"]


def test_the_comment_finder_reads_comments_not_strings(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("def f():\n    # start-up: sqlite3 only when asked\n    from .a import b\n    from .c import d\n"
                    "    x = '# not a comment'\n    from .e import g\n    from .h import i  # cycle: h imports us\n",
                    encoding="utf-8")
    assert [_explained(path, n) for n in (3, 4, 6, 7)] == [True, True, False, True]
