"""Reading cells and aggregates out of extracted tables, with the location of each."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from extractors.quantity import BASE_UNIT
from extractors.table import ROW_LABEL, ExtractedTable
from reconcilers.checks import CellRef
from reconcilers.finding import Location


class MissingCell(LookupError):
    """A reference names a table, row or column the document did not yield."""


@dataclass(frozen=True)
class CellValue:
    """A figure read from a table (or computed over its rows), where it came from, and its unit."""

    value: float
    unit: str
    location: Location
    tolerance: float = 0.0
    evidence: tuple[Location, ...] = ()


def cell_location(table: ExtractedTable, index: int, column: str | None) -> Location:
    """The location of one cell: page, table title, printed row label, column label, raw text."""
    row = table.cells.loc[index]
    label = table.column(column).label if column else None
    return Location(
        page=table.provenance.page,
        table=table.provenance.title,
        row=_plain(row[ROW_LABEL]),
        column=label,
        text=str(row[column]) if column else None,
        table_key=table.key,
    )


def _plain(value: object) -> object:
    return value.item() if hasattr(value, "item") else value


def unit_of(table: ExtractedTable, column: str) -> str:
    return BASE_UNIT.get(table.column(column).type, "")


def row_index(table: ExtractedTable, row: str) -> int:
    """The index of a row named by its label (its number, its key, or TOTAL)."""
    labels = table.values[ROW_LABEL].astype(str)
    matches = table.values.index[labels == str(row)]
    if len(matches) == 0:
        raise MissingCell(f"{table.key}: no row {row!r}")
    return int(matches[0])


def resolve(ref: CellRef, tables: Mapping[str, ExtractedTable]) -> CellValue | list[CellValue]:
    """The value a reference names; `all(...)` gives one value per item row."""
    if ref.table not in tables:
        raise MissingCell(f"table {ref.table} was not extracted")
    table = tables[ref.table]
    try:
        table.column(ref.column)
    except KeyError as error:
        raise MissingCell(str(error)) from error
    unit = unit_of(table, ref.column)
    if ref.row is not None:
        index = row_index(table, ref.row)
        value = table.values.at[index, ref.column]
        if value is None or (isinstance(value, float) and math.isnan(value)):
            raise MissingCell(f"{ref}: empty cell")
        tolerance = table.tolerances.at[index, ref.column]
        return CellValue(float(value), unit, cell_location(table, index, ref.column),
                         0.0 if pd.isna(tolerance) else float(tolerance))
    items = table.items()
    column = pd.to_numeric(items[ref.column], errors="coerce")
    locations = tuple(cell_location(table, int(i), ref.column) for i in items.index)
    if ref.aggregate == "all":
        return [CellValue(float(v), unit, loc) for v, loc in zip(column, locations) if not math.isnan(v)]
    present = column.dropna()
    value = {
        "sum": present.sum(),
        "min": present.min() if len(present) else math.nan,
        "max": present.max() if len(present) else math.nan,
        "count": float(len(present)),
        "count_zero": float((present == 0).sum()),
    }[ref.aggregate or "sum"]
    if ref.aggregate in ("count", "count_zero"):
        unit = "count"
    picked = locations
    if ref.aggregate in ("min", "max") and len(present):
        picked = tuple(loc for v, loc in zip(column, locations) if v == value)
    elif ref.aggregate == "count_zero":
        picked = tuple(loc for v, loc in zip(column, locations) if v == 0)
    summary = Location(page=table.provenance.page, table=table.provenance.title,
                       row=ref.aggregate, column=table.column(ref.column).label, table_key=table.key)
    return CellValue(float(value), unit, summary, evidence=picked)
