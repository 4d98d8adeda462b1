"""All the checks of one document: the registered checks (`reconcilers.registry`), in their order."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from extractors.spec import DocumentSpec
from extractors.table import ExtractedDocument
from reconcilers.finding import Finding
from reconcilers.meaning import InterpretedTable
from reconcilers.registry import ChecksSpec, run_checks
from reconcilers.rules import TableRule
from reconcilers.spec_rules import spec_rules


@dataclass(frozen=True)
class Reconciliation:
    """A document's findings, the frames the expectations and the report read, and the rules its
    tables hold (each also an expectation of its table's suite)."""

    document: ExtractedDocument
    findings: tuple[Finding, ...]
    frames: dict[str, pd.DataFrame] = field(default_factory=dict, hash=False)
    rules: tuple[TableRule, ...] = ()
    interpreted: tuple[InterpretedTable, ...] = ()   # the tables as inference read them (roles, figures)


def reconcile(document: ExtractedDocument, spec: DocumentSpec | None, checks: ChecksSpec | None) -> Reconciliation:
    findings, context = run_checks(document, spec, checks if spec is not None else None)
    interpreted = tuple(context.interpreted)
    rules = spec_rules(context.tables, spec, checks) if spec is not None and checks is not None else ()
    inferred = tuple(rule for table in interpreted for rule in table.rules)
    return Reconciliation(document, tuple(findings), context.frames, rules + inferred, interpreted)
