"""Markdown -> .docx: the worked solution as a Word document whose equations are Word's
own (OMML, editable in Word's equation editor), made by the pandoc that the
``pypandoc-binary`` package ships (``pip install 'derive[docx]'``).

The guards match the PDF stage's: pandoc runs with ``--sandbox`` (it reads no file and
fetches nothing; the pictures come inside the Markdown as data: addresses), reads no raw
HTML or TeX, and has a time limit. A formula pandoc cannot turn into an equation would
reach the document as TeX text, so its warning is an error here.
"""

import os
import subprocess

from ..errors import RenderError

#: pandoc's Markdown with $...$ math, no raw HTML or TeX passed through, and a picture left
#: as it is (the page writes its caption under it), and a title's quotes and dashes as written.
READER = "markdown-raw_html-raw_tex-raw_attribute-implicit_figures-smart"
#: Seconds one document may take.
TIMEOUT = 120
#: The BCP 47 tag Word's proofing and fonts follow, by the page's language.
LANG_TAGS = {"en": "en-US", "ko": "ko-KR"}


def pandoc():
    """The pandoc program of pypandoc-binary; ``RenderError`` with the install line when absent."""
    try:
        import pypandoc
        path = pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        raise RenderError("-f docx needs pandoc, which the docx extra installs: pip install 'derive[docx]'") from None
    return path


def document(markdown, lang):
    """The .docx (bytes) of ``markdown`` (pandoc flavour) in ``lang``."""
    command = [pandoc(), "--sandbox", "-f", READER, "-t", "docx", "-o", "-", "-M", f"lang={LANG_TAGS[lang]}"]
    # a fixed SOURCE_DATE_EPOCH makes pandoc stamp the same time, so one spec gives one document
    env = {**os.environ, "SOURCE_DATE_EPOCH": "0"}
    try:
        done = subprocess.run(command, input=markdown.encode("utf-8"), capture_output=True, timeout=TIMEOUT, env=env)
    except subprocess.TimeoutExpired:
        raise RenderError(f"pandoc took longer than {TIMEOUT} s and was stopped") from None
    warnings = done.stderr.decode("utf-8", "replace").strip()
    if done.returncode != 0 or warnings:
        first = warnings.splitlines()[0] if warnings else f"exit status {done.returncode}"
        raise RenderError(f"pandoc could not make the Word document: {first}")
    return done.stdout
