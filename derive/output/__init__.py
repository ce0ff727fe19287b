"""Stage 4, output: views through Jinja2 templates into text (Markdown, LaTeX, HTML, SVG,
JSON, scripts), and LaTeX into PDF. The templates hold layout only; the files that come
with derive are found here. Writing files is the command line's job alone."""
