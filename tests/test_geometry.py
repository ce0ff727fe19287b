"""Pictures whose labels touch nothing: every SVG opened in Chromium, and every text's box
checked against every other text's and every node's (a node's own name, value and extra
lines excepted). For every example, for generated networks up to 8-8-8-2 (softmax and
several samples among them) and for graphs up to 20 nodes."""

import json
import re


import derive
import specgen
from conftest import EXAMPLES, ROOT
from derive.output import render
from derive.views import diagram
from test_pictures import _chromium, open_in_chromium

import sys
sys.path.insert(0, str(ROOT / "bench"))
from specs import network  # noqa: E402

SIZES = ([2, 2, 1], [3, 4, 1], [2, 3, 2], [4, 4, 4, 2], [6, 6, 1], [8, 8, 8, 2], [3, 5, 5, 3])


def chain_graph(nodes):
    """A graph of ``nodes`` equations, each using the two before it: wires crossing columns."""
    equations = ["a1 = x * y", "a2 = a1 + x"]
    equations += [f"a{k} = a{k - 1} * 0.5 + a{k - 2}" for k in range(3, nodes + 1)]
    return {"graph": {"equations": equations, "values": {"x": 0.5, "y": -1.5}}, "train": {"learning_rate": 0.1}}


#: Fan-out, a wire skipping four columns, and an output named out (once taken for the
#: output wire's own end, which cut the node off its wires).
FANOUT = {"graph": {"equations": ["s1 = x1 * x2", "s2 = x1 + x3", "s3 = x2 * x3", "s4 = s1 + s2", "s5 = s2 * s3",
                                  "s6 = s4 * s5", "s7 = s6 + s1", "out = s7 * x1"],
                    "values": {"x1": 2, "x2": -3, "x3": 0.5}}}


def softmax_network():
    text = network([2, 3, 2])
    return text.replace("loss = 'mse'", "loss = 'cross_entropy'").replace(
        "activation = 'sigmoid'\nweights = [[", "activation = 'softmax'\nweights = [[", 2).replace(
        "activation = 'softmax'", "activation = 'sigmoid'", 1)


def pictures():
    specs = [(p.stem, p) for p in EXAMPLES]
    specs += [("net" + "-".join(map(str, s)), network(s)) for s in SIZES]
    specs += [("softmax-2-3-2", softmax_network()), ("samples-3-4-1", network([3, 4, 1], samples=3))]
    specs += [(name, spec) for name, spec in specgen.graph_specs()]
    specs += [(f"chain{n}", chain_graph(n)) for n in (8, 14, 20)]
    specs += [("fanout", FANOUT), ("net2-5-1", network([2, 5, 1]))]
    made = []
    for name, spec in specs:
        solution = derive.solve(spec)
        for lang in ("en", "ko"):
            for values in (True, False):
                picture = diagram.diagram(solution, derive.Options(lang=lang), values=values)
                made.append((f"{name}.{lang}{'' if values else '.sheet'}", render.svg(picture)))
        curve = diagram.curve(solution, derive.Options(lang="en"))
        if curve is not None:
            made.append((f"{name}.curve", render.svg(curve)))
    return made


CHECK = """<script>
window.addEventListener('load', () => {
  const found = {};
  for (const figure of document.querySelectorAll('div[data-name]')) {
    const boxes = [];
    for (const t of figure.querySelectorAll('text')) {
      const b = t.getBBox();
      const group = t.closest('g[data-key]');
      boxes.push({kind: 'text', owner: group ? group.dataset.key : null, b: [b.x, b.y, b.x + b.width, b.y + b.height],
                  text: t.textContent});
    }
    for (const n of figure.querySelectorAll('circle.node, rect.node')) {
      const b = n.getBBox();
      boxes.push({kind: 'node', owner: n.closest('g[data-key]').dataset.key, b: [b.x, b.y, b.x + b.width, b.y + b.height]});
    }
    const meet = (p, q) => !(p[2] <= q[0] + 0.5 || q[2] <= p[0] + 0.5 || p[3] <= q[1] + 0.5 || q[3] <= p[1] + 0.5);
    const clashes = [];
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], c = boxes[j];
      if (a.kind === 'node' && c.kind === 'node') continue;
      if (a.owner !== null && a.owner === c.owner) continue;  // a node and its own texts
      if (meet(a.b, c.b)) clashes.push([a.text || a.owner, c.text || c.owner]);
    }
    found[figure.dataset.name] = clashes;
  }
  document.body.setAttribute('data-found', JSON.stringify(found));
});
</script>"""


def test_no_label_touches_another_or_a_node(tmp_path):
    _chromium()
    made = pictures()
    assert len(made) > 150
    body = "".join(f'<div data-name="{name}">{svg}</div>' for name, svg in made)
    page = tmp_path / "pictures.html"
    page.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>{body}{CHECK}</body></html>",
                    encoding="utf-8")
    _, dom = open_in_chromium(page, tmp_path, "--dump-dom", "--virtual-time-budget=20000")
    found = json.loads(re.search(r'data-found="([^"]*)"', dom).group(1).replace("&quot;", '"').replace("&amp;", "&"))
    assert len(found) == len(made)
    clashes = {name: c for name, c in found.items() if c}
    assert clashes == {}


def test_a_label_without_room_goes_to_the_legend_with_a_marker_on_its_wire():
    solution = derive.solve(ROOT / "examples" / "seed002_xor_network.toml")
    picture = diagram.diagram(solution, derive.Options(lang="en"))
    markers = {w.label.runs[0][0] for w in picture.wires if w.label.runs and w.label.runs[0][0].startswith("[")}
    assert markers == {line.marker for line in picture.legend}
    weights = [w for w in picture.wires if w.label.runs and not w.label.runs[0][0].startswith("[")]
    assert len(weights) + len(picture.legend) == 16  # every weight, on its wire or in the legend
    assert len(picture.legend) <= 2
    svg = render.svg(picture)
    for line in picture.legend:
        assert f'<tspan class="marker">{line.marker}</tspan>' in svg


def test_every_wire_of_a_circuit_ends_at_its_node_inside_the_picture():
    solution = derive.solve(FANOUT)
    picture = diagram.diagram(solution, derive.Options(lang="en"))
    at = {b.key: (b.x, b.y) for b in picture.boxes}
    ends = {(w.x2, w.y2) for w in picture.wires}
    graph = solution.graph
    for node in graph.computed:
        assert at[node.key] in ends, node.key
        wires_in = [w for w in picture.wires if (w.x2, w.y2) == at[node.key]]
        assert len(wires_in) == len(graph.parents(node.key)), node.key
    assert all(b.x + 1.6 * b.radius <= picture.width for b in picture.boxes)
    out = at["out"]
    assert max(x for x, _ in at.values()) == out[0]  # the output is the rightmost box


def test_a_picture_printed_small_keeps_its_proportions_or_is_left_out():
    """TikZ texts are the layout's sizes at the picture's scale (no label grows into its
    neighbour when the page is narrow); below a legible size the PDF leaves it out and says so."""
    xor = diagram.diagram(derive.solve(ROOT / "examples" / "seed002_xor_network.toml"), derive.Options(lang="en"))
    assert xor.width == 682 and xor.scale == 0.689 and xor.printable
    assert (xor.label_pt, xor.name_pt) == ((6.89, 8.27), (8.96, 10.75))
    tex = derive.solve(ROOT / "examples" / "seed002_xor_network.toml").to_latex(lang="en")
    assert r"font=\fontsize{6.89pt}{8.27pt}\selectfont] at" in tex
    sheet = diagram.diagram(derive.solve(ROOT / "examples" / "seed002_xor_network.toml"), derive.Options(lang="en"))
    from dataclasses import replace
    assert replace(sheet, fit=330).scale == 0.6  # a sheet's picture grows to stay legible
    wide = derive.solve(chain_graph(20))
    picture = diagram.diagram(wide, derive.Options(lang="en"))
    assert not picture.printable and picture.scale < 0.4
    tex = wide.to_latex(lang="en")
    assert "\\begin{tikzpicture}" not in tex  # one step: no curve, and the graph left out
    assert "It is too wide to print legibly and is left out here" in tex
    assert "<svg" in wide.to_html(lang="en")  # the page shows it, at full size


def test_network_captions_count_the_weights_and_unlabelled_columns_stay_narrow():
    solution = derive.solve(network([3, 5, 5, 3]))
    picture = diagram.diagram(solution, derive.Options(lang="en"))
    assert "The 55 weights are listed with the given values." in picture.notice
    xs = sorted({b.x for b in picture.boxes})
    assert {round(b - a) for a, b in zip(xs, xs[1:])} == {diagram.COLUMN}
