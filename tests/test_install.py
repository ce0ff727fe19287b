"""A plain, non-editable `pip install .` in a fresh virtual environment ships everything:
`derive solve` and `derive worksheet` work on every example from outside the checkout
(templates found)."""

import json
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    home = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=True).create(home)
    python = home / "bin" / "python"
    # the packages of the environment running the tests (a virtual environment's own, or
    # the system's) supply sympy, jinja2 and click without a download, after the new
    # environment's own; derive itself must come from this install, which is checked below
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    ours = {sysconfig.get_paths()[key] for key in ("purelib", "platlib")}
    (Path(site) / "_tested_environment.pth").write_text("\n".join(sorted(ours)) + "\n", encoding="utf-8")
    build = tmp_path_factory.mktemp("build")
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-build-isolation", "--no-deps", str(ROOT)],
                   check=True, cwd=build, env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    return home


def test_installed_package_is_used(installed, tmp_path):
    out = subprocess.run([installed / "bin" / "python", "-c", "import derive; print(derive.__file__)"],
                         capture_output=True, text=True, cwd=tmp_path, check=True)
    assert out.stdout.startswith(str(installed))


@pytest.mark.parametrize("spec", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_solve_every_example(installed, spec, tmp_path):
    derive = installed / "bin" / "derive"
    md = subprocess.run([derive, "solve", spec, "-o", tmp_path / "out.md"], capture_output=True, text=True,
                        cwd=tmp_path)
    assert md.returncode == 0, md.stderr
    lang = "ko" if "lang = \"ko\"" in spec.read_text(encoding="utf-8") else "en"
    golden = ROOT / "outputs" / spec.stem
    # the page links its pictures, written beside it: the SVG templates ship too
    assert (tmp_path / "out.network.svg").read_text(encoding="utf-8") == (
        golden / f"{lang}.network.svg").read_text(encoding="utf-8")
    assert "](out.network.svg)" in (tmp_path / "out.md").read_text(encoding="utf-8")
    page = subprocess.run([derive, "solve", spec], capture_output=True, text=True, cwd=tmp_path)
    assert page.stdout == (golden / f"github.{lang}.md").read_text(encoding="utf-8")
    for args, name in ((["-f", "tex"], f"solution.{lang}.tex"), (["-f", "tex-body"], f"body.{lang}.tex"),
                       (["-f", "html"], f"solution.{lang}.html"),
                       (["--flavor", "kramdown", "--lang", "en"], "kramdown.en.md")):
        other = subprocess.run([derive, "solve", spec, *args], capture_output=True, text=True, cwd=tmp_path)
        assert other.returncode == 0, other.stderr
        assert other.stdout == (golden / name).read_text(encoding="utf-8"), name
    js = subprocess.run([derive, "solve", spec, "-f", "json"], capture_output=True, text=True, cwd=tmp_path)
    assert js.returncode == 0, js.stderr
    assert json.loads(js.stdout) == json.loads((ROOT / "outputs" / spec.stem / "solution.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("spec", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_worksheet_every_example(installed, spec, tmp_path):
    # the exam-class templates ship too: sheet and key equal outputs/
    result = subprocess.run([installed / "bin" / "derive", "worksheet", spec, "-f", "tex", "--lang", "en",
                             "-o", tmp_path / "sheet.tex"], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for name, golden in (("sheet.tex", "worksheet.en.tex"), ("sheet-key.tex", "worksheet-key.en.tex")):
        assert (tmp_path / name).read_text(encoding="utf-8") == (
            ROOT / "outputs" / spec.stem / golden).read_text(encoding="utf-8"), name


def test_bad_input_from_installed_command(installed, tmp_path):
    result = subprocess.run([installed / "bin" / "derive", "solve", "missing.toml"], capture_output=True, text=True,
                            cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", "Error: missing.toml: no such file\n")


def test_python_version_matches_setup():
    assert sys.version_info >= (3, 10)


def test_installed_examples_and_starters(installed, tmp_path):
    derive = installed / "bin" / "derive"
    listed = subprocess.run([derive, "examples"], capture_output=True, text=True, cwd=tmp_path, check=True)
    paths = [line.split()[-1] for line in listed.stdout.splitlines()]
    assert [os.path.basename(p) for p in paths] == [p.name for p in EXAMPLES]
    assert all(p.startswith(str(installed)) for p in paths)  # shipped with the package, not the checkout
    one = subprocess.run([derive, "examples", "seed004"], capture_output=True, text=True, cwd=tmp_path, check=True)
    solved = subprocess.run([derive, "solve", one.stdout.strip(), "-f", "json"], capture_output=True, text=True,
                            cwd=tmp_path, check=True)
    assert json.loads(solved.stdout)["loss"]["value"] == pytest.approx(0.04218834953604862, rel=1e-15)
    for kind in ("--network", "--graph"):
        made = subprocess.run([derive, "new", kind, "spec.toml"], capture_output=True, text=True, cwd=tmp_path)
        assert made.returncode == 0, made.stderr
        assert subprocess.run([derive, "solve", "spec.toml"], capture_output=True, cwd=tmp_path).returncode == 0
        (tmp_path / "spec.toml").unlink()
