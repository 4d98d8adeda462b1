"""Grids become the project's ExtractedTable: typed values, raw cells, tolerances, problems.

Without a spec the grid goes to the table layer every reader shares (`extractors.layer`:
context lines, merged header, logical rows, typed columns). With a
spec, the grid's columns take the TableSpec's columns their headers name (in order
when the header names none) and the rows are labelled as the text path labels them
(`columns.py`, `rows.py`), so both paths give the checks the same tables. Either way the
rows go through `extractors.frame.build_table`, the parser every extractor shares,
so a cell that fails is reported, never silently emptied.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from extractors.captions import caption_title
from extractors.flattened import expand
from extractors.frame import RawRow, build_table
from extractors.layer import table_from_grid
from extractors.pdf.columns import Layout, spec_layout
from extractors.pdf.grids import PdfGrid
from extractors.pdf.rows import labelled_rows, numbered_rows
from extractors.quality import table_quality
from extractors.source import CellSource, GridCell, SourceGrid
from extractors.spec import ColumnSpec, TableSpec
from extractors.table import CellProblem, ExtractedTable, Provenance


def _width_note(grid: PdfGrid, layout: Layout, spec: TableSpec, document: str, key: str,
                title: str) -> CellProblem | None:
    """Grid columns no spec column took, or spec columns no grid column holds: said once."""
    printed = [c for c in spec.columns if not c.in_label]
    spare = [c for c, column in enumerate(layout.columns)
             if column is None and c != layout.label and any(row[c] for row in grid.grid[grid.header_rows:])]
    if not spare and not layout.unplaced:
        return None
    expected = 1 + len(printed)
    return CellProblem(
        document, key, title, None, None, "",
        f"{grid.width} colonnes dans le PDF, la spécification en décrit {expected}",
        f"{grid.width} columns in the PDF, the spec describes {expected}", grid.pages[0])


def _unparsed_problems(unparsed: list[tuple[str, str]], document: str, key: str, title: str,
                       page: int) -> list[CellProblem]:
    return [
        CellProblem(document, key, title, label or None, None, raw,
                    "ligne illisible selon la grammaire du tableau" if raw else "ligne introuvable",
                    "row does not fit the table's grammar" if raw else "row not found", page)
        for label, raw in unparsed
    ]


def _spec_rows(grid: PdfGrid, spec: TableSpec, document: str, key: str, title: str,
               ) -> tuple[tuple[ColumnSpec, ...], list[RawRow], list[CellProblem]]:
    """The spec's columns found in the grid, its rows labelled as the text path labels them."""
    layout = spec_layout(grid, spec)
    body = grid.grid[grid.header_rows:]
    read = labelled_rows(body, layout, spec) if spec.rows else numbered_rows(body, layout, spec)
    note = _width_note(grid, layout, spec, document, key, title)
    notes = [note] if note else []
    notes += _unparsed_problems(read.unparsed, document, key, title, grid.pages[0])
    placed = {column.key for column in layout.columns if column is not None}
    captured = {k for row in read.rows for k in row.cells}
    columns = tuple(c for c in spec.columns if c.key in placed or c.key in captured)
    return columns, read.rows, notes


def _heavier_cells(grid: PdfGrid) -> set[tuple[int, int]]:
    """(row, column) of the cells printed heavier than most printed cells of their column."""
    heavier: set[tuple[int, int]] = set()
    for c in range(grid.width):
        weights = [(r, row[c]) for r, row in enumerate(grid.weights)
                   if c < len(row) and c < len(grid.grid[r]) and grid.grid[r][c]]
        if not weights:
            continue
        usual = Counter(weight for _, weight in weights).most_common(1)[0][0]
        heavier |= {(r, c) for r, weight in weights if weight > usual}
    return heavier


def source_grid(grid: PdfGrid, document: str, title: str) -> SourceGrid:
    """The grid as the table layer takes it: every cell with its page and box (its row's top and
    bottom, its column's x-range)."""
    heavier = _heavier_cells(grid)
    rows = []
    for r, row in enumerate(grid.grid):
        if r < len(grid.rows_at):
            page, top, bottom, spans = grid.rows_at[r]
            rows.append(tuple(GridCell(text, CellSource(page=page, bbox=(spans[c][0], top, spans[c][1], bottom)
                                                         if c < len(spans) else None, emphasis=(r, c) in heavier))
                              for c, text in enumerate(row)))
        else:
            rows.append(tuple(GridCell(text, CellSource(page=grid.pages[0])) for text in row))
    return SourceGrid(document=document, title=title, rows=tuple(rows), method=grid.method, merges=grid.joins)


def to_table(grid: PdfGrid, document: str, key: str, spec: TableSpec | None = None,
             convention: str | None = None) -> ExtractedTable:
    """One ExtractedTable from a grid, typed by `spec` when given, parsed by the shared builder;
    without a spec, through the table layer every reader shares (with the document's number
    `convention`)."""
    title = (spec.title or caption_title(grid.caption or "") if spec else "") or grid.caption or key
    provenance = Provenance(
        document=document, title=title, pages=grid.pages, method=grid.method, reason=grid.reason,
        bbox=grid.bbox, caption=grid.caption,
    )
    if not spec:
        return table_from_grid(source_grid(grid, document, title), key, provenance, convention=convention)
    columns, rows, notes = _spec_rows(grid, spec, document, key, title)
    table = build_table(key, provenance, columns, rows, tuple(notes))
    quantity_cells = sum(1 for row in rows for c in columns if c.is_quantity and row.cells.get(c.key))
    failed = sum(1 for problem in table.problems if problem.text)
    quality = table_quality(grid.grid[grid.header_rows:], quantity_cells, quantity_cells - failed)
    return replace(table, provenance=replace(provenance, quality=quality))


def caption_matches(grid: PdfGrid, spec: TableSpec) -> bool:
    """Whether the spec's caption pattern matches the grid's caption.

    The pattern is tried on the caption followed by the first row, as in a text dump
    where the header follows the caption, so a look-ahead such as `(?=\\s*N°)` works.
    """
    if not grid.caption:
        return False
    subject = " ".join([grid.caption, *(grid.grid[0] if grid.grid else [])])
    return re.search(expand(spec.caption), subject, re.IGNORECASE) is not None


def match_specs(grids: list[PdfGrid], specs: tuple[TableSpec, ...]) -> dict[int, TableSpec]:
    """Grid index -> the spec table it is: the `occurrence`-th grid whose caption matches, each
    grid used once (two tables may share a caption, as a summary's copy and the body's)."""
    matched: dict[int, TableSpec] = {}
    for spec in specs:
        candidates = [i for i, grid in enumerate(grids) if caption_matches(grid, spec)]
        if len(candidates) >= spec.occurrence and candidates[spec.occurrence - 1] not in matched:
            matched[candidates[spec.occurrence - 1]] = spec
    return matched
