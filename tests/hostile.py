"""A corpus of hostile input, for tests/test_hostile.py: what a stranger's spec or answers
file might hold to run script in a reader's browser, read a file through TeX, open a Liquid
tag on a blog, or drive a terminal. Each entry is text to put where a spec takes text."""

XSS = [
    "<script>document.title='pwned'</script>",
    "<img src=x onerror=\"document.title='pwned'\">",
    "<svg onload=\"document.title='pwned'\">",
    "\"><iframe src=javascript:alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<math><mtext><img src=x onerror=\"document.title='pwned'\"></mtext></math>",
    "</title><script>document.title='pwned'</script>",
    "<style>body{background:url(//evil/x)}</style>",
    "<base href=//evil/>",
    "<meta http-equiv=refresh content=\"0;url=javascript:alert(1)\">",
    "javascript:alert(1)",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
]
TEX = [
    r"\input{/etc/passwd}",
    r"^^5cinput{/etc/hostname}",
    r"x^^5cspecial{pdf:fstream ^^40s (/etc/passwd)}",
    r"\special{pdf:docview <</OpenAction <</S /JavaScript /JS (app.alert(1))>> >>}",
    r"\catcode`\^^M=13",
    r"\def\x{\input{/etc/passwd}}\x",
    r"\immediate\write18{id}",
    r"\csname input\endcsname{/etc/passwd}",
    r"\directlua{os.execute('id')}",
    r"$$ \begin{document} % #1 ~ \\",
]
LIQUID = ["{{ site.time }}", "{{{ site.time }}}", "{% include secret %}", "{%raw%}x{%endraw%}"]
MARKDOWN = ["[x](javascript:alert(1))", "![x](http://evil/x.png)", "see http://evil.example/x now",
            "www.evil.example", "mail me@evil.example", "~~struck~~", "<http://evil.example>", "**bold** _it_",
            "# heading", "| a | b |", "```code```"]
CONTROL = ["\x1b[31mred\x1b[0m", "two\nlines", "right\u202eleft", "nul\x00", "\ufeffbom"]

ALL = XSS + TEX + LIQUID + MARKDOWN + CONTROL

#: Symbols' LaTeX that looks like a name but is not one the grammar takes.
SYMBOLS = TEX + [
    r"\text{<img/src='x'/onerror='document.title=1337'>}", r"x^^5c", r"^", r"\hat", r"x^{1}^{2}", r"x_{}",
    r"\mathscr{x}", r"\input", r"{", r"}", r"x}{", r"\text{\input{a}}", r"<b>", r"a&b", r"a|b", "x\ny",
]

#: A spec whose title and symbols are filled in by the tests.
GRAPH = {"graph": {"equations": ["q = x + y", "f = q * z"], "values": {"x": -2, "y": 5, "z": -4}},
         "train": {"learning_rate": 0.1}}
