"""The one-way house: each stage imports only itself and the stages before it, and no
module imports itself back through others. Function-level imports count too, so a lazy
import cannot hide a back edge. See docs/architecture.md."""

import ast
import re

import pytest

from conftest import ROOT

PACKAGE = ROOT / "derive"
#: The stages in the order data flows through them; a module is in the first whose
#: prefix matches its name.
STAGES = (
    ("foundation", ("derive.errors", "derive.numbers", "derive.options", "derive.version",
                    "derive.registry", "derive.languages")),
    ("reading", ("derive.reading",)),
    ("engine", ("derive.engine",)),
    ("views", ("derive.views",)),
    ("output", ("derive.output",)),
    ("entry", ("derive.api", "derive.cli", "derive")),
)


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def stage(module):
    for number, (_, prefixes) in enumerate(STAGES):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return number
    raise AssertionError(f"{module} is in no stage: add it to STAGES and to docs/architecture.md")


def imports(path):
    """The derive modules ``path`` imports, anywhere in it (module-level or in a function)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "derive"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "derive":
                continue
            for alias in node.names:
                # `from . import chain` names a module; `from .chain import derive` a function
                candidate = f"{target}.{alias.name}"
                found.add(candidate if _exists(candidate) else target)
    return found


def _exists(module):
    path = ROOT.joinpath(*module.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
EDGES = {m: {i for i in imports(p) if i != m} for m, p in MODULES.items()}


def test_every_import_names_a_module_that_exists():
    missing = sorted((m, i) for m, targets in EDGES.items() for i in targets if i not in MODULES)
    assert missing == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_import_runs_against_the_flow(module):
    back = sorted(i for i in EDGES[module] if stage(i) > stage(module))
    assert back == [], (f"{module} (stage {STAGES[stage(module)][0]}) imports a later stage: "
                        + ", ".join(f"{i} ({STAGES[stage(i)][0]})" for i in back))


def test_no_import_loops():
    loops, state = [], {}

    def visit(module, trail):
        state[module] = "open"
        for target in sorted(EDGES[module]):
            if state.get(target) == "open":
                loops.append(trail[trail.index(target):] + [target] if target in trail else [module, target])
            elif target not in state:
                visit(target, trail + [target])
        state[module] = "done"

    for module in sorted(EDGES):
        if module not in state:
            visit(module, [module])
    assert loops == []


def test_the_stages_hold_what_the_docs_say():
    """docs/architecture.md places every module: its folder and its own name."""
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for module in MODULES:
        parts = module.split(".")[1:]
        if not parts:
            continue
        named = (f"`{parts[-1]}`", f"`{parts[-1]}/`", f"`{'/'.join(parts)}.py`")
        assert any(n in doc for n in named), f"docs/architecture.md does not name {module}"
        if len(parts) > 1:
            assert f"`{parts[0]}/`" in doc, f"docs/architecture.md does not name the folder of {module}"


def test_templates_reach_no_internals():
    """A template reads the fields of its view record: no attribute that starts with an
    underscore (the way out of a sandbox and into an object's insides)."""
    pattern = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\(\(\(.*?\)\)\)|\(\(\*.*?\*\)\)", re.S)
    for template in (ROOT / "templates").rglob("*.j2"):
        for code in pattern.findall(template.read_text(encoding="utf-8")):
            assert not re.search(r"\._|__", code), (template.name, code)
