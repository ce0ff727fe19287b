"""The golden files: outputs/ holds the rendered solution of every example.

Regenerate them after an intended change of the rendering with

    python tests/golden.py

and read the diff before committing it: it is what users will read.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from derive import render, solve, worksheets  # noqa: E402

from derive.present import FLAVORS  # noqa: E402

LANGS = ("en", "ko")
VARIANTS, SEED = 3, 1
REGENERATE = "python tests/golden.py"


def expected_outputs():
    """{path in outputs/: freshly rendered text}: outputs/EXAMPLE/ holds every format,
    Markdown flavour and language of that example, its pictures (LANG.network.svg,
    LANG.loss.svg), its worksheet and answer key, and three drawn variants where the
    example has [randomize]."""
    rendered = {}
    for spec in sorted((ROOT / "examples").glob("*.toml")):
        solution = solve(spec)
        folder = ROOT / "outputs" / spec.stem
        rendered[folder / "solution.json"] = render.render(solution, "json")
        for lang in LANGS:
            for flavor in FLAVORS:
                rendered[folder / f"{flavor}.{lang}.md"] = render.render(solution, "md", lang=lang, flavor=flavor)
            rendered[folder / f"solution.{lang}.tex"] = render.render(solution, "tex", lang=lang)
            rendered[folder / f"body.{lang}.tex"] = render.render(solution, "tex-body", lang=lang)
            rendered[folder / f"solution.{lang}.html"] = render.render(solution, "html", lang=lang)
            # the pictures a Markdown file written with -o links to
            for name, svg in render.picture_files(solution, lang=lang, base=lang).items():
                rendered[folder / name] = svg
            [(_, sheet, key)] = worksheets(spec, lang=lang)
            rendered[folder / f"worksheet.{lang}.tex"] = sheet
            rendered[folder / f"worksheet-key.{lang}.tex"] = key
        if spec.stem == "seed004_221_network":
            # the matrix form, through every KaTeX check like the rest
            rendered[folder / "katex.matrix.en.md"] = render.render(solve(spec, style="matrix"), "md", lang="en",
                                                                    flavor="katex")
            rendered[folder / "matrix.en.tex"] = render.render(solve(spec, style="matrix"), "tex", lang="en")
        if "[randomize]" in spec.read_text(encoding="utf-8"):
            # the draws themselves are fixed: the same seed gives these numbers on any machine
            [(_, sheet, key)] = worksheets(spec, variants=VARIANTS, seed=SEED)
            rendered[folder / f"variants-{VARIANTS}-seed-{SEED}.tex"] = sheet
    return rendered


def main():
    outputs = ROOT / "outputs"
    fresh = expected_outputs()
    for stale in set(outputs.rglob("*")) - set(fresh) - {p.parent for p in fresh}:
        if stale.is_file():
            stale.unlink()
    for path, text in fresh.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print(f"wrote {len(fresh)} files in {outputs}")


if __name__ == "__main__":
    main()
