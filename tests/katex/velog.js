// Velog's Markdown pipeline (velog-client's MarkdownRender, in the versions its lockfile
// pins: remark 11, remark-math 2, rehype-katex 3 with KaTeX 0.11.1), less the highlighter,
// embed and sanitizer plugins, which touch no math. Reads a JSON list of Markdown pages on
// standard input; prints the list of their HTML.
const remark = require("remark");
const remarkParse = require("remark-parse");
const breaks = require("remark-breaks");
const remark2rehype = require("remark-rehype");
const raw = require("rehype-raw");
const math = require("remark-math");
const katex = require("rehype-katex");
const stringify = require("rehype-stringify");

let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const pages = JSON.parse(input).map((markdown) => String(
    remark().use(breaks).use(remarkParse).use(remark2rehype, {allowDangerousHtml: true}).use(raw)
      .use(math).use(katex).use(stringify).processSync(markdown)));
  process.stdout.write(JSON.stringify(pages));
});
