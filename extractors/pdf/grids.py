"""A table as read off PDF pages, before any spec gives its cells a meaning."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from extractors.grid import Grid

BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class PdfGrid:
    """Cleaned cell text in rows, with where it stood and how it was read.

    `bbox` is (x0, top, x1, bottom) in points from the page's top-left corner, as
    pdfplumber and a viewer measure it; for a table stitched over pages it is the
    first part's box. `columns` are the x-ranges of the grid's columns, used to tell
    whether a table on the next page continues this one.
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

    @property
    def width(self) -> int:
        return len(self.grid[0]) if self.grid else 0

    def but(self, **changes: object) -> PdfGrid:
        return replace(self, **changes)
