"""The benchmark: wall-clock medians of whole commands, as a user runs them.

    python bench/run.py                 # every benchmark, 5 runs each
    python bench/run.py worksheets -n 3 # one benchmark
    python bench/run.py --docs          # and write the tables into docs/performance.md

Each command runs in a fresh process (imports included), ``--repeat`` times; the table
gives the median and the range. Timings are machine facts, so the tests never assert them.
"""

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
SEED004 = ROOT / "examples" / "seed004_221_network.toml"
XOR = ROOT / "examples" / "seed002_xor_network.toml"
PAGE = ROOT / "docs" / "performance.md"

# Python caches compiled modules by default, and `pip install` compiles them at install
# time; a machine that sets PYTHONDONTWRITEBYTECODE would otherwise recompile this
# package's modules on every run and time that instead of the tool.
USER_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(command, **kwargs):
    return subprocess.run(command, check=True, cwd=ROOT, env=USER_ENV, **kwargs)


def timed(command, repeat):
    """Median, min and max wall seconds of ``command`` (a list), run ``repeat`` times."""
    times = []
    with tempfile.TemporaryDirectory(prefix="derive-bench-") as folder:  # warm-up: caches filled
        run([a.replace("{out}", folder) for a in command], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="derive-bench-") as folder:
            args = [a.replace("{out}", folder) for a in command]
            start = time.perf_counter()
            run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
    return [(label, *timed(command, repeat)) for label, command in rows], ""


def child(mode, sizes):
    """One run of bench/network.py: its JSON (time without start-up, peak memory, gradients)."""
    out = run([sys.executable, str(ROOT / "bench" / "network.py"), mode, sizes], capture_output=True, text=True)
    return json.loads(out.stdout)


PAUSED = "import gc; gc.disable(); import sympy; gc.freeze(); gc.enable()"


def startup(repeat):
    """Seed 004's Markdown page, end to end, against a bare `import sympy`, runs interleaved."""
    pairs = [([sys.executable, "-c", "import sympy"], "python -c \"import sympy\""),
             ([sys.executable, "-c", PAUSED], "the same with the collector paused, as derive's command line does"),
             ([sys.executable, "-m", "derive.cli", "solve", str(SEED004)], "derive solve seed004 (Markdown)")]
    times = {label: [] for _, label in pairs}
    for command, _ in pairs:  # warm-up: bytecode and template caches filled
        run(command, stdout=subprocess.DEVNULL)
    for _ in range(repeat):
        for command, label in pairs:
            start = time.perf_counter()
            run(command, stdout=subprocess.DEVNULL)
            times[label].append(time.perf_counter() - start)
    floor, paused, ours = (statistics.median(times[label]) for _, label in pairs)
    rows = [(label, statistics.median(times[label]), min(times[label]), max(times[label])) for _, label in pairs]
    return rows, (f"Ratio: {ours / floor:.2f}x the bare import (target: at most 1.4x); "
                  f"{ours / paused:.2f}x the import with the collector paused the same way.")


def networks(repeat):
    """Derivation and Markdown page of sigmoid networks with biases: time and peak memory."""
    rows, times = [], {}
    for sizes in ("2-2-1", "4-6-6-2", "8-8-8-8", "16-16-16-16"):
        runs = [child("page", sizes) for _ in range(repeat)]
        seconds = [r["seconds"] for r in runs]
        times[sizes] = statistics.median(seconds)
        rows.append((f"{sizes} ({runs[0]['parameters']} parameters)", times[sizes], min(seconds), max(seconds),
                     statistics.median(r["peak_mb"] for r in runs)))
    growth = times["16-16-16-16"] / times["8-8-8-8"]
    return rows, (f"16-16-16-16 takes {growth:.2f}x the time of 8-8-8-8 for 3.8x the parameters "
                  "(targets: at most 8 s and 500 MB, at most 4.5x).")


def naive(repeat):
    """The same gradients by sympy.diff of the fully expanded loss, against the derivation."""
    rows, notes = [], []
    for sizes in ("3-4-2", "4-6-6-2"):
        slow = [child("naive", sizes) for _ in range(min(repeat, 3))]
        fast = [child("gradients", sizes) for _ in range(repeat)]
        for a, b in zip(slow[0]["gradients"].values(), fast[0]["gradients"].values()):
            if abs(a - b) > 1e-9 * max(1, abs(a)):
                raise SystemExit(f"{sizes}: the two ways disagree ({a} and {b})")
        s, f = (statistics.median(r["seconds"] for r in runs) for runs in (slow, fast))
        rows.append((f"{sizes}: sympy.diff of the expanded loss", s, min(r["seconds"] for r in slow),
                     max(r["seconds"] for r in slow)))
        rows.append((f"{sizes}: derive (chain walk)", f, min(r["seconds"] for r in fast),
                     max(r["seconds"] for r in fast)))
        notes.append(f"{sizes}: {s / f:.0f}x faster")
    return rows, "; ".join(notes) + " (target: at least 100x at 4-6-6-2). Both give the same gradients to 1e-9."


def limits(repeat):
    """The sizes that once exploded: solved in time, or refused in one line before the work."""
    rows = []
    for label, mode, size in (("60-level diamond graph, derivation and page", "diamond", "60"),
                              ("32-32-32-32 network (3,232 parameters), derivation and page", "page", "32-32-32-32")):
        seconds = [child(mode, size)["seconds"] for _ in range(repeat)]
        rows.append((label, statistics.median(seconds), min(seconds), max(seconds)))
    with tempfile.TemporaryDirectory(prefix="derive-bench-") as folder:
        folder = Path(folder)
        from specs import network  # noqa: E402 (bench/ is on the path when run as a script)

        cases = {
            "x ** y with y = 1e300": '[graph]\nequations = ["f = x ** y"]\nvalues = { x = 0.5, y = 1e300 }\n',
            "a 1000-1000-1 network": network([1000, 1000, 1]),
            "2000 samples of a 2-2-1 network": network([2, 2, 1], samples=2000),
            "1000 steps of a 16-16-16-16 network": network([16, 16, 16, 16]).replace("learning_rate = 0.1",
                                                                                      "learning_rate = 0.1\nsteps = 1000"),
        }
        saturated = network([8, 8, 8, 8]).replace("[train]", "[randomize]\nweights = { low = 3, high = 5, step = 1 }\n"
                                                                         "inputs = { low = 3, high = 5, step = 1 }\n[train]")
        cases["a worksheet variant of a saturated 8-8-8-8 network"] = saturated
        for label, text in cases.items():
            path = folder / "spec.toml"
            path.write_text(text, encoding="utf-8")
            command = [sys.executable, "-m", "derive.cli", "solve", str(path), "-f", "json"]
            if "worksheet" in label:
                command = [sys.executable, "-m", "derive.cli", "worksheet", str(path), "--variants", "1", "-f", "tex",
                           "-o", str(folder / "sheet.tex")]
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                done = subprocess.run(command, cwd=ROOT, env=USER_ENV, capture_output=True)
                times.append(time.perf_counter() - start)
                if done.returncode != 2:
                    raise SystemExit(f"{label}: exit status {done.returncode}, not the refusal expected")
            rows.append((f"refused: {label} (whole command)", statistics.median(times), min(times), max(times)))
    return rows, ("Targets: the diamond within 1 s, 32-32-32-32 within 4 s, each refusal within 1 s "
                  "(start-up included).")


def pictures(repeat):
    """Markdown pages with their pictures as SVG and as PNG files, whole commands: the layout
    (every label placed), the SVG, and resvg's drawing with every glyph probed."""
    from specs import diamond, network

    rows = []
    with tempfile.TemporaryDirectory(prefix="derive-bench-specs-") as folder:
        big = Path(folder) / "8-8-8-2.toml"
        big.write_text(network((8, 8, 8, 2)), encoding="utf-8")
        graph = Path(folder) / "diamond-4.toml"
        graph.write_text(diamond(4), encoding="utf-8")
        for label, spec, lang in (("seed 002 (3-4-1, Korean)", ROOT / "examples" / "seed002_xor_network.toml", "ko"),
                                  ("8-8-8-2 network", big, "en"), ("diamond graph, 4 levels (11 nodes)", graph, "en")):
            for kind in ("svg", "png"):
                command = [sys.executable, "-m", "derive.cli", "solve", str(spec), "--lang", lang,
                           "--pictures", kind, "-o", "{out}/page.md"]
                rows.append((f"{label}: page and pictures as {kind.upper()}", *timed(command, repeat)))
    extra = {row[0].split(":")[0]: row[1] for row in rows if row[0].endswith("PNG")}
    base = {row[0].split(":")[0]: row[1] for row in rows if row[0].endswith("SVG")}
    cost = max(extra[k] - base[k] for k in extra)
    return rows, f"PNG adds at most {cost:.2f} s to a page (target: at most 1 s)."


def class_table(folder, students=300, variants_count=30, seed=7):
    """A class's answers table: ``students`` rows over a class set of seed 004, every blank
    answered to 4 digits, a third of the students with a slip (a1 ten times too big, w5's
    gradient with its sign flipped) so that diagnosis is timed too."""
    import csv

    import derive
    from derive.engine import check, variants

    checked, built = derive.build(SEED004)
    drawn = variants.make(built, checked.randomize, variants_count, seed)
    keys = check.sheet_keys(derive.api.derivation(checked, built, steps=1))
    flat = []
    for v in drawn:
        data = derive.api.derivation(checked, v.graph, steps=1).as_json()
        values = {f"{part}.{name}": value for part in ("forward", "gradients", "updated")
                  for name, value in data[part].items()}
        values.update({f"after.forward.{name}": value for name, value in data["after"]["forward"].items()})
        flat.append(values)
    path = Path(folder) / "answers.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["student", "variant", *keys])
        for n in range(students):
            number = n % variants_count + 1
            values = dict(flat[number - 1])
            if n % 3 == 0:
                values["forward.a1"] *= 10
                values["gradients.w5"] *= -1
            writer.writerow([f"student {n + 1}", number, *(f"{values[k]:.4g}" for k in keys)])
    return path


def marking(repeat):
    """A class of 300 students marked at once (derive check SPEC answers.csv -o marks/)."""
    with tempfile.TemporaryDirectory(prefix="derive-bench-class-") as folder:
        table = class_table(folder)
        command = [sys.executable, "-m", "derive.cli", "check", str(SEED004), str(table), "--seed", "7",
                   "-o", "{out}/marks/"]
        rows = [("300 students, 30 variants, 20 blanks each: marks, summary, 300 feedback pages",
                 *_timed_marking(command, repeat))]
    return rows, f"Target: under 10 s; {rows[0][1]:.1f} s."


def _timed_marking(command, repeat):
    """As ``timed``, where the command exits 1 (some answers are wrong)."""
    times = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="derive-bench-") as folder:
            args = [a.replace("{out}", folder) for a in command]
            start = time.perf_counter()
            done = subprocess.run(args, cwd=ROOT, env=USER_ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            times.append(time.perf_counter() - start)
            if done.returncode not in (0, 1) or not (Path(folder) / "marks" / "marks.csv").exists():
                raise SystemExit(f"marking failed: {done.stderr.decode()[-500:]}")
    return statistics.median(times), min(times), max(times)


def practice(repeat):
    """The practice page and the Word document, whole commands; then the page's own script
    marking a whole sheet at once (what a keystroke costs on a phone's slower core)."""
    derive = [sys.executable, "-m", "derive.cli"]
    rows = [("practice page of seed 004", derive + ["worksheet", str(SEED004), "-o", "{out}/p.html"]),
            ("practice page of 30 variants", derive + ["worksheet", str(SEED004), "--variants", "30", "-o",
                                                      "{out}/p.html"]),
            ("practice page of the XOR network (4 samples, 86 blanks)", derive + ["worksheet", str(XOR), "-o",
                                                                                  "{out}/p.html"]),
            ("Word document of seed 004 (pandoc)", derive + ["solve", str(SEED004), "-o", "{out}/s.docx"])]
    made = [(label, *timed(command, repeat)) for label, command in rows]
    if shutil.which("node"):
        for label, spec in (("the page's script marking seed 004's 20 blanks, one wrong", SEED004),
                            ("the page's script marking the XOR network's 86 blanks, one wrong", XOR)):
            made.append((label, *_script_marking(spec, repeat)))
    return made, "The script's rows are seconds per marking (node, the same engine as Chromium's)."


def _script_marking(spec, repeat):
    """(median, low, high) seconds of the page's check() on every blank answered, one wrong."""
    sys.path.insert(0, str(ROOT))
    import derive
    from derive.engine import check
    from derive.numbers import rounded

    with tempfile.TemporaryDirectory(prefix="derive-bench-") as folder:
        page, answers = Path(folder) / "p.html", Path(folder) / "answers.json"
        page.write_text(derive.practice(spec), encoding="utf-8")
        typed = {k: rounded(v, 4) for k, v in check.answer_values(derive.solve(spec))}
        first = next(iter(typed))
        typed[first] = rounded(float(typed[first]) * 1.3, 4)
        answers.write_text(json.dumps(typed), encoding="utf-8")
        done = run(["node", str(ROOT / "bench" / "practice.js"), str(page), str(answers), str(max(repeat, 5) * 4)],
                   stdout=subprocess.PIPE, text=True)
    found = json.loads(done.stdout)
    return found["median"] / 1000, found["low"] / 1000, found["high"] / 1000


BENCHMARKS = {"startup": startup, "networks": networks, "naive": naive, "worksheets": worksheets, "limits": limits,
              "pictures": pictures, "marking": marking, "practice": practice}


def table(result, repeat):
    rows, summary = result
    memory = len(rows[0]) > 4
    head = "| command | median (s) | range (s) |" + (" peak memory (MB) |" if memory else "")
    lines = [head, "|---|---:|---:|" + ("---:|" if memory else "")]
    for row in rows:
        label, median, low, high = row[:4]
        lines.append(f"| {label} | {median:.3f} | {low:.3f} to {high:.3f} |" + (f" {row[4]:.0f} |" if memory else ""))
    text = "\n".join(lines) + f"\n\n{repeat} runs each; {machine()}."
    return text + (f" {summary}" if summary else "")


def machine():
    return f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.machine()}"


def write_page(name, text):
    """Replace the block between <!-- bench:NAME --> and <!-- /bench:NAME --> in docs/performance.md."""
    page = PAGE.read_text(encoding="utf-8")
    pattern = re.compile(rf"(<!-- bench:{name} -->\n).*?(<!-- /bench:{name} -->)", re.S)
    if not pattern.search(page):
        raise SystemExit(f"docs/performance.md has no <!-- bench:{name} --> block")
    PAGE.write_text(pattern.sub(lambda m: m.group(1) + text + "\n" + m.group(2), page), encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help=f"benchmarks to run: {', '.join(BENCHMARKS)} (default: all)")
    parser.add_argument("-n", "--repeat", type=int, default=5, help="runs per command (default 5)")
    parser.add_argument("--docs", "--readme", dest="docs", action="store_true",
                        help="write the tables into docs/performance.md")
    args = parser.parse_args()
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {unknown[0]!r}; known: {', '.join(BENCHMARKS)}")
    for name in args.names or BENCHMARKS:
        text = table(BENCHMARKS[name](args.repeat), args.repeat)
        print(f"## {name}\n\n{text}\n")
        if args.docs:
            write_page(name, text)


if __name__ == "__main__":
    main()
