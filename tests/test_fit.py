"""Lines that fit: no line of a PDF runs into the margin, and no equation of the HTML page is
wider than a 400 px phone screen. Checked on every example and on bigger networks
(3-4-1, 4-4-4-2, 6-6-1), by TeX's own overfull-box report and by Chromium's layout."""

import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

import derive
from conftest import EXAMPLES, ROOT, require_tex
from derive.languages import LANGUAGES
from derive.views import breaking
from test_pictures import _chromium, open_in_chromium

sys.path.insert(0, str(ROOT / "bench"))
from specs import network  # noqa: E402

SIZES = ([3, 4, 1], [4, 4, 4, 2], [6, 6, 1])
PHONE = 400


def documents():
    """{name: XeLaTeX source}: every example's solution and worksheet key, both languages,
    and the bigger networks' solutions."""
    made = {}
    for spec in EXAMPLES:
        solution = derive.solve(spec)
        for lang in ("en", "ko"):
            made[f"{spec.stem}.{lang}"] = solution.to_latex(lang=lang)
            [(_, sheet, key)] = derive.worksheets(spec, lang=lang)
            made[f"{spec.stem}-sheet.{lang}"], made[f"{spec.stem}-key.{lang}"] = sheet, key
    for sizes in SIZES:
        name = "-".join(map(str, sizes))
        for lang in ("en", "ko"):
            made[f"net{name}.{lang}"] = derive.solve(network(sizes)).to_latex(lang=lang)
    return made


def overfull(item, folder):
    name, tex = item
    place = folder / name
    place.mkdir()
    (place / "doc.tex").write_text(tex, encoding="utf-8")
    subprocess.run(["xelatex", "-interaction=nonstopmode", "-no-shell-escape", "doc.tex"], cwd=place,
                   capture_output=True, timeout=300)
    log = (place / "doc.log").read_text(encoding="utf-8", errors="replace")
    return name, re.findall(r"Overfull \\hbox \(([\d.]+pt) too wide\)[^\n]*\n([^\n]*)", log)


def test_no_line_runs_into_the_margin_and_no_heading_ends_a_page(tmp_path):
    require_tex()
    with ThreadPoolExecutor(2) as pool:
        found = {name: boxes for name, boxes in pool.map(lambda item: overfull(item, tmp_path), documents().items())
                 if boxes}
    assert found == {}
    headings = {w for lang in LANGUAGES.values() for k, w in lang.words.items()
                if k in ("given", "forward", "loss", "backward", "updates", "after")}
    orphans = []
    for pdf in sorted(tmp_path.glob("*/doc.pdf")):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
        for number, page in enumerate(text.split("\f")[:-1], 1):
            body = [line.strip() for line in page.splitlines() if line.strip() and not line.strip().isdigit()]
            if body and (body[-1] in headings or re.fullmatch(r"\d+\. \(\d+ points?\).*|\d+\. \(\d+점\).*", body[-1])):
                orphans.append(f"{pdf.parent.name} page {number}: {body[-1]}")
    assert orphans == []


def test_a_long_stage_breaks_before_a_plus_onto_indented_rows():
    solution = derive.solve(network([6, 6, 1]))
    page = solution.to_markdown(lang="en", flavor="katex")
    rows = page.splitlines()
    continued = [k for k, row in enumerate(rows) if row.startswith(r"  &\quad + ")]
    assert continued, "a 6-6-1 network's sums need continuation rows in a blog's column"
    for k in continued:  # each continues a stage of the line above it
        assert rows[k - 1].startswith(("  &= ", "  &\\quad ")) or " &= " in rows[k - 1]
    for row in rows:
        if "&" in row and row.endswith("\\\\"):
            assert breaking.width(row.split("&", 1)[1].lstrip("=").rstrip("\\ ")) <= breaking.BUDGETS["markdown"]


def test_pieces_never_cut_inside_brackets_or_fractions():
    tex = r"- 2 \left(y - \hat{y}\right) \cdot \frac{a + b}{c - d} + e^{x + y} - \left(-0.5\right)"
    assert breaking.pieces(tex) == [r"- 2 \left(y - \hat{y}\right)", r"\cdot \frac{a + b}{c - d}",
                                    r"+ e^{x + y}", r"- \left(-0.5\right)"]


def test_a_line_that_fits_stays_on_one_row():
    assert breaking.layout("z_{1}", ("w_{1} x_{1}", "0.3 \\cdot 0.5", "0.1500"), False, 36) == \
        (("=", "w_{1} x_{1} = 0.3 \\cdot 0.5 = 0.1500"),)
    assert breaking.layout("z_{1}", ("w_{1} x_{1}", "0.1500"), True, 36) == (("=", "w_{1} x_{1}"), ("=", "0.1500"))


#: headless Chromium lays a page out at least 500 px wide, so the page is held to a
#: phone's width by its root element instead
MEASURE = "<style>html{width:%dpx}</style>" % PHONE + """<script>
window.addEventListener('load', () => {
  const out = [];
  for (const t of document.querySelectorAll('table.derivation, table.given, figure')) {
    const r = t.getBoundingClientRect();
    out.push(Math.ceil(r.right));
  }
  document.body.setAttribute('data-widest', String(Math.max(0, ...out)));
  document.body.setAttribute('data-viewport', String(document.documentElement.getBoundingClientRect().width));
});
</script>"""


@pytest.mark.parametrize("spec", [*EXAMPLES, *SIZES], ids=[*(p.stem for p in EXAMPLES), *("net" + "-".join(map(str, s))
                                                                                       for s in SIZES)])
def test_html_fits_a_phone(spec, tmp_path):
    _chromium()
    solution = derive.solve(network(spec) if isinstance(spec, list) else spec)
    widest = {}
    for lang in ("en", "ko"):
        page = tmp_path / f"{lang}.html"
        page.write_text(solution.to_html(lang=lang).replace("</body>", MEASURE + "</body>"), encoding="utf-8")
        _, dom = open_in_chromium(page, tmp_path / lang, "--dump-dom", "--window-size=500,900",
                                  "--virtual-time-budget=5000")
        viewport = int(re.search(r'data-viewport="(\d+)"', dom).group(1))
        widest[lang] = int(re.search(r'data-widest="(\d+)"', dom).group(1))
        assert viewport == PHONE
    assert max(widest.values()) <= PHONE, widest
