"""A 0..1 score per table, so a reader knows which extractions to check by eye first.

Two things make a table doubtful: holes (cells left empty, often text that fell
into the wrong column) and cells that do not parse as their column declares.
The score is the mean of the share of body cells filled and the share of
quantity cells parsed.
"""

from __future__ import annotations

from extractors.grid import Grid


def fill_share(body: Grid) -> float:
    cells = [cell for row in body for cell in row]
    return sum(1 for cell in cells if cell) / len(cells) if cells else 0.0


def table_quality(body: Grid, quantity_cells: int, parsed_cells: int) -> float:
    """Mean of filled share and parsed share (1 when the table declares no quantities)."""
    parsed = parsed_cells / quantity_cells if quantity_cells else 1.0
    return round((fill_share(body) + parsed) / 2, 3)
