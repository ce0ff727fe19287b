"""A Markdown page as a blog post: the YAML front matter Jekyll and Hugo read, and the
heading marks of a page whose first heading sits at a chosen level.

Front matter values are written as YAML double-quoted scalars, which JSON strings are a
subset of: whatever a spec's title holds, it stays one value of one key.
"""

import datetime
import json

from ..errors import OptionError
from ..languages import LANGUAGES

#: The switches themes read to load a math renderer, by flavour: `math` (Chirpy, PaperMod
#: and many more), `mathjax` and `usemathjax` (Jekyll themes that load MathJax, seed 004's
#: among them), `katex` (themes that load KaTeX).
MATH_SWITCHES = {
    "github": ("math",),
    "kramdown": ("math", "mathjax", "usemathjax"),
    "katex": ("math", "katex"),
    "mathjax": ("math", "mathjax"),
    "pandoc": ("math",),
}


def front_matter(title, lang, options, today=None):
    """((key, YAML value), ...) of the page's front matter, or () when not asked for."""
    if not options.front_matter:
        return ()
    language = LANGUAGES[options.language(lang)]
    tags = options.tags or (language.text("tag_topic"), language.text("tag_method"))
    date = options.date or (today or datetime.date.today()).isoformat()
    pairs = [("layout", "post")]
    if title:
        if "<" in title or ">" in title:
            # themes print the front matter's title as it is, into their HTML
            raise OptionError(f"title: {title!r} holds < or >, which a blog theme would print as HTML; "
                              "--front-matter needs a title without them")
        pairs.append(("title", _quoted(title)))
    pairs += [("date", date), ("tags", "[" + ", ".join(_quoted(t) for t in tags) + "]")]
    pairs += [(switch, "true") for switch in MATH_SWITCHES[options.flavor]]
    return tuple(pairs)


def heading_marks(options):
    """The marks of the page's heading levels 1 to 5 (the title, its sections, ...), moved
    so that the top heading sits at ``heading_base``: the title, or with front matter,
    where the blog prints the title itself, the sections. Unless asked, the title is an h1,
    or with front matter the sections are h2s under the blog's h1. None is deeper than ######."""
    if options.heading_base is None:
        top = 1
    else:
        top = options.heading_base - (1 if options.front_matter else 0)
    return tuple("#" * max(1, min(6, level + top - 1)) for level in range(1, 6))


def _quoted(text):
    return json.dumps(text, ensure_ascii=False)
