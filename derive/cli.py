"""The command line. The only module that knows about exit statuses and files.

Exit statuses: 0 done; 1 an error that is not the input's fault (``DeriveError``);
2 bad input (``SpecError``) or a bad command line. Each failure is one line on standard
error; nothing is written on failure, and outputs are written whole or not at all.
``--debug`` shows the traceback instead.
"""

import os
import sys
import tempfile
from pathlib import Path

import click

from . import __version__
from .errors import DeriveError, SpecError
from .present import FLAVORS
from .render import FORMATS


class BadInput(click.ClickException):
    """Bad input: one line, exit status 2 (click's own usage errors exit 2 as well)."""

    exit_code = 2


def _run(debug, job):
    try:
        return job()
    except SpecError as err:
        if debug:
            raise
        raise BadInput(str(err)) from None
    except DeriveError as err:
        if debug:
            raise
        raise click.ClickException(str(err)) from None


def write_output(text, output):
    """Write ``text`` to ``output`` atomically, or to standard output when it is None or '-'."""
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    target = Path(output)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise BadInput(f"{output}: the folder {folder} does not exist")
    if target.is_dir():
        raise BadInput(f"{output}: is a folder; give a file name")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="derive")
def main():
    """Step-by-step worked solutions of forward and backward propagation."""


@main.command()
@click.argument("spec", type=click.Path(dir_okay=True, path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True,
              help="Output format.")
@click.option("-o", "--output", type=click.Path(path_type=str), help="Write here instead of standard output.")
@click.option("--digits", type=click.IntRange(1, 15), default=4, show_default=True,
              help="Significant digits shown for computed values.")
@click.option("--lang", type=click.Choice(["en", "ko"]), help="Language of the prose (default: the spec's lang).")
@click.option("--carry-rounded", is_flag=True,
              help="Round each shown value and carry the rounded value on, as with a calculator "
                   "(default: exact values throughout).")
@click.option("--style", type=click.Choice(["chain", "delta", "auto"]), default="auto", show_default=True,
              help="Gradients as full chain-rule products (chain), through shared upstream gradients "
                   "named delta (delta), or chain for small graphs and delta beyond (auto).")
@click.option("--flavor", type=click.Choice(FLAVORS), default="github", show_default=True,
              help="Markdown math delimiters: github, kramdown (Jekyll), katex (Velog, Notion, Obsidian), "
                   "mathjax (Tistory).")
@click.option("--debug", is_flag=True, hidden=True, help="Show tracebacks.")
def solve(spec, fmt, output, digits, lang, carry_rounded, style, flavor, debug):
    """Write the worked solution of SPEC.

    \b
    Example:
      derive solve examples/seed004_221_network.toml -f md -o solution.md
    """
    from . import render, solve as solve_spec

    text = _run(debug, lambda: render.render(solve_spec(spec, carry_rounded=carry_rounded, digits=digits, style=style), fmt,
                                                 digits=digits, lang=lang, flavor=flavor))
    write_output(text, output)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
