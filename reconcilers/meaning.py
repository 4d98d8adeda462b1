"""What a table means when no spec says it: the role of each row and column, and the rules tying them.

The extractors hand tables of cells; the checks need to know which rows are items, which are
totals or section headings, which columns are figures, shares or category codes, and which
table a headerless table continues (a block cut by a page break). That knowledge is data on an
`InterpretedTable`; the rules found by inference are added to it by the inference modules
(`inferred_totals`, `relations`, `thresholds`), each with its support.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from itertools import pairwise

import pandas as pd

from extractors.grid import guess_kind, is_number
from extractors.quantity import BASE_UNIT, Quantity, QuantityError, is_english, parse_quantity
from extractors.table import ROW_KIND, ROW_LABEL, ExtractedDocument, ExtractedTable
from reconcilers.cells import cell_location
from reconcilers.finding import Location
from reconcilers.rules import TableRule

ROW_ROLES = ("item", "subtotal", "total", "section", "note")
COLUMN_ROLES = ("row_number", "label", "quantity", "percent", "category", "date", "text")
# A row number ("1", "2.3") or a date ("12/31/2009", "2021-03-01", "10 Janvier 2019" is left as text).
_ROW_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?$")
_DATE = re.compile(r"^(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{2}|\d{4})|\d{4}-\d{2}-\d{2})$")

_NOTE = re.compile(r"^\s*(?:notes?|sources?|nota|\*|\(?[a-z]\)|\d+\s*/)\s*[:.\s]", re.IGNORECASE)
# Headers that say a column is not an amount that adds up: an average, a rate, a share, an index.
_NOT_ADDITIVE = re.compile(
    r"moyen|average|mean|median|médian|taux|rate|ratio|percent|pourcent|%|index|indice|per\s|par\s|"
    r"margin|marge|error|erreur|prix|price|coût unitaire|unit cost|\bage\b|years?\b|année|year",
    re.IGNORECASE)
_CATEGORY_MAX_DISTINCT = 6
_CATEGORY_MAX_LENGTH = 24


@dataclass(frozen=True)
class Figures:
    """The figures of a table's columns as floats (NaN where none), their rounding allowances and units."""

    values: pd.DataFrame
    allowances: pd.DataFrame
    units: tuple[tuple[str, str], ...]             # (column key, unit printed: $, %, or "") of the columns read again

    @cached_property
    def by_column(self) -> dict[str, dict[int, float]]:
        """Each column's figures by row index, read once: the inferred totals look a figure up for
        every candidate rule (350 000 times on the ICDAR PDFs), too slow one cell at a time in pandas."""
        return {key: dict(zip(self.values.index, self.values[key].tolist(), strict=True)) for key in self.values.columns}

    @cached_property
    def allowances_by_column(self) -> dict[str, dict[int, float]]:
        """Each column's rounding allowances by row index (0 where none), read once."""
        return {key: {index: 0.0 if value is None or pd.isna(value) else float(value)
                      for index, value in zip(self.allowances.index, self.allowances[key].tolist(), strict=True)}
                for key in self.allowances.columns}


@dataclass(frozen=True)
class InterpretedTable:
    """A table with the role of its rows and columns, the table it continues, and its rules."""

    table: ExtractedTable
    row_roles: tuple[str, ...]                      # by position, as in `table.values`
    column_roles: tuple[tuple[str, str], ...]       # (column key, role)
    figures: Figures
    previous: InterpretedTable | None = None        # the headerless table this one continues
    rules: tuple[TableRule, ...] = ()

    @property
    def key(self) -> str:
        return self.table.key

    def role_of(self, column: str) -> str:
        if column.endswith(SHARE_SUFFIX):
            return "percent"
        return dict(self.column_roles).get(column, "text")

    def columns_with(self, *roles: str) -> list[str]:
        keys = [key for key, role in self.column_roles if role in roles]
        if "percent" in roles:
            keys += [key for key in self.figures.values.columns if key.endswith(SHARE_SUFFIX)]
        return keys

    def location(self, index: int, column: str) -> Location:
        """The cell a figure was read from (a share read out of a label column points to that column)."""
        location = cell_location(self.table, index, column.removesuffix(SHARE_SUFFIX))
        return replace(location, row=location.row or row_name(self.table, index), column=self.header(column))

    @property
    def numbers(self) -> pd.DataFrame:
        """The figures of the quantity and percent columns as floats (NaN where none)."""
        return self.figures.values

    def tolerance(self, index: int, column: str) -> float:
        """The rounding allowance of one printed figure (half a unit of its last digit)."""
        return self.figures.allowances_by_column.get(column, {}).get(index, 0.0)

    def unit(self, column: str) -> str:
        if column.endswith(SHARE_SUFFIX):
            return "%"
        return dict(self.figures.units).get(column) or BASE_UNIT.get(self.table.column(column).type, "")

    def additive(self, column: str) -> bool:
        """Whether the column's header allows its figures to be added up."""
        return self.role_of(column) == "quantity" and not _NOT_ADDITIVE.search(self.table.column(column).label)

    def header(self, column: str) -> str:
        """The column's header, or its position when it has none ("col. 7")."""
        if column.endswith(SHARE_SUFFIX):
            return self.header(column.removesuffix(SHARE_SUFFIX)) + " (%)"
        label = self.table.column(column).label
        if label == column and re.fullmatch(r"c\d+", column):
            return f"col. {int(column[1:]) + 1}"
        return label

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


def interpret(table: ExtractedTable, previous: InterpretedTable | None = None, *,
              english: bool = False) -> InterpretedTable:
    """Roles read from the table alone; `previous` kept only when this table visibly continues it.

    `english`: the document writes `1,884` for one thousand eight hundred and eighty-four.
    """
    figures = _figures(table, english)
    units = dict(figures.units)
    column_roles = tuple((column.key, _column_role(table, column.key, units)) for column in table.columns)
    interpreted = InterpretedTable(table, _row_roles(table, column_roles, figures), column_roles, figures)
    if previous is not None and _continues(interpreted, previous):
        return replace(interpreted, previous=previous)
    return interpreted


def interpret_document(document: ExtractedDocument) -> list[InterpretedTable]:
    """Every table of a document interpreted, each linked to the one it continues."""
    english = is_english(document.text + " ".join(" ".join(t.context) for t in document.tables))
    interpreted: list[InterpretedTable] = []
    for table in document.tables:
        interpreted.append(interpret(table, interpreted[-1] if interpreted else None, english=english))
    return interpreted


_PLACEHOLDER = re.compile(r"^[^\d]{1,6}$")
_MIN_FIGURES = 2
SHARE_SUFFIX = "%"        # the key of the shares read out of a column of words: "c0%"
MIN_SHARE_RUN = 3


@lru_cache(maxsize=1 << 16)
def _cell_figure(text: str, convention: str | None) -> tuple[float, float, str] | None:
    """(value, allowance, unit printed) of a cell holding one whole figure, read by the project's
    quantity model in the document's convention (significance stars before it are dropped).
    Cached per text: a column of many rows repeats its codes, dates, names and placeholders."""
    text = text.lstrip("*").strip()
    for kind in ("number", "percent", "money"):
        try:
            quantity = parse_quantity(text, kind, None, convention)
        except QuantityError:
            continue
        if quantity.label or math.isnan(quantity.value):
            return None
        return quantity.value, quantity.tolerance, "%" if kind == "percent" else quantity.unit if kind == "money" else ""
    return None


def _figures(table: ExtractedTable, english: bool) -> Figures:
    """The table's typed figures; in an English document, or in a column the reader left as text
    because placeholders (DNP, N/A, –) stand among its figures, the cells are read again."""
    values: dict[str, pd.Series] = {}
    allowances: dict[str, pd.Series] = {}
    units: list[tuple[str, str]] = []
    for column in table.columns:
        key = column.key
        reread = _reread(table.cells[key], english) if english or not column.is_quantity else None
        if reread is not None:
            values[key], allowances[key], unit = reread
            units.append((key, unit))
        elif column.is_quantity:
            values[key] = pd.to_numeric(table.values[key], errors="coerce").astype(float)
            allowances[key] = pd.to_numeric(table.tolerances[key], errors="coerce").astype(float)
        elif not column.is_quantity:
            shares = _share_run(table.cells[key])
            if shares is not None:
                values[key + SHARE_SUFFIX], allowances[key + SHARE_SUFFIX] = shares
    return Figures(pd.DataFrame(values, index=table.values.index),
                   pd.DataFrame(allowances, index=table.values.index), tuple(units))


def _share_run(cells: pd.Series) -> tuple[pd.Series, pd.Series] | None:
    """Percentages printed in a column of words (`56%` beside an amount under the labels of a
    budget): the longest run of at least MIN_SHARE_RUN consecutive cells that are whole percentages."""
    best: list[tuple[int, Quantity]] = []
    run: list[tuple[int, Quantity]] = []
    for index, text in cells.items():
        quantity = cell_quantity(text, "percent")
        if quantity is not None and str(text).strip().endswith("%"):
            run.append((int(index), quantity))
            best = max(best, run, key=len)
        else:
            run = []
    if len(best) < MIN_SHARE_RUN:
        return None
    value = pd.Series({i: q.value for i, q in best}, index=cells.index, dtype=float)
    allowance = pd.Series({i: q.tolerance for i, q in best}, index=cells.index, dtype=float)
    return value, allowance


def _reread(cells: pd.Series, english: bool) -> tuple[pd.Series, pd.Series, str] | None:
    """A column's cells read as English figures, when all below the first are figures or placeholders
    (header lines the reader left in the body stand above the first figure)."""
    read: dict[int, tuple[float, float, str]] = {}
    for index, text in cells.items():
        text = str(text or "").strip()
        if not text:
            continue
        figure = _cell_figure(text, "en" if english else None)
        if figure is None and read and not _PLACEHOLDER.match(text):
            return None
        if figure is not None:
            if not english and "," in text and not re.search(r",\d{3}(?:\D|$)", text):
                return None
            if re.match(r"^0\d", text):                    # "01", "08": codes, not figures
                return None
            read[int(index)] = figure
    if len(read) < _MIN_FIGURES:
        return None
    if all(str(cells[i]).strip().startswith("(") for i in read):
        read = {i: (abs(v), a, u) for i, (v, a, u) in read.items()}     # "(4.7)" in a whole column: a style, not a sign
    kinds = {unit for _, _, unit in read.values()}
    if "%" in kinds and kinds != {"%"}:
        return None
    value = pd.Series({i: f[0] for i, f in read.items()}, index=cells.index, dtype=float)
    allowance = pd.Series({i: f[1] for i, f in read.items()}, index=cells.index, dtype=float)
    return value, allowance, next(iter(kinds - {""}), "")


def _column_role(table: ExtractedTable, key: str, units: dict[str, str]) -> str:
    column = table.column(key)
    texts = [str(text).strip() for text in table.cells[key] if str(text or "").strip()]
    if texts and all(_DATE.match(text) for text in texts):
        return "date"
    if key == table.columns[0].key and _is_row_numbers(texts):
        return "row_number"
    if column.type == "percent" or units.get(key) == "%":
        return "percent"
    if column.is_quantity or key in units:
        return "quantity"
    if not texts:
        return "text"
    if key == table.columns[0].key or column.entity:
        return "label"
    distinct = set(texts)
    if (len(texts) >= 3 and len(distinct) <= _CATEGORY_MAX_DISTINCT and len(distinct) < len(texts)
            and all(len(text) <= _CATEGORY_MAX_LENGTH for text in distinct)):
        return "category"
    return "text"


def _is_row_numbers(texts: list[str]) -> bool:
    """A first column numbering its rows (1, 2, 3 or 1.1, 1.2, 2.1), never added up: each number
    is new and their first parts never go down."""
    if len(texts) < 3 or not all(_ROW_NUMBER.match(text) for text in texts) or len(set(texts)) < len(texts) - 1:
        return False
    heads = [int(text.split(".")[0]) for text in texts]
    return all(a <= b for a, b in pairwise(heads))


def _row_roles(table: ExtractedTable, column_roles: tuple[tuple[str, str], ...], figures: Figures) -> tuple[str, ...]:
    keys = [key for key, role in column_roles if role in ("quantity", "percent")]
    figure_columns = [figures.values[key].tolist() for key in keys]     # columns read once, not cell by cell
    labels = table.cells[ROW_LABEL].tolist()
    roles = []
    for position, kind in enumerate(table.values[ROW_KIND].tolist()):
        if kind in ("total", "subtotal"):
            roles.append(kind)
            continue
        has_figure = any(not pd.isna(column[position]) for column in figure_columns)
        label = str(labels[position] or "")
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


@lru_cache(maxsize=1 << 16)
def cell_quantity(text: object, kind: str) -> Quantity | None:
    """The one figure of `kind` a text cell holds whole (a share printed in a label column), else None.
    Cached per text: every cell of every column of words is tried."""
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
