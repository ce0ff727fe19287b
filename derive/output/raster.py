"""SVG -> PNG, for sites whose editors take no SVG upload.

resvg draws the pictures: it reads the same SVG the pages link (its CSS, ``paint-order`` halos,
``dy`` shifts) and falls back through the system's fonts glyph by glyph, so Hangul finds a
Korean font beside DejaVu Sans. A glyph no installed font has is silently left out by the
renderer or drawn as the primary font's empty box ("tofu"); every character is therefore
probed once, and one that draws nothing or the box is an error, never a picture with holes.
"""

import functools
import html
import re
import struct
import zlib

from ..errors import RenderError
from .environments import SVG_FONTS

#: Pixels per SVG unit: sharp on high-density screens, shown at half size by a page's CSS.
ZOOM = 2
_TEXT = re.compile(r">([^<>]+)<")
_TEXT_ELEMENT = re.compile(r"<text\b.*?</text>", re.S)
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]+")
#: The fonts Hangul is drawn in, first found first (Debian's fonts-nanum, fonts-noto-cjk).
KOREAN_FONTS = "NanumGothic, Noto Sans CJK KR, Noto Sans KR, sans-serif"
_PROBE = ('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30" '
          f'font-family="{SVG_FONTS}" font-size="20">'
          '<text x="4" y="22">{}</text></svg>')


def _renderer():
    try:
        import resvg_py
    except ImportError:
        raise RenderError("PNG pictures need the resvg-py package: pip install 'derive[png]'") from None
    return resvg_py


def png(svg, dense=False):
    """The PNG of an SVG picture (white background, ZOOM pixels per unit); ``dense`` records
    ZOOM x 96 pixels per inch in it, so that a word processor prints it at the SVG's size."""
    missing = [c for c in sorted(_characters(svg)) if not _drawn(c)]
    if missing:
        raise RenderError("no installed font draws " + " ".join(f"{c!r} (U+{ord(c):04X})" for c in missing)
                          + "; install one that does (for Korean: fonts-nanum or fonts-noto-cjk)")
    try:
        drawn = bytes(_renderer().svg_to_bytes(svg_string=_hangul_font(svg), zoom=ZOOM, background="#ffffff"))
    except ValueError as err:
        raise RenderError(f"the picture could not be drawn as PNG ({err})") from None
    return _with_density(drawn, ZOOM * 96) if dense else drawn


def _with_density(data, dpi):
    # a pHYs chunk (pixels per metre) right after the 8-byte signature and the 25-byte IHDR
    body = b"pHYs" + struct.pack(">IIB", round(dpi / 0.0254), round(dpi / 0.0254), 1)
    chunk = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body))
    return data[:33] + chunk + data[33:]


def _hangul_font(svg):
    """The SVG with each run of Hangul in a plain Korean sans serif: resvg's glyph fallback
    takes the first installed font that has a glyph, not the next family of the list, and
    that may be a brush or handwriting face."""
    return _TEXT_ELEMENT.sub(lambda m: _TEXT.sub(lambda t: ">" + _HANGUL.sub(
        lambda run: f'<tspan font-family="{KOREAN_FONTS}">{run.group()}</tspan>', t.group(1)) + "<", m.group()), svg)


def _characters(svg):
    """The characters the picture prints that a font has to supply (not ASCII, not spaces)."""
    return {c for run in _TEXT.findall(svg) for c in html.unescape(run)
            if ord(c) > 126 and not c.isspace()}


def _drawn(character):
    """Whether some installed font draws ``character``: its picture is neither an empty one
    nor the box drawn for a character no font has (U+0378 is unassigned in Unicode)."""
    return _probe(character) not in (_probe(""), _probe("\u0378"))


@functools.lru_cache(maxsize=None)
def _probe(text):
    return bytes(_renderer().svg_to_bytes(svg_string=_PROBE.format(html.escape(text))))
