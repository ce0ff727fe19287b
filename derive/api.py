"""The Python API: the pipeline's stages called in order, and the ``Solution`` a user holds.

``solve(spec, **options)`` reads the spec (stage 1), builds and derives it (stage 2), and
returns a ``Solution``: the engine's plain record with the methods a user calls on it
(``to_markdown``, ``to_latex``, ``to_html``, ``to_json``, ``to_script``) and the ones
Jupyter calls (``_repr_html_``, ``_repr_markdown_``, ``_repr_latex_``). Each returns what
the matching ``derive solve`` command prints. The options are one ``Options`` record,
checked once; an unknown choice is an ``OptionError``.
"""

from dataclasses import dataclass, fields, replace

from .engine import chain, check, graph, network
from .engine import solution as records
from .engine import marks, variants
from .errors import OptionError, SpecError
from .options import Options
from .options import library as chosen_library
from .options import options as given
from .options import text_format
from .output import pdf, render
from .reading import answers as answers_file
from .reading import table as answers_table
from .reading.spec import load
from .views import worksheet

#: The options a solution is made with; the others may change from one output to the next.
SOLVING = ("digits", "carry_rounded", "style")
WRITING = ("digits", "lang", "flavor", "full", "log", "definitions", "pictures", "heading_base", "front_matter", "date",
           "tags")


def build(spec, source=None):
    """The checked ``Spec`` record and its ``Graph``: the pipeline's first two stages."""
    checked = load(spec, source)
    built = network.lower(checked) if checked.network is not None else graph.from_equations(checked)
    return checked, built


def solve(spec, source=None, options=None, **chosen):
    """The worked solution of ``spec``: a path, TOML text, a dict, or a ``derive.Network``
    or ``derive.Graph``. ``chosen`` are ``Options`` fields (``digits``, ``carry_rounded``,
    ``style``, and the writing options the solution's methods start from)."""
    options = given(options, **chosen)
    checked, built = build(spec, source)
    return derivation(checked, built, options)


def derivation(checked, built, options=None, steps=None):
    """The ``Solution`` of a built graph (``steps`` overrides the spec's number of steps)."""
    options = options or Options()
    train = checked.train
    made = chain.derive(built, checked.title, checked.lang, train.learning_rate if train else None,
                        steps or (train.steps if train else 1),
                        carry=options.digits if options.carry_rounded else None, style=options.style)
    return Solution.of(made, options)


def worksheets(spec, variants_count=None, seed=1, split=False, options=None, space="auto", duplex=None,
               blanks="results", **chosen):
    """Problem sheets and answer keys as XeLaTeX sources: a list of (variant, sheet, key).

    Without ``variants_count`` the sheet uses the spec's own numbers (variant None); with
    it, that many variants are drawn from the spec's [randomize] ranges with ``seed``. All
    of them go into one sheet and one key (variant None, each variant on new pages, and
    with ``duplex`` on an odd page: the default for a class set in one file), or with
    ``split`` one pair per variant. ``space`` is the working space under each question
    (``views.worksheet.working_space``); ``blanks="factors"`` asks each chain link's local
    derivative too.
    """
    options = given(options, **chosen)
    checked, built = build(spec)
    options = options.but(lang=options.language(checked.lang))
    made = [None] if variants_count is None else list(variants.make(built, checked.randomize, variants_count, seed))
    sheets = [worksheet.sheet(derivation(checked, v.graph if v else built, options, steps=1), options, v, space,
                              blanks) for v in made]
    duplex = len(sheets) > 1 if duplex is None else duplex
    if not split:
        return [(None, render.worksheet(sheets, options.lang, duplex=duplex),
                 render.worksheet(sheets, options.lang, key=True, duplex=duplex))]
    return [(v, render.worksheet([s], options.lang), render.worksheet([s], options.lang, key=True))
            for s, v in zip(sheets, made)]


def check_answers(spec, answers, variant=None, seed=None, rel_tol=None, abs_tol=None, source=None,
                  carried_credit=1):
    """Check a student's ``answers`` (a path, TOML or JSON text, or a dict shaped like the
    JSON solution) against the solution of ``spec``, or of its worksheet ``variant`` drawn
    with ``seed`` (both or neither: a variant's numbers depend on the seed).

    Returns a ``check.Report``; see ``derive.engine.check`` for what right, carried and
    wrong mean. A carried answer scores ``carried_credit`` (0 to 1) of its points.
    """
    if (variant is None) != (seed is None):
        raise OptionError("variant and seed go together: a variant's numbers are drawn with the class set's seed")
    checked, built = build(spec)
    if variant is not None:
        built = variants.variant(built, checked.randomize, variant, seed).graph
    solution = derivation(checked, built, steps=1)
    data, name = answers_file.read(answers, source)
    found, unknown = check.answers(data, solution, name)
    report = check.check(solution, found, rel_tol, abs_tol, name, unknown, carried_credit)
    return replace(report, lang=checked.lang)


def quiz(spec, variants_count=None, seed=1, options=None, blanks="results", fmt="moodle", **chosen):
    """A class set as a Moodle XML question bank (``fmt="moodle"``, text: a Cloze question a
    variant, each blank a NUMERICAL answer with the margin ``derive check`` accepts, the
    worked solution as general feedback, the picture as a PNG inside the file), or as an
    IMS QTI 1.2 package (``fmt="qti"``, zip bytes) with the same content."""
    from .views import quiz as quiz_view

    options = given(options, **chosen)
    checked, built = build(spec)
    options = options.but(lang=options.language(checked.lang))
    made = [None] if variants_count is None else list(variants.make(built, checked.randomize, variants_count, seed))
    questions = [quiz_view.question(derivation(checked, v.graph if v else built, options, steps=1), options, v,
                                    blanks) for v in made]
    if fmt == "qti":
        return render.qti(questions, options.lang, checked.title or "derive")
    return render.moodle(questions, options.lang, checked.title or "derive")


def practice(spec, variants_count=None, seed=1, options=None, blanks="results", solutions=True, **chosen):
    """The offline practice page (HTML text): the sheet with an input a blank, each answer
    marked as it is typed, as ``derive check`` marks it; a variant picker for a class set;
    the worked lines behind a control unless ``solutions=False``."""
    from .views import practice as practice_view

    options = given(options, **chosen)
    checked, built = build(spec)
    options = options.but(lang=options.language(checked.lang))
    made = [None] if variants_count is None else list(variants.make(built, checked.randomize, variants_count, seed))
    solutions_ = [derivation(checked, v.graph if v else built, options, steps=1) for v in made]
    shown = [practice_view.variant(s, options, v, blanks) for s, v in zip(solutions_, made)]
    data = practice_view.data(solutions_, shown, options.lang, blanks == "factors", worked=solutions)
    return render.practice(shown, data, options.lang, checked.title, solutions)


def answers_template(spec, variants_count=None, blanks="results"):
    """The empty answers table of a worksheet, as CSV text: a student column, a variant column
    for a class set, a column a blank of the sheet; a row a variant with its number."""
    checked, built = build(spec)
    keys = check.sheet_keys(derivation(checked, built, steps=1), factors=blanks == "factors")
    return render.answers_template(keys, variants_count)


def mark_class(spec, table, seed=None, rel_tol=None, abs_tol=None, carried_credit=1, progress=None):
    """Mark a class at once: ``table`` is a CSV (path or ``reading.table.Table``) with a
    student column, optionally a variant column (then ``seed`` is the class set's), and a
    column an answer key. Returns an ``engine.marks.ClassMarks``; a row that cannot be read
    is listed with its line and the others are marked. ``progress`` is called once a row."""
    checked, built = build(spec)
    answers = table if isinstance(table, answers_table.Table) else answers_table.read(table)
    if answers.variants and seed is None:
        raise OptionError(f"{answers.source}: has a variant column: give the seed the class set was drawn with")
    if seed is not None and not answers.variants:
        raise OptionError(f"{answers.source}: has no variant column; the seed is for a class set's variants")
    limit = variants.possible(built, checked.randomize) if answers.variants else 0
    numbers = [row.variant for row in answers.rows if row.variant is not None and row.variant <= limit]
    drawn = variants.make(built, checked.randomize, max(numbers), seed) if numbers else ()
    solutions = {}

    def solution_of(number):
        if number not in solutions:
            graph = drawn[number - 1].graph if number is not None else built
            solutions[number] = derivation(checked, graph, steps=1)
        return solutions[number]

    students, unreadable = [], list(answers.unreadable)
    for row in answers.rows:
        if row.variant is not None and row.variant > limit:
            unreadable.append((row.line, f"variant: {row.variant} is not in the class set (the spec's ranges "
                                         f"make at most {limit} variants)"))
            continue
        solution = solution_of(row.variant)
        try:
            found, unknown = check.flat_answers(row.answers, solution, f"{answers.source}: line {row.line}")
        except SpecError as err:
            unreadable.append((row.line, str(err).split(f"line {row.line}: ", 1)[-1]))
        else:
            report = check.check(solution, found, rel_tol, abs_tol, answers.source, unknown, carried_credit,
                                 factors=any(k.startswith("factors.") for k in answers.keys))
            students.append(marks.Marked(row.student, row.variant, row.line, replace(report, lang=checked.lang)))
        if progress:
            progress()
    return marks.ClassMarks(answers.source, answers.keys, tuple(students), tuple(sorted(unreadable)), checked.lang)


@dataclass(frozen=True, repr=False)
class Solution(records.Solution):
    """The engine's solution record, with what a user and Jupyter call on it."""

    options: Options = Options()

    @classmethod
    def of(cls, record, options):
        return cls(**{f.name: getattr(record, f.name) for f in fields(records.Solution)}, options=options)

    def _writing(self, changes):
        unknown = sorted(set(changes) - set(WRITING))
        if unknown:
            raise OptionError(f"{unknown[0]}: is chosen when solving (derive.solve(..., {unknown[0]}=...)), "
                              f"not when writing; the writing options are {', '.join(WRITING)}")
        return self.options.but(**changes)

    def __repr__(self):
        graph = self.graph
        loss = graph.node(graph.loss).name
        title = f"{self.title!r}: " if self.title else ""
        steps = (f"{len(self.steps)} step{'s' if len(self.steps) != 1 else ''}" if self.learning_rate is not None
                 else "no update")
        return (f"<Solution {title}{loss} = {float(self.first.forward.loss):.6g}, {len(graph.parameters)} "
                f"gradients, {steps}, style {self.style!r}>")

    def to(self, fmt, **changes):
        """The text `derive solve -f FMT` writes (every format but pdf)."""
        return render.render(self, text_format(fmt), self._writing(changes))

    def to_markdown(self, **changes):
        """The Markdown page of `derive solve -f md` (``flavor``: github, kramdown, katex, mathjax)."""
        return render.markdown(self, self._writing(changes))

    def to_latex(self, standalone=True, **changes):
        """The XeLaTeX document of `-f tex`, or with ``standalone=False`` the fragment of `-f tex-body`."""
        return render.latex(self, self._writing(changes), standalone=standalone)

    def to_html(self, fragment=False, **changes):
        """The page of `-f html`; with ``fragment``, one <div> to put into another page."""
        return render.html(self, self._writing(changes), fragment=fragment)

    def to_pdf(self, **changes):
        """The PDF of `-f pdf`, as bytes (XeLaTeX and latexmk must be installed)."""
        return pdf.compile_tex(self.to_latex(**changes))

    def to_docx(self, **changes):
        """The Word document of `-f docx`, as bytes (needs pip install 'derive[docx]')."""
        return render.docx(self, self._writing(changes))

    def to_json(self):
        """The JSON text of `-f json` (``as_json`` gives it as a dict)."""
        return render.json_text(self)

    def as_json(self):
        """The JSON solution of SPEC.md section 3, numbers as full doubles."""
        return render.json_data(self)

    def to_script(self, library="numpy"):
        """The script of `-f numpy` or `-f torch` that recomputes this solution."""
        return render.script(self, chosen_library(library))

    # Jupyter shows the richest of these it can: the HTML in a notebook, the Markdown
    # where HTML is not shown, and the LaTeX (without pictures) when a notebook is
    # converted to LaTeX or PDF
    def _repr_html_(self):
        return self.to_html(fragment=True)

    def _repr_markdown_(self):
        return self.to_markdown(flavor="katex")

    def _repr_latex_(self):
        return render.latex(self, self.options, standalone=False, drawn=False)
