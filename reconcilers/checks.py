"""The `checks:` part of a spec, as small frozen records the reconcilers take.

Cells and aggregates are named with the short syntax of `reconcilers.cells.CellRef`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reconcilers.budget import BudgetConfig, parse_budget
from reconcilers.cells import CellRef


@dataclass(frozen=True)
class ArithmeticRule:
    """A column that must equal a formula over other columns of the same row."""

    table: str
    column: str
    formula: str                 # pandas expression over column keys: "total_parcel - surface_affected"
    label_fr: str = ""
    label_en: str = ""


@dataclass(frozen=True)
class ShareRule:
    """A row that states its own percentage of another row ("Imprévus (2%)")."""

    table: str
    row: str
    rate_column: str
    amount_column: str


@dataclass(frozen=True)
class EntityRule:
    """An entity (a PAP) named in several tables: linked across them by its spelling."""

    kind: str
    column: str
    complete: tuple[str, ...]    # tables that must list every entity
    partial: tuple[str, ...] = ()
    threshold: float = 85.0


@dataclass(frozen=True)
class PerEntityRule:
    """The same entity's values must agree between two tables."""

    left: str
    right: str
    entity: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class DeclaredLossRule:
    """A loss named in a table ("manguiers") must have a line where it is compensated."""

    table: str
    column: str
    keyword: str
    entity: str
    requires: tuple[CellRef, ...] = ()   # columns (with the entity) that must hold it; none: never compensated
    label_fr: str = ""
    label_en: str = ""


@dataclass(frozen=True)
class AgreementRule:
    """Two figures stated in different places must be equal."""

    left: CellRef
    right: CellRef
    label_fr: str = ""
    label_en: str = ""


@dataclass(frozen=True)
class TwinRule:
    """An executive-summary table and its twin in the body: compared cell by cell."""

    summary: str
    body: str


@dataclass(frozen=True)
class ClaimRule:
    """A figure quoted in the prose, found by a regex, checked against a table or another claim."""

    key: str
    pattern: str
    label_fr: str
    label_en: str
    type: str = "number"                  # a quantity type, or "date" or "text"
    unit: str | None = None
    compare: dict[str, CellRef] = field(default_factory=dict, hash=False)   # group -> reference
    claims: dict[str, str] = field(default_factory=dict, hash=False)        # group -> other claim key
    op: str = "eq"                        # eq | lt | le | gt | ge: reference OP claimed value
    consistent: bool = False              # all occurrences must agree with each other
    scale: dict[str, float] = field(default_factory=dict, hash=False)       # group -> factor before comparing
    severity: str = "error"


@dataclass(frozen=True)
class ChecksSpec:
    """Every check a spec asks for."""

    totals: tuple[str, ...] = ()
    arithmetic: tuple[ArithmeticRule, ...] = ()
    shares: tuple[ShareRule, ...] = ()
    entities: tuple[EntityRule, ...] = ()
    per_entity: tuple[PerEntityRule, ...] = ()
    declared_losses: tuple[DeclaredLossRule, ...] = ()
    agreements: tuple[AgreementRule, ...] = ()
    twins: tuple[TwinRule, ...] = ()
    claims: tuple[ClaimRule, ...] = ()
    budget: BudgetConfig | None = None    # action plans: blocks, sources, legend (reconcilers/budget.py)

    def references(self) -> list[tuple[str, str | None]]:
        """(table, column) pairs named by the checks, so that a spec can be validated."""
        found: list[tuple[str, str | None]] = [(t, None) for t in self.totals]
        found += [(r.table, r.column) for r in self.arithmetic]
        found += [(r.table, r.rate_column) for r in self.shares] + [(r.table, r.amount_column) for r in self.shares]
        for rule in self.entities:
            found += [(t, rule.column) for t in rule.complete + rule.partial]
        for rule in self.per_entity:
            found += [(t, c) for t in (rule.left, rule.right) for c in rule.columns]
        for rule in self.declared_losses:
            found += [(rule.table, rule.column)] + [(r.table, r.column) for r in rule.requires]
        for rule in self.agreements:
            found += [(rule.left.table, rule.left.column), (rule.right.table, rule.right.column)]
        found += [(t, None) for rule in self.twins for t in (rule.summary, rule.body)]
        for rule in self.claims:
            found += [(r.table, r.column) for r in rule.compare.values()]
        return found


def parse_checks(data: dict[str, Any]) -> ChecksSpec:
    """Build the records from the `checks:` mapping of a spec; unknown keys are an error."""
    known = {"totals", "arithmetic", "shares", "entities", "per_entity", "declared_losses",
             "agreements", "twins", "claims", "budget"}
    unknown = set(data) - known
    if unknown:
        raise ValueError(f"checks: unknown key(s) {sorted(unknown)}")
    return ChecksSpec(
        totals=tuple(data.get("totals", ())),
        arithmetic=tuple(ArithmeticRule(**r) for r in data.get("arithmetic", ())),
        shares=tuple(ShareRule(**r) for r in data.get("shares", ())),
        entities=tuple(
            EntityRule(kind=kind, column=r["column"], complete=tuple(r["complete"]),
                       partial=tuple(r.get("partial", ())), threshold=float(r.get("threshold", 85)))
            for kind, r in (data.get("entities") or {}).items()
        ),
        per_entity=tuple(PerEntityRule(r["left"], r["right"], r["entity"], tuple(r["columns"]))
                         for r in data.get("per_entity", ())),
        declared_losses=tuple(
            DeclaredLossRule(
                table=r["table"], column=r["column"], keyword=r["keyword"], entity=r["entity"],
                requires=tuple(CellRef.parse(x) for x in r.get("requires", ())),
                label_fr=r.get("label_fr", ""), label_en=r.get("label_en", ""),
            )
            for r in data.get("declared_losses", ())
        ),
        agreements=tuple(
            AgreementRule(CellRef.parse(r["left"]), CellRef.parse(r["right"]),
                          r.get("label_fr", ""), r.get("label_en", ""))
            for r in data.get("agreements", ())
        ),
        twins=tuple(TwinRule(r["summary"], r["body"]) for r in data.get("twins", ())),
        claims=tuple(_claim(r) for r in data.get("claims", ())),
        budget=parse_budget(data["budget"]) if data.get("budget") else None,
    )


def _claim(entry: dict[str, Any]) -> ClaimRule:
    entry = dict(entry)
    entry["compare"] = {group: CellRef.parse(ref) for group, ref in (entry.get("compare") or {}).items()}
    entry["claims"] = dict(entry.get("claims") or {})
    entry["scale"] = {group: float(v) for group, v in (entry.get("scale") or {}).items()}
    if entry.get("op", "eq") not in ("eq", "lt", "le", "gt", "ge"):
        raise ValueError(f"claim {entry.get('key')}: unknown op {entry['op']!r}")
    return ClaimRule(**entry)
