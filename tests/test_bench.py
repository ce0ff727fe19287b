"""The benchmark's child processes still run against the library (a renamed function
would otherwise only show when someone next measures)."""

import json
import subprocess
import sys

import pytest

from conftest import ROOT


@pytest.mark.parametrize("mode", ["page", "gradients", "naive"])
def test_the_benchmark_child_computes_the_gradients(mode):
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "network.py"), mode, "2-2-1"], capture_output=True,
                         text=True, check=True, cwd=ROOT)
    made = json.loads(out.stdout)
    assert made["parameters"] == 9  # 2-2-1 with biases: 4 + 2 + 2 + 1
    page = json.loads(subprocess.run([sys.executable, str(ROOT / "bench" / "network.py"), "gradients", "2-2-1"],
                                     capture_output=True, text=True, check=True, cwd=ROOT).stdout)
    for name, value in page["gradients"].items():
        assert made["gradients"][name] == pytest.approx(value, rel=1e-12, abs=1e-15)


def test_the_practice_benchmark_drives_the_page_script(tmp_path):
    import shutil

    import derive

    if not shutil.which("node"):
        pytest.skip("node is not installed")
    page, answers = tmp_path / "p.html", tmp_path / "a.json"
    page.write_text(derive.practice(ROOT / "examples" / "seed004_221_network.toml"), encoding="utf-8")
    answers.write_text(json.dumps({"forward.z1": "0.21", "forward.a1": "0.6"}), encoding="utf-8")
    out = subprocess.run(["node", str(ROOT / "bench" / "practice.js"), str(page), str(answers), "3"],
                         capture_output=True, text=True, check=True)
    made = json.loads(out.stdout)
    assert set(made) == {"median", "low", "high"} and 0 <= made["low"] <= made["median"] <= made["high"]
