"""The languages a page can be written in: one module each (en.py, ko.py), holding every
word of prose the pages, sheets and reports use, the particle rules of its numbers, and
what a document in that language loads (LaTeX preamble, fonts, the packages that provide
them). A third language is one more module here, plus its golden outputs.
"""

import importlib
import pkgutil
import string
from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str              # "en", as a spec and --lang write it
    name: str
    preamble: tuple        # LaTeX lines a document in this language loads, after fontspec
    packages: tuple        # the Debian packages its PDFs need besides XeLaTeX and latexmk
    words: dict            # key -> sentence, with {fields}
    particle: object = None  # word -> the particle that follows it ({n:로} in Korean), or None
    script: object = None    # text -> True when the text needs this language's preamble to print
    log: str = "log"         # how its textbooks write the natural logarithm: log or ln
    unit_space: str = " "    # between a number and its unit: "5 points", but "5점"

    def text(self, key, **fields):
        return self.words[key].format(**{k: _Word(v, self.particle) for k, v in fields.items()})

    def runs(self, key, math=(), **fields):
        """A message as (words, LaTeX) pairs: the words before each field named in ``math``,
        then that field's LaTeX (``""`` after the last words), so that a template can put
        each piece of math between its own delimiters."""
        made, words = [], ""
        for literal, field, spec, _ in string.Formatter().parse(self.words[key]):
            words += literal
            if field is None:
                continue
            value = fields[field]
            if field in math:
                made.append((words, value))
                words = self.particle(value) if spec == "로" and self.particle else ""
            else:
                words += format(_Word(value, self.particle), spec)
        if words or not made:
            made.append((words, ""))
        return tuple(made)


class _Word(str):
    """A field of a message; ``{n:로}`` adds the particle its reading takes."""

    def __new__(cls, value, particle):
        word = super().__new__(cls, value)
        word.particle = particle
        return word

    def __format__(self, spec):
        if spec == "로" and self.particle:
            return self + self.particle(self)
        return format(str(self), spec)


LANGUAGES = {module.LANGUAGE.code: module.LANGUAGE for module in (
    importlib.import_module(f"{__name__}.{info.name}") for info in sorted(pkgutil.iter_modules(__path__),
                                                                           key=lambda i: i.name))}
CODES = tuple(LANGUAGES)


def text(lang, key, **fields):
    return LANGUAGES[lang].text(key, **fields)


def runs(lang, key, math=(), **fields):
    return LANGUAGES[lang].runs(key, math, **fields)


def preamble(lang, *texts):
    """The LaTeX lines a document in ``lang`` loads, and those of any language whose script
    one of ``texts`` (a title) holds: a Korean title on an English page keeps its glyphs."""
    lines = list(LANGUAGES[lang].preamble)
    for other in LANGUAGES.values():
        if other.code != lang and other.script and any(other.script(t) for t in texts):
            lines += [line for line in other.preamble if line not in lines]
    return tuple(lines)


def packages():
    """The Debian packages PDFs in every language need, besides XeLaTeX and latexmk."""
    return tuple(dict.fromkeys(p for language in LANGUAGES.values() for p in language.packages))
