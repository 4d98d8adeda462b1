"""Grids become the project's ExtractedTable: typed values, raw cells, tolerances, problems.

Without a spec each grid column is a column `c0`, `c1`, … labelled by its header,
numeric where every one of its cells reads as the same kind of quantity. With a
spec, the grid's columns take the TableSpec's columns in order. Either way the
rows go through `extractors.frame.build_table`, the parser every extractor shares,
so a cell that fails is reported, never silently emptied.
"""

from __future__ import annotations

import re
from dataclasses import replace

from extractors.flattened import expand
from extractors.frame import RawRow, build_table
from extractors.pdf.cells import header_labels
from extractors.pdf.grids import Grid, PdfGrid
from extractors.pdf.quality import table_quality
from extractors.quantity import Quantity, QuantityError, parse_quantity
from extractors.spec import ColumnSpec, TableSpec
from extractors.table import CellProblem, ExtractedTable, Provenance

_SUBTOTAL = re.compile(r"^\s*sous[\s\-]*totaux?\b", re.IGNORECASE)
_TOTAL = re.compile(r"^\s*(?:total|totaux)\b", re.IGNORECASE)
# Kinds tried, in order, on a column no spec describes.
_GUESSED_KINDS = ("number", "area", "money", "percent")


def row_kind(row: list[str]) -> str:
    """item, subtotal or total, from the row's first printed cell."""
    first = next((cell for cell in row if cell), "")
    if _SUBTOTAL.match(first):
        return "subtotal"
    if _TOTAL.match(first):
        return "total"
    return "item"


def row_label(row: list[str], kind: str) -> str:
    """The label as printed: the first cell, or the TOTAL wording when it sits further right."""
    if row and row[0]:
        return row[0]
    return next((cell for cell in row if cell), "") if kind != "item" else ""


def _parse_all(texts: list[str], kind: str, unit: str | None) -> list[Quantity] | None:
    try:
        return [parse_quantity(text, kind, unit) for text in texts]
    except QuantityError:
        return None


def guess_kind(texts: list[str]) -> str:
    """The first quantity kind every non-empty cell parses as, else "text"."""
    filled = [text for text in texts if text]
    if not filled:
        return "text"
    return next((kind for kind in _GUESSED_KINDS if _parse_all(filled, kind, None) is not None), "text")


def _spec_layout(grid: PdfGrid, spec: TableSpec) -> tuple[list[ColumnSpec | None], int | None]:
    """Which spec column each grid column holds (None for the row label), and the expected
    width when the grid's differs (its columns are then mapped as far as they go)."""
    leading = [c for c in spec.columns if c.leading]
    body = [c for c in spec.columns if not c.leading]
    if grid.width == len(leading) + 1 + len(body):
        return [*leading, None, *body], None
    if grid.width == 1 + len(body):
        return [None, *body], None
    layout: list[ColumnSpec | None] = [None, *body][: grid.width]
    layout += [None] * (grid.width - len(layout))
    return layout, 1 + len(body)


def _guessed_layout(grid: PdfGrid, body: Grid) -> list[ColumnSpec | None]:
    """No spec: every grid column is a column, typed when all its cells are one kind of quantity."""
    labels = header_labels(grid.grid, grid.header_rows) if grid.header_rows else [""] * grid.width
    return [
        ColumnSpec(key=f"c{c}", label=labels[c] or f"c{c}", type=guess_kind([row[c] for row in body]),
                   optional=True)
        for c in range(grid.width)
    ]


def to_table(grid: PdfGrid, document: str, key: str, spec: TableSpec | None = None) -> ExtractedTable:
    """One ExtractedTable from a grid, typed by `spec` when given, parsed by the shared builder."""
    body = grid.grid[grid.header_rows:]
    title = (spec.title if spec and spec.title else "") or grid.caption or key
    page = grid.pages[0]
    notes: list[CellProblem] = []
    if spec:
        layout, expected = _spec_layout(grid, spec)
        if expected is not None:
            notes.append(CellProblem(
                document, key, title, None, None, "",
                f"{grid.width} colonnes dans le PDF, la spécification en décrit {expected}",
                f"{grid.width} columns in the PDF, the spec describes {expected}", page))
    else:
        layout = _guessed_layout(grid, body)
    rows = []
    for cells in body:
        kind = row_kind(cells)
        by_key = {column.key: text for column, text in zip(layout, cells) if column is not None}
        rows.append(RawRow(label=row_label(cells, kind), kind=kind, cells=by_key))
    columns = tuple(column for column in layout if column is not None)
    provenance = Provenance(
        document=document, title=title, pages=grid.pages, method=grid.method, reason=grid.reason,
        bbox=grid.bbox, caption=grid.caption,
    )
    table = build_table(key, provenance, columns, rows, tuple(notes))
    quantity_cells = sum(1 for row in rows for c in columns if c.is_quantity and row.cells.get(c.key))
    failed = sum(1 for problem in table.problems if problem.text)
    quality = table_quality(body, quantity_cells, quantity_cells - failed)
    return replace(table, provenance=replace(provenance, quality=quality))


def match_spec(grid: PdfGrid, specs: list[TableSpec]) -> TableSpec | None:
    """The first of `specs` whose caption pattern matches the grid's caption.

    The pattern is tried on the caption followed by the first row, as in a text dump
    where the header follows the caption, so a look-ahead such as `(?=\\s*N°)` works.
    """
    if not grid.caption:
        return None
    subject = " ".join([grid.caption, *(grid.grid[0] if grid.grid else [])])
    return next((s for s in specs if re.search(expand(s.caption), subject, re.IGNORECASE)), None)
