"use strict";
// The practice page's checker: each answer marked as `derive check` marks it (see
// derive/engine/check.py and derive/engine/slips.py, which this follows step by step).
// The problem comes as data (derive/views/practice.py describes it); nothing is fetched
// and nothing is sent: the answers stay in this page and, if the browser allows, in its
// local storage.
(function () {
  const DATA = JSON.parse(document.getElementById("derive-problem").textContent);
  // Maps without a prototype, so that a quantity named constructor or toString is a key
  // like any other: dict(a, b) copies a and b into a fresh one.
  const dict = (...from) => Object.assign(Object.create(null), ...from);
  const WORDS = DATA.words;

  // ---- Numbers: exact fractions while they stay small, as derive computes, else floats.
  // An exact number is {p, q} (BigInt, q > 0, in lowest terms); a float is a JS number.
  const MAX_DEN = 10n ** 40n, MAX_NUM = MAX_DEN * MAX_DEN, MAX_EXPONENT = 1000;
  const isExact = (x) => typeof x === "object" && x !== null;
  const babs = (n) => (n < 0n ? -n : n);
  function gcd(a, b) { a = babs(a); b = babs(b); while (b) [a, b] = [b, a % b]; return a; }
  function frac(p, q) {
    if (q < 0n) { p = -p; q = -q; }
    const g = gcd(p, q) || 1n;
    return bounded({p: p / g, q: q / g});
  }
  function bounded(x) {
    if (isExact(x) && (x.q > MAX_DEN || babs(x.p) > MAX_NUM)) return toFloat(x);
    return x;
  }
  function toFloat(x) {
    if (!isExact(x)) return x;
    // Number() of an integer past 309 digits is Infinity: both parts are scaled down first
    const shift = Math.max(x.p.toString().length, x.q.toString().length) - 300;
    if (shift <= 0) return Number(x.p) / Number(x.q);
    const scale = 10n ** BigInt(shift);
    return Number(x.p / scale) / Number(x.q / scale);
  }
  const ZERO = {p: 0n, q: 1n}, ONE = {p: 1n, q: 1n};
  function fromText(text) {  // "p/q" or a decimal as typed: 0.552, -1e-3, .5
    if (text.includes("/")) { const [p, q] = text.split("/"); return frac(BigInt(p), BigInt(q)); }
    const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
    const digits = (m[2] || "") + (m[3] || ""), scale = (m[3] || "").length - Number(m[4] || 0);
    const p = BigInt((m[1] === "-" ? "-" : "") + (digits || "0"));
    return scale >= 0 ? frac(p, 10n ** BigInt(scale)) : frac(p * 10n ** BigInt(-scale), 1n);
  }
  function add(a, b) { return isExact(a) && isExact(b) ? frac(a.p * b.q + b.p * a.q, a.q * b.q) : toFloat(a) + toFloat(b); }
  function mul(a, b) { return isExact(a) && isExact(b) ? frac(a.p * b.p, a.q * b.q) : toFloat(a) * toFloat(b); }
  const neg = (a) => (isExact(a) ? {p: -a.p, q: a.q} : -a);
  const sub = (a, b) => add(a, neg(b));
  function isZero(a) { return isExact(a) ? a.p === 0n : a === 0; }
  function cmp(a, b) { const d = sub(a, b); return isExact(d) ? (d.p > 0n ? 1 : d.p < 0n ? -1 : 0) : Math.sign(d); }
  function bigSqrt(n) {
    if (n < 2n) return n;
    let x = BigInt(Math.floor(Math.sqrt(Number(n))));
    while (x * x > n) x -= 1n;
    while ((x + 1n) * (x + 1n) <= n) x += 1n;
    return x;
  }
  function power(base, exponent) {
    if (isExact(exponent) && exponent.q === 1n && isExact(base)) {
      let e = exponent.p;
      if (babs(e) > BigInt(MAX_EXPONENT)) return null;
      if (base.p === 0n && e < 0n) return null;
      const [p, q] = e >= 0n ? [base.p, base.q] : [base.q, base.p];
      e = babs(e);
      return frac(p ** e, q ** e);
    }
    if (isExact(exponent) && Math.abs(toFloat(exponent)) > MAX_EXPONENT) return null;
    if (isExact(exponent) && exponent.q === 2n && isExact(base) && base.p >= 0n) {  // a square root
      const r = bigSqrt(base.p), s = bigSqrt(base.q);
      if (r * r === base.p && s * s === base.q) return power(frac(r, s), {p: exponent.p, q: 1n});
    }
    return Math.pow(toFloat(base), toFloat(exponent));
  }
  const sigmoid = (x) => 1 / (1 + Math.exp(-x));

  // ---- A tree at these values (a quantity's key, ["num", p, q], ["float", t] or an
  // operator with its arguments); null where it is undefined, as derive refuses it.
  function value(tree, values) {
    const v = evaluate(tree, values);
    if (v === null) return null;
    if (isExact(v)) return v;
    if (!Number.isFinite(v) || Math.abs(v) > 1e300) return null;
    return Math.abs(v) < 1e-300 ? ZERO : v;
  }
  function evaluate(tree, values) {
    if (typeof tree === "string") return values[tree] === undefined ? null : values[tree];
    const [op, ...args] = tree;
    if (op === "num") return frac(BigInt(args[0]), BigInt(args[1]));
    if (op === "float") return Number(args[0]);
    if (op === "piecewise") {
      for (const [expr, condition] of args) {
        const holds = decide(condition, values);
        if (holds === null) return null;
        if (holds) return evaluate(expr, values);
      }
      return null;
    }
    const xs = args.map((a) => evaluate(a, values));
    if (xs.some((x) => x === null || (!isExact(x) && Number.isNaN(x)))) return null;
    const x = xs[0], f = toFloat(x);
    switch (op) {
      case "+": return xs.reduce(add);
      case "*": return xs.reduce(mul);
      case "^": return power(xs[0], xs[1]);
      case "exp": return isExact(x) && x.p === 0n ? ONE : Math.exp(f);
      case "log": return f <= 0 ? null : isExact(x) && x.p === x.q ? ZERO : Math.log(f);
      case "sin": return isExact(x) && x.p === 0n ? ZERO : Math.sin(f);
      case "cos": return isExact(x) && x.p === 0n ? ONE : Math.cos(f);
      case "tanh": return isExact(x) && x.p === 0n ? ZERO : Math.tanh(f);
      case "abs": return isExact(x) ? {p: babs(x.p), q: x.q} : Math.abs(x);
      case "sign": return {p: BigInt(Math.sign(f)), q: 1n};
      case "heaviside": return f > 0 ? ONE : f < 0 ? ZERO : (xs[1] === undefined ? {p: 1n, q: 2n} : xs[1]);
      case "max": return xs.reduce((a, b) => (cmp(b, a) > 0 ? b : a));
      case "min": return xs.reduce((a, b) => (cmp(b, a) < 0 ? b : a));
      case "sigmoid": return sigmoid(f);
      case "softplus": return Math.log1p(Math.exp(f));
      case "relu": return f > 0 ? f : 0;
      case "leaky_relu": return f > 0 ? f : toFloat(xs[1]) * f;
      case "step": return f >= 0 ? 1 : 0;
    }
    throw new Error("unknown operator " + op);
  }
  function decide(condition, values) {
    if (condition[0] === "true") return true;
    const a = evaluate(condition[1], values), b = evaluate(condition[2], values);
    if (a === null || b === null) return null;
    const c = cmp(a, b);
    return {">": c > 0, ">=": c >= 0, "<": c < 0, "<=": c <= 0}[condition[0]];
  }

  // ---- The graph.
  const NODES = DATA.nodes, NODE = dict(Object.fromEntries(NODES.map((n) => [n.key, n])));
  const COMPUTED = NODES.filter((n) => n.expr !== null), LEAVES = NODES.filter((n) => n.expr === null);
  const PARENTS = dict(), CHILDREN = dict();
  for (const n of NODES) { PARENTS[n.key] = []; CHILDREN[n.key] = []; }
  const LOCAL = new Map();
  for (const [child, parent, tree] of DATA.locals) {
    LOCAL.set(child + "|" + parent, tree);
    PARENTS[child].push(parent);
    CHILDREN[parent].push(child);
  }
  const order = dict(Object.fromEntries(NODES.map((n, k) => [n.key, k])));
  for (const key in PARENTS) PARENTS[key].sort((a, b) => order[a] - order[b]);

  function forwardPass(values, carry) {
    values = dict(values);
    for (const n of COMPUTED) {
      const v = value(n.expr, values);
      if (v === null) return null;
      values[n.key] = carry ? carried(v, carry) : v;
    }
    return values;
  }
  // Sums of floats this much smaller than their largest term are rounding, not values.
  const NOISE = 1e-12;
  function total(terms) {
    if (!terms.length) return ZERO;
    const sum = terms.reduce(add);
    if (!isExact(sum) && sum !== 0 && Math.abs(sum) <= NOISE * Math.max(...terms.map((t) => Math.abs(toFloat(t))))) return ZERO;
    return sum;
  }
  // d(loss)/d(node) for every node at these values, with local derivatives `local`
  // (an edge's tree by "child|parent"); null where a derivative is undefined there.
  function backward(values, local) {
    local = local || LOCAL;
    const factors = dict();
    for (const [edge, tree] of local) {
      const v = value(tree, values);
      if (v === null) return null;
      factors[edge] = v;
    }
    const contributions = dict(Object.fromEntries(NODES.map((n) => [n.key, []])));
    const adjoints = dict();
    for (const n of [...COMPUTED].reverse()) {
      adjoints[n.key] = n.key === DATA.loss ? ONE : total(contributions[n.key]);
      for (const p of PARENTS[n.key]) contributions[p].push(mul(adjoints[n.key], factors[n.key + "|" + p]));
    }
    for (const n of LEAVES) adjoints[n.key] = total(contributions[n.key]);
    return {adjoints, factors};
  }

  // ---- Rounding and writing numbers, as derive/numbers.py does.
  // [sign, digits, exponent] of x rounded half up to d significant digits (exponent: of the first digit)
  function roundSig(x, d) {
    if (isExact(x)) {
      if (x.p === 0n) return null;
      const negative = x.p < 0n, p = babs(x.p);
      let e = p.toString().length - x.q.toString().length;  // 10^e <= p/q < 10^(e+1), or one less
      if (p * (e >= 0 ? 1n : 10n ** BigInt(-e)) < x.q * (e >= 0 ? 10n ** BigInt(e) : 1n)) e -= 1;
      const shift = d - 1 - e;  // p/q * 10^shift has d digits before the point
      const num = p * (shift >= 0 ? 10n ** BigInt(shift) : 1n), den = x.q * (shift < 0 ? 10n ** BigInt(-shift) : 1n);
      let n = num / den;
      if ((num % den) * 2n >= den) n += 1n;
      let digits = n.toString();
      if (digits.length > d) { digits = digits.slice(0, d); e += 1; }  // 9.9996 -> 10.00
      return [negative, digits, e];
    }
    if (x === 0) return null;
    // derive rounds its own 50-digit value half up: a double is read as the 15 digits it
    // holds for sure, so that 0.15 rounds to 0.2 as there, not to the 0.1 its binary form is nearer
    return roundSig(fromText(x.toPrecision(15)), d);
  }
  function roundedText(x, d) {  // numbers.rounded: 0.3020, -0.02032, 1.200e-5
    const r = roundSig(x, d);
    if (!r) return "0";
    const [negative, digits, e] = r, sign = negative ? "-" : "";
    if (e >= -4 && e < d) {
      if (e >= digits.length - 1) return sign + digits + "0".repeat(e - digits.length + 1);
      if (e >= 0) return sign + digits.slice(0, e + 1) + "." + digits.slice(e + 1);
      return sign + "0." + "0".repeat(-e - 1) + digits;
    }
    return sign + digits[0] + (digits.length > 1 ? "." + digits.slice(1) : "") + "e" + e;
  }
  function carried(x, d) {  // chain.carried: rounded to d significant digits, exact
    const r = roundSig(x, d);
    if (!r) return ZERO;
    const [negative, digits, e] = r, scale = d - 1 - e;
    const p = BigInt((negative ? "-" : "") + digits);
    return scale >= 0 ? frac(p, 10n ** BigInt(scale)) : frac(p * 10n ** BigInt(-scale), 1n);
  }
  function plainDecimal(x) {  // the shortest decimal of an exact number with a terminating one
    let q = x.q, twos = 0, fives = 0;
    while (q % 2n === 0n) { q /= 2n; twos++; }
    while (q % 5n === 0n) { q /= 5n; fives++; }
    const places = Math.max(twos, fives), n = babs(x.p) * 10n ** BigInt(places) / x.q;
    let text = n.toString().padStart(places + 1, "0");
    if (places) text = (text.slice(0, -places) + "." + text.slice(-places)).replace(/\.?0+$/, "");
    return (x.p < 0n ? "-" : "") + text;
  }
  const LINE_DIGITS = 4;
  function shown(x, bracket) {  // report._shown: a short exact number as it is, any other to 4 digits
    const short = isExact(x) && babs(x.p).toString().length <= LINE_DIGITS && 100000000n % x.q === 0n;
    const text = short ? plainDecimal(x) : roundedText(x, LINE_DIGITS);
    return bracket && text.startsWith("-") ? "(" + text + ")" : text;
  }
  function percentOff(given, expected) {
    if (isZero(expected)) return "∞";
    const percent = Math.abs((toFloat(given) - toFloat(expected)) / toFloat(expected)) * 100;
    return percent >= 99.5 && percent < 1e6 ? percent.toFixed(0) : roundedText(percent, 2);
  }
  function say(key, fields) {
    return WORDS[key].replace(/\{(\w+)\}/g, (_, name) => fields[name]);
  }

  // ---- Closeness: one unit in the last written digit, at least 0.5% and at most 2%;
  // a right value of 0 takes 0 alone.
  function close(answer, reference) {
    const size = Math.abs(toFloat(reference)), unit = Math.pow(10, answer.exponent);
    const tolerance = size ? Math.min(Math.max(unit, 0.005 * size), 0.02 * size) : unit / 2;  // 0 takes 0 alone
    return Math.abs(toFloat(answer.value) - toFloat(reference)) <= tolerance * (1 + 1e-12);
  }
  const NUMBER = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,4})?$/;
  function readAnswer(text) {
    const written = text.trim().replace(/\u2212/g, "-");
    if (!NUMBER.test(written)) return null;
    const m = /^[+-]?\d*(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(written);
    const exponent = -((m[1] || "").length) + Number(m[2] || 0);
    const value = fromText(written);
    if (!isZero(value) && Math.abs(Math.log10(Math.abs(toFloat(value)))) > 300) return null;
    return {value, exponent};
  }

  // ---- The slips of derive/engine/slips.py, each a way to recompute an answer.
  function slipValues(id, world, part, key) {
    const out = [];
    const gradients = () => [world.gradients[key], world.exactAdjoints[key]];
    const references = () => part === "forward" ? [world.exactValues[key], world.values[key]]
      : part === "gradients" ? [world.exactAdjoints[key], world.gradients[key]] : [];
    const back = (values, local) => { const b = backward(values, local); return b ? b.adjoints : {}; };
    const leaf = NODE[key] && NODE[key].expr === null ? world.leaves[key] : null;
    switch (id) {
      case "missing-activation-derivative": {
        const edges = [];
        for (const n of COMPUTED) if (n.role === "post") for (const p of PARENTS[n.key]) if (NODE[p].role === "pre") edges.push(n.key + "|" + p);
        const choices = edges.length ? [edges, ...edges.slice(0, 12).map((e) => [e])] : [];
        for (const chosen of choices) {
          const local = new Map(LOCAL);
          for (const e of chosen) local.set(e, ["num", "1", "1"]);
          for (const values of world.worlds) out.push(back(values, local)[key]);
        }
        break;
      }
      case "updated-weight-used":
        if (world.rate !== null) for (const start of world.worlds) out.push(back(dict(start, world.exactUpdated))[key]);
        break;
      case "sign-flipped": for (const g of gradients()) out.push(g === undefined ? undefined : neg(g)); break;
      case "ascent-instead-of-descent": for (const g of gradients()) out.push(add(leaf, mul(world.rate, g))); break;
      case "learning-rate-missing": for (const g of gradients()) out.push(sub(leaf, g)); break;
      case "factor-two":
        for (const r of references()) { out.push(mul({p: 2n, q: 1n}, r)); out.push(mul({p: 1n, q: 2n}, r)); }
        break;
      case "pre-post-swapped":
        if (part === "forward") {
          const node = NODE[key];
          for (const p of PARENTS[key]) if (node.role === "post" && NODE[p].role === "pre") out.push(world.values[p]);
          if (node.role === "pre") for (const c of CHILDREN[key]) if (NODE[c].role === "post") out.push(world.values[c]);
        } else if (part === "gradients") {
          for (const start of world.worlds) {
            const values = dict(start);
            for (const n of COMPUTED) {
              if (n.role !== "post") continue;
              const pre = PARENTS[n.key].filter((p) => NODE[p].role === "pre");
              if (pre.length) values[n.key] = start[pre[0]];
            }
            out.push(back(values)[key]);
          }
        }
        break;
      case "wrong-input":
        for (const values of world.worlds) {
          const adjoints = back(values);
          for (const child of CHILDREN[key]) for (const other of PARENTS[child]) {
            if (other === key || NODE[other].role === "weight" || NODE[other].role === "bias" || values[other] === undefined) continue;
            if (adjoints[child] !== undefined) out.push(mul(adjoints[child], values[other]));
          }
        }
        break;
      case "decimal-shift":
        for (const r of references()) for (const k of [-2, -1, 1, 2]) out.push(mul(r, k > 0 ? {p: 10n ** BigInt(k), q: 1n} : {p: 1n, q: 10n ** BigInt(-k)}));
        break;
      case "early-rounding":
        for (const digits of [2, 1]) {
          const rounded = forwardPass(world.leaves, digits);
          if (!rounded) continue;
          if (part === "forward") { out.push(rounded[key]); continue; }
          const adjoints = back(rounded);
          const grads = dict();
          for (const p of DATA.parameters) if (adjoints[p] !== undefined) grads[p] = carried(adjoints[p], digits);
          if (part === "gradients") out.push(grads[key]);
          else if (world.rate !== null && Object.keys(grads).length) {
            const updated = dict(world.leaves);
            for (const p in grads) updated[p] = carried(sub(world.leaves[p], mul(world.rate, grads[p])), digits);
            if (part === "updated") out.push(updated[key]);
            else { const after = forwardPass(updated, digits); if (after) out.push(after[key]); }
          }
        }
        break;
    }
    return out;
  }
  const SLIPS = [["missing-activation-derivative", ["gradients"]], ["updated-weight-used", ["gradients"]],
    ["ascent-instead-of-descent", ["updated"]], ["learning-rate-missing", ["updated"]], ["sign-flipped", ["gradients"]],
    ["factor-two", ["forward", "gradients"]], ["pre-post-swapped", ["forward", "gradients"]],
    ["wrong-input", ["gradients"]], ["decimal-shift", ["forward", "gradients"]],
    ["early-rounding", ["forward", "gradients", "updated", "after"]]];
  function diagnose(world, part, key, answer) {
    for (const [id, parts] of SLIPS) {
      if (!parts.includes(part)) continue;
      for (const v of slipValues(id, world, part, key)) if (v !== undefined && v !== null && !isZero(v) && close(answer, v)) return id;
    }
    return "";
  }

  // ---- Checking: check.check, for the answers typed so far ({answer key: text}).
  function check(variant, typed) {
    const leaves = dict();
    for (const n of LEAVES) leaves[n.key] = fromText(variant.values[n.key]);
    const rate = variant.rate === null ? null : fromText(variant.rate);
    const exactForward = forwardPass(leaves), exactBack = backward(exactForward);
    const exactUpdated = dict(), exactAfterLeaves = dict(leaves);
    if (rate !== null) for (const p of DATA.parameters) exactAfterLeaves[p] = exactUpdated[p] = sub(leaves[p], mul(rate, exactBack.adjoints[p]));
    const exactAfter = rate !== null ? forwardPass(exactAfterLeaves) : null;
    // clean: right, and standing on clean answers only; a wrong answer's line is worked
    // from clean answers and from corrected values elsewhere
    const given = dict(), results = dict(), statusOf = dict(), workings = dict(), clean = dict();
    for (const [label, part, node] of DATA.keys) {
      const text = typed[label];
      if (text === undefined || text.trim() === "") continue;
      const answer = readAnswer(text);
      given[part + ":" + node] = {label, answer, text};
    }
    function judge(part, key, exactValue, carriedValue, sources) {
      const g = given[part + ":" + key], answer = g.answer;
      const wrongBefore = sources.filter((s) => statusOf[s] !== "right");
      let status, matches = "";
      if (answer === null) status = "wrong";
      else if (close(answer, exactValue)) { status = "right"; matches = "exact"; }
      else if (carriedValue !== null && sources.length && close(answer, carriedValue)) { status = wrongBefore.length ? "carried" : "right"; matches = "carried"; }
      else status = "wrong";
      statusOf[g.label] = status;
      clean[g.label] = status === "right" && sources.every((s) => clean[s]);
      results[part + ":" + key] = {label: g.label, answer, expected: exactValue, carried: sources.length ? carriedValue : null,
                                   status, followsFrom: status === "carried" ? wrongBefore : [], matches, part, key};
    }
    const unique = (xs) => [...new Set(xs)];
    function worldPass(part, leafValues, leafSources, exactPass, fairLeaves) {
      const values = dict(leafValues), sources = dict(leafSources), fair = dict(fairLeaves);
      for (const n of COMPUTED) {
        const upstream = unique(PARENTS[n.key].flatMap((p) => sources[p] || []));
        const carriedValue = value(n.expr, values), should = value(n.expr, fair);
        const id = part + ":" + n.key;
        if (given[id] && given[id].answer !== null) {
          judge(part, n.key, exactPass[n.key], carriedValue, upstream);
          workings[id] = {result: should, line: n.key, values: fair};
          values[n.key] = given[id].answer.value;
          sources[n.key] = [given[id].label];
          fair[n.key] = clean[given[id].label] || should === null ? values[n.key] : should;
        } else {
          if (given[id]) judge(part, n.key, exactPass[n.key], carriedValue, upstream);
          values[n.key] = carriedValue !== null ? carriedValue : exactPass[n.key];
          sources[n.key] = upstream;
          fair[n.key] = should !== null ? should : exactPass[n.key];
        }
      }
      return {values, sources, fair};
    }
    const {values, sources, fair} = worldPass("forward", leaves, {}, exactForward, leaves);
    const studentBack = backward(values), fairBack = backward(fair);
    const gradientSources = dict(), gradients = dict(), fairGradients = dict();
    for (const p of DATA.parameters) {
      const depends = new Set([p]);
      for (const n of COMPUTED) if (PARENTS[n.key].some((x) => depends.has(x))) depends.add(n.key);
      const used = [];
      for (const [edge, tree] of LOCAL) {
        const [c, q] = edge.split("|");
        if (depends.has(c) && depends.has(q)) used.push(...symbolsOf(tree));  // in the graph's order
      }
      const upstream = unique(used.flatMap((k) => sources[k] || []));
      const carriedValue = studentBack ? studentBack.adjoints[p] : null;
      fairGradients[p] = fairBack ? fairBack.adjoints[p] : exactBack.adjoints[p];
      const id = "gradients:" + p;
      if (given[id]) {
        judge("gradients", p, exactBack.adjoints[p], carriedValue, upstream);
        if (fairBack) workings[id] = {result: fairBack.adjoints[p], terms: CHILDREN[p].filter((c) => fairBack.factors[c + "|" + p] !== undefined).map((c) => [fairBack.adjoints[c], fairBack.factors[c + "|" + p]])};
        if (given[id].answer !== null) {
          gradients[p] = given[id].answer.value;
          gradientSources[p] = [given[id].label];
          if (clean[given[id].label]) fairGradients[p] = gradients[p];
          continue;
        }
      }
      gradients[p] = carriedValue !== null ? carriedValue : exactBack.adjoints[p];
      gradientSources[p] = upstream;
    }
    for (const [label, part, edge] of DATA.keys) {
      if (part !== "factors" || !given["factors:" + edge]) continue;
      const tree = LOCAL.get(edge[0] + "|" + edge[1]), used = symbolsOf(tree);
      judge("factors", edge, value(tree, exactForward), value(tree, values), unique(used.flatMap((k) => sources[k] || [])));
      const fairLink = value(tree, fair);
      if (fairLink !== null) workings["factors:" + edge] = {result: fairLink, line: edge[0] + "|" + edge[1], values: fair};
    }
    if (rate !== null) {
      const updated = dict(leaves), updateSources = dict(), fairUpdated = dict(leaves);
      for (const p of DATA.parameters) {
        const carriedValue = sub(leaves[p], mul(rate, gradients[p])), should = sub(leaves[p], mul(rate, fairGradients[p]));
        fairUpdated[p] = should;
        const id = "updated:" + p;
        if (given[id]) {
          judge("updated", p, exactUpdated[p], carriedValue, gradientSources[p]);
          workings[id] = {result: should, update: [leaves[p], rate, fairGradients[p]]};
          if (given[id].answer !== null) {
            updated[p] = given[id].answer.value;
            updateSources[p] = [given[id].label];
            if (clean[given[id].label]) fairUpdated[p] = updated[p];
            continue;
          }
        }
        updated[p] = carriedValue;
        updateSources[p] = gradientSources[p];
      }
      worldPass("after", updated, updateSources, exactAfter, fairUpdated);
    }
    const worldsDiffer = Object.keys(exactForward).some((k) => cmp(values[k], exactForward[k]) !== 0);
    const world = {values, gradients, exactValues: exactForward, exactAdjoints: exactBack.adjoints, leaves,
                   rate, exactUpdated, worlds: worldsDiffer ? [values, exactForward] : [values]};
    const report = dict();
    let score = 0;
    for (const id in results) {
      const r = results[id];
      if (r.status === "wrong" && r.answer !== null) {
        r.diagnosis = diagnose(world, r.part, r.key, r.answer);
        r.working = workings[id];
      }
      score += r.status === "right" ? DATA.points : r.status === "carried" ? DATA.points : 0;
      report[r.label] = {status: r.status, note: note(r)};
    }
    return {report, score, max: DATA.keys.length * DATA.points};
  }
  function symbolsOf(tree) {  // a tree's quantities, each once, in the graph's order
    const found = new Set();
    (function walk(t) {
      if (typeof t === "string") found.add(t);
      else if (t[0] === "piecewise") for (const [expr, condition] of t.slice(1)) { walk(expr); walk(condition); }
      else if (t[0] !== "num" && t[0] !== "float") t.slice(1).forEach(walk);
    })(tree);
    return [...found].sort((a, b) => order[a] - order[b]);
  }

  // ---- The note of views/report.py.
  function note(r) {
    if (r.answer === null) return WORDS.practice_not_number;
    if (r.status === "carried") return say("check_from", {keys: r.followsFrom.join(", ")});
    if (r.status === "right" && r.matches === "carried") return say("check_rounded", {value: roundedText(r.carried, 7)});
    if (r.status !== "wrong") return "";
    const parts = [say("check_off", {percent: percentOff(r.answer.value, r.expected)})];
    if (r.diagnosis) parts.push(say("check_slip", {slip: WORDS["slip_" + r.diagnosis]}));
    if (DATA.worked && r.working && r.working.result !== null && r.working.result !== undefined) parts.push(say("check_should", {line: line(r.label, r.working)}));
    return parts.join("; ");
  }
  function fill(pieces, shownOf) {
    return pieces.map((p) => (Array.isArray(p) ? shownOf(p[1]) : p)).join("");
  }
  function line(label, w) {
    let name = label.slice(label.lastIndexOf(".") + 1);
    if (label.startsWith("factors.")) { const [, c, p] = label.split("."); name = "∂" + c + "/∂" + p; }
    const result = shown(w.result);
    if (w.line !== undefined) {
      const pieces = DATA.lines[w.line];
      let written = fill(pieces, (k) => shown(w.values[k], true));
      if (label.startsWith("factors.")) {
        const formula = fill(pieces, (k) => k);
        written = pieces.length === 1 && Array.isArray(pieces[0]) ? formula : formula + " = " + written;
      }
      return name + " = " + written + " = " + result;
    }
    if (w.update) {
      const [old, rate, gradient] = w.update;
      return name + " − η·g = " + shown(old) + " − " + shown(rate) + " · " + shown(gradient, true) + " = " + result;
    }
    const terms = w.terms.map(([up, local]) => shown(up, true) + " · " + shown(local, true)).join(" + ");
    return "∂L/∂" + name + " = " + terms + " = " + result;
  }

  window.derivePractice = {check};
  // ---- The page: mark as the student types, announce, remember.
  const form = document.getElementById("derive-practice");
  if (!form) return;
  const picker = document.getElementById("derive-variant");
  const storageKey = "derive-practice:" + DATA.id;
  function variantIndex() { return picker ? Number(picker.value) : 0; }
  function inputs() { return form.querySelectorAll("section.variant:not([hidden]) input[name]"); }
  function mark() {
    const typed = dict();
    for (const input of inputs()) typed[input.name] = input.value;
    const made = check(DATA.variants[variantIndex()], typed);
    for (const input of inputs()) {
      const found = made.report[input.name];
      const status = found ? found.status : "empty";
      input.dataset.status = status;
      input.setAttribute("aria-invalid", status === "wrong" ? "true" : "false");
      const out = document.getElementById(input.id + "-mark");
      out.dataset.status = status;
      out.querySelector(".word").textContent = status === "empty" ? "" : WORDS["check_" + status];
      out.querySelector(".note").textContent = found ? found.note : "";
    }
    const score = document.querySelector("section.variant:not([hidden]) .score");
    score.textContent = say("check_score", {score: made.score, maximum: made.max});
    try { localStorage.setItem(storageKey, JSON.stringify({variant: variantIndex(), typed})); } catch (e) { /* private mode */ }
    return made;
  }
  function show() {
    for (const section of form.querySelectorAll("section.variant")) section.hidden = Number(section.dataset.index) !== variantIndex();
    mark();
  }
  form.addEventListener("input", mark);
  form.addEventListener("submit", (event) => event.preventDefault());
  if (picker) picker.addEventListener("change", show);
  try {
    const kept = JSON.parse(localStorage.getItem(storageKey) || "null");
    if (kept) {
      if (picker && kept.variant < DATA.variants.length) picker.value = String(kept.variant);
      for (const section of form.querySelectorAll("section.variant")) section.hidden = Number(section.dataset.index) !== variantIndex();
      for (const input of inputs()) if (kept.typed[input.name] !== undefined) input.value = kept.typed[input.name];
    }
  } catch (e) { /* nothing kept */ }
  show();
})();
