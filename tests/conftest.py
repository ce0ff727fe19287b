from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


@pytest.fixture
def spec_file(tmp_path):
    """Write spec text to a file and return its path."""

    def write(text, name="spec.toml"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def require_tex():
    """Skip without XeLaTeX, except under CI, where .ci/run installs it and its absence fails."""
    import os
    import shutil

    if shutil.which("latexmk") and shutil.which("xelatex") and shutil.which("pdftotext"):
        return
    if os.environ.get("CI"):
        pytest.fail("XeLaTeX or pdftotext is missing; .ci/run installs texlive-xetex texlive-lang-korean "
                    "fonts-nanum latexmk poppler-utils")
    pytest.skip("XeLaTeX is not installed")


def pdf_text(pdf, first=None, last=None):
    """The text of a PDF (bytes or a path) as pdftotext reads it, pages from ``first`` to ``last``."""
    import subprocess

    pages = (["-f", str(first)] if first else []) + (["-l", str(last)] if last else [])
    data = pdf if isinstance(pdf, bytes) else Path(pdf).read_bytes()
    return subprocess.run(["pdftotext", "-layout", *pages, "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode("utf-8")
