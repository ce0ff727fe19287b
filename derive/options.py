"""How a solution is written: one frozen record, its defaults written once, checked once.

The command line builds it from its flags, the Python API from its keyword arguments, and
every stage after the engine takes it as it is. A choice outside the registry's is an
``OptionError``: the library's own error (a ``ValueError`` too), which the command line
shows as one line, exit status 2.
"""

import datetime
import re
from dataclasses import dataclass, fields, replace

from .errors import OptionError, unplain
from .languages import CODES, LANGUAGES
from .registry.choices import FLAVORS, FORMATS, LIBRARIES, LOGS, PICTURES, STYLES

#: The significant digits a page may show.
DIGITS = range(1, 16)
#: The levels a Markdown page's top heading may take: below it the page goes three levels deeper,
#: and Markdown has none past ######.
HEADING_LEVELS = range(1, 5)


def _is_date(text):
    if not isinstance(text, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Options:
    digits: int = 4            # significant digits shown for computed values
    lang: str = None           # the prose's language; None: the spec's
    flavor: str = "github"     # the Markdown flavour (the site the page is pasted into)
    style: str = "auto"        # chain, delta, matrix or auto
    carry_rounded: bool = False  # round each shown value and carry it on, as with a calculator
    full: bool = False         # write out every gradient of a big network
    log: str = None            # the natural logarithm written ln or log; None: the language's
    definitions: bool = None   # the row of partials with definitions put in; None: for small chains
    pictures: str = "svg"      # svg, png (files beside a Markdown page) or none
    heading_base: int = None   # the level of a Markdown page's top heading; None: the title an h1, or
                               # with front matter the sections h2s under the blog's own title
    front_matter: bool = False  # a Markdown page opens with YAML front matter (Jekyll, Hugo) holding its title
    date: str = None           # the front matter's date, YYYY-MM-DD; None: today
    tags: tuple = ()           # the front matter's tags; (): the language's words for what is solved

    def __post_init__(self):
        if not isinstance(self.digits, int) or isinstance(self.digits, bool) or self.digits not in DIGITS:
            raise OptionError(f"digits: {self.digits!r} is not a whole number from {DIGITS[0]} to {DIGITS[-1]}")
        for name, allowed in (("lang", (None, *CODES)), ("flavor", FLAVORS), ("style", STYLES),
                              ("log", (None, *LOGS)), ("pictures", PICTURES)):
            if getattr(self, name) not in allowed:
                raise OptionError(f"{name}: {getattr(self, name)!r} is not one of "
                                  f"{', '.join(a for a in allowed if a)}")
        if self.heading_base is not None and (not isinstance(self.heading_base, int) or isinstance(
                self.heading_base, bool) or self.heading_base not in HEADING_LEVELS):
            raise OptionError(f"heading_base: {self.heading_base!r} is not a whole number from "
                              f"{HEADING_LEVELS[0]} to {HEADING_LEVELS[-1]}")
        if self.date is not None and not _is_date(self.date):
            raise OptionError(f"date: {self.date!r} is not a date written YYYY-MM-DD, such as 2026-11-30")
        if isinstance(self.tags, list):
            object.__setattr__(self, "tags", tuple(self.tags))
        if not isinstance(self.tags, tuple):
            raise OptionError(f"tags: {self.tags!r} is not a list of words")
        for tag in self.tags:
            if not isinstance(tag, str) or not tag.strip() or unplain(tag) is not None:
                raise OptionError(f"tags: {tag!r} is not a word of one line (a tag has letters, and no control "
                                  "character)")
        for name in ("carry_rounded", "full", "definitions", "front_matter"):
            if not isinstance(getattr(self, name), bool) and not (name == "definitions" and self.definitions is None):
                raise OptionError(f"{name}: {getattr(self, name)!r} is not True or False")

    def but(self, **changes):
        """The same options with ``changes`` (checked again)."""
        _known(changes)
        return replace(self, **changes)

    def language(self, spec_lang):
        """The language to write in: the one asked for, else the spec's."""
        return self.lang or spec_lang

    def logarithm(self, spec_lang):
        """How the natural logarithm is written: as asked, else as the language writes it."""
        return self.log or LANGUAGES[self.language(spec_lang)].log


NAMES = tuple(f.name for f in fields(Options))


def options(given=None, **changes):
    """``given`` (default: the defaults) with ``changes``: what the API's keyword arguments make."""
    _known(changes)
    return (given or Options()).but(**changes) if changes else (given or Options())


def _known(changes):
    unknown = sorted(set(changes) - set(NAMES))
    if unknown:
        raise OptionError(f"{unknown[0]}: is not an option; the options are {', '.join(NAMES)}")


def text_format(name):
    """``name`` if it is a format written as text (a PDF is compiled: ``to_pdf``)."""
    if name == "pdf":
        raise OptionError("format: 'pdf' is compiled, not written as text; call to_pdf() for its bytes")
    if name == "docx":
        raise OptionError("format: 'docx' is made by pandoc, not written as text; call to_docx() for its bytes")
    if name not in FORMATS:
        raise OptionError(f"format: {name!r} is not one of {', '.join(FORMATS)}")
    return name


def library(name):
    """``name`` if it is a library a script can be written for."""
    if name not in LIBRARIES:
        raise OptionError(f"library: {name!r} is not one of {', '.join(LIBRARIES)}")
    return name
