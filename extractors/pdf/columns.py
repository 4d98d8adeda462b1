"""Which grid column holds which spec column: by the printed header first, by order otherwise.

A spec lists a table's columns in the order a text dump flattens them, which is not
always the order they stand on the page (a spanning group cell is dumped before the
row number but printed after it). The header printed over each grid column says
which it is; camelot splits words at cell wraps ("Village/Comm une"), so labels are
compared on their letters and digits only.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

from extractors.grid import header_labels
from extractors.pdf.grids import PdfGrid
from extractors.spec import ColumnSpec, TableSpec

HEADER_SCORE = 80.0   # rapidfuzz ratio (0..100) for a printed header to name a spec column


@dataclass(frozen=True)
class Layout:
    """The spec column of each grid column (None: not a spec column), and where the row label is."""

    columns: tuple[ColumnSpec | None, ...]
    label: int | None                  # grid column of the row number or label
    unplaced: tuple[ColumnSpec, ...]   # spec columns printed in no grid column


def header_key(text: str) -> str:
    """Letters and digits only, case and accents folded: what is left of a header after wraps."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum())


def _by_order(width: int, spec: TableSpec) -> tuple[ColumnSpec | None, ...]:
    """The spec's order: leading columns, the row label, the others (a rate read from the row's
    label may be printed in a column of its own or not); cut or padded when no shape fits."""
    leading = [c for c in spec.columns if c.leading]
    body = [c for c in spec.columns if not c.leading]
    printed = [c for c in body if not c.in_label]
    shapes = [(*leading, None, *body), (None, *body), (*leading, None, *printed), (None, *printed)]
    fitting = next((shape for shape in shapes if len(shape) == width), None)
    if fitting:
        return fitting
    layout: list[ColumnSpec | None] = [None, *body][:width]
    return (*layout, *[None] * (width - len(layout)))


def _by_header(labels: list[str], spec: TableSpec) -> dict[int, ColumnSpec]:
    """Grid column -> spec column, best header scores first, each used once."""
    scores = sorted(
        ((fuzz.ratio(header_key(label), header_key(column.label)), c, s)
         for c, label in enumerate(labels) if header_key(label)
         for s, column in enumerate(spec.columns)),
        key=lambda item: -item[0],
    )
    placed: dict[int, ColumnSpec] = {}
    used: set[int] = set()
    for score, c, s in scores:
        if score >= HEADER_SCORE and c not in placed and s not in used:
            placed[c] = spec.columns[s]
            used.add(s)
    return placed


def spec_layout(grid: PdfGrid, spec: TableSpec) -> Layout:
    """Each grid column's spec column, from the header when it names any, from the order otherwise.

    Columns the header leaves unnamed take the remaining spec columns in order, after
    the first of them, which holds the row numbers or labels.
    """
    labels = header_labels(grid.grid, grid.header_rows) if grid.header_rows else []
    placed = _by_header(labels, spec) if labels else {}
    if not placed:
        columns = _by_order(grid.width, spec)
    else:
        free = [c for c in range(grid.width) if c not in placed]
        rest = [c for c in spec.columns if c not in placed.values() and not c.in_label]
        placed.update(zip(free[1:], rest))
        columns = tuple(placed.get(c) for c in range(grid.width))
    label = next((c for c, column in enumerate(columns) if column is None), None)
    unplaced = tuple(c for c in spec.columns if c not in columns and not c.in_label)
    return Layout(columns, label, unplaced)
