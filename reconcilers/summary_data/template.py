"""The EITI Summary Data Template: which table is which part, and its rows as records with their cells.

The template's labels (English and French) are data (`reconcilers/data/summary_data_template.yaml`);
a table is a part when its column labels hold all of the part's key fields, whatever the file is
called. Cells are kept as text beside the figure read from them, so that a number held as text
(`58100.00%`) is reported rather than silently read or dropped.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, lru_cache
from importlib import resources

import pandas as pd
import yaml

from extractors.quantity import QuantityError, number_convention, parse_quantity
from extractors.source import CellSource
from extractors.table import ExtractedTable
from reconcilers.finding import Location
from reconcilers.names import fold

PART_ORDER = ("1", "3a", "3b", "3c", "4", "5")
EXPECTED_PARTS = ("1", "3a", "3b", "4", "5")       # 3c (projects) is not asked of every country
COMMON_FIELDS = ("country", "iso", "year", "start", "end")


@dataclass(frozen=True)
class PartSpec:
    """One part of the template: its labels per field, the fields that identify it, its figures."""

    part: str
    title_fr: str
    title_en: str
    key: tuple[str, ...]
    fields: dict[str, tuple[str, ...]]
    numbers: tuple[str, ...]
    required: tuple[str, ...]


@cache
def _data() -> dict:
    text = resources.files("reconcilers").joinpath("data", "summary_data_template.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@cache
def name_words() -> tuple[frozenset[str], frozenset[str]]:
    """(legal forms left out of names, the catch-all spellings "Others"/"Autres"), folded."""
    data = _data()
    return frozenset(fold(w) for w in data["legal_forms"]), frozenset(fold(w) for w in data["others"])


@cache
def template() -> tuple[dict[str, tuple[str, ...]], dict[str, PartSpec]]:
    """(common field labels, part specs), read once from the packaged data file."""
    data = _data()
    common = {field: tuple(labels) for field, labels in data["common"].items()}
    parts = {
        str(part): PartSpec(
            part=str(part), title_fr=spec["title_fr"], title_en=spec["title_en"], key=tuple(spec["key"]),
            fields={field: tuple(labels) for field, labels in spec["fields"].items()},
            numbers=tuple(spec.get("numbers", ())), required=tuple(spec.get("required", ())),
        )
        for part, spec in data["parts"].items()
    }
    return common, parts


def label_key(label: str) -> str:
    """A column label as compared: folded, apostrophes and colons gone, single spaces."""
    return fold(label.replace("’", "'"))


@dataclass(frozen=True)
class PartTable:
    """A table recognised as one part of the template: which column holds which field."""

    part: str
    document: str
    table: ExtractedTable
    columns: dict[str, str]                   # field (part's or common) -> column key of the table

    def _list(self, frame: str, column: str) -> list:
        """A column of the table's `cells` or `sources` as a list, read once: a declaration's checks
        point at thousands of cells, and pandas cost 0.2 ms a cell."""
        lists = self.__dict__.setdefault("_lists", {})
        if (frame, column) not in lists:
            lists[(frame, column)] = getattr(self.table, frame)[column].tolist()
        return lists[(frame, column)]

    def text(self, row: int, field: str) -> str:
        column = self.columns.get(field)
        if column is None:
            return ""
        value = self._list("cells", column)[self.table.cells.index.get_loc(row)]
        return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value).strip()

    def _source(self, position: int, column: str | None) -> CellSource | None:
        sources = self.table.sources
        if sources is None or column is None or column not in sources.columns or position >= len(sources):
            return None
        source = self._list("sources", column)[position]
        return source if isinstance(source, CellSource) else None

    def location(self, row: int, field: str) -> Location:
        """The cell a reviewer opens: sheet and address when the reader gave them, else the row and column."""
        column = self.columns.get(field)
        label = next(c.label for c in self.table.columns if c.key == column) if column else field
        position = self.table.cells.index.get_loc(row)
        source = self._source(position, column)
        cell = source.cell if source and source.cell else _address(self.table, position, column)
        sheet = (source.sheet if source and source.sheet else None) or self.document
        return Location(table=self.document, table_key=self.table.key,
                        row=None if source and source.cell else position + 2, column=label,
                        text=self.text(row, field) if column else None, sheet=sheet, cell=cell)


def _address(table: ExtractedTable, position: int, column: str | None) -> str | None:
    """`C7` for a table whose header is row 1 of its sheet (what a CSV is), when no reader said otherwise."""
    if column is None:
        return None
    index = [c.key for c in table.columns].index(column)
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return f"{letters}{position + 2}"


def recognise(document: str, table: ExtractedTable) -> PartTable | None:
    """The part this table is, by its column labels (every key field of the part present), or None."""
    common, parts = template()
    by_label = {label_key(c.label): c.key for c in table.columns}
    for spec in parts.values():
        found = _match(by_label, spec.fields)
        if all(field in found for field in spec.key):
            return PartTable(spec.part, document, table, found | _match(by_label, common))
    return None


def _match(by_label: dict[str, str], fields: dict[str, tuple[str, ...]]) -> dict[str, str]:
    found = {}
    for field, labels in fields.items():
        for label in labels:
            column = by_label.get(label_key(label))
            if column is not None:
                found[field] = column
                break
    return found


# --- Figures and dates as the template's cells hold them -------------------------------------------------

# A number as a machine writes it (`1234567.0`, `1.5e+10`); anything else goes through the quantity model.
_PLAIN = re.compile(r"^[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$")
_PERCENT = re.compile(r"^([-+]?\d+(?:[.,]\d+)?)\s*%$")


@dataclass(frozen=True)
class Figure:
    """A figure as written: the value read (NaN when blank or unreadable), and how it was written."""

    value: float
    kind: str            # blank | number | percent (a number typed into a percent-formatted cell) | text

    @property
    def usable(self) -> bool:
        return not math.isnan(self.value)


def read_figure(text: str) -> Figure:
    """`1234567.0`, `1,234,567`, `1 234 567,5` are numbers (read by the project's quantity model, the
    convention from the figure itself, else the template's English); `118200.00%` is 1182 held as
    text; a figure with words or a unit is text."""
    text = text.strip()
    if not text:
        return Figure(math.nan, "blank")
    if _PLAIN.match(text):
        return Figure(float(text), "number")
    percent = _PERCENT.match(text)
    if percent:
        return Figure(float(percent.group(1).replace(",", ".")) / 100, "percent")
    try:
        quantity = parse_quantity(text, "number", None, number_convention([text]) or "en")
    except QuantityError:
        return Figure(math.nan, "text")
    if quantity.label or quantity.written_unit or quantity.missing:
        return Figure(math.nan, "text")
    return Figure(quantity.value, "number")


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%m/%d/%Y", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y")


@lru_cache(maxsize=4096)
def read_date(text: str) -> date | None:
    """`2018-01-01`, `2017/12/21`, `1/1/2018` (month first, as the template's US locale writes it;
    day first only when the first number cannot be a month)."""
    text = text.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def records(part: PartTable) -> pd.DataFrame:
    """The part's rows as text per field (`row` = the table's row index), empty rows dropped."""
    cells = part.table.cells
    frame = pd.DataFrame({field: ["" if pd.isna(text) else str(text).strip() for text in cells[column].tolist()]
                          for field, column in part.columns.items()}, index=cells.index, dtype=str)
    return frame[(frame != "").any(axis=1)]


@dataclass(frozen=True)
class PartRows:
    """The rows of one recognised table that belong to one declaration (its records, as text)."""

    table: PartTable
    rows: pd.DataFrame


@dataclass(frozen=True)
class Declaration:
    """One country's Summary Data for one fiscal year: its parts, wherever they were read from."""

    country: str
    iso: str
    year: int                                  # the year the period ends
    start: date | None
    end: date | None
    parts: dict[str, tuple[PartRows, ...]]

    @property
    def name(self) -> str:
        return f"{self.country} {self.year}"

    def rows(self, part: str) -> list[tuple[PartTable, int, dict[str, str]]]:
        """Every record of a part, with the table it came from and its row (computed once per part)."""
        cache = self.__dict__.setdefault("_rows", {})
        if part not in cache:
            cache[part] = [(piece.table, row, record) for piece in self.parts.get(part, ())
                           for row, record in zip(piece.rows.index, piece.rows.to_dict("records"), strict=True)]
        return cache[part]
