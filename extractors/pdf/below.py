"""Rows of figures printed just under a table that its parser left out (a TOTAL row set apart).

camelot's network parser bounds a table by the text edges it finds; a total row printed a little
apart, or starting further right ("TOTAL REVENUE" indented, its figures under the first columns
only), falls outside the box and ends in the prose. A line right under the box whose words all
fall into the table's columns, with a figure (or a placeholder) in every filled column but the
first, is such a row: it is added to the grid, and the box grows to cover it (so the line is not
read as prose too).
"""

from __future__ import annotations

import statistics

from pdfplumber.page import Page
from pdfplumber.utils import extract_words

from extractors.grid import is_figure
from extractors.pdf.grids import PdfGrid

GAP = 1.6          # row pitches: how far under the table (or the previous added row) a row may stand
SLACK = 4.0        # points: a word may overhang its column by this much
SAME_LINE = 3.0    # points: words whose tops differ by less are on one line


def _lines(words: list[dict]) -> list[list[dict]]:
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and abs(lines[-1][0]["top"] - word["top"]) < SAME_LINE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return lines


def _cells(line: list[dict], spans: tuple[tuple[float, float], ...]) -> list[str] | None:
    """The line cut into the table's columns, or None when a word stands in none of them."""
    cells = [""] * len(spans)
    for word in sorted(line, key=lambda w: w["x0"]):
        centre = (word["x0"] + word["x1"]) / 2
        column = next((c for c, (x0, x1) in enumerate(spans) if x0 - SLACK <= centre <= x1 + SLACK), None)
        if column is None:
            return None
        cells[column] = f"{cells[column]} {word['text']}".strip()
    return cells


def rows_below(page: Page, grid: PdfGrid) -> PdfGrid:
    """The grid with the rows of figures printed right under it added (on its last page)."""
    if not grid.rows_at or not grid.columns or grid.pages[-1] != page.page_number:
        return grid
    heights = [bottom - top for _, top, bottom, _ in grid.rows_at if bottom > top]
    pitch = statistics.median(heights) if heights else 0.0
    last_page, _, _, spans = grid.rows_at[-1]
    if pitch <= 0 or last_page != page.page_number:
        return grid
    x0, top, x1, bottom = grid.bbox            # the box covers the text of every row read
    reach = min(float(page.height), bottom + 4 * GAP * pitch)
    left, right, below = max(0.0, x0 - SLACK), min(float(page.width), x1 + SLACK), bottom + 0.5
    # the characters wholly in that strip, as `page.within_bbox` keeps them (without cropping every object of the page)
    words = extract_words([c for c in page.chars if c["x0"] >= left and c["x1"] <= right and c["top"] >= below
                           and c["bottom"] <= reach and c["x1"] - c["x0"] + c["bottom"] - c["top"] > 0])
    added: list[list[str]] = []
    rows_at = list(grid.rows_at)
    edge = bottom
    for line in _lines(words):
        line_top, line_bottom = min(w["top"] for w in line), max(w["bottom"] for w in line)
        if line_top - edge > GAP * pitch:
            break
        cells = _cells(line, spans)
        if cells is None or not any(cells[1:]) or not all(is_figure(cell) for cell in cells[1:] if cell):
            break
        added.append(cells)
        rows_at.append((page.page_number, round(line_top, 1), round(line_bottom, 1), spans))
        edge = line_bottom
    if not added:
        return grid
    grown = (x0, top, x1, max(bottom, round(edge, 1)))
    boxes = tuple((p, grown if (p, box) == grid.boxes[-1] else box) for p, box in grid.boxes)
    return grid.but(grid=grid.grid + added, rows_at=tuple(rows_at), bbox=grown if len(grid.pages) == 1 else grid.bbox,
                    boxes=boxes, reason=f"{grid.reason}; {len(added)} row(s) of figures under the box added")
