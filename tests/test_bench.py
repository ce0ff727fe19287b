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
