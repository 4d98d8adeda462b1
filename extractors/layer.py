"""The one grid-to-table step for a grid no spec describes, whatever reader found it.

A reader hands a `SourceGrid` (cells as printed, with their provenance); this layer decides
the header, the columns' types and the rows' kinds (`extractors.grid`), parses every cell
through the shared builder (`extractors.frame`), and keeps each cell's source and the
lines around the table beside the values.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from extractors.frame import build_table
from extractors.grid import generic_rows, header_rows
from extractors.source import CellSource, SourceGrid
from extractors.table import ROW_KIND, ROW_LABEL, ExtractedTable, Provenance


def table_from_grid(grid: SourceGrid, key: str, provenance: Provenance, *, header: int | None = None) -> ExtractedTable:
    """An ExtractedTable of every row of `grid` below its header (found when `header` is None)."""
    texts = grid.texts()
    header = header_rows(texts) if header is None else header
    columns, rows = generic_rows(texts, header)
    table = build_table(key, provenance, columns, rows)
    width = len(columns)
    sources = pd.DataFrame(
        [[None, None, *(list(cell.source for cell in row) + [CellSource()] * (width - len(row)))[:width]]
         for row in grid.rows[header:]],
        columns=[ROW_LABEL, ROW_KIND, *(c.key for c in columns)],
    )
    return replace(table, sources=sources, context=grid.context)
