// Reads [{tex, display}] as JSON on standard input; renders each with every installed
// KaTeX (throwOnError, strict "error"); prints [{version, tex, error}] for the failures.
const versions = {"0.11.1": require("katex-0.11.1"), "current": require("katex-current")};
let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const failures = [];
  for (const {tex, display} of JSON.parse(input)) {
    for (const [name, katex] of Object.entries(versions)) {
      try {
        katex.renderToString(tex, {displayMode: display, throwOnError: true, strict: "error"});
      } catch (err) {
        failures.push({version: `${name} (${katex.version})`, tex, error: String(err.message || err)});
      }
    }
  }
  process.stdout.write(JSON.stringify(failures));
});
