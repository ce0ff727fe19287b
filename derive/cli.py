"""The command line. The only module that knows about exit statuses and files.

Exit statuses: 0 done; 1 an error that is not the input's fault (``DeriveError``);
2 bad input (``SpecError``) or a bad command line. Each failure is one line on standard
error; nothing is written on failure, and outputs are written whole or not at all.
``--debug`` shows the traceback instead.
"""

import gc

# Importing SymPy makes about a million long-lived objects and no garbage; the cyclic
# collector would walk them again and again for nothing (about 20 ms of every command).
# It is paused for the imports and the imported objects are then set aside for good.
gc.disable()

import math  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
from pathlib import Path  # noqa: E402

import click  # noqa: E402

from .version import __version__  # noqa: E402
from .errors import DeriveError, OptionError, SpecError, one_line  # noqa: E402
from .languages import CODES  # noqa: E402
from .options import DIGITS, HEADING_LEVELS, Options  # noqa: E402
from .registry.choices import FLAVORS, FORMATS, LOGS, PICTURES, STYLES  # noqa: E402
from .views.present import KEEP, MAX_LISTED  # noqa: E402

DEFAULT = Options()

gc.freeze()
gc.enable()


class BadInput(click.ClickException):
    """Bad input: one line, exit status 2 (click's own usage errors exit 2 as well)."""

    exit_code = 2


#: The format each output extension means; an -f that says otherwise is refused.
SOLVE_EXTENSIONS = {".md": ("md",), ".markdown": ("md",), ".tex": ("tex", "tex-body"), ".html": ("html",),
                    ".htm": ("html",), ".json": ("json",), ".pdf": ("pdf",), ".py": ("numpy", "torch"),
                    ".docx": ("docx",)}
WORKSHEET_EXTENSIONS = {".pdf": ("pdf",), ".tex": ("tex",), ".xml": ("moodle",), ".zip": ("qti",), ".html": ("html",),
                        ".htm": ("html",)}


def _format(fmt, output, extensions, default):
    """The format to write: -f as given, else the one -o's extension names, else ``default``;
    an -f that contradicts the extension is refused (as pandoc reads an extension)."""
    suffix = Path(output).suffix.lower() if output not in (None, "-") else ""
    meant = extensions.get(suffix)
    if fmt is None:
        fmt = meant[0] if meant else default
        if suffix and meant is None and extensions is WORKSHEET_EXTENSIONS:
            raise BadInput(f"{output}: a worksheet is written as .pdf, .tex, .xml (a Moodle question bank) or "
                           ".zip (a QTI package), or into a folder (ending in /)")
        return fmt
    if meant is not None and fmt not in meant:
        raise BadInput(f"{output}: the extension {suffix} means {meant[0]}, but -f {fmt} was given; "
                       f"name the file for its format or leave -f out")
    return fmt


def _finite(value, param):
    if value is not None and not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a finite number", param=param)
    return value


def _same_file(a, b):
    """True when two output paths name one file (by spelling, or as files that exist)."""
    a, b = Path(a), Path(b)
    if a.resolve() == b.resolve():
        return True
    return a.exists() and b.exists() and os.path.samefile(a, b)


def _run(debug, job):
    try:
        return job()
    except (SpecError, OptionError) as err:
        if debug:
            raise
        raise BadInput(one_line(str(err))) from None
    except DeriveError as err:
        if debug:
            raise
        # a TeX log's lines stay lines; nothing in them may drive the terminal
        raise click.ClickException("\n".join(one_line(line) for line in str(err).split("\n"))) from None


def write_output(content, output, inputs=()):
    """Write ``content`` (text or bytes) to ``output`` atomically, or to standard output when
    ``output`` is None or '-'."""
    if output is None or output == "-":
        if isinstance(content, bytes):
            raise BadInput("PDF output needs a file: give -o FILE.pdf")
        click.echo(content, nl=False)
        return
    write_files({output: content}, inputs)


def _target(output, inputs=()):
    target = Path(output)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise BadInput(f"{output}: the folder {folder} does not exist")
    if target.is_dir():
        raise BadInput(f"{output}: is a folder; give a file name")
    for source in inputs:
        if target.exists() and Path(source).exists() and os.path.samefile(target, source):
            raise BadInput(f"{output}: is the input file {source}; derive never writes over its input "
                           "(give another file name)")
    return target, folder


def _mode():
    # mkstemp makes files only the owner can read; outputs get the usual umask instead
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_files(contents, inputs=()):
    """Write every {path: text or bytes} whole, or none of them: all paths are checked first
    (none may be one of the ``inputs``), every file is written to a temporary name beside
    it, and only when all are written are they renamed into place. An interruption
    (Ctrl-C, SIGTERM) removes what was started."""
    targets = {path: _target(path, inputs) for path in contents}
    mode = _mode()
    written = []
    try:
        for path, content in contents.items():
            target, folder = targets[path]
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".part")
            written.append((temporary, target))
            with os.fdopen(handle, "wb") as stream:
                stream.write(content if isinstance(content, bytes) else content.encode("utf-8"))
            os.chmod(temporary, mode)
        for temporary, target in written:
            os.replace(temporary, target)
    except OSError as err:
        raise BadInput(f"{err.filename or next(iter(contents))}: cannot be written ({err.strerror})") from None
    finally:
        for temporary, _ in written:
            Path(temporary).unlink(missing_ok=True)


def _interrupted(signum, frame):
    # SIGTERM as Ctrl-C: every ``finally`` runs, so temporary files and folders are removed
    raise KeyboardInterrupt


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="derive")
def main():
    """Step-by-step worked solutions of forward and backward propagation.

    A spec (TOML) describes a network or a computational graph with its numbers;
    derive writes the forward pass, every gradient by the chain rule, and the update,
    as a page a person can follow with a calculator.

    \b
    Examples:
      derive new my_network.toml          # a commented spec to edit
      derive solve my_network.toml        # its worked solution (Markdown)
      derive examples                     # the bundled examples, and where they are
      derive solve --help                 # every option of a command
    """
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupted)


_digits = click.option("--digits", type=click.IntRange(DIGITS[0], DIGITS[-1]), default=DEFAULT.digits,
                       show_default=True, help="Significant digits shown for computed values.")
_lang = click.option("--lang", type=click.Choice(CODES), help="Language of the prose (default: the spec's lang).")
_carry = click.option("--carry-rounded", is_flag=True,
                      help="Round each shown value and carry the rounded value on, as with a calculator "
                           "(default: exact values throughout).")
_style = click.option("--style", type=click.Choice(STYLES), default=DEFAULT.style, show_default=True,
                      help="Gradients as full chain-rule products (chain), through shared upstream gradients "
                           "named delta (delta), as layer-wise matrix equations (matrix), or by size: chain for "
                           "small graphs, delta beyond, matrix above 300 parameters (auto).")
_log = click.option("--log", type=click.Choice(LOGS),
                    help="Write the natural logarithm as ln or log (default: the language's: log in English, "
                         "ln in Korean).")
_definitions = click.option("--definitions/--no-definitions", default=None,
                            help="Write (or leave out) the row of partials with each definition put in, "
                                 "d(w5 a1 + w6 a2)/d a1 (default: written in the chain style up to "
                                 "16 parameters).")
_debug = click.option("--debug", is_flag=True, hidden=True, help="Show tracebacks.")
_spec = click.argument("spec", type=click.Path(dir_okay=True, path_type=Path))


@main.command()
@_spec
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS),
              help="Output format (default: from -o's extension, else md; pdf and docx need -o). numpy and torch "
                   "write a script that recomputes the forward pass, gradients and update with that library and "
                   "prints them as JSON; docx is a Word document with editable equations (pip install "
                   "'derive[docx]').")
@click.option("-o", "--output", type=click.Path(path_type=str), help="Write here instead of standard output.")
@_digits
@_lang
@_carry
@_style
@click.option("--flavor", type=click.Choice(FLAVORS), default=DEFAULT.flavor, show_default=True,
              help="Markdown math delimiters: github, kramdown (Jekyll), katex (Velog, Notion, Obsidian), "
                   "mathjax (Tistory), pandoc (Quarto, R Markdown).")
@click.option("--full", is_flag=True,
              help=f"Write out every gradient and update, even of a network with more than "
                   f"{MAX_LISTED} parameters (by default each layer's first {KEEP} are).")
@_log
@_definitions
@click.option("--pictures", type=click.Choice(PICTURES), default=DEFAULT.pictures, show_default=True,
              help="The network and loss pictures: svg (files beside a Markdown page, inline in HTML), png "
                   "(files beside a Markdown page, for blog editors that take no SVG), or none.")
@click.option("--front-matter", is_flag=True,
              help="Open the Markdown page with YAML front matter for Jekyll or Hugo (layout, title, date, tags "
                   "and the theme's math switch); the title is then not repeated as a heading.")
@click.option("--heading-base", type=click.IntRange(HEADING_LEVELS[0], HEADING_LEVELS[-1]),
              help="The level of the Markdown page's top heading: the title, or with --front-matter the sections "
                   "(default: 1, or 2 with --front-matter, under the blog's own title).")
@click.option("--date", help="The front matter's date, YYYY-MM-DD (default: today).")
@click.option("--tag", "tags", multiple=True,
              help="A tag of the front matter (repeat for more; default: backpropagation, gradient descent, "
                   "in the page's language).")
@click.option("--assets", type=click.Path(file_okay=False, path_type=str),
              help="Write the Markdown page's pictures into this folder (default: beside the page).")
@click.option("--assets-url",
              help="The address the page links its pictures by, such as /assets/img/posts (default: the "
                   "--assets folder as seen from the page).")
@_debug
def solve(spec, fmt, output, digits, lang, carry_rounded, style, flavor, full, log, definitions, pictures,
          front_matter, heading_base, date, tags, assets, assets_url, debug):
    """Write the worked solution of SPEC.

    \b
    Examples:
      derive solve examples/seed004_221_network.toml -f md -o solution.md
      derive solve examples/seed004_221_network.toml -f pdf -o solution.pdf
      derive solve examples/seed004_221_network.toml -o post.md --front-matter --flavor kramdown
      derive solve examples/seed004_221_network.toml -o solution.docx
      derive solve examples/seed004_221_network.toml -f numpy -o check.py && python check.py
      (the script needs NumPy: pip install 'derive[numpy]')
    """
    from .api import solve as solve_spec
    from .output import render

    options = _run(debug, lambda: Options(digits=digits, lang=lang, flavor=flavor, style=style,
                                          carry_rounded=carry_rounded, full=full, log=log,
                                          definitions=definitions, pictures=pictures, heading_base=heading_base,
                                          front_matter=front_matter, date=date, tags=tags))
    fmt = _format(fmt, output, SOLVE_EXTENSIONS, "md")
    blog = [name for name, given in (("--front-matter", front_matter), ("--heading-base", heading_base),
                                     ("--date", date), ("--tag", tags), ("--assets", assets),
                                     ("--assets-url", assets_url)) if given]
    if blog and fmt != "md":
        raise BadInput(f"{blog[0]} shapes a Markdown page (-f md); -f {fmt} has no use for it")
    if (date or tags) and not front_matter:
        raise BadInput(f"{'--date' if date else '--tag'} goes into the front matter: add --front-matter")
    if (assets or assets_url) and output in (None, "-"):
        raise BadInput(f"{'--assets' if assets else '--assets-url'} places the pictures of a page written to a "
                       "file: give -o FILE.md")
    if fmt in ("pdf", "docx") and output in (None, "-"):
        raise BadInput(f"-f {fmt} needs a file to write: give -o FILE.{fmt}")
    if pictures == "png" and fmt not in ("md", "docx"):
        raise BadInput(f"--pictures png writes PNG files beside a Markdown page (-f md) or into a Word document "
                       f"(-f docx); -f {fmt} "
                       "draws its pictures itself (give --pictures svg or none)")
    if pictures == "png" and output in (None, "-"):
        raise BadInput("--pictures png writes PNG files beside the page: give -o FILE.md")

    to_file = output not in (None, "-")

    def job():
        solution = solve_spec(spec, options=options)
        if fmt == "pdf":
            from .output import pdf
            return {output: pdf.compile_tex(render.latex(solution, options))}
        if fmt == "docx":
            return {output: render.docx(solution, options)}
        if fmt == "md" and to_file:
            # pictures go beside the page (or into --assets) as SVG or PNG files, linked by name
            target = Path(output)
            base = target.name[:-3] if target.name.endswith(".md") else target.name
            folder = Path(assets) if assets else target.parent
            link = assets_url if assets_url is not None else \
                Path(os.path.relpath(folder, target.parent)).as_posix() if assets else ""
            files = {output: render.markdown(solution, options, base=base, assets="" if link == "." else link)}
            for name, text in render.picture_files(solution, options, base=base).items():
                files[str(folder / name)] = text
            return files
        return {output: render.render(solution, fmt, options)}

    if to_file:
        _target(output, (spec,))  # before any work: never over the input
    files = _run(debug, job)
    if to_file:
        if assets:
            try:  # a blog's asset folder, made as `mkdir -p` would
                Path(assets).mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise BadInput(f"--assets {assets}: cannot be made a folder ({err.strerror})") from None
        write_files(files, (spec,))
    else:
        write_output(files[output], output)


@main.command()
@_spec
@click.option("-o", "--output", required=True, type=click.Path(path_type=str),
              help="The sheet's file (sheet.pdf), or a folder (ending in /) for one file per variant.")
@click.option("--key", "key_output", type=click.Path(path_type=str),
              help="The answer key's file (default: beside the sheet, as sheet-key.pdf).")
@click.option("-f", "--format", "fmt", type=click.Choice(["pdf", "tex", "moodle", "qti", "html"]),
              help="pdf, the XeLaTeX source (tex), a Moodle XML question bank (moodle, .xml), an IMS QTI 1.2 "
                   "package for Canvas and Blackboard (qti, .zip), or an offline practice page that marks each "
                   "answer as it is typed (html); default: from -o's extension, else pdf.")
@click.option("--variants", type=click.IntRange(1, None),
              help="Make this many variants with numbers drawn from the spec's [randomize] ranges.")
@click.option("--seed", type=int, default=1, show_default=True,
              help="The seed the variants are drawn with: the same seed gives the same sheets.")
@click.option("--blanks", type=click.Choice(["results", "factors"]), default="results", show_default=True,
              help="What the sheet leaves blank: each result, or also each local derivative of the chain "
                   "(a point each).")
@click.option("--space", default="auto", show_default=True,
              help="Working space under each question: auto (3 ruled lines and one a blank, at most 14), "
                   "a number of lines (8), or a length (5cm).")
@click.option("--duplex/--no-duplex", default=None,
              help="Start each variant of a class set on an odd page, for printing on both sides "
                   "(default: on for a class set in one file).")
@click.option("--answers-template", "answers_template", type=click.Path(path_type=str),
              help="Also write the empty answers table (CSV) a teacher fills in for `derive check SPEC FILE.csv "
                   "-o marks/`: a column a blank, a row a variant.")
@click.option("--no-solutions", "solutions", flag_value=False, default=True,
              help="Leave the worked lines out of a practice page (-f html), and the line a wrong answer "
                   "should have been out of its note.")
@_digits
@_lang
@_carry
@_style
@_log
@_definitions
@_debug
def worksheet(spec, output, key_output, fmt, variants, seed, blanks, space, duplex, answers_template, solutions, digits,
              lang, carry_rounded, style, log, definitions, debug):
    """Write a problem sheet for SPEC and its answer key.

    The sheet gives the values and the model and leaves a blank for every forward value,
    the loss, every gradient, every update and the new prediction; the key fills them in
    and shows the full worked solution under each question. One step is asked for.

    \b
    Examples:
      derive worksheet examples/seed004_221_network.toml -o sheet.pdf
      derive worksheet examples/seed004_221_network.toml --variants 30 --seed 7 -o class.pdf
      derive worksheet examples/seed004_221_network.toml --variants 30 -o class/
    """
    from .api import worksheets

    options = _run(debug, lambda: Options(digits=digits, lang=lang, style=style, carry_rounded=carry_rounded,
                                          log=log, definitions=definitions))
    folder = output.endswith(("/", os.sep)) or Path(output).is_dir()
    if folder and Path(output).exists() and not Path(output).is_dir():
        raise BadInput(f"{output}: is a file, not a folder (leave out the trailing / to name the sheet's file)")
    if folder and key_output:
        raise BadInput(f"--key names one file; with -o {output} every key goes into that folder beside its sheet")
    fmt = _format(fmt, None if folder else output, WORKSHEET_EXTENSIONS, "pdf")
    if fmt in ("moodle", "qti", "html"):
        return _quiz(spec, output, folder, key_output, variants, seed, blanks, options, answers_template, debug, fmt,
                     solutions)
    if not solutions:
        raise BadInput("--no-solutions is for a practice page (-f html); a sheet never holds the worked lines, "
                       "and its key is the worked solution")
    if key_output:
        _format(fmt, key_output, WORKSHEET_EXTENSIONS, fmt)
    if folder and not Path(output).is_dir():
        if not Path(output).parent.is_dir():
            raise BadInput(f"{output}: the folder {Path(output).parent} does not exist")
    documents = _run(debug, lambda: worksheets(spec, variants_count=variants, seed=seed, split=folder,
                                                    options=options, space=space, duplex=duplex, blanks=blanks))
    suffix = "." + fmt
    files = {}
    width = len(str(len(documents)))
    for variant, sheet_tex, key_tex in documents:
        if folder:
            # a class set's files by variant; the spec's own numbers by the spec's name
            name = f"variant-{variant.number:0{width}d}" if variant else Path(spec).stem
            sheet_path = str(Path(output) / (name + suffix))
            key_path = str(Path(output) / (name + "-key" + suffix))
        else:
            base = output[:-len(suffix)] if output.endswith(suffix) else output
            sheet_path = base + suffix
            key_path = key_output or base + "-key" + suffix
            if _same_file(sheet_path, key_path):
                raise BadInput(f"--key {key_output}: is the sheet itself; the key must go to another file, "
                               "or the sheet handed out would be the key")
        files[sheet_path], files[key_path] = sheet_tex, key_tex
    if answers_template and Path(answers_template).suffix.lower() != ".csv":
        raise BadInput(f"--answers-template {answers_template}: an answers table is a .csv file")
    if fmt == "pdf":
        files = _compiled(files, debug)
    if answers_template:
        from .api import answers_template as template

        files[answers_template] = _run(debug, lambda: template(spec, variants, blanks))
    if folder:
        Path(output).mkdir(exist_ok=True)
    write_files(files, (spec,))
    click.echo(f"wrote {len(files)} files: {', '.join(list(files)[:2])}{', ...' if len(files) > 2 else ''}", err=True)


@main.command()
@_spec
@click.argument("answers", type=click.Path(dir_okay=True, path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text", show_default=True,
              help="A table for the terminal (text), Markdown to paste (md), or JSON.")
@click.option("-o", "--output", type=click.Path(path_type=str), help="Write here instead of standard output.")
@click.option("--rel-tol", type=click.FloatRange(0, None), callback=lambda ctx, param, value: _finite(value, param),
              help="Accept answers within this fraction of the value (instead of the digits written).")
@click.option("--abs-tol", type=click.FloatRange(0, None), callback=lambda ctx, param, value: _finite(value, param),
              help="Accept answers within this distance of the value (instead of the digits written).")
@click.option("--variant", type=click.IntRange(1, None), help="Check against this worksheet variant.")
@click.option("--seed", type=int, help="The seed the worksheet variants were drawn with (needed with --variant).")
@click.option("--pdf", "feedback_pdf", is_flag=True,
              help="With a class's answers table: each student's feedback page as PDF too (XeLaTeX).")
@click.option("--carried-credit", type=click.FloatRange(0, 1), default=1, show_default=True,
              callback=lambda ctx, param, value: _finite(value, param),
              help="The share of its points a carried answer scores (wrong, but right from your earlier answers).")
@_lang
@_debug
def check(spec, answers, fmt, output, rel_tol, abs_tol, variant, seed, feedback_pdf, carried_credit, lang, debug):
    """Check hand-worked ANSWERS against the solution of SPEC.

    ANSWERS is TOML or JSON shaped like the JSON solution, with any of its values;
    or a class's table (.csv or .tsv: a student column, a variant column for a
    class set, a column an answer key such as forward.z1), marked into the folder
    -o names as marks.csv, summary.md and a feedback page a student. Each answer is right, wrong, or carried: wrong, but what follows from the
    student's own earlier wrong answers. By default an answer may be off by one
    unit in its last written digit (at least 0.5%, at most 2% of the value).
    A wrong answer gets the line it should have been and, where a common slip
    reproduces it, the slip's name. The score counts a point a blank of the
    worksheet. Exit status 0 when none is wrong, 1 when any is wrong or a key names
    no quantity (it is listed, with the key it most likely means), 2 for bad input.

    \b
    Example (answers.toml):
      [forward]
      a1 = 0.552
      yhat = 0.4943
      [gradients]
      w1 = -0.0204
    \b
      derive check examples/seed004_221_network.toml answers.toml
      derive check spec.toml answers.toml --variant 7 --seed 42 -f md -o report.md
      derive check spec.toml answers.csv --seed 42 -o marks/
    """
    from .api import check_answers
    from .output import render

    if answers.suffix.lower() in (".csv", ".tsv"):
        return _mark_class(spec, answers, output, rel_tol, abs_tol, variant, seed, carried_credit, lang, debug,
                           feedback_pdf)
    if feedback_pdf:
        raise BadInput("--pdf is for a class's answers table (FILE.csv -o marks/): one student's report is text, "
                       "Markdown or JSON")
    if output and output.endswith(("/", os.sep)):
        raise BadInput(f"-o {output}: one student's report is one file (a folder is for a class's table, FILE.csv)")
    if variant is not None and seed is None:
        raise BadInput(f"--variant {variant} needs --seed: the seed the class set was drawn with (its sheets "
                       "print it beside the variant, as \"Variant 7 (seed 42)\")")
    if seed is not None and variant is None:
        raise BadInput("--seed is for --variant: give the variant the answers are for")

    def job():
        from .views import report as report_view

        result = check_answers(spec, answers, variant=variant, seed=seed, rel_tol=rel_tol, abs_tol=abs_tol,
                               carried_credit=carried_credit)
        language = lang or result.lang
        if fmt == "json":
            return result, render.check_json(result, language)
        if fmt == "md":
            return result, render.check_markdown(result, language)
        colour = {"right": "green", "carried": "yellow", "wrong": "red"}
        return result, report_view.text_table(report_view.view(result, language),
                                              lambda cell, status: click.style(cell, fg=colour[status], bold=True))

    if output not in (None, "-"):
        _target(output, (spec, answers))
    result, text = _run(debug, job)
    write_output(text, output, (spec, answers))
    sys.exit(1 if result.any_wrong else 0)


#: What a one-file class set is, and the extensions its file takes.
ONE_FILE = {"moodle": ("question bank", "quiz.xml", (".xml",), "a Moodle question bank is an .xml file"),
            "qti": ("question bank", "quiz.zip", (".zip",), "a QTI package is a .zip file"),
            "html": ("practice page", "practice.html", (".html", ".htm"), "a practice page is an .html file")}


def _quiz(spec, output, folder, key_output, variants, seed, blanks, options, answers_template, debug, fmt,
          solutions=True):
    """-f moodle, qti or html: one file, every variant in it (a question, or a page of the
    practice page's picker), its worked solution inside."""
    from .api import practice, quiz

    what, example, extensions, kind = ONE_FILE[fmt]
    if folder or key_output or answers_template:
        raise BadInput(f"-f {fmt} writes one {what} (-o {example}): the answers and the worked solutions are "
                       "inside it, so there is no --key, --answers-template or folder")
    if not output.lower().endswith(extensions):
        raise BadInput(f"{output}: {kind}")
    if not solutions and fmt != "html":
        raise BadInput("--no-solutions is for a practice page (-f html)")
    _target(output, (spec,))
    if fmt == "html":
        text = _run(debug, lambda: practice(spec, variants_count=variants, seed=seed, options=options, blanks=blanks,
                                            solutions=solutions))
    else:
        text = _run(debug, lambda: quiz(spec, variants_count=variants, seed=seed, options=options, blanks=blanks,
                                        fmt=fmt))
    write_files({output: text}, (spec,))
    count = variants or 1
    unit = "variant" if fmt == "html" else "question"
    click.echo(f"wrote {output}: {count} {unit}{'s' if count > 1 else ''}", err=True)


def _mark_class(spec, answers, output, rel_tol, abs_tol, variant, seed, carried_credit, lang, debug, feedback_pdf):
    """A class's answers table: marks.csv, summary.md and a feedback page a student, in the
    folder -o names, all written or none; a bar on standard error while marking."""
    from .api import mark_class
    from .output import render

    if output in (None, "-") or not (output.endswith(("/", os.sep)) or Path(output).is_dir()):
        raise BadInput(f"{answers}: a class's answers table is marked into a folder: give -o marks/")
    if variant is not None:
        raise BadInput(f"--variant is for one student's file; {answers} says each student's variant in its "
                       "variant column")
    if Path(output).exists() and not Path(output).is_dir():
        raise BadInput(f"{output}: is a file, not a folder")
    if not Path(output).parent.is_dir() and not Path(output).is_dir():
        raise BadInput(f"{output}: the folder {Path(output).parent} does not exist")

    def job():
        from .reading import table as answers_table

        table = answers_table.read(answers)
        if not sys.stderr.isatty():  # a bar is for a person watching; a log gets the last line only
            return _marked(table, None)
        with click.progressbar(length=len(table.rows), label="marking", file=sys.stderr) as bar:
            return _marked(table, lambda: bar.update(1))

    def _marked(table, progress):
        marked = mark_class(spec, table, seed=seed, rel_tol=rel_tol, abs_tol=abs_tol,
                            carried_credit=carried_credit, progress=progress)
        files = render.marks_files(marked, lang or marked.lang)
        if feedback_pdf:
            files.update(render.feedback_latex(marked, lang or marked.lang))
        return marked, files

    marked, files = _run(debug, job)
    if feedback_pdf:  # every page compiled before anything is written
        sources = {name: text for name, text in files.items() if name.endswith(".pdf")}
        files.update(_compiled(sources, debug))
    folder = Path(output)
    targets = {str(folder / name): text for name, text in files.items()}
    inputs = {Path(spec).resolve(), Path(answers).resolve()}
    clash = next((t for t in targets if Path(t).resolve() in inputs), None)
    if clash:  # before any folder is made: nothing is left behind
        raise BadInput(f"{clash}: is an input; mark into another folder")
    earlier = sorted(p.name for p in (folder / "feedback").glob("*") if str(p) not in targets) \
        if (folder / "feedback").is_dir() else []
    if earlier:
        raise BadInput(f"{folder / 'feedback'}: holds pages of another marking ({earlier[0]}, ...) that this one "
                       "would not replace; mark into an empty folder")
    (folder / "feedback").mkdir(parents=True, exist_ok=True)
    write_files(targets, (spec, answers))
    for line, problem in marked.unreadable:
        click.echo(f"{answers}: line {line}: {one_line(problem)}; not marked", err=True)
    count = len(marked.students)
    pages = count * (2 if feedback_pdf else 1)
    click.echo(f"marked {count} student{'' if count == 1 else 's'}: {folder / 'marks.csv'}, {folder / 'summary.md'}, "
               f"{pages} page{'' if pages == 1 else 's'} in {folder / 'feedback'}", err=True)
    sys.exit(1 if marked.any_wrong else 0)


@main.command()
@click.argument("path", type=click.Path(path_type=str))
@click.option("--graph", "kind", flag_value="graph", help="A computational graph of equations.")
@click.option("--network", "kind", flag_value="network", default=True,
              help="A layered network (the default).")
@click.option("--lang", type=click.Choice(CODES), default="en", show_default=True,
              help="The language of the comments, the title and the spec's lang.")
def new(path, kind, lang):
    """Write a commented starter spec to PATH (- for standard output).

    The spec solves as written: a 2-2-1 network (seed 004), or with --graph the graph
    f = (x + y) z. Each key carries a comment saying what it means and what else it
    may be. An existing file is never replaced.

    \b
    Examples:
      derive new homework.toml && derive solve homework.toml
      derive new --graph circuit.toml
      derive new --lang ko 숙제.toml
    """
    from .output.render import starter

    text = starter(kind, lang)
    if path == "-":
        write_output(text, None)
        return
    if Path(path).exists():
        raise BadInput(f"{path}: already exists; derive new never replaces a file (choose another name)")
    write_files({path: text})
    click.echo(f"wrote {path}: edit it, then run: derive solve {path}", err=True)


@main.command()
@click.argument("name", required=False)
def examples(name):
    """List the bundled example specs: name, title and file; with NAME (or the start
    of one), print that example's file alone.

    \b
    Examples:
      derive examples
      derive solve "$(derive examples seed004)" -f pdf -o seed004.pdf
    """
    from .output.resources import examples as bundled

    found = _run(False, bundled)
    if name is not None:
        matches = [path for stem, _, path in found if stem == name] or \
                  [path for stem, _, path in found if stem.startswith(name)]
        if len(matches) != 1:
            known = ", ".join(stem for stem, _, _ in found)
            raise BadInput(f"{name}: {'names several examples' if matches else 'no such example'} (known: {known})")
        click.echo(str(matches[0]))
        return
    from .views.report import width as columns

    width = max(len(stem) for stem, _, _ in found)
    title_width = max(columns(title) for _, title, _ in found)
    for stem, title, path in found:
        click.echo(f"{stem.ljust(width)}  {title}{' ' * (title_width - columns(title))}  {path}")


def _compiled(sources, debug):
    """{path: tex} -> {path: pdf}, compiled in parallel on every core, with a progress bar."""
    from concurrent.futures import ThreadPoolExecutor, as_completed

    from .output import pdf

    if not pdf.available():
        _run(debug, lambda: pdf.compile_tex(""))  # the one clear line: what to install
    results = {}
    workers = min(len(sources), os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool, \
            click.progressbar(length=len(sources), label="Compiling with XeLaTeX", file=sys.stderr) as bar:
        futures = {pool.submit(pdf.compile_tex, tex): path for path, tex in sources.items()}
        try:
            for future in as_completed(futures):
                results[futures[future]] = _run(debug, future.result)
                bar.update(1)
        except BaseException:
            for future in futures:  # one failure stops the rest: nothing is written
                future.cancel()
            pdf.stop_all()
            raise
    return {path: results[path] for path in sources}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
