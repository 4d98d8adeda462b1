"""What a document's YAML spec says about its tables: where each is, its columns, its rows.

These are plain frozen records; `pipeline.specs` builds them from YAML and the
extractors read them. Nothing here knows any particular document.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar


class _Keyed(Protocol):
    key: str


Keyed = TypeVar("Keyed", bound=_Keyed)


def find_by_key(items: Iterable[Keyed], key: str, owner: str) -> Keyed:
    """The item with that key; a KeyError naming the owner otherwise."""
    for item in items:
        if item.key == key:
            return item
    raise KeyError(f"{owner} has no {key!r}")


SPEC_RECORD = {"extra": "forbid"}    # pydantic config: a spec is validated when it loads, a misspelt key is an error
COLUMN_TYPES = ("text", "name", "area", "money", "money_millions", "count", "number", "percent", "flag")
LAYOUTS = ("numbered", "labelled", "tsv")
ROW_KINDS = ("item", "subtotal", "total")


@dataclass(frozen=True)
class ColumnSpec:
    """One column: how its cells are recognised in a flattened row and how they are parsed."""

    __pydantic_config__ = SPEC_RECORD

    key: str
    label: str
    type: str = "text"
    unit: str | None = None          # unit of a bare number in this column (m2, ha, FCFA, MFCFA)
    pattern: str | None = None       # regex for the cell inside a flattened row
    optional: bool = False
    fill_down: bool = False          # a spanning cell: empty means "same as above"
    leading: bool = False            # printed before the row number (a group label)
    entity: str | None = None        # this column names an entity of that kind ("pap", "source")
    in_label: bool = False           # captured by the row's label regex, e.g. "Imprévus (N %)"
    convention: str | None = None    # how `1,234` reads: "en", "fr", or None (French)

    @property
    def is_quantity(self) -> bool:
        return self.type not in ("text", "name", "flag")


@dataclass(frozen=True)
class RowSpec:
    """A row of a labelled table (no row numbers): found by its label."""

    __pydantic_config__ = SPEC_RECORD

    key: str
    label: str                       # regex that starts the row
    kind: str = "item"               # item | subtotal | total
    sum_of: tuple[str, ...] = ()     # the rows this sub-total or total adds up
    share_of: str | None = None      # the row whose share this row states, e.g. "Imprévus (N %)"


@dataclass(frozen=True)
class TotalRowSpec:
    """The row that closes a numbered table ("TOTAL BIENS AFFECTEES …", or a bare figure)."""

    __pydantic_config__ = SPEC_RECORD

    label: str = ""                  # regex; empty when the total stands with no label
    columns: tuple[str, ...] = ()    # the columns it fills, in order


@dataclass(frozen=True)
class TableSpec:
    """One table of a document, as its spec describes it."""

    __pydantic_config__ = SPEC_RECORD

    key: str
    caption: str = ""                # regex matching the caption in the text (a tsv table's header may anchor it alone)
    title: str = ""                  # how the report names it; by default its caption's "Tableau 5"
    occurrence: int = 1              # which match of the caption (table of contents lines are skipped)
    page: int | str | None = None
    layout: str = "numbered"
    columns: tuple[ColumnSpec, ...] = ()
    header: str | None = None        # regex; the body starts after it
    end: str | None = None           # regex; the table stops before it
    numbering: str = "sequential"    # sequential (1..N) | increasing (4, 6, …)
    total: TotalRowSpec | None = None
    rows: tuple[RowSpec, ...] = ()
    options: dict = field(default_factory=dict, hash=False)  # layout-specific settings

    def column(self, key: str) -> ColumnSpec:
        return find_by_key(self.columns, key, f"table {self.key}")


@dataclass(frozen=True)
class DocumentSpec:
    """The table part of a spec: which documents it serves and what tables they hold."""

    name: str                        # the spec's file name, e.g. "par.yaml"
    kind: str                        # "par", "plan", …
    documents: tuple[str, ...]       # file-name globs
    tables: tuple[TableSpec, ...] = ()

    def table(self, key: str) -> TableSpec:
        return find_by_key(self.tables, key, f"spec {self.name}")
