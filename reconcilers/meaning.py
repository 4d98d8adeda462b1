"""What a table means when no spec says it: the role of each row and column, and the rules tying them.

The extractors hand tables of cells; the checks need to know which rows are items, which are
totals or section headings, which columns are figures, shares or category codes, and which
table a headerless table continues (a block cut by a page break). That knowledge is data on an
`InterpretedTable`; the rules found by inference are added to it by the inference modules
(`inferred_totals`, `relations`, `thresholds`), each with its support.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from extractors.grid import guess_kind, is_number
from extractors.quantity import Quantity, parse_quantity
from extractors.table import ROW_KIND, ROW_LABEL, ExtractedDocument, ExtractedTable
from reconcilers.rules import TableRule

ROW_ROLES = ("item", "subtotal", "total", "section", "note")
COLUMN_ROLES = ("label", "quantity", "percent", "category", "text")

_NOTE = re.compile(r"^\s*(?:notes?|sources?|nota|\*|\(?[a-z]\)|\d+\s*/)\s*[:.\s]", re.IGNORECASE)
# Headers that say a column is not an amount that adds up: an average, a rate, a share, an index.
_NOT_ADDITIVE = re.compile(
    r"moyen|average|mean|median|médian|taux|rate|ratio|percent|pourcent|%|index|indice|per\s|par\s|"
    r"margin|marge|error|erreur|prix|price|coût unitaire|unit cost|\bage\b|years?\b|année|year",
    re.IGNORECASE)
_CATEGORY_MAX_DISTINCT = 6
_CATEGORY_MAX_LENGTH = 24


@dataclass(frozen=True)
class RowRef:
    """One row of one table, for rules whose rows span a page break."""

    table: ExtractedTable
    index: int


@dataclass(frozen=True)
class InterpretedTable:
    """A table with the role of its rows and columns, the table it continues, and its rules."""

    table: ExtractedTable
    row_roles: tuple[str, ...]                      # by position, as in `table.values`
    column_roles: tuple[tuple[str, str], ...]       # (column key, role)
    previous: InterpretedTable | None = None        # the headerless table this one continues
    rules: tuple[TableRule, ...] = ()

    @property
    def key(self) -> str:
        return self.table.key

    def role_of(self, column: str) -> str:
        return dict(self.column_roles).get(column, "text")

    def columns_with(self, *roles: str) -> list[str]:
        return [key for key, role in self.column_roles if role in roles]

    @cached_property
    def numbers(self) -> pd.DataFrame:
        """The figures of the quantity and percent columns as floats (NaN where none)."""
        keys = self.columns_with("quantity", "percent")
        return self.table.values[keys].apply(pd.to_numeric, errors="coerce").astype(float)

    def tolerance(self, index: int, column: str) -> float:
        """The rounding allowance of one printed figure (half a unit of its last digit)."""
        value = self.table.tolerances.at[index, column] if column in self.table.tolerances else None
        return 0.0 if value is None or pd.isna(value) else float(value)

    def additive(self, column: str) -> bool:
        """Whether the column's header allows its figures to be added up."""
        return self.role_of(column) == "quantity" and not _NOT_ADDITIVE.search(self.table.column(column).label)

    def header(self, column: str) -> str:
        return self.table.column(column).label

    def label(self, index: int) -> str:
        return str(self.table.cells.at[index, ROW_LABEL] or "")

    def chain(self) -> list[InterpretedTable]:
        """The tables this one continues, first one first, then this one."""
        tables: list[InterpretedTable] = []
        current: InterpretedTable | None = self
        while current is not None:
            tables.insert(0, current)
            current = current.previous
        return tables


def interpret(table: ExtractedTable, previous: InterpretedTable | None = None) -> InterpretedTable:
    """Roles read from the table alone; `previous` kept only when this table visibly continues it."""
    column_roles = tuple((column.key, _column_role(table, column.key)) for column in table.columns)
    interpreted = InterpretedTable(table, _row_roles(table, column_roles), column_roles)
    if previous is not None and _continues(interpreted, previous):
        return InterpretedTable(table, interpreted.row_roles, column_roles, previous=previous)
    return interpreted


def interpret_document(document: ExtractedDocument) -> list[InterpretedTable]:
    """Every table of a document interpreted, each linked to the one it continues."""
    interpreted: list[InterpretedTable] = []
    for table in document.tables:
        interpreted.append(interpret(table, interpreted[-1] if interpreted else None))
    return interpreted


def _column_role(table: ExtractedTable, key: str) -> str:
    column = table.column(key)
    if column.type == "percent":
        return "percent"
    if column.is_quantity:
        return "quantity"
    texts = [str(text).strip() for text in table.cells[key] if str(text or "").strip()]
    if not texts:
        return "text"
    if key == table.columns[0].key or column.entity:
        return "label"
    distinct = set(texts)
    if (len(texts) >= 3 and len(distinct) <= _CATEGORY_MAX_DISTINCT and len(distinct) < len(texts)
            and all(len(text) <= _CATEGORY_MAX_LENGTH for text in distinct)):
        return "category"
    return "text"


def _row_roles(table: ExtractedTable, column_roles: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    figures = [key for key, role in column_roles if role in ("quantity", "percent")]
    roles = []
    for index in table.values.index:
        kind = table.values.at[index, ROW_KIND]
        if kind in ("total", "subtotal"):
            roles.append(kind)
            continue
        has_figure = any(not pd.isna(table.values.at[index, key]) for key in figures)
        label = str(table.cells.at[index, ROW_LABEL] or "")
        if not has_figure and _NOTE.match(label):
            roles.append("note")
        elif not has_figure and label:
            roles.append("section")
        else:
            roles.append("item")
    return tuple(roles)


def _continues(table: InterpretedTable, previous: InterpretedTable) -> bool:
    """A table with no header right after one whose figure columns it shares continues it.

    A landscape table cut by page breaks in a text dump comes as several headerless blocks;
    a sub-total's block may start on the previous page.
    """
    if any(column.label != column.key for column in table.table.columns):
        return False
    shared = [key for key in table.columns_with("quantity")
              if key in dict(previous.column_roles) and previous.role_of(key) == "quantity"
              and previous.table.column(key).type == table.table.column(key).type]
    return bool(shared) and table.row_roles[:1] != ("total",)


def cell_quantity(text: object, kind: str) -> Quantity | None:
    """The one figure of `kind` a text cell holds whole (a share printed in a label column), else None."""
    text = str(text or "").strip()
    if not text or not is_number(text) or guess_kind([text]) != kind:
        return None
    return parse_quantity(text, kind)


def row_name(table: ExtractedTable, index: int) -> str:
    """The row's printed label, or where it stands when it has none ("ligne 98", "row 4")."""
    label = str(table.cells.at[index, ROW_LABEL] or "").strip()
    if label:
        return label
    line = None
    if table.sources is not None:
        position = table.values.index.get_loc(index)
        line = next((getattr(s, "line", None) for s in table.sources.iloc[position] if getattr(s, "line", None)), None)
    return f"ligne {line}" if line else f"rang {table.values.index.get_loc(index) + 1}"
