"""An extracted table: parsed values, raw cell text, and where it all came from."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from extractors.spec import ColumnSpec, find_by_key

ROW_LABEL = "row"    # column holding the row's label as printed (its number, or its caption)
ROW_KIND = "kind"    # item | subtotal | total


@dataclass(frozen=True)
class Provenance:
    """Where a table was found and how it was read."""

    document: str
    title: str                               # "Tableau 5", or the caption when known
    pages: tuple[int | str, ...] = ()
    method: str = ""                         # text-caption, tsv, camelot-lattice, pdfplumber-text, …
    reason: str = ""                         # why that method was chosen
    bbox: tuple[float, float, float, float] | None = None
    quality: float | None = None             # 0..1, share of cells parsed as declared
    caption: str = ""
    span: tuple[int, int] | None = None      # text path: offsets of caption start and table end
    sheet: str | None = None                 # spreadsheet: the sheet, and the block's cells ("A1:AT47")
    area: str | None = None

    @property
    def page(self) -> int | str | None:
        return self.pages[0] if self.pages else None


@dataclass(frozen=True)
class CellProblem:
    """A cell, row or table that could not be read as declared: it becomes a finding."""

    document: str
    table: str                               # table key
    title: str
    row: int | str | None
    column: str | None
    text: str
    reason_fr: str
    reason_en: str
    page: int | str | None = None
    severity: str = "warning"                # info for what was handled (a file converted from Windows-1252)
    sheet: str | None = None                 # spreadsheet: the sheet and address of the cell
    cell: str | None = None


@dataclass(frozen=True)
class ExtractedTable:
    """One table: `values` in base units, `cells` as written, same index and columns."""

    key: str
    provenance: Provenance
    columns: tuple[ColumnSpec, ...]
    values: pd.DataFrame
    cells: pd.DataFrame
    tolerances: pd.DataFrame                 # rounding allowance of each numeric cell, base unit
    problems: tuple[CellProblem, ...] = ()
    sources: pd.DataFrame | None = None      # extractors.source.CellSource of each cell, same shape as `cells`
    context: tuple[str, ...] = ()            # lines printed around the table that are not rows (title, thresholds, notes)
    merges: tuple[str, ...] = ()             # what the table layer joined (wrapped cells, header lines), said plainly
    unprinted: tuple[str, ...] = ()          # columns (or "row" for labels) the extractor made up, not in the source text

    def column(self, key: str) -> ColumnSpec:
        return find_by_key(self.columns, key, f"table {self.key}")

    def items(self) -> pd.DataFrame:
        """The rows that are neither sub-totals nor totals."""
        return self.values[self.values[ROW_KIND] == "item"]


@dataclass(frozen=True)
class ExtractedDocument:
    """Everything an extractor read from one document."""

    name: str
    kind: str                                 # spec kind ("par", "plan") or "generic"
    text: str                                 # the prose, for the figures quoted in it
    tables: tuple[ExtractedTable, ...] = ()
    problems: tuple[CellProblem, ...] = ()
    captions: tuple[tuple[str, str, int], ...] = field(default=())  # (number, title, offset) of every caption seen
    page_starts: tuple[tuple[int, int | str], ...] = ()  # (offset in `text`, page) where each page begins, when known

    def page_at(self, offset: int) -> int | str | None:
        """The page a passage of the prose stands on, when the extractor knew the pages."""
        page = None
        for start, label in self.page_starts:
            if start > offset:
                break
            page = label
        return page

    def table(self, key: str) -> ExtractedTable:
        return find_by_key(self.tables, key, self.name)
