"""How heavy each cell of a grid is printed, read from its characters' fonts.

Some reports classify rows by typeface rather than in a column: "Variances that exceed the Margin
of Variance thresholds ... are shown in BOLD". The weight a font's name gives (Regular, Medium,
Bold, Black) is kept per cell, so that the table layer can tell a cell printed heavier than the
rest of its column.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

import pdfplumber

from extractors.pdf.grids import PdfGrid

# Font name suffixes by weight, heaviest first ("Lato-Black", "Arial,Bold", "Helvetica-BoldOblique").
_WEIGHTS = ((re.compile(r"black|heavy|extra-?bold|ultra-?bold", re.IGNORECASE), 3),
            (re.compile(r"bold|semi-?bold|demi", re.IGNORECASE), 2),
            (re.compile(r"medium", re.IGNORECASE), 1))


@lru_cache(maxsize=1024)
def font_weight(fontname: str) -> int:
    """0 for a regular font, up to 3 for a black one, from the font's name (its subset prefix dropped);
    cached, as a page prints thousands of characters in a handful of fonts."""
    name = fontname.split("+", 1)[-1]
    return next((weight for pattern, weight in _WEIGHTS if pattern.search(name)), 0)


def with_weights(page: pdfplumber.page.Page, grid: PdfGrid) -> PdfGrid:
    """The grid with the weight of each of its cells on this page: the heaviest of the printed
    characters whose centre falls in the cell's box (0 for an empty cell)."""
    if not grid.rows_at or grid.weights:
        return grid
    x0, top, x1, _ = grid.bbox
    placed = sorted(((c["top"] + c["bottom"]) / 2, (c["x0"] + c["x1"]) / 2, font_weight(c.get("fontname", "")))
                    for c in page.chars if c["text"].strip() and x0 - 2 <= (c["x0"] + c["x1"]) / 2 <= x1 + 2
                    and top - 2 <= (c["top"] + c["bottom"]) / 2)
    middles = [middle for middle, _, _ in placed]
    weights = []
    for page_number, row_top, row_bottom, spans in grid.rows_at:
        row = [0] * len(spans)
        if page_number == page.page_number:
            for _, centre, weight in placed[bisect_left(middles, row_top - 1):bisect_right(middles, row_bottom + 1)]:
                for c, (left, right) in enumerate(spans):
                    if left <= centre <= right:
                        row[c] = max(row[c], weight)
                        break
        weights.append(tuple(row))
    return grid.but(weights=tuple(weights))
