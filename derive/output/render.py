"""Views -> text: one function per output, each a view through its template.

The templates live in the top-level ``templates/`` folder of a checkout, which packaging
installs as ``derive/templates``; they hold layout only. Every function takes the
``Options`` record the solution is written with.
"""

import base64
import hashlib
import json
import urllib.parse
from dataclasses import dataclass, replace

import markupsafe

from .. import languages
from ..errors import OptionError, RenderError
from ..registry.choices import FORMATS
from ..views import blog, code, diagram, present
from ..views import marks as marks_view
from ..views import report as report_view
from ..views import reference as registry_view
from ..views.worksheet import words
from . import environments, raster, word
from .safety import guarded


def latex(solution, options, standalone=True, drawn=True):
    """A standalone XeLaTeX document, or with ``standalone=False`` a fragment to paste
    (which needs amsmath, and tikz and pgfplots for its pictures; ``drawn=False`` leaves
    the pictures out)."""
    lang = options.language(solution.lang)
    view = present.view(solution, options, target="latex")
    name = "latex/solution.tex.j2" if standalone else "latex/body.tex.j2"
    made = pictures(solution, options) if drawn else {"picture": None, "curve": None}
    return guarded(environments.latex().get_template(name).render(
        view=view, lang=lang, preamble=_preamble(lang, solution.title), **made))


def _preamble(lang, title):
    """The lines a document in ``lang`` loads for its language (a title in another script too)."""
    return tuple(present.Math(line) for line in languages.preamble(lang, title))


@dataclass(frozen=True)
class Picture:
    """A picture for Markdown: its SVG, and the file it is linked as ("" to put it inline)."""

    caption: str
    notice: str
    svg: str
    link: str
    least: int = 0     # the narrowest a page may show it, in px (0: as narrow as the page)


#: Markdown flavours whose sites show an <svg> written into the page.
INLINE_SVG = ("kramdown", "mathjax")
#: The file name ending of each picture written beside a Markdown file, before its extension.
PICTURE_FILES = {"picture": ".network", "curve": ".loss"}


def pictures(solution, options):
    """{"picture": the network or graph, "curve": the loss curve or None}, laid out (both
    None when the options ask for no pictures)."""
    if options.pictures == "none":
        return {kind: None for kind in PICTURE_FILES}
    return {"picture": diagram.diagram(solution, options), "curve": diagram.curve(solution, options)}


def svg(picture, styled=True):
    """The SVG of a laid-out picture (a ``diagram.Diagram`` or a ``diagram.Curve``); without
    ``styled``, its style is left to the page that holds it."""
    if isinstance(picture, diagram.Curve):
        return environments.svg().get_template("svg/curve.svg.j2").render(c=picture) + "\n"
    return environments.svg().get_template("svg/diagram.svg.j2").render(d=picture, styled=styled) + "\n"


def markdown_pictures(solution, options, base=None, assets=""):
    """{"picture": Picture or None, "curve": ...}: linked as files named from ``base`` (a
    Markdown file's name without .md), under the address ``assets`` when given, or inline
    where the flavour allows, or left out."""
    if base is None and options.pictures == "png":
        raise OptionError("pictures: 'png' links PNG files beside the page, so the page needs a file name")
    if base is None and options.flavor not in INLINE_SVG:
        return {kind: None for kind in PICTURE_FILES}
    made = {}
    for kind, laid_out in pictures(solution, options).items():
        made[kind] = None if laid_out is None else Picture(
            laid_out.caption, getattr(laid_out, "notice", ""), svg(laid_out),
            _link(assets, _file(base, kind, options)) if base is not None else "")
    return made


def picture_files(solution, options, base="solution"):
    """{file name: SVG text or PNG bytes} of the pictures a Markdown page named ``base``.md
    links to."""
    made = {_file(base, kind, options): svg(p) for kind, p in pictures(solution, options).items() if p}
    if options.pictures == "png":
        return {name: raster.png(text) for name, text in made.items()}
    return made


def _file(base, kind, options):
    return f"{base}{PICTURE_FILES[kind]}.{options.pictures}"


def _link(assets, name):
    # a path or address as a Markdown link target: a space, bracket or brace would end the
    # link or open a Liquid tag, so everything but a URL's own characters is %-encoded; the
    # file's own name is encoded whole (a % in it is a %), the address as the user wrote it
    file = urllib.parse.quote(name, safe="-._~")
    return f"{urllib.parse.quote(assets.rstrip('/'), safe='/:@-._~!$&*+,;=%')}/{file}" if assets else file


def markdown(solution, options, base=None, assets=""):
    """The Markdown solution; with ``base`` (the file's name without .md), pictures are
    linked as ``base.network.svg`` and ``base.loss.svg``, under ``assets`` when given (see
    ``markdown_pictures``); front matter and heading levels as the options ask."""
    return _page(solution, options, blog.front_matter(solution.title, solution.lang, options),
                 markdown_pictures(solution, options, base, assets))


def _page(solution, options, front, pictures_):
    """The Markdown page through its template: ``front`` matter, and its pictures."""
    return environments.text().get_template("markdown/solution.md.j2").render(
        view=present.view(solution, options), front=front, marks=("",) + blog.heading_marks(options), **pictures_)


def docx(solution, options):
    """The Word document (bytes): the page in the pandoc flavour, a display a line, its
    pictures inside it as PNG (which every word processor shows; LibreOffice and Word
    before 2016 show no SVG), or none."""
    options = options.but(flavor="pandoc")
    made = {kind: _embedded(p) if p else None for kind, p in pictures(solution, options).items()}
    return word.document(_page(solution, options, (), made), options.language(solution.lang))


def _embedded(laid_out):
    # a data: address: pandoc runs sandboxed and reads no file
    data = base64.b64encode(raster.png(svg(laid_out), dense=True)).decode("ascii")
    return Picture(laid_out.caption, getattr(laid_out, "notice", ""), "", f"data:image/png;base64,{data}")


def practice(variants, data, lang, title, solutions=True):
    """The offline practice page of ``practice.Variant`` records and the page's data (JSON
    text): one page, a variant picker where there are several; with ``solutions=False``
    no worked line is in it."""
    from .resources import template_dir

    script = (template_dir() / "html" / "practice.js").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    shown = [(v, svg(v.picture, styled=False) if v.picture else "") for v in variants]
    return environments.html().get_template("html/practice.html.j2").render(
        shown=shown, data=data, script=script, script_hash=f"sha256-{digest}", lang=lang, title=title,
        least=max((round(v.picture.width * diagram.LEAST_SCALE) for v in variants if v.picture), default=0),
        solutions=solutions, words={**languages.LANGUAGES[lang].words, **words(lang)},
        unit_space=languages.LANGUAGES[lang].unit_space)


def html(solution, options, fragment=False):
    """One self-contained HTML page: MathML, inline SVG, no script, no file or network access;
    with ``fragment``, the same as one <div> with its own scoped style (for Jupyter)."""
    made = {kind: (Picture(p.caption, getattr(p, "notice", ""), markupsafe.Markup(svg(p, styled=False)), "",
                           round(p.width * diagram.LEAST_SCALE))
                   if p else None) for kind, p in pictures(solution, options).items()}
    return environments.html().get_template("html/solution.html.j2").render(
        view=present.view(solution, options, target="html"), lang=options.language(solution.lang),
        fragment=fragment, **made)


def worksheet(sheets, lang, key=False, duplex=False):
    """Problem sheets (``worksheet.Sheet`` records, one per variant) as one XeLaTeX document;
    with ``key``, the answer key: the same source with the answers printed; with ``duplex``,
    each variant from an odd page."""
    return guarded(environments.latex().get_template("latex/worksheet.tex.j2").render(
        sheets=sheets, lang=lang, key=key, duplex=duplex, words=words(lang), title=sheets[0].title,
        unit_space=languages.LANGUAGES[lang].unit_space,
        preamble=_preamble(lang, sheets[0].title)))


def check_json(report, lang):
    """The JSON report (``Report.as_json``), each result with its ``hint``: the note the
    terminal report gives it, in ``lang`` ("" for a right answer)."""
    data = report.as_json()
    for item, row in zip(data["results"], report_view.view(report, lang).rows):
        item["hint"] = row.note
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def check_markdown(report, lang):
    return environments.text().get_template("markdown/check.md.j2").render(view=report_view.view(report, lang))


def moodle(questions, lang, category):
    """A Moodle XML question bank of ``quiz.Question`` records: a Cloze question each, its
    picture a PNG file inside the XML."""
    import base64

    words_ = words(lang)
    unit = languages.LANGUAGES[lang].unit_space
    html, xml = environments.html(), environments.xml()
    items = []
    for n, q in enumerate(questions, 1):
        picture = f"network-{n}.png" if q.picture is not None else ""
        items.append({
            "q": q, "picture": picture,
            "png": base64.b64encode(raster.png(svg(q.picture))).decode("ascii") if picture else "",
            "text": html.get_template("xml/moodle-question.html.j2").render(
                q=q, words=words_, picture=picture, unit_space=unit),
            "feedback": html.get_template("xml/moodle-feedback.html.j2").render(q=q)})
    return xml.get_template("xml/moodle.xml.j2").render(items=items, category=category)


def qti(questions, lang, title):
    """An IMS QTI 1.2 package (zip bytes) of ``quiz.Question`` records, as Canvas Classic
    Quizzes and Blackboard import it: a section a variant (its problem as a text item, then
    a numerical item a blank, right within the margin; a value too small for four decimal
    places asked in units of 10^-k), the pictures as PNG files in the package."""
    import hashlib
    import io
    import zipfile

    from ..views import quiz as quiz_view

    words_ = words(lang)
    html, xml = environments.html(), environments.xml()
    ident = "derive-" + hashlib.sha256("\n".join(q.name for q in questions).encode("utf-8")).hexdigest()[:12]
    sections, pictures = [], {}
    for n, q in enumerate(questions, 1):
        picture = f"Uploaded Media/network-{n}.png" if q.picture is not None else ""
        if picture:
            pictures[picture] = raster.png(svg(q.picture))
        items = []
        for p, part in enumerate(q.parts):
            feedback = html.get_template("xml/moodle-feedback.html.j2").render(q=replace(q, feedback=(q.feedback[p],)))
            for b, blank in enumerate(part.blanks, 1):
                asked = quiz_view.scaled(blank, lang)
                low, high = quiz_view.bounds(asked)
                items.append({"ident": f"{p + 1}-{b}", "key": blank.key, "low": low, "high": high,
                              "feedback": feedback,
                              "text": html.get_template("xml/qti-blank.html.j2").render(part=part, b=asked)})
        sections.append({"number": n, "q": q, "blanks": items,
                         "problem": html.get_template("xml/qti-problem.html.j2").render(
                             q=q, words=words_, picture=picture)})
    made = io.BytesIO()
    with zipfile.ZipFile(made, "w", zipfile.ZIP_DEFLATED) as package:
        def add(name, data):  # a fixed date: the same class set gives the same bytes
            package.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data)

        add("imsmanifest.xml", xml.get_template("xml/manifest.xml.j2").render(ident=ident, pictures=list(pictures)))
        add(f"{ident}/{ident}.xml", xml.get_template("xml/qti.xml.j2").render(
            ident=ident, title=title, sections=sections))
        for name, png in pictures.items():
            add(f"web_resources/{name}", png)
    return made.getvalue()


def answers_template(keys, variants_count=None):
    """An empty answers table (CSV): the header, and a row a variant with its number."""
    rows = [["student", *(["variant"] if variants_count else []), *keys]]
    rows += [["", number, *([""] * len(keys))] for number in range(1, (variants_count or 0) + 1)]
    return _csv(rows)


def _csv(rows):
    """Rows as CSV text (the csv module quotes what needs quoting), a line each."""
    import csv
    import io

    made = io.StringIO()
    csv.writer(made, lineterminator="\n").writerows(rows)
    return made.getvalue()


def marks_files(marks, lang):
    """{file name: text} of a marked class: marks.csv, summary.md and a feedback page a
    student (in feedback/)."""
    files = {"marks.csv": _csv(marks_view.table(marks)),
             "summary.md": environments.text().get_template("markdown/summary.md.j2").render(
                 view=marks_view.summary(marks, lang))}
    page = environments.text().get_template("markdown/feedback.md.j2")
    for feedback in marks_view.feedback(marks, lang):
        files[f"feedback/{feedback.file}.md"] = page.render(page=feedback)
    return files


def feedback_latex(marks, lang):
    """{file name: XeLaTeX source} of each student's feedback page, to compile to PDF."""
    page = environments.latex().get_template("latex/feedback.tex.j2")
    return {f"feedback/{feedback.file}.pdf": guarded(page.render(page=feedback, preamble=_preamble(lang, feedback.heading)))
            for feedback in marks_view.feedback(marks, lang)}


def json_data(solution):
    """The JSON solution of SPEC.md section 3, numbers as full doubles."""
    graph, first = solution.graph, solution.first
    data = {
        "title": solution.title,
        "loss": {"name": graph.node(graph.loss).name, "value": float(first.forward.loss)},
        "forward": _forward(graph, first.forward),
        "gradients": _gradients(first),
    }
    if solution.after is not None:
        data["updated"] = _updated(solution.steps[-1])
        data["after"] = {"forward": _forward(graph, solution.after), "loss": float(solution.after.loss)}
        data["history"] = [float(v) for v in solution.history]
        if len(solution.steps) > 1:
            data["steps"] = [{"loss": float(s.forward.loss), "gradients": _gradients(s), "updated": _updated(s)}
                             for s in solution.steps]
    return data


def _gradients(step):
    return {g.parameter: float(g.value) for g in step.gradients}


def _updated(step):
    return {u.parameter: float(u.new) for u in step.updates}


def _forward(graph, a_pass):
    """Computed nodes by name, in evaluation order; a list per sample when there are several."""
    if graph.samples == 1:
        return {n.name: float(a_pass.values[n.key]) for n in graph.computed}
    return [{n.name: float(a_pass.values[n.key]) for n in graph.computed if n.sample == s}
            for s in range(1, graph.samples + 1)]


def json_text(solution):
    return json.dumps(json_data(solution), indent=2, ensure_ascii=False) + "\n"


def script(solution, library):
    """A runnable NumPy or PyTorch script that recomputes ``solution`` (see ``views.code``)."""
    return environments.text().get_template(f"python/{library}.py.j2").render(s=code.script(solution, library))


def render(solution, fmt, options):
    """``solution`` as text in ``fmt`` (every format but pdf, which the PDF stage compiles)."""
    if fmt == "json":
        return json_text(solution)
    if fmt == "md":
        return markdown(solution, options)
    if fmt in ("numpy", "torch"):
        return script(solution, fmt)
    if fmt == "html":
        return html(solution, options)
    if fmt in ("tex", "tex-body"):
        return latex(solution, options, standalone=fmt == "tex")
    raise RenderError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")


def starter(kind, lang="en"):
    """The commented starter spec of ``kind`` ("network" or "graph") in ``lang``, its lists
    of activations, losses, functions and languages read from the registries."""
    return environments.text().get_template(f"new/{kind}.{lang}.toml.j2").render(**registry_view.words(lang))


def reference():
    """docs/reference.md: every function, activation, loss and language, from the registries."""
    return environments.text().get_template("markdown/reference.md.j2").render(**registry_view.tables())
