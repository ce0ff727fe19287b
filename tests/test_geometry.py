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
