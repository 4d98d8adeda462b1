"""The `checks:` part of a spec, as small frozen records the reconcilers take.

Each record is the configuration schema of a registered check (`reconcilers.registry`): it is
validated when the spec loads, unknown keys forbidden (`SPEC_RECORD`). Cells and aggregates
are named with the short syntax of `reconcilers.cells.CellRef`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import BeforeValidator

from extractors.spec import SPEC_RECORD
from reconcilers.cells import CellRef

Ref = Annotated[CellRef, BeforeValidator(lambda v: v if isinstance(v, CellRef) else CellRef.parse(v))]


@dataclass(frozen=True)
class ArithmeticRule:
    """A column that must equal a formula over other columns of the same row."""

    __pydantic_config__ = SPEC_RECORD

    table: str
    column: str
    formula: str                 # pandas expression over column keys: "total_parcel - surface_affected"
    label_fr: str = ""
    label_en: str = ""


@dataclass(frozen=True)
class ShareRule:
    """A row that states its own percentage of another row ("Imprévus (N %)")."""

    __pydantic_config__ = SPEC_RECORD

    table: str
    row: str
    rate_column: str
    amount_column: str


@dataclass(frozen=True)
class EntityRule:
    """An entity (a PAP) named in several tables: linked across them by its spelling."""

    __pydantic_config__ = SPEC_RECORD

    kind: str
    column: str
    complete: tuple[str, ...]    # tables that must list every entity
    partial: tuple[str, ...] = ()
    threshold: float = 85.0


@dataclass(frozen=True)
class PerEntityRule:
    """The same entity's values must agree between two tables."""

    __pydantic_config__ = SPEC_RECORD

    left: str
    right: str
    entity: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class DeclaredLossRule:
    """A loss named in a table ("<arbres>") must have a line where it is compensated."""

    __pydantic_config__ = SPEC_RECORD

    table: str
    column: str
    keyword: str
    entity: str
    requires: tuple[Ref, ...] = ()   # columns (with the entity) that must hold it; none: never compensated
    label_fr: str = ""
    label_en: str = ""


@dataclass(frozen=True)
class AgreementRule:
    """Two figures stated in different places must be equal."""

    __pydantic_config__ = SPEC_RECORD

    left: Ref
    right: Ref
    label_fr: str = ""
    label_en: str = ""


@dataclass(frozen=True)
class TwinRule:
    """An executive-summary table and its twin in the body: compared cell by cell."""

    __pydantic_config__ = SPEC_RECORD

    summary: str
    body: str


@dataclass(frozen=True)
class ClaimRule:
    """A figure quoted in the prose, found by a regex, checked against a table or another claim."""

    __pydantic_config__ = SPEC_RECORD

    key: str
    pattern: str
    label_fr: str
    label_en: str
    type: str = ""                        # a quantity type, "date" or "text"; by default the compared column's,
    unit: str | None = None               # else read from the quoted text (a date, a figure, else words)
    compare: dict[str, Ref] = field(default_factory=dict, hash=False)   # group -> reference
    claims: dict[str, str] = field(default_factory=dict, hash=False)        # group -> other claim key
    op: Literal["eq", "lt", "le", "gt", "ge"] = "eq"   # reference OP claimed value
    consistent: bool | None = None        # all occurrences must agree; by default when no table is compared
    scale: dict[str, float] = field(default_factory=dict, hash=False)       # group -> factor before comparing
    severity: Literal["error", "warning", "info"] = "error"
