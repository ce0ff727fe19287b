"""The errors the library raises.

The library never exits and never prints: it raises one of these, and ``cli.py`` alone
turns them into a message and an exit status. Every message is one line that names the
place (file, line or key path) and what is wrong, so it can be shown as it is.

- ``SpecError``: bad input (a spec, an expression, an answers file). Exit status 2.
- ``UndefinedValueError``: the maths is undefined at the spec's values (log 0, x/0). It is
  bad input too, so it is a ``SpecError``.
- ``OptionError``: an option outside its choices (also a ``ValueError``). Exit status 2.
- ``RenderError``: an output could not be produced. Exit status 1.
"""


class DeriveError(Exception):
    """Base of every error the library raises on purpose."""


class SpecError(DeriveError):
    """Bad input: the message names the file and the place, on one line whatever the
    input's keys and names hold (their control characters are written as escapes)."""

    def __init__(self, message):
        super().__init__(one_line(str(message)))


class UndefinedValueError(SpecError):
    """A quantity has no finite real value at the given numbers."""


class OptionError(DeriveError, ValueError):
    """An option outside its choices (a style, flavour, format, language, digits): the
    library's own error for what the command line refuses before it starts. Exit status 2."""


class RenderError(DeriveError):
    """An output format could not be produced."""


class PdfError(RenderError):
    """A PDF could not be made: TeX is missing, failed or took too long."""


def quoted(text):
    """A piece of user text in a message: in double quotes, on one line, every control
    character (a newline, a terminal's escape) written out as its escape, so that a
    message stays one line and cannot colour or move the terminal."""
    return '"' + one_line(str(text)) + '"'


def one_line(text):
    """``text`` with every control character written as its escape (\\n, \\x1b)."""
    import unicodedata

    out = []
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            out.append(char.encode("unicode_escape").decode("ascii"))
        else:
            out.append(char)
    return "".join(out)


#: What one line of plain text never holds: controls, format characters (a direction
#: override would make it lie), noncharacters (YAML refuses U+FFFE), line and paragraph
#: separators.
NOT_PLAIN = ("Cc", "Cf", "Cn", "Cs", "Co", "Zl", "Zp")


def unplain(text):
    """The first character of ``text`` that one line of plain text never holds, or None;
    the joiners Hangul and Indic scripts use (U+200C, U+200D) are plain."""
    import unicodedata

    return next((c for c in text if unicodedata.category(c) in NOT_PLAIN and c not in "\u200c\u200d"), None)

