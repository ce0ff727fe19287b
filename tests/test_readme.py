"""The README's Python examples (the ```pycon blocks) run as doctests, from the checkout."""

import doctest
import re

from conftest import ROOT


def test_readme_python_examples(monkeypatch):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```pycon\n(.*?)^```$", text, re.S | re.M)
    assert len(blocks) >= 2
    monkeypatch.chdir(ROOT)
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    globs = {}
    for number, block in enumerate(blocks, 1):
        test = parser.get_doctest(block, globs, f"README.md block {number}", "README.md", 0)
        runner.run(test, clear_globs=False)
        globs = test.globs  # later blocks go on from earlier ones, as a reader's session does
    assert runner.failures == 0 and runner.tries >= 15, runner.summarize()
