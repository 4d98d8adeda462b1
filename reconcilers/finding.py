"""A check's result as data: one entry of `outputs/results.json`, passed or failed."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from reconcilers.rules import TableRule

CHECKS = (
    "sum_total", "row_arithmetic", "cross_table", "twin_table", "name_match", "coverage",
    "percentage", "claim", "extraction", "alignment", "source_name", "acronym", "expectation",
    "document", "unit_equivalence", "numbering", "formula", "cross_footing", "threshold",
    # EITI Summary Data declarations (reconcilers/summary_data)
    "declaration_part", "agency_total", "company_total", "stream_total", "currency", "gfs_code",
    "duplicate_line", "number_as_text", "required_field", "negative_value", "declared_count",
)
SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Location:
    """A cell of a table, or a passage of the prose."""

    page: int | str | None = None
    table: str | None = None       # as the report names it: "Tableau 5"
    row: int | str | None = None
    column: str | None = None
    text: str | None = None        # the raw text, as evidence
    table_key: str | None = None   # the spec's key, to link the finding to the rendered cell
    sheet: str | None = None       # spreadsheets: the sheet and the cell address, instead of a page
    cell: str | None = None

    def as_dict(self) -> dict[str, Any]:
        where: dict[str, Any] = {"sheet": self.sheet, "cell": self.cell} if self.sheet else {"page": self.page}
        return where | {"table": self.table, "row": self.row, "column": self.column, "text": self.text}


@dataclass(frozen=True)
class Finding:
    """One check on one subject: what was expected, what the document says, where."""

    document: str
    check: str
    status: str                    # pass | fail
    severity: str                  # error | warning | info
    subject: str
    field: str
    message_fr: str
    message_en: str
    expected: Any = None
    observed: Any = None
    unit: str = ""
    tables: tuple[str, ...] = ()
    location: Location = Location()
    evidence: tuple[Location, ...] = ()   # the other cells the check read
    key: str = ""                         # what makes the id unique when subject/field do not
    rule: TableRule | None = None         # the rule checked, spec'd or inferred, with its support

    def __post_init__(self) -> None:
        if self.check not in CHECKS:
            raise ValueError(f"unknown check {self.check!r}")
        if self.status not in ("pass", "fail") or self.severity not in SEVERITIES:
            raise ValueError(f"bad status/severity {self.status!r}/{self.severity!r}")

    @property
    def id(self) -> str:
        parts = [self.check, "+".join(self.tables), self.subject, self.field, self.key]
        return f"{_slug(self.document)}:" + "/".join(_slug(p) for p in parts if p)

    @property
    def difference(self) -> float | None:
        if isinstance(self.expected, (int, float)) and isinstance(self.observed, (int, float)):
            return float(self.observed) - float(self.expected)
        return None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "document": self.document,
            "check": self.check,
            "status": self.status,
            "severity": self.severity,
            "tables": list(self.tables),
            "subject": self.subject,
            "field": self.field,
            "expected": _plain(self.expected),
            "observed": _plain(self.observed),
            "difference": self.difference,
            "unit": self.unit,
            "message_fr": self.message_fr,
            "message_en": self.message_en,
            "location": self.location.as_dict(),
            "evidence": [location.as_dict() for location in self.evidence],
        } | ({"rule": self.rule.as_dict()} if self.rule else {})


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):          # numpy scalars
        return value.item()
    return value


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", str(text))
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9.]+", "-", folded).strip("-")
