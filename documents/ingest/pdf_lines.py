"""The printed lines of a PDF page, read straight from pdfminer's text operations.

pdfminer's layout analysis (``PDFPageAggregator``) makes an object for every character, line
and text box, then groups the lines into boxes: three quarters of the time a page takes to read,
for boxes we do not use. We need only its line detection, which this device applies with the
same rules and parameters (``LAParams``' defaults) to plain tuples: consecutive characters
that share a baseline and stand close together form a line, and a gap wider than a tenth of a
character between them is a space. Text in form XObjects is read as ``all_texts`` reads it,
each form's characters grouped apart, and the images' areas are kept to tell a scan.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pdfminer.layout import LAParams
from pdfminer.pdfdevice import PDFTextDevice
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.utils import apply_matrix_pt, apply_matrix_rect, get_bound, mult_matrix

_DEFAULTS = LAParams()
LINE_OVERLAP = _DEFAULTS.line_overlap
CHAR_MARGIN = _DEFAULTS.char_margin
WORD_MARGIN = _DEFAULTS.word_margin
INFINITY = float("inf")

# A printed character: its box (x0, y0, x1, y1) on the page, y growing upwards, and its text.
Glyph = tuple[float, float, float, float, str]


@dataclass
class TextLine:
    x0: float
    y0: float
    x1: float
    y1: float
    # The glyphs left to right as printed, None where a gap between two of them reads as a space.
    glyphs: list[Glyph | None]

    @property
    def text(self) -> str:
        return "".join(" " if glyph is None else glyph[4] for glyph in self.glyphs)


@dataclass
class PageText:
    width: float
    height: float
    lines: list[TextLine] = field(default_factory=list)
    image_areas: list[float] = field(default_factory=list)


class LineReader(PDFTextDevice):
    """A pdfminer device that keeps each page's text lines (``page`` once a page is read)."""

    def __init__(self, manager) -> None:
        super().__init__(manager)
        self.page: PageText | None = None
        self._glyphs: list[Glyph] = []
        self._outer: list[list[Glyph]] = []  # glyphs of the containers an open form interrupts
        self._figures: list[tuple[float, float, float, float]] = []
        # Each font's characters by code: (text, width); fonts live as long as the document.
        self._characters: dict = {}

    def begin_page(self, page, ctm) -> None:
        x0, y0, x1, y1 = apply_matrix_rect(ctm, page.mediabox)
        self.page = PageText(abs(x0 - x1), abs(y0 - y1))
        self._glyphs, self._outer, self._figures = [], [], []

    def end_page(self, page) -> None:
        self._group(self._glyphs)

    def begin_figure(self, name, bbox, matrix) -> None:
        self._outer.append(self._glyphs)
        self._glyphs = []
        x, y, width, height = bbox  # read as pdfminer's LTFigure reads it
        corners = ((x, y), (x + width, y), (x, y + height), (x + width, y + height))
        transform = mult_matrix(matrix, self.ctm)
        self._figures.append(get_bound(apply_matrix_pt(transform, point) for point in corners))

    def end_figure(self, name) -> None:
        self._group(self._glyphs)
        self._glyphs = self._outer.pop()
        self._figures.pop()

    def render_image(self, name, stream) -> None:
        x0, y0, x1, y1 = self._figures[-1]
        self.page.image_areas.append((x1 - x0) * (y1 - y0))

    def render_string(self, textstate, seq, ncs, graphicstate) -> None:
        """Each character's box as pdfminer's LTChar computes it, without the object."""
        font = textstate.font
        fontsize = textstate.fontsize
        scaling = textstate.scaling * 0.01
        charspace = textstate.charspace * scaling
        wordspace = 0 if font.is_multibyte() else textstate.wordspace * scaling
        rise = textstate.rise
        dxscale = 0.001 * fontsize * scaling
        vertical = font.is_vertical()
        a, b, c, d, e, f = mult_matrix(textstate.matrix, self.ctm)
        upright = not vertical and b == 0 and c == 0  # the common case, computed inline
        bottom = font.get_descent() * fontsize + rise
        top = bottom + fontsize
        glyphs = self._glyphs
        characters = self._characters.setdefault(font, {})
        x, y = textstate.linematrix
        spaced = False
        for item in seq:
            if isinstance(item, (int, float)):
                if vertical:
                    y -= item * dxscale
                else:
                    x -= item * dxscale
                spaced = True
                continue
            if not isinstance(item, bytes):
                continue
            for cid in font.decode(item):
                if spaced:
                    if vertical:
                        y += charspace
                    else:
                        x += charspace
                known = characters.get(cid)
                if known is None:
                    known = characters[cid] = _character(font, cid)
                text, width = known
                advance = width * fontsize * scaling
                if upright:
                    x0 = x1 = x * a + e
                    base = y * d + f
                    y0, y1 = d * bottom + base, d * top + base
                    x1 += a * advance
                    if x1 < x0:
                        x0, x1 = x1, x0
                    if y1 < y0:
                        y0, y1 = y1, y0
                    glyphs.append((x0, y0, x1, y1, text))
                else:
                    at = (a, b, c, d, x * a + y * c + e, x * b + y * d + f)
                    glyphs.append((*_box(at, font, fontsize, rise, advance, cid), text))
                if vertical:
                    y += advance
                else:
                    x += advance
                if cid == 32 and wordspace:
                    if vertical:
                        y += wordspace
                    else:
                        x += wordspace
                spaced = True
        textstate.linematrix = (x, y)

    def _group(self, glyphs: list[Glyph]) -> None:
        """Split the glyphs, in the order they were drawn, where two in a row are not on one
        line (pdfminer's ``group_objects`` for horizontal text): the next continues the line
        when their heights overlap by more than half the smaller's and the gap between them
        is under two character widths."""
        if not glyphs:
            return
        lines = self.page.lines
        start = 0
        x0, y0, x1, y1, _ = glyphs[0]
        for index in range(1, len(glyphs)):
            u0, v0, u1, v1, _ = glyphs[index]
            # Written out rather than with min() and abs(): this runs for every character.
            aligned = False
            if v0 <= y1 and y0 <= v1:
                smaller = y1 - y0 if y1 - y0 < v1 - v0 else v1 - v0
                overlap = v1 - y0 if v1 - y0 < y1 - v0 else y1 - v0
                if smaller * LINE_OVERLAP < overlap:
                    gap = u0 - x1 if u0 > x1 else x0 - u1 if x0 > u1 else 0
                    wider = x1 - x0 if x1 - x0 > u1 - u0 else u1 - u0
                    aligned = gap < wider * CHAR_MARGIN
            if not aligned:
                lines.append(_line(glyphs[start:index]))
                start = index
            x0, y0, x1, y1 = u0, v0, u1, v1
        lines.append(_line(glyphs[start:]))


def _character(font, cid: int) -> tuple[str, float]:
    try:
        text = font.to_unichr(cid)
    except PDFUnicodeNotDefined:
        text = f"(cid:{cid})"  # as pdfminer writes it: pdf_text.readable reads it
    return text, font.char_width(cid)


def _box(at, font, fontsize: float, rise: float, advance: float, cid: int) -> tuple:
    """A glyph's box under any transformation, vertical writing included (as LTChar)."""
    if font.is_vertical():
        vx, vy = font.char_disp(cid)
        vx = fontsize * 0.5 if vx is None else vx * fontsize * 0.001
        vy = (1000 - vy) * fontsize * 0.001
        box = (-vx, vy + rise + advance, -vx + fontsize, vy + rise)
    else:
        descent = font.get_descent() * fontsize
        box = (0, descent + rise, advance, descent + rise + fontsize)
    x0, y0, x1, y1 = apply_matrix_rect(at, box)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _line(glyphs: list[Glyph]) -> TextLine:
    """A line of glyphs, with a space where one starts more than a tenth of its size after the
    end of the one before (pdfminer's ``LTTextLineHorizontal.add``)."""
    items: list[Glyph | None] = []
    right = INFINITY
    left = bottom = INFINITY
    end = top = -INFINITY
    for glyph in glyphs:
        x0, y0, x1, y1, _ = glyph
        if right < x0 - WORD_MARGIN * (x1 - x0 if x1 - x0 > y1 - y0 else y1 - y0):
            items.append(None)
        right = x1
        items.append(glyph)
        if x0 < left:
            left = x0
        if y0 < bottom:
            bottom = y0
        if x1 > end:
            end = x1
        if y1 > top:
            top = y1
    return TextLine(left, bottom, end, top, items)
