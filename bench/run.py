"""The benchmark: wall-clock medians of whole commands, as a user runs them.

    python bench/run.py                 # every benchmark, 5 runs each
    python bench/run.py worksheets -n 3 # one benchmark
    python bench/run.py --readme        # and write the tables into README.md

Each command runs in a fresh process (imports included), ``--repeat`` times; the table
gives the median and the range. Timings are machine facts, so the tests never assert them.
"""

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED004 = ROOT / "examples" / "seed004_221_network.toml"
README = ROOT / "README.md"


def timed(command, repeat):
    """Median, min and max wall seconds of ``command`` (a list), run ``repeat`` times."""
    times = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="derive-bench-") as folder:
            args = [a.replace("{out}", folder) for a in command]
            start = time.perf_counter()
            subprocess.run(args, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), max(times)


def worksheets(repeat):
    """30 variants of seed 004, sheet and key: drawing and rendering, then real PDFs."""
    derive = [sys.executable, "-m", "derive.cli", "worksheet", str(SEED004), "--variants", "30", "--seed", "1"]
    rows = [
        ("30 variants, sheet and key as .tex (draw, solve, render)", derive + ["-f", "tex", "-o", "{out}/class.tex"]),
        ("30 variants in one sheet PDF and one key PDF", derive + ["-o", "{out}/class.pdf"]),
        ("30 variants, one PDF each: 60 files", derive + ["-o", "{out}/class/"]),
    ]
    return [(label, *timed(command, repeat)) for label, command in rows]


BENCHMARKS = {"worksheets": worksheets}


def table(rows, repeat):
    lines = [f"| command | median (s) | range (s) |", "|---|---:|---:|"]
    lines += [f"| {label} | {median:.2f} | {low:.2f} to {high:.2f} |" for label, median, low, high in rows]
    return "\n".join(lines) + f"\n\n{repeat} runs each; {machine()}."


def machine():
    return f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.machine()}"


def write_readme(name, text):
    """Replace the block between <!-- bench:NAME --> and <!-- /bench:NAME --> in README.md."""
    readme = README.read_text(encoding="utf-8")
    pattern = re.compile(rf"(<!-- bench:{name} -->\n).*?(<!-- /bench:{name} -->)", re.S)
    if not pattern.search(readme):
        raise SystemExit(f"README.md has no <!-- bench:{name} --> block")
    README.write_text(pattern.sub(lambda m: m.group(1) + text + "\n" + m.group(2), readme), encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help=f"benchmarks to run: {', '.join(BENCHMARKS)} (default: all)")
    parser.add_argument("-n", "--repeat", type=int, default=5, help="runs per command (default 5)")
    parser.add_argument("--readme", action="store_true", help="write the tables into README.md")
    args = parser.parse_args()
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {unknown[0]!r}; known: {', '.join(BENCHMARKS)}")
    for name in args.names or BENCHMARKS:
        text = table(BENCHMARKS[name](args.repeat), args.repeat)
        print(f"## {name}\n\n{text}\n")
        if args.readme:
            write_readme(name, text)


if __name__ == "__main__":
    main()
