"""--carry-rounded: every value shown is the one used from then on, so the page matches a
calculator line by line."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from click.testing import CliRunner

import derive
from conftest import ROOT
from derive.cli import main

SEED004 = ROOT / "examples" / "seed004_221_network.toml"


def r4(x):
    """Four significant digits, half up, as a person rounds."""
    x = Decimal(x)
    return x.quantize(Decimal(1).scaleb(x.adjusted() - 3), rounding=ROUND_HALF_UP)


def test_seed004_by_calculator():
    """Seed 004 worked as a person with a calculator does, four digits carried."""
    data = derive.solve(SEED004, carry_rounded=True, digits=4).as_json()
    D = Decimal
    a1, a2 = D("0.5523"), D("0.5474")                       # sigma(0.21), sigma(0.19)
    yhat = r4(D("0.4") * a1 + D("0.5") * a2)                  # 0.4946
    loss = r4((D("0.7") - yhat) ** 2)                         # 0.04219
    upstream = -2 * (D("0.7") - yhat)
    g = {"w1": r4(upstream * D("0.4") * a1 * (1 - a1) * D("0.5")), "w3": r4(upstream * D("0.4") * a1 * (1 - a1) * D("0.3")),
         "w2": r4(upstream * D("0.5") * a2 * (1 - a2) * D("0.5")), "w4": r4(upstream * D("0.5") * a2 * (1 - a2) * D("0.3")),
         "w5": r4(upstream * a1), "w6": r4(upstream * a2)}
    assert data["forward"] == {"z1": 0.21, "z2": 0.19, "a1": 0.5523, "a2": 0.5474, "yhat": float(yhat), "L": float(loss)}
    assert data["gradients"] == {k: float(v) for k, v in sorted(g.items())}
    old = {"w1": D("0.3"), "w2": D("0.2"), "w3": D("0.2"), "w4": D("0.3"), "w5": D("0.4"), "w6": D("0.5")}
    assert data["updated"] == {k: float(r4(old[k] - D("0.1") * g[k])) for k in old}
    # carried, the new prediction is the document's own 0.5199 (exact: 0.5198)
    assert data["after"]["forward"]["yhat"] == 0.5199
    assert derive.solve(SEED004).as_json()["after"]["forward"]["yhat"] == pytest.approx(0.5198089, abs=1e-7)


def test_nothing_carried_means_the_rounded_exact_values():
    """Where nothing rounded feeds a value, carried and exact agree to the digits shown."""
    exact = derive.solve(SEED004).as_json()
    carried = derive.solve(SEED004, carry_rounded=True, digits=4).as_json()
    for key in ("z1", "z2", "a1", "a2"):
        assert carried["forward"][key] == float(r4(repr(exact["forward"][key])))


def test_cli_option_and_page(tmp_path):
    result = CliRunner().invoke(main, ["solve", str(SEED004), "--carry-rounded", "--digits", "3", "--lang", "en",
                                       "--flavor", "katex"])
    assert result.exit_code == 0, result.output
    assert r"\hat{y} &= w_{5} a_{1} + w_{6} a_{2} = 0.4 \cdot 0.552 + 0.5 \cdot 0.547 = 0.494" in result.stdout
    assert r"  &= - 2 \left(0.7 - 0.494\right) \cdot 0.4 \cdot 0.552 \left(1 - 0.552\right) \cdot 0.5 \\" in result.stdout
    assert "> Every value is rounded to 3 significant digits and the rounded value is used from then on" in result.stdout
