"""The look of the audit PDF: fonts, paragraph styles, tables that fit the page, and every text
made drawable.

Text is set in Bitstream Vera, which reportlab ships (no system font is needed); a character
the font has no glyph for, and a control or text-direction character, is drawn as its code
point, [U+4E2D], so nothing in a value is hidden or shown as an empty box. Every text longer
than the report draws is cut with its length said (`display_text`). Every table cell is a
paragraph that wraps within its column, inside a word where a word is wider than the column,
so nothing runs past the page edge.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Table, TableStyle

from trialguard.scalars import display_text

FONT, BOLD, ITALIC, MONO = "Vera", "VeraBd", "VeraIt", "Courier"
HIDDEN = re.compile("[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
INK, MUTED, LINE, HEAD = (
    colors.HexColor("#1d232b"),
    colors.HexColor("#5f6873"),
    colors.HexColor("#c9ced6"),
    colors.HexColor("#eef1f4"),
)
SEVERITY_COLOURS = {"error": "#b3261e", "warning": "#a15c00", "notice": "#33658a"}
HEADING_ROOM = 90  # points a heading needs below it on the page, or it starts the next
VERDICT_COLOURS = {"accept": "#1e7a3c", "reject": "#b3261e", "incomplete": "#b3261e"}


@cache
def register_fonts() -> None:
    """Vera and its bold and italic, from reportlab's own fonts folder; <b> and <i> in a
    paragraph pick them."""
    for name, file in (
        (FONT, "Vera.ttf"),
        (BOLD, "VeraBd.ttf"),
        (ITALIC, "VeraIt.ttf"),
        ("VeraBI", "VeraBI.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, file))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=ITALIC, boldItalic="VeraBI")


@cache
def _glyphs() -> frozenset[int]:
    register_fonts()
    font = pdfmetrics.getFont(FONT)
    return frozenset(font.face.charToGlyph)  # type: ignore[attr-defined]


def drawable(text: Any, cut: bool = True) -> str:
    """`text` as the PDF draws it: cut where the report cuts (unless `cut` is False: the PDF's
    own sentences), and every character the font cannot draw (or that would hide or reorder
    text) written as its code point."""
    shown = "" if text is None else str(text)
    shown = str(display_text(shown)) if cut else shown
    glyphs = _glyphs()
    if all(ord(c) in glyphs and not HIDDEN.match(c) for c in shown):
        return shown
    return "".join(
        c if ord(c) in glyphs and not HIDDEN.match(c) else f"[U+{ord(c):04X}]" for c in shown
    )


@cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=8.5, leading=11, textColor=INK)
    return {
        "body": base,
        "title": ParagraphStyle("title", base, fontName=BOLD, fontSize=16, leading=20),
        "h2": ParagraphStyle(
            "h2", base, fontName=BOLD, fontSize=12, leading=15, spaceBefore=10, spaceAfter=4
        ),
        "h3": ParagraphStyle(
            "h3", base, fontName=BOLD, fontSize=9.5, leading=12, spaceBefore=8, spaceAfter=2
        ),
        "note": ParagraphStyle("note", base, fontSize=7.5, leading=9.5, textColor=MUTED),
        "cell": ParagraphStyle("cell", base, fontSize=7, leading=8.6),
        "num": ParagraphStyle("num", base, fontSize=7, leading=8.6, alignment=TA_RIGHT),
        "cell-bold": ParagraphStyle("cell-bold", base, fontName=BOLD, fontSize=7, leading=8.6),
        "head": ParagraphStyle("head", base, fontName=BOLD, fontSize=7, leading=8.6),
        "head-num": ParagraphStyle(
            "head-num", base, fontName=BOLD, fontSize=7, leading=8.6, alignment=TA_RIGHT
        ),
        "mono": ParagraphStyle("mono", base, fontName=MONO, fontSize=6.5, leading=8.6),
        "verdict": ParagraphStyle(
            "verdict", base, fontName=BOLD, fontSize=14, leading=18, textColor=colors.white
        ),
        "verdict-text": ParagraphStyle(
            "verdict-text", base, fontSize=9, leading=12, textColor=colors.white
        ),
    }


def para(text: Any, style: str = "body", cut: bool = True) -> Paragraph:
    """A paragraph of plain text (never markup from the data); `cut` as in `drawable`."""
    return Paragraph(escape(drawable(text, cut)), styles()[style])


def heading(text: str, level: str = "h2") -> list[Flowable]:
    """A heading that starts a new page rather than stand alone at the foot of one."""
    return [CondPageBreak(HEADING_ROOM), para(text, level, cut=False)]


def markup(parts: Sequence[tuple[str, Any]], style: str = "body") -> Paragraph:
    """A paragraph from (tag, text) parts: the tag ("b", "i" or "") wraps the escaped text."""
    pieces = []
    for tag, text in parts:
        shown = escape(drawable(text))
        pieces.append(f"<{tag}>{shown}</{tag}>" if tag else shown)
    return Paragraph("".join(pieces), styles()[style])


def lines(texts: Sequence[Any], style: str = "cell", hashes: Sequence[str] = ()) -> Paragraph:
    """A paragraph of plain lines, then each of `hashes` on a line of its own in a fixed-width
    font (a SHA-256 line is never broken: it fits any column of a third of the page)."""
    shown = [escape(drawable(t)) for t in texts]
    shown += [f'<font face="{MONO}" size="6.5">{escape(drawable(h))}</font>' for h in hashes]
    return Paragraph("<br/>".join(shown), styles()[style])


def severity_cell(severity: str) -> Paragraph:
    colour = SEVERITY_COLOURS.get(severity, "#1d232b")
    return Paragraph(f'<font color="{colour}"><b>{escape(severity)}</b></font>', styles()["cell"])


def grid(
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    width: float,
    extra: Sequence[tuple] = (),
    numeric: Sequence[int] = (),
) -> Table:
    """A table of `rows` under `header`, columns at `widths` (fractions of `width`), the
    `numeric` ones aligned right; a cell that is not yet a paragraph becomes one. Rows split
    across pages, a tall row inside itself too."""
    data = [[para(h, "head-num" if i in numeric else "head") for i, h in enumerate(header)]]
    data += [
        [
            c if isinstance(c, Paragraph) else para(c, "num" if i in numeric else "cell")
            for i, c in enumerate(row)
        ]
        for row in rows
    ]
    table = Table(
        data, colWidths=[f * width for f in widths], repeatRows=1, splitInRow=1, hAlign="LEFT"
    )
    table.setStyle(TableStyle([*GRID_STYLE, *extra]))
    return table


GRID_STYLE = (
    ("BACKGROUND", (0, 0), (-1, 0), HEAD),
    ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ("TOPPADDING", (0, 0), (-1, -1), 2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
)


def pairs(rows: Sequence[tuple[str, Any]], width: float) -> Table:
    """A two-column table of label and value (a value that is a paragraph is kept as it is)."""
    data = [
        [para(label, "cell-bold"), value if isinstance(value, Paragraph) else para(value, "cell")]
        for label, value in rows
    ]
    table = Table(data, colWidths=[0.2 * width, 0.8 * width], splitInRow=1, hAlign="LEFT")
    table.setStyle(TableStyle(GRID_STYLE[1:]))
    return table
