"""Which method reads which page, decided from what the page shows, and why.

Ruled tables are read best from their rules (camelot lattice, from the vector
strokes, no rendering); a grid that merged several printed rows into one cell
(rules only under the header) is not trusted and the page goes to camelot's
network parser, which finds unruled tables from how the words align. The
choice and its reason are kept for each table's provenance.
"""

from __future__ import annotations

from dataclasses import dataclass

import pdfplumber

from extractors.grid import is_number

LATTICE = "camelot-lattice"
NETWORK = "camelot-network"
MIN_RULE_LENGTH = 8.0   # points: shorter strokes are underlines, bullets, glyph parts
MIN_RULES = 2           # per direction, for a page to hold a ruled grid


@dataclass(frozen=True)
class Route:
    page: int
    method: str
    reason: str


def count_rules(page: pdfplumber.page.Page) -> tuple[int, int]:
    """(vertical, horizontal) strokes long enough to be table rules; rectangles count by their sides."""
    vertical = horizontal = 0
    for edge in page.edges:
        if edge["orientation"] == "v" and edge["bottom"] - edge["top"] >= MIN_RULE_LENGTH:
            vertical += 1
        elif edge["orientation"] == "h" and edge["x1"] - edge["x0"] >= MIN_RULE_LENGTH:
            horizontal += 1
    return vertical, horizontal


def route_page(page: pdfplumber.page.Page) -> Route:
    """Lattice when the page has rules both ways, network otherwise."""
    vertical, horizontal = count_rules(page)
    number = page.page_number
    if vertical >= MIN_RULES and horizontal >= MIN_RULES:
        return Route(number, LATTICE, f"{vertical} vertical and {horizontal} horizontal rules on the page")
    return Route(number, NETWORK, f"no ruled grid on the page ({vertical} vertical, {horizontal} horizontal rules)")


def stacked_figures(raw_grid: list[list[str]]) -> int:
    """Cells holding two or more lines that are each a figure: printed rows the rules did not separate."""
    return sum(
        1
        for row in raw_grid
        for cell in row
        if sum(1 for line in (cell or "").split("\n") if line.strip() and is_number(line.strip())) >= 2
    )


def lattice_rejection(raw_grid: list[list[str]], rows: int, columns: int) -> str | None:
    """Why a lattice grid is not a table to keep, or None when it is one."""
    if rows < 2 or columns < 2:
        return f"the ruled grid is only {rows}×{columns}"
    stacked = stacked_figures(raw_grid)
    if stacked:
        return f"the ruled grid merges printed rows ({stacked} cells hold several figures)"
    return None
