"""The golden files: outputs/ holds the rendered solution of every example.

Regenerate them after an intended change of the rendering with

    python tests/golden.py

and read the diff before committing it: it is what users will read.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from derive import render, solve  # noqa: E402

FORMATS = {"md": "md", "json": "json"}
REGENERATE = "python tests/golden.py"


def expected_outputs():
    """{path in outputs/: freshly rendered text} for every example and format."""
    rendered = {}
    for spec in sorted((ROOT / "examples").glob("*.toml")):
        solution = solve(spec)
        for fmt, suffix in FORMATS.items():
            rendered[ROOT / "outputs" / f"{spec.stem}.{suffix}"] = render.render(solution, fmt)
    return rendered


def main():
    outputs = ROOT / "outputs"
    outputs.mkdir(exist_ok=True)
    fresh = expected_outputs()
    for stale in set(outputs.iterdir()) - set(fresh):
        stale.unlink()
    for path, text in fresh.items():
        path.write_text(text, encoding="utf-8")
    print(f"wrote {len(fresh)} files in {outputs}")


if __name__ == "__main__":
    main()
