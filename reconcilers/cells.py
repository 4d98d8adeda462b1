"""Reading cells and aggregates out of extracted tables, with the location of each.

Cells and aggregates are named with one short syntax, readable in YAML:
`T2[TOTAL].surface_affected` (a stated cell: table, row label, column),
`sum(T6.amount)` (an aggregate over a table's item rows: sum, min, max, count,
count_zero), `all(T7.unit_rate)` (every item row, each compared), and `T7.trees` (a column,
where a rule looks an entity's row up itself).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import pandas as pd

from extractors.quantity import base_unit
from extractors.table import ROW_LABEL, ExtractedTable
from reconcilers.finding import Finding, Location

AGGREGATES = ("sum", "min", "max", "count", "count_zero", "all")
_REFERENCE = re.compile(r"^(?:(?P<aggregate>\w+)\()?(?P<table>\w+)(?:\[(?P<row>[^\]]+)\])?\.(?P<column>\w+)\)?$")


@dataclass(frozen=True)
class CellRef:
    """A stated cell, or an aggregate over the item rows of a column."""

    table: str
    column: str
    row: str | None = None
    aggregate: str | None = None

    @classmethod
    def parse(cls, text: str) -> CellRef:
        match = _REFERENCE.match(str(text).strip())
        if not match:
            raise ValueError(f"bad cell reference {text!r} (expected T2[TOTAL].column or sum(T6.column))")
        aggregate = match.group("aggregate")
        if aggregate and aggregate not in AGGREGATES:
            raise ValueError(f"unknown aggregate {aggregate!r} in {text!r}")
        if aggregate and match.group("row"):
            raise ValueError(f"{text!r}: name a row or an aggregate, not both")
        return cls(match.group("table"), match.group("column"), match.group("row"), aggregate)

    def __str__(self) -> str:
        if self.aggregate:
            return f"{self.aggregate}({self.table}.{self.column})"
        return f"{self.table}[{self.row}].{self.column}"


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


def row_page(table: ExtractedTable, index: int) -> int | None:
    """The page a row is printed on (a table continued over pages has rows on each), else the
    table's first page."""
    if table.sources is not None:
        pages = [source.page for source in table.sources.loc[index] if getattr(source, "page", None)]
        if pages:
            return pages[0]
    return table.provenance.page


def cell_location(table: ExtractedTable, index: int, column: str | None) -> Location:
    """The location of one cell: page, table title, printed row label, column label, raw text."""
    row = table.cells.loc[index]
    label = table.column(column).label if column else None
    source = table.sources.loc[index, column] if column and table.sources is not None else None
    return Location(
        page=getattr(source, "page", None) or row_page(table, index),
        sheet=getattr(source, "sheet", None) or table.provenance.sheet,
        cell=getattr(source, "cell", None),
        table=table.provenance.title,
        row=_plain(row[ROW_LABEL]),
        column=label,
        text=str(row[column]) if column else None,
        table_key=table.key,
    )


def locate_in_sheet(finding: Finding, tables: Iterable[ExtractedTable]) -> Finding:
    """A finding on a spreadsheet table that names its row (and column) but no cell, pointed at the
    cell (`Data!C7`), or at the table's block (`Data!A1:AT47`) when it names no row."""
    location = finding.location
    table = next((t for t in tables if t.key == location.table_key), None) if location.table_key else None
    if location.sheet or table is None or table.provenance.sheet is None:
        return finding
    cell = table.provenance.area
    matches = table.cells.index[table.cells[ROW_LABEL].astype(str) == str(location.row)]
    if location.row is not None and len(matches) and table.sources is not None:
        index = matches[0]
        keys = ([c.key for c in table.columns if location.column in (c.key, c.label)]
                or [c.key for c in table.columns if table.cells.at[index, c.key] == str(location.row)])
        if keys:
            cell = getattr(table.sources.at[index, keys[0]], "cell", None) or cell
    return replace(finding, location=replace(location, sheet=table.provenance.sheet, cell=cell))


def _plain(value: object) -> object:
    return value.item() if hasattr(value, "item") else value


def row_entity(table: ExtractedTable, label: object) -> str:
    """The entity (a PAP, a source) named on the row printed with `label` (the rows, when the number
    is printed twice), "" when the table names none: what a reviewer looks for, beside a number."""
    keys = [column.key for column in table.columns if column.entity]
    if not keys:
        return ""
    rows = table.cells[table.cells[ROW_LABEL].astype(str) == str(label)]
    return ", ".join(dict.fromkeys(str(name) for name in rows[keys[0]] if str(name)))


def unit_of(table: ExtractedTable, column: str) -> str:
    spec = table.column(column)
    return base_unit(spec.type, spec.unit)


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
