"""TeX -> PDF: XeLaTeX through latexmk, with the guards of DESIGN.md (Security).

- ``latexmk -norc``: no latexmkrc (which is Perl) is read, from anywhere.
- ``-no-shell-escape``: ``\\write18`` runs nothing.
- ``openin_any=p openout_any=p``: TeX reads and writes no file above its folder, and no
  absolute path outside it, so ``\\input{/etc/passwd}`` fails.
- a fresh temporary folder per document, removed afterwards, and a time limit: a
  document that loops is stopped, with every process it started.

LuaLaTeX is never used: ``\\directlua`` would get around all of this.
"""

import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import PdfError
from ..languages import packages

#: The Debian packages that give XeLaTeX, latexmk and every language's fonts and packages.
PACKAGES = " ".join(("texlive-xetex", "latexmk", *packages()))
#: Seconds one document may take; a class set of sheets is one document per variant.
TIMEOUT = 180
#: At most this many log lines are shown after an error line, up to TeX's "l.12 \foo" line.
CONTEXT = 4


#: The TeX processes running now, so that an interrupted class set stops all of them.
_running = set()


def stop_all():
    """Stop every TeX run in progress (their compiles then fail and clean up after themselves)."""
    for process in list(_running):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def available():
    return bool(shutil.which("latexmk") and shutil.which("xelatex"))


def compile_tex(tex, timeout=TIMEOUT):
    """The PDF (bytes) of the XeLaTeX document ``tex``; ``PdfError`` if it cannot be made."""
    if not available():
        raise PdfError(f"PDF output needs XeLaTeX and latexmk, which are not installed; "
                       f"on Debian or Ubuntu: apt-get install {PACKAGES}")
    with tempfile.TemporaryDirectory(prefix="derive-pdf-") as folder:
        folder = Path(folder)
        (folder / "doc.tex").write_text(tex, encoding="utf-8")
        command = ["latexmk", "-norc", "-xelatex", "-no-shell-escape", "-interaction=nonstopmode",
                   "-halt-on-error", "-file-line-error", "doc.tex"]
        # long log lines unwrapped, so that an error's excerpt reads as one line
        env = {**os.environ, "openin_any": "p", "openout_any": "p", "HOME": str(folder),
               "max_print_line": "1000", "error_line": "254", "half_error_line": "238"}
        process = subprocess.Popen(command, cwd=folder, env=env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        _running.add(process)
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise PdfError(f"XeLaTeX did not finish within {timeout} s and was stopped") from None
        except BaseException:
            # interrupted (Ctrl-C, SIGTERM): stop TeX and everything it started, so that the
            # folder and the document in it are removed on the way out
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise
        finally:
            _running.discard(process)
        result = folder / "doc.pdf"
        if process.returncode != 0 or not result.is_file():
            log = folder / "doc.log"
            text = log.read_text(encoding="utf-8", errors="replace") if log.is_file() else output.decode(
                "utf-8", "replace")
            raise PdfError("XeLaTeX failed:\n" + excerpt(text))
        # XeLaTeX leaves out, with a warning only, a character no font of the document has:
        # a name printed with letters missing is an error, never a page
        log = folder / "doc.log"
        missing = _MISSING.findall(log.read_text(encoding="utf-8", errors="replace")) if log.is_file() else []
        if missing:
            shown = ", ".join(dict.fromkeys(f"{char} (U+{code})" for char, code in missing))
            raise PdfError(f"no font of the PDF draws {shown} (its fonts have Latin letters and Hangul); "
                           "nothing was written")
        return result.read_bytes()


_MISSING = re.compile(r"Missing character: There is no (.) \(U\+([0-9A-F]{4,6})\)")


_ERROR = re.compile(r"^(!|\S*\.(tex|sty|cls|def):\d+: )")
_WHERE = re.compile(r"^l\.\d+ ")
_NOISE = ("Type X to quit", "Type  X to quit", "or enter new name", "See the ", "For immediate help",
          "Here is how much", "Enter file name")


def excerpt(log):
    """The lines of a TeX log that say what went wrong (the error and its "l.12" line)."""
    lines = log.splitlines()
    shown = []
    for k, line in enumerate(lines):
        if _ERROR.match(line):
            for following in lines[k:k + 2 + CONTEXT]:
                if following.strip() and not following.startswith(_NOISE):
                    shown.append(following.rstrip())
                if _WHERE.match(following):
                    break
            break
    if not shown:
        shown = [l.rstrip() for l in lines if l.strip()][-CONTEXT - 1:]
    hint = ""
    if any("cannot be found" in l and "font" in l.lower() for l in shown):
        hint = f"\n  (a font is missing; on Debian or Ubuntu: apt-get install {PACKAGES})"
    return "\n".join("  " + l for l in shown) + hint
