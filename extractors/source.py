"""The format-neutral grid every reader hands the table layer: cells as printed, and where each was.

A PDF cell knows its page and box, a text cell its line, a spreadsheet cell its sheet, address
and formula. The table layer keeps these beside the parsed values, so that any finding can point
to the cell a reviewer opens (`p. 12`, `ligne 340`, `Data!C7`).
"""

from __future__ import annotations

from dataclasses import dataclass

BBox = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)     # one per cell of every table: no per-object dict
class CellSource:
    """Where one cell stands in its document (only the fields that apply to its format are set)."""

    page: int | None = None
    bbox: BBox | None = None                 # PDF points from the page's top-left corner
    line: int | None = None                  # 1-based line of a text file
    sheet: str | None = None                 # spreadsheet sheet name
    cell: str | None = None                  # spreadsheet address, "C7"
    formula: str | None = None               # spreadsheet formula as typed, "=SUM(C2:C6)"
    stored: str | None = None                # spreadsheet: what the file stores, number | text | date | bool | error
    emphasis: bool = False                   # printed heavier than the rest of its column (a PDF's bold):
                                             # some reports mark the rows beyond a threshold so

    def __reduce__(self) -> tuple[type, tuple]:
        """Pickled as its fields, in order: one per cell comes back from each `--jobs` worker. The
        outcomes of the 167 Summary Data CSVs took 2.3 CPU s to pickle and unpickle with the slots'
        default state, 1.0 s so."""
        return CellSource, (self.page, self.bbox, self.line, self.sheet, self.cell, self.formula, self.stored)

    def address(self) -> str | None:
        """`Data!C7` for a spreadsheet cell, None elsewhere."""
        return f"{self.sheet}!{self.cell}" if self.sheet and self.cell else None


@dataclass(frozen=True, slots=True)
class GridCell:
    """One cell as printed, and where it is."""

    text: str
    source: CellSource = CellSource()


@dataclass(frozen=True)
class SourceGrid:
    """A table region as a reader found it, before any header, row or type is decided.

    `context` holds the lines printed around the table that are not rows of it (title,
    thresholds, notes, footnotes), so that no character of the region is lost; `merges` what
    the reader already joined (a table continued over a page break, its repeated header dropped).
    """

    document: str
    title: str
    rows: tuple[tuple[GridCell, ...], ...]
    method: str                               # the reader and its variant: "xlsx", "csv", "camelot-network", …
    context: tuple[str, ...] = ()
    merges: tuple[str, ...] = ()

    def texts(self) -> list[list[str]]:
        """The grid as text only, for the helpers that decide headers and row kinds."""
        return [[cell.text for cell in row] for row in self.rows]
