"""derive.solve takes a path, TOML text or a dict, with the same checks as the CLI."""

import pytest

import derive
from conftest import ROOT
from derive.errors import OptionError, SpecError

GRAPH = {"graph": {"equations": ["f = x * y"], "values": {"x": 0.1, "y": 3}}}


def test_dict_and_text_and_path(spec_file):
    from_dict = derive.solve(GRAPH).as_json()
    assert from_dict == {"title": "", "loss": {"name": "f", "value": pytest.approx(0.3, abs=1e-16)},
                         "forward": {"f": pytest.approx(0.3, abs=1e-16)},
                         "gradients": {"x": 3.0, "y": pytest.approx(0.1, abs=1e-16)}}
    text = '[graph]\nequations = ["f = x * y"]\nvalues = { x = 0.1, y = 3 }\n'
    assert derive.solve(text).as_json() == from_dict
    assert derive.solve(spec_file(text)).as_json() == from_dict
    assert derive.solve(str(spec_file(text))).as_json() == from_dict


@pytest.mark.parametrize("value,message", [
    (float("nan"), "graph.values.x: nan is not a finite number"),
    (float("inf"), "graph.values.x: inf is not a finite number"),
    ("x", "graph.values.x: expected a number, got the string 'x'"),
    (True, "graph.values.x: expected a number, got a boolean"),
    (1e-301, "graph.values.x: 1e-301 is outside the range of numbers accepted"),
    (10**301, "is outside the range of numbers accepted (1e-300 to 1e300 in size)"),
])
def test_bad_values_in_a_dict(value, message):
    spec = {"graph": {"equations": ["f = x * y"], "values": {"x": value, "y": 3}}}
    with pytest.raises(SpecError) as err:
        derive.solve(spec)
    assert str(err.value).startswith("<dict>: ")
    assert message in str(err.value)


def test_not_a_spec():
    with pytest.raises(SpecError, match="expected a path, TOML text, a dict or a derive.Network/Graph, got int"):
        derive.solve(42)


def test_tiny_toml_exponent_is_refused_quickly():
    with pytest.raises(SpecError, match="outside the range"):
        derive.solve('[graph]\nequations = ["f = x"]\nvalues = { x = 1e-999999 }\n')


def test_the_command_line_turns_the_collector_back_on():
    # derive.cli pauses the cyclic collector only while it imports (see docs/performance.md)
    import gc
    import importlib

    import derive.cli

    importlib.reload(derive.cli)
    assert gc.isenabled()


SEED004 = ROOT / "examples" / "seed004_221_network.toml"


def seed004():
    return derive.solve(SEED004)


def _cli(*args):
    from click.testing import CliRunner

    from derive.cli import main

    result = CliRunner().invoke(main, ["solve", str(SEED004), *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("method,kwargs,args", [
    ("to_markdown", {}, []),
    ("to_markdown", {"flavor": "katex", "lang": "en", "digits": 6}, ["--flavor", "katex", "--lang", "en",
                                                                      "--digits", "6"]),
    ("to_latex", {}, ["-f", "tex"]),
    ("to_latex", {"standalone": False, "lang": "en"}, ["-f", "tex-body", "--lang", "en"]),
    ("to_html", {}, ["-f", "html"]),
    ("to_json", {}, ["-f", "json"]),
    ("to_script", {}, ["-f", "numpy"]),
    ("to_script", {"library": "torch"}, ["-f", "torch"]),
])
def test_methods_say_what_the_command_line_says(method, kwargs, args):
    assert getattr(seed004(), method)(**kwargs) == _cli(*args)


def test_jupyter_representations():
    solution = seed004()
    html = solution._repr_html_()
    assert html.startswith('<div class="derive-solution" lang="ko">\n<style>\n.derive-solution{')
    assert "<!DOCTYPE" not in html and "<body" not in html and "<math" in html and "<svg" in html
    # every rule is scoped to the div, so the notebook around it keeps its own look
    style = html[html.index("<style>") + 7:html.index("</style>")]
    assert all(rule.startswith(".derive-solution") for rule in style.replace("}", "}\n").split("\n") if rule.strip()
               for rule in rule.split(",")[:1])
    assert solution._repr_markdown_() == solution.to_markdown(flavor="katex")
    latex = solution._repr_latex_()
    body = solution.to_latex(standalone=False)
    # the fragment of -f tex-body without its TikZ pictures, which nbconvert's LaTeX does not load
    assert "tikzpicture" in body and "tikzpicture" not in latex and "\\documentclass" not in latex
    assert latex.startswith(body[:body.index("\\end{tabular}")])
    assert latex.endswith(body[body.index("\\subsection*{순전파}"):])


def test_short_repr():
    assert repr(seed004()) == "<Solution '2-2-1 신경망, 한 단계': L = 0.0421883, 6 gradients, 1 step, style 'chain'>"
    assert repr(derive.solve(ROOT / "examples" / "seed001_graph_xyz.toml")).endswith("3 gradients, no update, style 'chain'>")


@pytest.mark.parametrize("call,message", [
    (lambda s: s.to_markdown(digits=0), "digits: 0 is not a whole number from 1 to 15"),
    (lambda s: s.to_markdown(flavor="gfm"), "flavor: 'gfm' is not one of github, kramdown, katex, mathjax, pandoc"),
    (lambda s: s.to_latex(lang="de"), "lang: 'de' is not one of en, ko"),
    (lambda s: s.to_script("jax"), "library: 'jax' is not one of numpy, torch"),
    (lambda s: s.to("pdff"), "format: 'pdff' is not one of md, tex, tex-body, html, json, numpy, torch, pdf, "
                                      "docx"),
    (lambda s: s.to("docx"), "format: 'docx' is made by pandoc, not written as text; call to_docx() for its bytes"),
    (lambda s: s.to("pdf"), "format: 'pdf' is compiled, not written as text; call to_pdf() for its bytes"),
    (lambda s: s.to_markdown(style="delta"), "style: is chosen when solving (derive.solve(..., style=...)), "
                                             "not when writing; the writing options are digits, lang, flavor, full, log, definitions, "
                                                 "pictures, heading_base, front_matter, date, tags"),
    (lambda s: derive.solve(SEED004, style="matrx"), "style: 'matrx' is not one of chain, delta, matrix, auto"),
    (lambda s: derive.solve(SEED004, lang="fr"), "lang: 'fr' is not one of en, ko"),
    (lambda s: derive.solve(SEED004, digitz=3), "digitz: is not an option; the options are digits, lang, flavor, "
                                                "style, carry_rounded, full, log, definitions, pictures, "
                                                "heading_base, front_matter, date, tags"),
    (lambda s: derive.solve(SEED004, carry_rounded="yes"), "carry_rounded: 'yes' is not True or False"),
    (lambda s: derive.solve(SEED004, digits=True), "digits: True is not a whole number from 1 to 15"),
    (lambda s: derive.worksheets(SEED004, flavor="tex"), "flavor: 'tex' is not one of github, kramdown, katex, "
                                                         "mathjax, pandoc"),
    (lambda s: derive.Options(style="Chain"), "style: 'Chain' is not one of chain, delta, matrix, auto"),
    (lambda s: derive.Options().but(colour="red"), "colour: is not an option; the options are digits, lang, "
                                                   "flavor, style, carry_rounded, full, log, definitions, pictures, "
                                                   "heading_base, front_matter, date, tags"),
    (lambda s: s.to_markdown(heading_base=5), "heading_base: 5 is not a whole number from 1 to 4"),
    (lambda s: s.to_markdown(front_matter=True, date="30/11/2026"),
     "date: '30/11/2026' is not a date written YYYY-MM-DD, such as 2026-11-30"),
    (lambda s: s.to_markdown(front_matter=True, tags=("ok", "two\nlines")),
     "tags: 'two\\nlines' is not a word of one line (a tag has letters, and no control character)"),
        (lambda s: s.to_html(pictures="jpeg"), "pictures: 'jpeg' is not one of svg, png, none"),
])
def test_bad_options(call, message):
    """The library's own error (a ValueError too), with the line the command line prints."""
    with pytest.raises(OptionError) as err:
        call(seed004())
    assert isinstance(err.value, ValueError)
    assert str(err.value) == message


def test_options_are_one_frozen_record():
    import dataclasses

    options = derive.Options()
    assert (options.digits, options.lang, options.flavor, options.style, options.carry_rounded, options.full,
            options.log) == \
        (4, None, "github", "auto", False, False, None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.digits = 5
    assert options.but(digits=6) == derive.Options(digits=6) and options.digits == 4
    assert derive.solve(SEED004, style="delta").options == derive.Options(style="delta")


def seed004_in_python():
    return derive.Network(
        title="2-2-1 신경망, 한 단계", lang="ko",
        inputs={"x1": 0.5, "x2": 0.3}, targets={"y1": 0.7}, loss="squared_error",
        layers=[derive.Layer([[0.3, 0.2], [0.2, 0.3]], "sigmoid", weight_names=[["w1", "w3"], ["w2", "w4"]],
                             pre_names=["z1", "z2"], post_names=["a1", "a2"]),
                derive.Layer([[0.4, 0.5]], "identity", weight_names=[["w5", "w6"]], post_names=["yhat"])],
        learning_rate=0.1)


def test_network_built_in_python_is_seed004():
    built = derive.solve(seed004_in_python())
    assert built.as_json() == seed004().as_json()
    assert built.to_markdown() == seed004().to_markdown()


def test_to_toml_reads_back_the_same():
    network = seed004_in_python()
    text = network.to_toml()
    assert text.startswith('title = "2-2-1 신경망, 한 단계"\nlang = "ko"\n\n[network]\ninputs = { x1 = 0.5, x2 = 0.3 }\n')
    assert "\n[[network.layers]]\nactivation = \"sigmoid\"\nweights = [[0.3, 0.2], [0.2, 0.3]]\n" in text
    assert text.endswith("\n[train]\nlearning_rate = 0.1\nsteps = 1\n")
    assert derive.solve(text).as_json() == derive.solve(network).as_json()


def test_samples_and_graph_built_in_python():
    xor = derive.Network(
        samples=[({"x1": 0, "x2": 1}, {"y": 1}), ({"x1": 1, "x2": 1}, {"y": 0})],
        layers=[derive.Layer([[0.5, -0.4], [0.3, 0.8]], "tanh", bias=[0.1, -0.1]),
                derive.Layer([[1.0, -1.0]], "sigmoid")],
        loss="binary_cross_entropy", reduction="sum", learning_rate=0.5, steps=2, symbols={"y": "t"})
    solved = derive.solve(xor)
    assert solved.as_json() == derive.solve(xor.to_toml()).as_json()
    assert len(solved.steps) == 2 and solved.graph.samples == 2
    graph = derive.Graph(["q = x + y", "f = q * z"], {"x": -2, "y": 5, "z": -4}, wrt=["x", "z"])
    assert derive.solve(graph).as_json()["gradients"] == {"x": -4.0, "z": 3.0}
    assert derive.solve(graph.to_toml()).as_json() == derive.solve(graph).as_json()


def test_bad_input_in_python_names_the_key():
    network = derive.Network(inputs={"x": 1}, targets={"y": 1}, layers=[derive.Layer([[1, 2]], "sigmoid")])
    with pytest.raises(SpecError) as err:
        derive.solve(network)
    assert str(err.value).startswith("<Network>: network.layers[1].weights: ")
    with pytest.raises(SpecError, match=r"^<Graph>: graph.values.y: "):
        derive.solve(derive.Graph(["f = x * y"], {"x": 1, "y": "two"}))


def test_ipython_display_gives_every_form():
    # what a notebook receives: IPython's own formatters, as Jupyter calls them
    interactive = pytest.importorskip("IPython.core.interactiveshell")
    shell = interactive.InteractiveShell.instance()
    solution = seed004()
    bundle, _ = shell.display_formatter.format(solution)
    assert set(bundle) == {"text/plain", "text/html", "text/markdown", "text/latex"}
    assert bundle["text/plain"] == repr(solution)
    assert bundle["text/html"] == solution._repr_html_()
    assert bundle["text/markdown"] == solution._repr_markdown_()
    assert bundle["text/latex"] == solution._repr_latex_()
