"""A table as read off PDF pages, before any spec gives its cells a meaning."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from extractors.grid import Grid, header_labels

BBox = tuple[float, float, float, float]
RowAt = tuple[int, float, float, tuple[tuple[float, float], ...]]   # page, top, bottom, column x-ranges


@dataclass(frozen=True)
class PdfGrid:
    """Cleaned cell text in rows, with where it stood and how it was read.

    `bbox` is (x0, top, x1, bottom) in points from the page's top-left corner, as
    pdfplumber and a viewer measure it; for a table stitched over pages it is the
    first part's box. `columns` are the x-ranges of the grid's columns, used to tell
    whether a table on the next page continues this one. `header_rows` counts the header as
    a spec'd table reads it (from the top); `parts` the (context, header) rows the table layer
    finds (caption, thresholds and legend above a header of up to five lines). `rows_at` gives
    each row's page, top, bottom and its part's column x-ranges, so that every cell keeps its box.
    """

    grid: Grid
    pages: tuple[int, ...]
    bbox: BBox
    method: str
    reason: str
    columns: tuple[tuple[float, float], ...] = ()
    header_rows: int = 0
    caption: str = ""
    page_height: float = 0.0
    boxes: tuple[tuple[int, BBox], ...] = field(default=())  # every part's (page, bbox)
    parts: tuple[int, int] = (0, 0)
    rows_at: tuple[RowAt, ...] = ()
    joins: tuple[str, ...] = ()              # continuation pages joined, and what was dropped of them
    weights: tuple[tuple[int, ...], ...] = ()   # by row of `rows_at`, each cell's font weight (see `emphasis`)

    @property
    def width(self) -> int:
        return len(self.grid[0]) if self.grid else 0

    def context_lines(self) -> list[str]:
        """The lines above the header that the table layer keeps as context, top to bottom."""
        return [" ".join(cell for cell in row if cell) for row in self.grid[:self.parts[0]]]

    def header_labels(self) -> list[str]:
        """One label per column, from the header the table layer finds."""
        context, header = self.parts
        return header_labels(self.grid[context:context + header], header) if header else []

    def but(self, **changes: object) -> PdfGrid:
        return replace(self, **changes)
