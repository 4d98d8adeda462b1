"""A grid of cell texts with no spec: which rows are its header, what each column holds.

A PDF table and a block of tab-separated lines in a text dump both arrive as a grid;
without a spec, every grid column becomes a column `c0`, `c1`, … labelled by its header,
typed as a quantity when all of its cells read as one kind, and each row gets its kind
(item, sub-total, total) from its first printed cell.
"""

from __future__ import annotations

import re

from extractors.frame import RawRow
from extractors.quantity import QuantityError, parse_quantity
from extractors.spec import ColumnSpec

Grid = list[list[str]]

MAX_HEADER_ROWS = 3
_YEAR = re.compile(r"(?:19|20)\d\d")
_SUBTOTAL = re.compile(r"^\s*(?:sous|sub)[\s\-]*tota(?:l|ux)\b", re.IGNORECASE)
_TOTAL = re.compile(r"^\s*(?:total|totaux)\b", re.IGNORECASE)
# Kinds tried, in order, on a column no spec describes.
_GUESSED_KINDS = ("number", "area", "money", "percent")


def is_number(text: str) -> bool:
    """Whether a cell starts with a figure of the project's one quantity grammar (words may follow)."""
    return _kind_of_all([text], whole=False) is not None


def _kind_of_all(texts: list[str], *, whole: bool) -> str | None:
    """The first quantity kind every text parses as (with nothing after it, when `whole`)."""
    for kind in _GUESSED_KINDS:
        try:
            quantities = [parse_quantity(text, kind) for text in texts]
        except QuantityError:
            continue
        if not whole or not any(quantity.label for quantity in quantities):
            return kind
    return None


def guess_kind(texts: list[str]) -> str:
    """The first quantity kind every non-empty cell is, whole ("1.Cadre légal" is text), else "text"."""
    filled = [text for text in texts if text]
    return (_kind_of_all(filled, whole=True) if filled else None) or "text"


def _is_header_like(row: list[str]) -> bool:
    """No figure outside the first cell, or only years over an empty corner (`| 2005 | 2010`)."""
    figures = [cell for cell in row[1:] if cell and is_number(cell)]
    if not figures:
        return True
    return not row[0] and all(_YEAR.fullmatch(cell) for cell in figures)


def header_rows(grid: Grid) -> int:
    """How many leading rows form the header: those before the first row of figures.

    A table of words only (an action plan) has no row of figures: its first row is
    the header. A one-row grid has no header.
    """
    if len(grid) < 2:
        return 0
    count = 0
    for row in grid[: MAX_HEADER_ROWS + 1]:
        if not _is_header_like(row):
            break
        count += 1
    if count > MAX_HEADER_ROWS or count == len(grid):
        return 1
    return count


def header_labels(grid: Grid, rows: int) -> list[str]:
    """One label per column: the header rows' texts top to bottom.

    Above the last header row a group label ("2005" over Number | Percent) is printed
    once and spans the empty cells to its right, so it is carried over them.
    """
    width = len(grid[0]) if grid else 0
    labels: list[list[str]] = [[] for _ in range(width)]
    for index, row in enumerate(grid[:rows]):
        spans = index < rows - 1
        current = ""
        for c, cell in enumerate(row):
            current = cell or (current if spans else "")
            if current and (not labels[c] or labels[c][-1] != current):
                labels[c].append(current)
    return [" ".join(parts) for parts in labels]


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


def generic_rows(grid: Grid, header: int) -> tuple[tuple[ColumnSpec, ...], list[RawRow]]:
    """Every grid column a column (typed when all its cells are one kind of quantity), every
    row below the header kept, its kind read from its first cell."""
    width = max((len(row) for row in grid), default=0)
    square = [row + [""] * (width - len(row)) for row in grid]
    body = square[header:]
    labels = header_labels(square, header) if header else [""] * width
    columns = tuple(
        ColumnSpec(key=f"c{c}", label=labels[c] or f"c{c}", type=guess_kind([row[c] for row in body]), optional=True)
        for c in range(width)
    )
    rows = []
    for cells in body:
        kind = row_kind(cells)
        rows.append(RawRow(label=row_label(cells, kind), kind=kind,
                           cells={column.key: text for column, text in zip(columns, cells, strict=True)}))
    return columns, rows
