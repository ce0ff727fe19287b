// node bench/practice.js PAGE.html ANSWERS.json RUNS: milliseconds the page's own script
// takes to mark one answer set (what happens on every keystroke), as {"median", "low", "high"}.
const fs = require("fs");
const [page, answersFile, runs] = process.argv.slice(2);
const html = fs.readFileSync(page, "utf8");
const data = /<script type="application\/json" id="derive-problem">([\s\S]*?)<\/script>/.exec(html)[1];
const script = /<script>([\s\S]*?)<\/script>/.exec(html)[1];
global.window = {};
global.document = {getElementById: (id) => (id === "derive-problem" ? {textContent: data} : null)};
new Function(script)();
const variant = JSON.parse(data).variants[0], typed = JSON.parse(fs.readFileSync(answersFile, "utf8"));
const times = [];
for (let k = 0; k < Number(runs); k++) {
  const start = process.hrtime.bigint();
  window.derivePractice.check(variant, typed);
  times.push(Number(process.hrtime.bigint() - start) / 1e6);
}
times.sort((a, b) => a - b);
console.log(JSON.stringify({median: times[times.length >> 1], low: times[0], high: times[times.length - 1]}));
