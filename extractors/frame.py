"""Raw cell text -> an ExtractedTable: every cell parsed by its column's declared type.

All extractors (text, tab-separated, PDF) hand their rows here, so a cell is parsed
the same way whatever the document's format, and a cell that fails is recorded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from extractors.quantity import QuantityError, parse_quantity
from extractors.spec import ColumnSpec
from extractors.table import (
    ROW_KIND,
    ROW_LABEL,
    CellProblem,
    ExtractedTable,
    Provenance,
)


@dataclass(frozen=True)
class RawRow:
    """One row as cut from the document: its printed label, its kind, its cells' text."""

    label: str                      # the row's number, or its key in the spec for a labelled row
    kind: str                       # item | subtotal | total
    cells: dict[str, str]           # column key -> raw text ("" when absent)
    printed: str = ""               # the label as printed, when it differs from `label`


def build_table(
    key: str, provenance: Provenance, columns: tuple[ColumnSpec, ...], rows: list[RawRow],
    problems: tuple[CellProblem, ...] = (),
) -> ExtractedTable:
    """Parse every cell; fill spanning cells down; record each cell that does not parse."""
    found: list[CellProblem] = list(problems)
    values: list[dict[str, object]] = []
    cells: list[dict[str, str]] = []
    tolerances: list[dict[str, float]] = []
    above: dict[str, str] = {}
    for row in rows:
        value_row: dict[str, object] = {ROW_LABEL: row.label, ROW_KIND: row.kind}
        cell_row: dict[str, str] = {ROW_LABEL: row.printed or row.label, ROW_KIND: row.kind}
        tolerance_row: dict[str, float] = {}
        for column in columns:
            text = " ".join(row.cells.get(column.key, "").split())
            if not text and column.fill_down and row.kind == "item":
                text = above.get(column.key, "")
            elif text and column.fill_down:
                above[column.key] = text
            cell_row[column.key] = text
            value, tolerance, problem = _parse_cell(column, text, row, provenance, key)
            value_row[column.key] = value
            tolerance_row[column.key] = tolerance
            if problem:
                found.append(problem)
        values.append(value_row)
        cells.append(cell_row)
        tolerances.append(tolerance_row)
    keys = [ROW_LABEL, ROW_KIND] + [c.key for c in columns]
    return ExtractedTable(
        key=key,
        provenance=provenance,
        columns=columns,
        values=pd.DataFrame(values, columns=keys),
        cells=pd.DataFrame(cells, columns=keys),
        tolerances=pd.DataFrame(tolerances, columns=[c.key for c in columns]),
        problems=tuple(found),
    )


def _parse_cell(
    column: ColumnSpec, text: str, row: RawRow, provenance: Provenance, key: str,
) -> tuple[object, float, CellProblem | None]:
    if not column.is_quantity:
        if column.type == "flag":
            return bool(text.strip()), math.nan, None
        return text, math.nan, None
    if not text:
        if column.optional or row.kind != "item":
            return math.nan, math.nan, None
        return math.nan, math.nan, _problem(provenance, key, row, column, text,
                                             "cellule vide", "empty cell")
    try:
        quantity = parse_quantity(text, column.type, column.unit, column.convention)
    except QuantityError as error:
        return math.nan, math.nan, _problem(provenance, key, row, column, text, str(error),
                                             f"cannot read « {text} » as {column.type}")
    return quantity.value, quantity.tolerance, None


def _problem(
    provenance: Provenance, key: str, row: RawRow, column: ColumnSpec, text: str,
    reason_fr: str, reason_en: str,
) -> CellProblem:
    return CellProblem(
        document=provenance.document, table=key, title=provenance.title, row=row.printed or row.label,
        column=column.label, text=text, reason_fr=reason_fr, reason_en=reason_en,
        page=provenance.page,
    )
