"""`-f numpy` and `-f torch`: runnable scripts that recompute the solution, checked by
running them and comparing what they print with the JSON solution to 1e-9."""

import contextlib
import io
import json
import os
import runpy
import subprocess
import sys

import pytest

import derive
from conftest import ROOT
from test_engine import CASES
import specgen

PERCEPTRON = """
title = "A perceptron"
[network]
inputs = { x1 = 1.0, x2 = -2.0 }
targets = { y = 1 }
loss = "half_squared_error"
[[network.layers]]
activation = "step"
weights = [[0.5, 0.5]]
bias = [0.2]
post_names = ["yhat"]
[train]
learning_rate = 0.1
steps = 2
"""

# names a script uses itself, a Python keyword and a builtin: all must still run
CLASHING = """
[graph]
equations = ["sum = lambda_ * np + json", "f = sum ** 2 / 2"]
values = { lambda_ = 0.5, np = 1.5, json = -0.25 }
[train]
learning_rate = 0.1
"""

ALL = CASES + [("perceptron", PERCEPTRON), ("clashing_names", CLASHING)]


def expected(spec):
    data = derive.solve(spec).as_json()
    return {key: data[key] for key in ("loss", "gradients", "updated") if key in data}


def run_in_process(path):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        runpy.run_path(str(path), run_name="__main__")
    return json.loads(out.getvalue())


def assert_same(printed, wanted):
    assert printed.keys() == wanted.keys()
    assert printed["loss"]["name"] == wanted["loss"]["name"]
    assert printed["loss"]["value"] == pytest.approx(wanted["loss"]["value"], rel=1e-9, abs=1e-12)
    for field in ("gradients", "updated"):
        if field in wanted:
            assert printed[field].keys() == wanted[field].keys()
            for key, value in wanted[field].items():
                assert printed[field][key] == pytest.approx(value, rel=1e-9, abs=1e-12), (field, key)


@pytest.mark.parametrize("name,spec", ALL, ids=[c[0] for c in ALL])
def test_numpy_script_agrees(name, spec, tmp_path):
    pytest.importorskip("numpy")
    path = tmp_path / "check.py"
    path.write_text(derive.solve(spec).to("numpy"), encoding="utf-8")
    assert_same(run_in_process(path), expected(spec))


def test_numpy_script_runs_on_its_own(tmp_path):
    pytest.importorskip("numpy")
    path = tmp_path / "check.py"
    spec = CASES[0][1]
    path.write_text(derive.solve(spec).to("numpy"), encoding="utf-8")
    out = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert_same(json.loads(out.stdout), expected(spec))
    assert out.stderr == ""


def _torch():
    try:
        import torch  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("torch is missing; .ci/run installs torch==2.13.0")
        pytest.skip("torch is not installed")


@pytest.mark.parametrize("name,spec", ALL, ids=[c[0] for c in ALL])
def test_torch_script_agrees(name, spec, tmp_path):
    _torch()
    path = tmp_path / "check.py"
    path.write_text(derive.solve(spec).to("torch"), encoding="utf-8")
    assert_same(run_in_process(path), expected(spec))


def test_seed004_numpy_script_reads_like_the_hand_calculation():
    text = derive.solve(ROOT / "examples" / "seed004_221_network.toml").to("numpy")
    assert "def sigmoid(x):\n    return 1 / (1 + np.exp(-x))\n" in text
    assert "z1 = w1*x1 + w3*x2\n" in text
    assert "a1 = sigmoid(z1)\n" in text
    assert "dL_dz1 = dL_da1 * (a1*(1 - a1))\n" in text
    assert "dL_dw1 = dL_dz1 * x1\n" in text
    assert "w1 = w1 - learning_rate * dL_dw1\n" in text
    assert "for number in" not in text  # one step: no loop


def test_torch_script_uses_autograd_and_sgd():
    text = derive.solve(ROOT / "examples" / "neuron_ten_steps.toml").to("torch")
    assert "requires_grad=True" in text and ".backward()" in text
    assert "torch.optim.SGD(parameters.values(), lr=" in text
    assert "for number in range(1, 10 + 1):\n    optimizer.zero_grad()\n" in text
    assert "dL_d" not in text  # no hand-walked chain rule in the torch script


GENERATED = specgen.network_specs() + specgen.graph_specs()


@pytest.mark.parametrize("library", ["numpy", "torch"])
@pytest.mark.parametrize("name,spec", GENERATED, ids=[c[0] for c in GENERATED])
def test_scripts_agree_on_generated_specs(name, spec, library, tmp_path):
    """Every activation, loss and function, the kinks included (relu at 0, a tie of min):
    each script takes a value within TIE of a kink as at it, as derive's exact numbers do."""
    if library == "torch":
        _torch()
    else:
        pytest.importorskip("numpy")
    path = tmp_path / "check.py"
    path.write_text(derive.solve(spec).to(library), encoding="utf-8")
    assert_same(run_in_process(path), expected(spec))


@pytest.mark.parametrize("library,module,name", [("numpy", "numpy", "NumPy"), ("torch", "torch", "PyTorch")])
def test_a_script_without_its_library_says_how_to_install_it(library, module, name, tmp_path):
    # A folder first on the path whose module of that name fails to import, as on a
    # machine where only `pip install derive` was run.
    blocker = tmp_path / "blocked"
    blocker.mkdir()
    (blocker / f"{module}.py").write_text("raise ImportError('not installed')\n", encoding="utf-8")
    path = tmp_path / "check.py"
    path.write_text(derive.solve(CASES[0][1]).to(library), encoding="utf-8")
    out = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, cwd=tmp_path,
                         env={**os.environ, "PYTHONPATH": str(blocker)})
    assert out.returncode == 2
    assert out.stdout == ""
    assert out.stderr == f"this script needs {name}: pip install 'derive[{library}]' (or pip install {library})\n"
