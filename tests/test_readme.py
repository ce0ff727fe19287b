"""The README is the front page: it opens with the two set-up commands, its Python examples
(the ```pycon blocks) run as doctests from the checkout, and its links into the user guide
lead to pages that exist. Its commands are run by tests/test_docs.py, with the guide's."""

import doctest
import re

from conftest import ROOT

README = ROOT / "README.md"


def test_readme_opens_with_the_two_set_up_commands():
    text = README.read_text(encoding="utf-8")
    first = re.search(r"^```sh\n(.*?)^```$", text, re.S | re.M)
    assert text.startswith("# derive\n\n```sh\n"), "the first thing after the title is the set-up block"
    assert first.group(1).splitlines() == [
        "python3 -m pip install . && derive solve examples/seed004_221_network.toml",
        "python3 -m pip install '.[test]' && python3 -m pytest -q",
    ]


def test_readme_python_examples(monkeypatch):
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"^```pycon\n(.*?)^```$", text, re.S | re.M)
    assert blocks
    monkeypatch.chdir(ROOT)
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    globs = {}
    for number, block in enumerate(blocks, 1):
        test = parser.get_doctest(block, globs, f"README.md block {number}", "README.md", 0)
        runner.run(test, clear_globs=False)
        globs = test.globs  # later blocks go on from earlier ones, as a reader's session does
    assert runner.failures == 0 and runner.tries >= 4, runner.summarize()


def test_readme_links_lead_somewhere():
    text = README.read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text)
    local = [link for link in links if not re.match(r"[a-z]+:", link)]
    assert any(link.startswith("docs/") and link.endswith(".md") for link in local)
    missing = [link for link in local if not (ROOT / link).exists()]
    assert not missing, f"README.md links to files that do not exist: {missing}"
    # the product contract is not shipped with the project: the guide is the reference
    assert "SPEC.md" not in text
