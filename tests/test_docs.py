"""The user guide (docs/ and README.md): the site builds with ``mkdocs build --strict``, and
every example in it runs and prints what the page says it prints.

Each page runs in a folder of its own (``examples/`` linked into it), its blocks in the
order they stand, so a file one block writes is there for the next. HTML comments, which
the site does not show, say what a block is; they stand on the lines just before it:

- ```` ```toml ````: a spec, solved (``derive solve FILE -f json``, exit status 0).
  ``<!-- file: NAME -->`` writes it to NAME first, for the commands after it (a file with
  neither ``[network]`` nor ``[graph]``, such as an answers file, is only written);
  ``<!-- fragment -->`` is part of a spec, only read as TOML; ``<!-- error: LINE -->``
  is a spec that derive refuses: ``derive solve spec.toml`` prints exactly LINE, exit 2.
- ```` ```console ````: each ``$ `` line is a command and the lines after it, up to the
  next ``$ ``, what it prints on the terminal (standard output and error, trailing spaces
  aside); a line ``...`` stands for any number of lines. ``derive`` runs in this process,
  ``python`` is this interpreter, anything else runs in bash (``echo $?`` is the last
  derive command's exit status).
- ```` ```sh ````: each ``derive`` command runs and must succeed (``derive check`` may
  also exit 1, its status for a wrong answer); ``python FILE.py`` runs the script and
  ``mkdir`` makes its folder; other commands (pip, mkdocs, apt-get) are instructions and
  are not run.
- ```` ```pycon ````: doctests; ```` ```python ````: run with ``exec``; both share one
  namespace a page. ```` ```json ```` must parse. Blocks in other languages (text, csv)
  are only written, when a ``file:`` marker names a file.
- A table after ``<!-- changes: NAME -->``, whose rows are `` `CHANGE` | `MESSAGE` ``:
  each CHANGE (``key.path = TOML value`` or ``remove key.path``, several joined by ``;``,
  array places counted from 1 as derive's messages count them) is made to the spec in
  NAME, and ``derive solve spec.toml`` must print ``Error: spec.toml: MESSAGE``, exit 2.
- ``<!-- pending -->``: the block needs interface that is not in this version; skipped.

No PDF is compiled here: XeLaTeX is replaced by a stand-in that returns a few bytes (the
PDF tests compile them for real), so a command that writes a PDF runs everything else.
"""

import doctest
import importlib.util
import json
import re
import shlex
import subprocess
import sys
import textwrap
from decimal import Decimal

import pytest
from click.testing import CliRunner

from conftest import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DOCS = ROOT / "docs"
PAGES = sorted(p.name for p in DOCS.glob("*.md"))
#: Generated from the registries by tests/golden.py; tests/test_outputs.py keeps it current.
GENERATED = {"reference.md"}
FENCE = re.compile(r"^(`{3,}|~{3,})([\w+-]*)[^\n`]*$")
MARKER = re.compile(r"^<!--\s*(.*?)\s*-->$")
FAKE_PDF = b"%PDF-1.5\n% a stand-in: tests/test_docs.py starts no XeLaTeX\n"


# --- reading a page ---------------------------------------------------------------------

def items(text):
    """[(kind, line, markers, body)]: fenced blocks (kind = their language) and the tables
    after a ``changes:`` marker (kind "changes"), in page order."""
    lines = text.split("\n")
    found, i = [], 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        markers = _markers(lines, i)
        if match:
            fence, lang = match.group(1), match.group(2)
            end = i + 1
            while end < len(lines) and not (lines[end].startswith(fence[0] * len(fence))
                                             and lines[end].strip(fence[0]) == ""):
                end += 1
            found.append((lang or "text", i + 1, markers, "\n".join(lines[i + 1:end])))
            i = end + 1
            continue
        if lines[i].startswith("|") and any(m.startswith("changes:") for m in markers):
            end = i
            while end < len(lines) and lines[end].startswith("|"):
                end += 1
            found.append(("changes", i + 1, markers, "\n".join(lines[i:end])))
            i = end
            continue
        i += 1
    return found


def _markers(lines, i):
    """The HTML comments on the lines just before line ``i`` (blank lines between allowed)."""
    markers, j = [], i - 1
    while j >= 0 and (not lines[j].strip() or MARKER.match(lines[j].strip())):
        match = MARKER.match(lines[j].strip())
        if match:
            markers.append(match.group(1))
        j -= 1
    return markers


def marker(markers, name):
    """The value of ``name: value`` among ``markers``, True for a bare ``name``, else None."""
    for m in markers:
        if m == name:
            return True
        if m.startswith(name + ":"):
            return m[len(name) + 1:].strip()
    return None


# --- running derive -----------------------------------------------------------------------

def derive(args):
    """(exit status, what a terminal shows) of ``derive ARGS``, run in this process."""
    from derive.cli import main

    result = CliRunner().invoke(main, args, prog_name="derive")
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def words(command):
    """A command line as its words, with ``$(derive ...)`` replaced by what it prints."""
    def substitute(match):
        status, output = derive(shlex.split(match.group(1))[1:])
        assert status == 0, f"{match.group(0)}: {output}"
        return shlex.quote(output.strip())

    return shlex.split(re.sub(r"\$\((derive [^)]*)\)", substitute, command), comments=True)


def segments(command):
    """The ``&&``-joined parts of a command line, each as its words."""
    parts, current = [], []
    for word in words(command):
        if word == "&&":
            parts.append(current)
            current = []
        else:
            current.append(word)
    return [p for p in parts + [current] if p]


def run(command, folder, last):
    """(status, output) of one console command line."""
    if command.startswith("derive ") and not re.search(r"[|><;]|&&", command.replace("$(", "")):
        return derive(words(command)[1:])
    if command.startswith("derive ") and " | " in command:
        head, tail = command.split(" | ", 1)
        status, output = derive(words(head)[1:])
        piped = subprocess.run(["bash", "-c", tail], input=output, capture_output=True, text=True, cwd=folder)
        return status, piped.stdout + piped.stderr
    if command == "echo $?":
        return 0, f"{last}\n"
    command = re.sub(r"^python3? ", shlex.quote(sys.executable) + " ", command)
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, cwd=folder)
    return done.returncode, done.stdout + done.stderr


def same(expected, got):
    """Whether ``got`` matches ``expected`` line by line, a line ``...`` matching any lines."""
    def clean(text):
        lines = [line.rstrip() for line in text.split("\n")]
        while lines and not lines[-1]:
            lines.pop()
        return lines

    want, have = clean(expected), clean(got)

    def match(i, j):
        if i == len(want):
            return j == len(have)
        if want[i] == "...":
            return any(match(i + 1, k) for k in range(j, len(have) + 1))
        return j < len(have) and want[i] == have[j] and match(i + 1, j + 1)

    return match(0, 0)


# --- the changes tables -------------------------------------------------------------------

def _split_changes(text):
    parts, depth, quote, current = [], 0, None, ""
    for char in text:
        if quote:
            quote = None if char == quote and not current.endswith("\\") else quote
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        elif char == ";" and depth == 0:
            parts.append(current.strip())
            current = ""
            continue
        current += char
    return [p for p in parts + [current.strip()] if p]


def _path(path):
    steps = []
    for part in path.split("."):
        name, indices = re.fullmatch(r"([A-Za-z0-9_]+)((?:\[\d+\])*)", part).groups()
        steps.append(name)
        steps += [int(i) - 1 for i in re.findall(r"\d+", indices)]
    return steps


def changed(spec_text, changes):
    """``spec_text`` with ``changes`` made, as TOML."""
    from derive.reading.builders import to_toml

    data = tomllib.loads(spec_text, parse_float=Decimal)
    for change in _split_changes(changes):
        if change.startswith("remove "):
            path, value = change[len("remove "):].strip(), None
        else:
            path, text = change.split("=", 1)
            path, value = path.strip(), tomllib.loads("v = " + text.strip(), parse_float=Decimal)["v"]
        *head, last = _path(path)
        node = data
        for step in head:
            node = node.setdefault(step, {}) if isinstance(node, dict) else node[step]
        if value is None:
            del node[last]
        elif isinstance(node, list) and last == len(node):
            node.append(value)
        else:
            node[last] = value
    return to_toml(data)


def table_rows(table):
    """(change, message) of each row of a changes table (its header and rule left out)."""
    rows = []
    for line in table.split("\n")[2:]:
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        assert len(cells) == 2 and all(c.startswith("`") and c.endswith("`") for c in cells), line
        rows.append(tuple(c[1:-1] for c in cells))
    return rows


# --- one page -----------------------------------------------------------------------------

def is_spec(text):
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return True  # a spec meant to be read; solving it says what is wrong
    return "network" in data or "graph" in data


class Page:
    def __init__(self, name, folder):
        self.name, self.folder = name, folder
        self.globs = {"__name__": "__docs__"}
        self.status = 0
        self.pending = []

    def where(self, line):
        return f"{self.name}, line {line}"

    def toml(self, line, markers, body):
        text = body + "\n"
        if marker(markers, "fragment"):
            tomllib.loads(text)
            return
        error = marker(markers, "error")
        if error:
            (self.folder / "spec.toml").write_text(text, encoding="utf-8")
            status, output = derive(["solve", "spec.toml"])
            assert (status, output) == (2, error + "\n"), f"{self.where(line)}: derive said [{status}] {output}"
            return
        name = marker(markers, "file")
        path = self.folder / (name or ".block.toml")
        path.write_text(text, encoding="utf-8")
        if name and not is_spec(text):
            return
        status, output = derive(["solve", str(path.name), "-f", "json"])
        assert status == 0, f"{self.where(line)}: {output}"

    def file(self, line, markers, body):
        (self.folder / marker(markers, "file")).write_text(body + "\n", encoding="utf-8")

    def console(self, line, markers, body):
        session = re.split(r"^\$ ", "\n" + body, flags=re.M)[1:]
        for part in session:
            command, _, expected = part.partition("\n")
            status, output = run(command, self.folder, self.status)
            if command.startswith("derive "):
                self.status = status
            assert same(expected, output), f"{self.where(line)}: $ {command}\nprinted:\n{output}"

    def sh(self, line, markers, body):
        body = re.sub(r"\\\n\s*", " ", body)
        for command in body.split("\n"):
            for words_ in segments(command) if command.strip() else []:
                if words_[0] == "derive":
                    if ">" in words_:
                        at = words_.index(">")
                        status, output = derive(words_[1:at])
                        (self.folder / words_[at + 1]).write_text(output, encoding="utf-8")
                    else:
                        status, output = derive(words_[1:])
                    allowed = (0, 1) if words_[1:2] == ["check"] else (0,)
                    assert status in allowed, f"{self.where(line)}: {' '.join(words_)}: [{status}] {output}"
                elif words_[0] == "mkdir":
                    subprocess.run(words_, check=True, cwd=self.folder)
                elif words_[0] in ("python", "python3") and words_[1].endswith(".py"):
                    done = subprocess.run([sys.executable, *words_[1:]], capture_output=True, text=True,
                                          cwd=self.folder)
                    assert done.returncode == 0, f"{self.where(line)}: {' '.join(words_)}: {done.stderr}"

    def pycon(self, line, markers, body):
        parser = doctest.DocTestParser()
        test = parser.get_doctest(body, self.globs, self.where(line), self.name, line)
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
        runner.run(test, clear_globs=False)
        self.globs = test.globs  # later blocks go on from earlier ones, as a reader's session does
        assert runner.failures == 0, f"{self.where(line)}: {runner.failures} example(s) failed (printed above)"

    def python(self, line, markers, body):
        exec(compile(body, self.where(line), "exec"), self.globs)

    def changes(self, line, markers, body):
        base = (self.folder / marker(markers, "changes")).read_text(encoding="utf-8")
        for change, message in table_rows(body):
            (self.folder / "spec.toml").write_text(changed(base, change), encoding="utf-8")
            status, output = derive(["solve", "spec.toml"])
            assert (status, output) == (2, f"Error: spec.toml: {message}\n"), \
                f"{self.where(line)}: `{change}`: derive said [{status}] {output}"

    def json(self, line, markers, body):
        json.loads(body)
        if marker(markers, "file"):
            self.file(line, markers, body)

    def run(self, text, kinds):
        for kind, line, markers, body in items(text):
            if marker(markers, "pending"):
                self.pending.append(line)
                continue
            kind = {"bash": "sh", "shell": "sh"}.get(kind, kind)
            if kind in kinds:
                getattr(self, kind)(line, markers, body)
            elif marker(markers, "file"):
                self.file(line, markers, body)


@pytest.fixture
def folder(tmp_path, monkeypatch):
    from derive.output import pdf

    (tmp_path / "examples").symlink_to(ROOT / "examples", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(pdf, "compile_tex", lambda tex, *args, **kwargs: FAKE_PDF)
    monkeypatch.setattr(pdf, "available", lambda: True)
    return tmp_path


ALL = ("toml", "console", "sh", "pycon", "python", "changes", "json")


@pytest.mark.parametrize("name", [p for p in PAGES if p not in GENERATED])
def test_page_examples_run(name, folder):
    page = Page(f"docs/{name}", folder)
    page.run((DOCS / name).read_text(encoding="utf-8"), ALL)


def test_readme_commands_run(folder):
    # the README's Python examples are doctests of tests/test_readme.py
    page = Page("README.md", folder)
    page.run((ROOT / "README.md").read_text(encoding="utf-8"), ("toml", "console", "sh"))


def test_every_page_is_in_the_navigation():
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    listed = set(re.findall(r"([\w-]+\.md)\b", config))
    assert set(PAGES) <= listed, f"not in mkdocs.yml's nav: {sorted(set(PAGES) - listed)}"
    assert listed <= set(PAGES), f"in mkdocs.yml's nav but not in docs/: {sorted(listed - set(PAGES))}"


def test_site_builds_strict(tmp_path):
    if importlib.util.find_spec("mkdocs") is None:
        pytest.skip("mkdocs is not installed (pip install '.[docs]')")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(ROOT / "mkdocs.yml"),
                           "-d", str(tmp_path / "site")], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "site" / "index.html").is_file()


def test_the_conventions_find_every_block():
    # a block in a language the runner does not know, or a fence it does not see (an indented
    # one, inside a list), would be left unchecked
    known = set(ALL) | {"bash", "shell", "text", "csv", "xml", "yaml"}
    for name in PAGES:
        text = (DOCS / name).read_text(encoding="utf-8")
        for kind, line, markers, _ in items(text):
            assert kind in known, f"docs/{name}, line {line}: a ```{kind} block is neither run nor checked"
        indented = [n for n, line in enumerate(text.split("\n"), 1) if re.match(r"\s+(```|~~~)", line)]
        assert not indented, f"docs/{name}, line {indented[0]}: an indented fence; start it at the margin"


def test_changes_are_made_as_written():
    spec = textwrap.dedent("""\
        [network]
        inputs = { x1 = 1 }
        [[network.layers]]
        weights = [[1]]
        """)
    made = tomllib.loads(changed(spec, 'network.layers[1].weights = [[2]]; remove network.inputs; train.steps = 3'))
    assert made == {"network": {"layers": [{"weights": [[2]]}]}, "train": {"steps": 3}}
