"""The golden files: outputs/ holds the rendered solution of every example, and
docs/reference.md the registries' reference table.

Regenerate them after an intended change of the rendering with

    python tests/golden.py            # every example
    python tests/golden.py seed004    # one example (any unique start of its name)

and read the diff before committing it: it is what users will read.
"""

import sys
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from derive import solve, worksheets  # noqa: E402
from derive.output import render  # noqa: E402
from derive.reading.spec import load  # noqa: E402
from derive.registry.choices import FLAVORS  # noqa: E402

EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
LANGS = ("en", "ko")
VARIANTS, SEED = 3, 1
REGENERATE = "python tests/golden.py"
REFERENCE = ROOT / "docs" / "reference.md"


def names(spec):
    """The files outputs/EXAMPLE/ holds, known without rendering anything: every format,
    Markdown flavour and language, the pictures a Markdown file written with -o links to,
    the worksheet and key, and the fixed draws of a [randomize] example."""
    checked = load(spec)
    curve = checked.train is not None and checked.train.steps >= 2  # a curve needs three losses
    solution_files = ["solution.json"]
    for lang in LANGS:
        solution_files += [f"{flavor}.{lang}.md" for flavor in FLAVORS]
        solution_files += [f"{lang}.network.svg"] + ([f"{lang}.loss.svg"] if curve else [])
        solution_files += [f"solution.{lang}.tex", f"body.{lang}.tex", f"solution.{lang}.html",
                           f"worksheet.{lang}.tex", f"worksheet-key.{lang}.tex"]
    if spec.stem == "seed004_221_network":
        solution_files += ["katex.matrix.en.md", "matrix.en.tex"]
    if checked.randomize:
        solution_files.append(f"variants-{VARIANTS}-seed-{SEED}.tex")
    return solution_files


@lru_cache(maxsize=None)
def expected(spec):
    """{file name: freshly rendered text} of one example's folder in outputs/."""
    solution = solve(spec)
    made = {"solution.json": solution.to("json")}
    for lang in LANGS:
        for flavor in FLAVORS:
            made[f"{flavor}.{lang}.md"] = solution.to("md", lang=lang, flavor=flavor)
        made[f"solution.{lang}.tex"] = solution.to("tex", lang=lang)
        made[f"body.{lang}.tex"] = solution.to("tex-body", lang=lang)
        made[f"solution.{lang}.html"] = solution.to("html", lang=lang)
        made.update(render.picture_files(solution, solution.options.but(lang=lang), base=lang))
        [(_, sheet, key)] = worksheets(spec, lang=lang)
        made[f"worksheet.{lang}.tex"], made[f"worksheet-key.{lang}.tex"] = sheet, key
    if spec.stem == "seed004_221_network":
        # the matrix form, through every KaTeX check like the rest
        matrix = solve(spec, style="matrix")
        made["katex.matrix.en.md"] = matrix.to("md", lang="en", flavor="katex")
        made["matrix.en.tex"] = matrix.to("tex", lang="en")
    if "[randomize]" in spec.read_text(encoding="utf-8"):
        # the draws themselves are fixed: the same seed gives these numbers on any machine
        [(_, sheet, _)] = worksheets(spec, variants_count=VARIANTS, seed=SEED)
        made[f"variants-{VARIANTS}-seed-{SEED}.tex"] = sheet
    return made


def main(chosen=()):
    specs = [s for s in EXAMPLES if not chosen or any(s.stem.startswith(c) for c in chosen)]
    if not specs:
        raise SystemExit(f"no example starts with {', '.join(chosen)}; known: {', '.join(s.stem for s in EXAMPLES)}")
    written = 0
    for spec in specs:
        folder = ROOT / "outputs" / spec.stem
        fresh = expected(spec)
        folder.mkdir(parents=True, exist_ok=True)
        for stale in set(folder.iterdir()) - {folder / name for name in fresh}:
            stale.unlink()
        for name, text in fresh.items():
            (folder / name).write_text(text, encoding="utf-8")
            written += 1
    if not chosen:
        for stale in set((ROOT / "outputs").iterdir()) - {ROOT / "outputs" / s.stem for s in EXAMPLES}:
            if stale.is_dir():
                for f in stale.iterdir():
                    f.unlink()
                stale.rmdir()
        REFERENCE.write_text(render.reference(), encoding="utf-8")
        written += 1
    print(f"wrote {written} files in {ROOT / 'outputs'} and {ROOT / 'docs'}")


if __name__ == "__main__":
    main(sys.argv[1:])
