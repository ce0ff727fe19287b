"""Spec text is data in every output: a hostile title cannot become code in a generated
script, HTML or a Liquid tag in Markdown, or a second line of a heading."""

import ast

import pytest

import derive
from derive.errors import SpecError

HOSTILE = 'x\\""" + __import__("os").system("echo owned") # <script>alert(1)</script> [a](javascript:x) {{ site }} $x$'


def spec(title):
    return {"title": title, "graph": {"equations": ["f = x * y"], "values": {"x": 1, "y": 2}},
            "train": {"learning_rate": 0.1}}


@pytest.mark.parametrize("library", ["numpy", "torch"])
def test_a_title_cannot_become_code_in_a_script(library):
    text = derive.solve(spec(HOSTILE)).to_script(library)
    tree = ast.parse(text)
    assert ast.get_docstring(tree).startswith(HOSTILE + ": recomputed with ")
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
                for alias in node.names}
    assert imported == {"json", "sys", library}  # sys: the one-line exit when the library is missing
    called = {node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
              for node in ast.walk(tree) if isinstance(node, ast.Call)}
    assert "system" not in called and "__import__" not in called


@pytest.mark.parametrize("flavor", ["github", "kramdown", "katex", "mathjax"])
def test_a_title_is_plain_text_in_markdown(flavor):
    page = derive.solve(spec(HOSTILE)).to_markdown(flavor=flavor)
    heading = page.splitlines()[0]
    assert heading.startswith("# x\\\\\"\"\" + \\_\\_import\\_\\_(")
    assert "<script>" not in page and "&lt;script&gt;" in heading
    colon = ":" if flavor == "kramdown" else "\u2060:"  # a word joiner stops GitHub's and Velog's autolinks
    assert f"\\[a\\](javascript{colon}x)" in heading and "\\$x\\$" in heading
    assert ("{ { site }}" if flavor == "kramdown" else "{{ site }}") in heading


def test_a_title_is_escaped_in_html_and_latex():
    solution = derive.solve(spec(HOSTILE))
    assert "<script>" not in solution.to_html() and "&lt;script&gt;" in solution.to_html()
    latex = solution.to_latex()
    assert "\\textbackslash{}\"\"\"" in latex and "\\{\\{ site \\}\\}" in latex and "\\$x\\$" in latex


@pytest.mark.parametrize("title,message", [
    ("two\nlines", "title: must be one line of plain text; it holds the control character '\\n'"),
    ("bell\a", "title: must be one line of plain text; it holds the control character '\\x07'"),
    ("sep\u2028arated", "title: must be one line of plain text; it holds the control character '\\u2028'"),
    ("x" * 201, "title: is 201 characters long; a title is at most 200"),
])
def test_a_title_is_one_line(title, message):
    with pytest.raises(SpecError) as err:
        derive.solve(spec(title))
    assert str(err.value) == f"<dict>: {message}"
