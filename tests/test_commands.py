"""The small commands: `derive new`, `derive examples`, `--version`, and an example in
every command's --help."""

import json
import re
import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

import pytest
from click.testing import CliRunner

import derive
from conftest import EXAMPLES, ROOT
from derive.cli import main
from derive.output import render
from derive.views.report import width
from derive.registry.functions import ACTIVATIONS, FUNCTIONS
from derive.registry.losses import LOSSES


def run(*args, **kwargs):
    return CliRunner().invoke(main, [str(a) for a in args], **kwargs)


def test_version():
    result = run("--version")
    assert (result.exit_code, result.output) == (0, f"derive, version {derive.__version__}\n")


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_has_help_with_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert re.search(r"^  Examples?\b[^\n]*:$", result.output, re.M), result.output
    assert re.search(rf"^    (\S+ )*derive {command}\b", result.output, re.M), result.output


def test_main_help_names_every_command_and_shows_examples():
    result = run("--help")
    assert "Examples:\n    derive new my_network.toml" in result.output
    for command in main.commands:
        assert f"  {command} " in result.output


@pytest.mark.parametrize("kind,flag,loss", [("network", "--network", 0.04218834953604862),
                                            ("network", None, 0.04218834953604862),
                                            ("graph", "--graph", -12.0)])
def test_new_spec_solves_as_written(kind, flag, loss, tmp_path):
    target = tmp_path / "mine.toml"
    result = run("new", *([flag] if flag else []), target)
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert text == render.starter(kind)
    assert sum(line.lstrip().startswith("#") for line in text.splitlines()) >= 8  # it explains itself
    data = derive.solve(target).as_json()
    assert data["loss"]["value"] == pytest.approx(loss, rel=1e-15)
    # the starter's worksheet ranges work too
    assert len(derive.worksheets(target, variants_count=2)) == 1


@pytest.mark.parametrize("kind,flag,title", [("network", [], "2-2-1 신경망, 한 단계"),
                                             ("graph", ["--graph"], "f = (x + y) z")])
def test_new_in_korean(kind, flag, title, tmp_path):
    """--lang ko: the same spec as the English starter, its title, lang and comments in
    Korean, and a page in Korean when solved."""
    target = tmp_path / "숙제.toml"
    result = run("new", "--lang", "ko", *flag, target)
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert text == render.starter(kind, "ko")
    korean, english = tomllib.loads(text), tomllib.loads(render.starter(kind, "en"))
    assert (korean.pop("title"), korean.pop("lang"), english.pop("lang")) == (title, "ko", "en")
    english.pop("title")
    assert korean == english
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    # every comment that explains (rather than shows a commented-out key) is in Korean
    english_words = re.compile(r"\b(the|of|one|per|and|what|is|to)\b")
    assert not [line for line in text.splitlines() if "#" in line and english_words.search(line.split("#", 1)[1])]
    assert sum(bool(re.search("[\uac00-\ud7a3]", line)) for line in text.splitlines()) >= 6 and "# 풀이 문장의 언어: en 또는 ko" in text
    assert max(len(line) for line in comments if line.startswith("# ")) <= 88
    solution = derive.solve(target)
    assert solution.to_markdown().startswith(f"# {title}\n\n## 주어진 값\n")
    assert solution.as_json() == derive.solve(render.starter(kind, "en")).as_json() | {"title": title}


def test_new_never_replaces_a_file(tmp_path):
    target = tmp_path / "mine.toml"
    target.write_text("mine", encoding="utf-8")
    result = run("new", target)
    assert result.exit_code == 2
    assert result.output == f"Error: {target}: already exists; derive new never replaces a file (choose another name)\n"
    assert target.read_text(encoding="utf-8") == "mine"


def test_new_into_a_missing_folder(tmp_path):
    result = run("new", tmp_path / "nowhere" / "mine.toml")
    assert result.exit_code == 2
    assert result.output == f"Error: {tmp_path / 'nowhere' / 'mine.toml'}: the folder {tmp_path / 'nowhere'} does not exist\n"


def test_new_to_standard_output():
    result = run("new", "--graph", "-")
    assert result.exit_code == 0
    assert result.output == render.starter("graph")


def test_the_starter_lists_what_the_registries_hold():
    """The starter's comments come from the registries: every activation, loss, function
    and language, each named once, and no comment line wider than a terminal's 88."""
    network, graph = render.starter("network"), render.starter("graph")
    comments = " ".join(line[2:] for line in network.splitlines() if line.startswith("# "))
    for name in [*ACTIVATIONS, *LOSSES]:
        assert re.search(rf"(?<![\w]){name}(?![\w])", comments), name
    assert ("# and exp log sqrt abs sin cos tanh max min sigmoid softplus relu leaky_relu step\n" in graph
            and set(FUNCTIONS) == set("exp log sqrt abs sin cos tanh max min sigmoid softplus relu leaky_relu step".split()))
    assert "leaky_relu (with slope = 0.01)" in comments and "step (last layer only)" in comments
    assert "cross_entropy (after a softmax layer)" in comments
    assert '# "(y1 - yhat)**2 / 2"' in network  # a quoted example is never broken
    assert "# the language of the prose: en or ko" in network
    assert max(len(line) for line in (network + graph).splitlines()) <= 100
    assert max(len(line) for line in (network + graph).splitlines() if line.startswith("# ")) <= 88


def test_examples_lists_each_with_its_title_and_file():
    result = run("examples")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == len(EXAMPLES)
    for line, path in zip(lines, EXAMPLES):
        name, rest = line.split(None, 1)
        assert name == path.stem and line.endswith(str(path))
    assert "  2-2-1 신경망, 한 단계  " in lines[EXAMPLES.index(ROOT / "examples" / "seed004_221_network.toml")]
    # the paths line up in a terminal, where a Hangul syllable takes two columns
    assert len({width(line[:line.index("/")]) for line in lines}) == 1


def test_examples_by_name():
    result = run("examples", "seed004")
    assert (result.exit_code, result.output) == (0, f"{ROOT / 'examples' / 'seed004_221_network.toml'}\n")
    assert run("examples", "seed004_221_network").output == result.output
    ambiguous = run("examples", "seed")
    assert ambiguous.exit_code == 2 and "seed: names several examples (known: neuron_ten_steps," in ambiguous.output
    missing = run("examples", "xor")
    assert missing.exit_code == 2 and "xor: no such example" in missing.output


def test_numpy_format_from_the_command_line(tmp_path):
    spec = ROOT / "examples" / "seed004_221_network.toml"
    result = run("solve", spec, "-f", "numpy", "-o", tmp_path / "check.py")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "check.py").read_text(encoding="utf-8").startswith("#!/usr/bin/env python3\n")
    assert json.loads(run("solve", spec, "-f", "json").output)["loss"]["name"] == "L"


def test_each_example_is_titled_in_its_language():
    """A Korean example has a Korean title (or a formula alone); an English one no Hangul."""
    for path in EXAMPLES:
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
        hangul = re.search("[\uac00-\ud7a3]", spec["title"])
        words = re.findall("[A-Za-z]{3,}", spec["title"])
        if spec["lang"] == "ko":
            assert hangul or not words, (path.name, spec["title"])
        else:
            assert not hangul, (path.name, spec["title"])
