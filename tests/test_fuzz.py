"""Fuzzing every input path with a bounded budget: the spec loader, the expression parser
and the answers loader. Whatever comes in, the command ends in a result or one clear line
(exit status 1 or 2), never a traceback or a hang."""

import json
import os
import time

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, ROOT
from derive.cli import main
from derive.errors import SpecError
from derive.reading.expressions import parse_expression

#: DERIVE_FUZZ_EXAMPLES=20000 makes a long run (docs/security.md, fuzzing); CI runs 150.
FUZZ = settings(max_examples=int(os.environ.get("DERIVE_FUZZ_EXAMPLES", 150)), deadline=None, derandomize=True,
                database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SPECS = [p.read_text(encoding="utf-8") for p in EXAMPLES]
ANSWERS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples" / "answers").glob("*.toml"))]
# a hang would show here; a healthy run of one input takes well under a second
LIMIT_SECONDS = 20


@st.composite
def mutated(draw, texts):
    """A real file with a few characters deleted, inserted or replaced: near-valid input."""
    text = draw(st.sampled_from(texts))
    alphabet = st.sampled_from(list('[]{}="\'#.,0123456789-+*/() \n') + ["inf", "nan", "1e400", "__", "x1",
                                                                        "w1", "sigmoid", "layers", "\\u0000"])
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 6))
        text = text[:at] + draw(st.one_of(st.just(""), alphabet)) + text[at + cut:]
    return text


def ends_cleanly(args, allowed=(0, 1, 2), report_on=()):
    """Run the command; a failure is one "Error: " line, except the exit statuses in
    ``report_on``, which mean a finished report (check's 1: some answer is wrong)."""
    start = time.monotonic()
    result = CliRunner().invoke(main, args)
    elapsed = time.monotonic() - start
    assert elapsed < LIMIT_SECONDS, f"took {elapsed:.1f} s"
    assert result.exit_code in allowed, (result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.output
    if result.exit_code in (1, 2) and result.exit_code not in report_on:
        lines = result.output.splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
        assert "Traceback" not in result.output
    return result


@FUZZ
@given(st.one_of(mutated(SPECS), st.text(max_size=300)))
def test_spec_loader(tmp_path_factory, text):
    spec = tmp_path_factory.mktemp("fuzz") / "spec.toml"
    spec.write_text(text, encoding="utf-8", errors="surrogatepass")
    ends_cleanly(["solve", str(spec), "-f", "json"])


TOKENS = ["x", "y", "1", "2.5", "1e3", "+", "-", "*", "/", "**", "(", ")", ",", "exp", "log", "sqrt", "sigmoid",
          "max", "relu", "leaky_relu", ".", "[", "]", "lambda", ":", "if", "else", "for", "in", "__class__",
          "'s'", "9", "**9", "~", "@", "<", "==", "and", "not", "{", "}", "abs", "open", "import", ";", "="]


@FUZZ
@given(st.one_of(st.lists(st.sampled_from(TOKENS), max_size=30).map(" ".join), st.text(max_size=200)))
def test_expression_parser(text):
    start = time.monotonic()
    try:
        expr, _ = parse_expression(text, "fuzz", allowed={"x", "y"})
    except SpecError as err:
        assert str(err).startswith("fuzz") and "\n" not in str(err)
    else:
        assert {s.name for s in expr.free_symbols} <= {"x", "y"}
    assert time.monotonic() - start < LIMIT_SECONDS


@FUZZ
@given(st.one_of(mutated(ANSWERS), st.text(max_size=300)))
def test_answers_loader(tmp_path_factory, text):
    answers = tmp_path_factory.mktemp("fuzz") / "answers.toml"
    answers.write_text(text, encoding="utf-8", errors="surrogatepass")
    ends_cleanly(["check", str(ROOT / "examples" / "seed004_221_network.toml"), str(answers)], report_on=(1,))


@pytest.mark.parametrize("text,message", [
    ("9**9**9**9", "an exponent above 1000 is not allowed"),
    ("x.__class__", "attribute access is not allowed"),
    ("x[0]", "a subscript is not allowed"),
    ("lambda: x", "a lambda is not allowed"),
    ("[x for x in y]", "a comprehension is not allowed"),
    ("x if y else 1", "a conditional expression is not allowed"),
    ("__import__('os')", "unknown function '__import__'"),
    ("'text'", "'text' is not a number"),
    ("open(x)", "unknown function 'open'"),
    ("sigmoid(" * 61 + "x" + ")" * 61, "nesting deeper than 60 levels"),
    ("x + " * 600 + "x", "longer than 2000 characters"),
    ("exp(x) ** 2000", "an exponent above 1000 is not allowed"),
    ("__x", "name '__x' is not allowed"),
])
def test_parser_refuses_quickly_and_clearly(text, message):
    start = time.monotonic()
    with pytest.raises(SpecError) as err:
        parse_expression(text, "where", allowed={"x", "y"})
    assert message in str(err.value) and "\n" not in str(err.value)
    assert time.monotonic() - start < 1


VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True),
              st.text(max_size=20), st.sampled_from(["sigmoid", "x1", "w1", "squared_error", "f = x", ""])),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)),
    max_leaves=8)


@st.composite
def changed_dicts(draw):
    """A bundled example as the dict the Python API takes, with one value anywhere replaced."""
    import tomllib

    data = tomllib.loads(draw(st.sampled_from(SPECS)))
    node, path = data, []
    while isinstance(node, (dict, list)) and node and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(node) if isinstance(node, dict) else range(len(node))))
        path.append((node, key))
        node = node[key]
    if path:
        parent, key = path[-1]
        parent[key] = draw(VALUES)
    else:
        data[draw(st.sampled_from(sorted(data)))] = draw(VALUES)
    return data


@FUZZ
@given(changed_dicts())
def test_python_api_with_any_value_anywhere(data):
    import derive

    start = time.monotonic()
    try:
        derive.solve(data)
    except SpecError as err:
        assert str(err).startswith("<dict>") and "\n" not in str(err), str(err)
    assert time.monotonic() - start < LIMIT_SECONDS


SYMBOL_TOKENS = ["x", "y", "1", "^", "_", "{", "}", "\\hat", "\\text", "\\alpha", "\\mathbf", "\\input", "^^5c",
                 "\\", "<", ">", "&", "%", "#", "$", "~", " ", "'", "(", ")", "\\,", "\\csname", "é", "\n", "\x1b"]


@FUZZ
@given(st.one_of(st.lists(st.sampled_from(SYMBOL_TOKENS), max_size=12).map("".join), st.text(max_size=40)))
def test_symbols(tmp_path_factory, latex):
    """[symbols] LaTeX: refused in one line, or printed where every output can take it."""
    spec = tmp_path_factory.mktemp("fuzz") / "spec.toml"
    spec.write_text('[graph]\nequations = ["q = x * y"]\nvalues = { x = 1, y = 2 }\n[symbols]\nx = '
                    + json.dumps(latex) + "\n", encoding="utf-8")
    for fmt in ("html", "tex", "md"):
        result = ends_cleanly(["solve", str(spec), "-f", fmt])
        if result.exit_code == 0 and fmt == "html":
            assert "<script" not in result.output and "onerror" not in result.output


NAME_TOKENS = ["x", "w", "1", "_", "__", "hat", "bar", "scr", "frak", "alpha", "eta", "e", "pi", "é", "ß", "٣", "x"]


@FUZZ
@given(st.one_of(st.lists(st.sampled_from(NAME_TOKENS), min_size=1, max_size=5).map("".join), st.text(max_size=12)))
def test_names(tmp_path_factory, name):
    """A quantity's name: refused in one line, or printed in every format."""
    spec = tmp_path_factory.mktemp("fuzz") / "spec.toml"
    spec.write_text('[graph]\nequations = ["f = 2 * v"]\nvalues = { v = 1 }\n'.replace("v", "VAR")
                    .replace("VAR", json.dumps(name) if not name.isidentifier() else name), encoding="utf-8")
    for fmt in ("md", "tex", "html", "numpy"):
        ends_cleanly(["solve", str(spec), "-f", fmt])


ANSWER_VALUES = st.one_of(st.decimals(allow_nan=True, allow_infinity=True).map(str), st.integers().map(str),
                          st.text(max_size=8).map(json.dumps), st.just("[1, 2]"), st.just("{}"), st.just("1e400"))


@FUZZ
@given(st.dictionaries(st.sampled_from(["forward", "gradients", "updated", "after", "loss", "x\n", "\x1b[31m"]),
                       st.dictionaries(st.one_of(st.sampled_from(["a1", "yhat", "w1", "L", "forward"]),
                                                 st.text(max_size=6)), ANSWER_VALUES, max_size=4), max_size=4))
def test_answers_keys_and_values(tmp_path_factory, data):
    """An answers file (JSON) with any keys and values: a report, or one line."""
    body = "{" + ", ".join(json.dumps(top) + ": {" + ", ".join(f"{json.dumps(k)}: {v}" for k, v in inner.items())
                           + "}" for top, inner in data.items()) + "}"
    answers = tmp_path_factory.mktemp("fuzz") / "answers.json"
    answers.write_text(body, encoding="utf-8")
    ends_cleanly(["check", str(ROOT / "examples" / "seed004_221_network.toml"), str(answers)], report_on=(1,))
