"""The choices an option may take, in one place: the options record checks them, the
command line offers them, and the stages that act on them take them from here."""

#: How gradients are written: chains of partials, shared deltas, layer-wise matrices, or by size.
STYLES = ("chain", "delta", "matrix", "auto")
#: The Markdown flavours, by the sites they are pasted into (DESIGN.md lists their delimiters).
FLAVORS = ("github", "kramdown", "katex", "mathjax", "pandoc")
#: The libraries a recomputing script can be written for.
LIBRARIES = ("numpy", "torch")
#: What `derive solve` writes.
FORMATS = ("md", "tex", "tex-body", "html", "json", "numpy", "torch", "pdf", "docx")
#: How the natural logarithm is written (the default is the language's).
LOGS = ("ln", "log")
#: How a page's pictures are given: SVG files (or inline SVG), PNG files beside a Markdown page, none.
PICTURES = ("svg", "png", "none")
