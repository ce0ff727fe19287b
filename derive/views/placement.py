"""Where a picture's labels go: each one on its own wire, clear of every other label, of
every node and, where the wire leaves room, of every other wire.

A label is a box of text estimated from its glyphs (DejaVu Sans, the pictures' first
font, rounded up). Each wire's label is tried at points along it, nearest the preferred
point first; the first spot that touches nothing is taken. Where the wires are too dense,
a spot that only crosses other wires is taken (the label's white halo keeps it legible);
where even that fails, the caller writes a short marker there and the label itself in a
legend under the picture.
"""

from dataclasses import dataclass

#: Glyph widths in em of DejaVu Sans, rounded up; anything else counts as a wide letter.
_WIDTHS = {**{d: 0.64 for d in "0123456789"}, "i": 0.3, "l": 0.3, "j": 0.3, "t": 0.4, "f": 0.36, "r": 0.42, " ": 0.32, ".": 0.32, ",": 0.32, "=": 0.84, "−": 0.84, "-": 0.36,
           "+": 0.84, "(": 0.39, ")": 0.39, "×": 0.84, "·": 0.32, "⁻": 0.45, "ŷ": 0.6, "′": 0.3, "'": 0.3}
#: Points a label keeps from what it must not touch.
GAP = 1.5
#: How far another wire keeps from the point where a label sits on its own (where the
#: label's halo lets other wires pass behind it).
CLEAR = 9.0
#: Where along its wire a label is tried, from its start (0) to its end (1).
STEPS = tuple(k / 40 for k in range(6, 35))


@dataclass(frozen=True)
class Rect:
    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self):
        return round(self.right - self.left, 2)

    @property
    def height(self):
        return round(self.bottom - self.top, 2)

    def meets(self, other, gap=0.0):
        return not (self.right + gap <= other.left or other.right + gap <= self.left or
                    self.bottom + gap <= other.top or other.bottom + gap <= self.top)

    def crosses(self, segment):
        """True when the segment ((x1, y1), (x2, y2)) passes through the rectangle."""
        (x1, y1), (x2, y2) = segment
        # Liang-Barsky clipping of the segment to the rectangle
        t0, t1 = 0.0, 1.0
        dx, dy = x2 - x1, y2 - y1
        for p, q in ((-dx, x1 - self.left), (dx, self.right - x1), (-dy, y1 - self.top), (dy, self.bottom - y1)):
            if p == 0:
                if q < 0:
                    return False
                continue
            r = q / p
            if p < 0:
                t0 = max(t0, r)
            else:
                t1 = min(t1, r)
            if t0 > t1:
                return False
        return True


def text_width(runs, size):
    """The width in points of a label's runs ((text, "" | "sub" | "sup"), ...) at ``size``."""
    total = 0.0
    for text, shift in runs:
        scale = 0.75 if shift else 1.0
        total += sum(_WIDTHS.get(c, 0.74 if c.isupper() else 0.64) for c in text) * size * scale
    return total


class Board:
    """The picture's occupied places: node outlines and texts, labels placed so far, wires."""

    def __init__(self, wires):
        """``wires``: each a path of points; its straight parts are what labels avoid."""
        self.rects = []
        self.wires = [tuple(zip(path, path[1:])) for path in wires]

    def take(self, rect):
        self.rects.append(rect)

    def free(self, rect, own, avoid_wires=True, at=None):
        """Clear of every taken place; and of every other wire, or (not ``avoid_wires``)
        of every other wire near the point ``at`` where the label meets its own, so that
        which wire it belongs to is never in doubt."""
        if any(rect.meets(r, GAP) for r in self.rects):
            return False
        others = [segment for wire in self.wires if wire != own for segment in wire]
        if avoid_wires:
            return not any(rect.crosses(w) for w in others)
        return all(_distance(at, w) >= CLEAR for w in others)

    def place(self, path, box, prefer=0.3, steps=STEPS):
        """The point along the wire ``path`` where a label ``box`` = (left, top, right,
        bottom), relative to that point, fits: first clear of everything, then clear of
        all but other wires; None where neither is. The place is taken. A straight wire
        is tried nearest ``prefer`` first; a routed one along its longest part first,
        from the middle out."""
        own = tuple(zip(path, path[1:]))
        parts = sorted(own, key=lambda s: -((s[1][0] - s[0][0]) ** 2 + (s[1][1] - s[0][1]) ** 2))
        centre = prefer if len(own) == 1 else 0.5
        points = [(part, t) for part in parts for t in sorted(steps, key=lambda t: (abs(t - centre), t))]
        for avoid_wires in (True, False):
            for ((x1, y1), (x2, y2)), t in points:
                x, y = x1 + (x2 - x1) * t, y1 + (y2 - y1) * t
                rect = Rect(x + box[0], y + box[1], x + box[2], y + box[3])
                if self.free(rect, own, avoid_wires, (x, y)):
                    self.take(rect)
                    return x, y
        return None


def _distance(point, segment):
    """The distance from ``point`` to the segment."""
    (px, py), ((x1, y1), (x2, y2)) = point, segment
    dx, dy = x2 - x1, y2 - y1
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((px - x1) * dx + (py - y1) * dy) / length))
    return ((px - x1 - t * dx) ** 2 + (py - y1 - t * dy) ** 2) ** 0.5
