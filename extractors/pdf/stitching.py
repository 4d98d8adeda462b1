"""Tables broken over a page break, joined back into one.

A table continues on the next page when it is the last one on its page, the next
page's first table has as many columns and no caption of its own, and either
repeats the header (dropped when joined) or has its columns at the same places.
"""

from __future__ import annotations

from extractors.pdf.grids import PdfGrid

COLUMN_TOLERANCE = 6.0  # points


def header_repeated(previous: PdfGrid, following: PdfGrid) -> bool:
    rows = previous.header_rows
    return rows > 0 and following.grid[:rows] == previous.grid[:rows]


def columns_line_up(previous: PdfGrid, following: PdfGrid) -> bool:
    if not previous.columns or len(previous.columns) != len(following.columns):
        return False
    return all(
        abs(a0 - b0) <= COLUMN_TOLERANCE and abs(a1 - b1) <= COLUMN_TOLERANCE
        for (a0, a1), (b0, b1) in zip(previous.columns, following.columns)
    )


def continues(previous: PdfGrid, following: PdfGrid) -> str | None:
    """Why `following` continues `previous`, or None when it is a table of its own.

    Grids come in reading order, so two neighbours on consecutive pages are the last
    table of one page and the first of the next.
    """
    if following.caption:
        return None
    if following.pages[0] != previous.pages[-1] + 1 or following.width != previous.width:
        return None
    if header_repeated(previous, following):
        return "header repeated"
    if columns_line_up(previous, following):
        return "columns line up"
    return None


def stitch(grids: list[PdfGrid]) -> list[PdfGrid]:
    """Grids in reading order, continuations joined onto the table they continue."""
    result: list[PdfGrid] = []
    for grid in grids:
        if result:
            previous = result[-1]
            why = continues(previous, grid)
            if why:
                body = grid.grid[previous.header_rows:] if why == "header repeated" else grid.grid
                result[-1] = previous.but(
                    grid=previous.grid + body,
                    pages=previous.pages + grid.pages,
                    reason=f"{previous.reason}; continued on page {grid.pages[0]} ({why})",
                    boxes=previous.boxes + grid.boxes,
                )
                continue
        result.append(grid)
    return result
