"""The prose of a PDF as paragraphs, one per line, the way a text dump holds it.

A PDF breaks every paragraph into lines at the page width; a sentence quoted by a
spec's claim ("ne totalisant que 4,07ha") can stand across such a break, and a
caption is only known whole once its wrapped lines are joined. Lines are joined
into one paragraph until a line stops short of the text's right edge (its prose's
and tables'), a wider gap than the usual line spacing follows it, or a table
stands between it and the next; a paragraph that fills its last line on a page
goes on at the top of the next unless a table stands between. Hyphenation at the
joins is undone as in table cells.
"""

from __future__ import annotations

import itertools
from statistics import median

from extractors.pdf.cells import clean_cell
from extractors.pdf.grids import BBox

SHORT_LINE = 0.12      # share of the text width left empty at a line's end that ends a paragraph
GAP_FACTOR = 1.5       # a gap this many times the usual one between lines ends a paragraph
GAP_EXTRA = 0.3        # or this share of the font size over the usual gap
LONE_GAP = 0.65        # with too few lines to know the usual gap: this share of the font size


def _table_between(tables: list[BBox], above: float, below: float) -> bool:
    return any(above <= top < below for _, top, _, _ in tables)


def _usual_gap(lines: list[dict], tables: list[BBox]) -> float | None:
    gaps = [b["top"] - a["bottom"] for a, b in itertools.pairwise(lines)
            if b["top"] >= a["bottom"] and not _table_between(tables, a["bottom"], b["top"])]
    return median(gaps) if len(gaps) >= 2 else None


def _ends_paragraph(line: dict, following: dict | None, right: float, width: float,
                    usual: float | None, tables: list[BBox]) -> bool:
    if line["x1"] < right - SHORT_LINE * width:
        return True
    if _table_between(tables, line["bottom"], following["top"] if following else float("inf")):
        return True
    if following is None:
        return False
    gap = following["top"] - line["bottom"]
    size = line["bottom"] - line["top"]
    if gap < 0:
        return True
    if usual is None:
        return gap > LONE_GAP * size
    return gap > max(usual * GAP_FACTOR, usual + GAP_EXTRA * size)


PageProse = tuple[int, list[dict], list[BBox]]     # page number, its prose lines, its table boxes


def page_paragraphs(pages: list[PageProse]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Every page's prose text lines (pdfplumber's) and table boxes -> paragraphs, one a line;
    and where each page's prose starts in that text, so that a figure quoted there has a page
    (within the paragraph that carries it over a page break)."""
    paragraphs: list[str] = []
    current: list[str] = []
    starts: list[tuple[int, int]] = []
    for number, lines, tables in pages:
        if not lines:
            continue
        if current and _table_between(tables, float("-inf"), lines[0]["top"]):
            paragraphs.append(clean_cell("\n".join(current)))
            current = []
        starts.append((_offset(paragraphs, current), number))
        right = max([line["x1"] for line in lines] + [x1 for _, _, x1, _ in tables])
        width = right - min([line["x0"] for line in lines] + [x0 for x0, _, _, _ in tables])
        usual = _usual_gap(lines, tables)
        for index, line in enumerate(lines):
            following = lines[index + 1] if index + 1 < len(lines) else None
            current.append(line["text"])
            if _ends_paragraph(line, following, right, width, usual, tables):
                paragraphs.append(clean_cell("\n".join(current)))
                current = []
    if current:
        paragraphs.append(clean_cell("\n".join(current)))
    return "\n".join(p for p in paragraphs if p), tuple(starts)


def _offset(paragraphs: list[str], current: list[str]) -> int:
    """Where the next line will stand in the joined text (the end of the open paragraph)."""
    done = sum(len(p) + 1 for p in paragraphs if p)
    return done + (len(clean_cell("\n".join(current))) + 1 if current else 0)
