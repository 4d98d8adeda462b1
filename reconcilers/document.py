"""All the checks of one document, run in the order data flows: links first, then comparisons."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from extractors.spec import DocumentSpec
from extractors.table import ExtractedDocument
from reconcilers.arithmetic import check_row_arithmetic
from reconcilers.budget import check_budget
from reconcilers.checks import ChecksSpec
from reconcilers.claims import check_claims
from reconcilers.cross_table import (
    check_agreement,
    check_declared_losses,
    check_per_entity,
    check_twins,
)
from reconcilers.entities import (
    EntityIndex,
    entity_findings,
    entity_frame,
    link_table_entities,
)
from reconcilers.extraction import (
    broken_reference_findings,
    caption_findings,
    duplicate_row_findings,
    problem_findings,
)
from reconcilers.finding import Finding
from reconcilers.formulas import check_formulas
from reconcilers.inference import infer_and_check
from reconcilers.meaning import InterpretedTable
from reconcilers.rules import TableRule
from reconcilers.shares import check_share
from reconcilers.spec_rules import spec_rules
from reconcilers.totals import check_equivalences, check_totals


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
    tables = {t.key: t for t in document.tables}
    findings: list[Finding] = (problem_findings(document) + caption_findings(document)
                               + broken_reference_findings(document))
    frames: dict[str, pd.DataFrame] = {}
    for table in document.tables:
        findings += check_equivalences(table) + duplicate_row_findings(table) + check_formulas(table)
    if spec is None or checks is None:
        interpreted, inferred = infer_and_check(document)
        return Reconciliation(document, tuple(findings + inferred), frames, _inferred_rules(interpreted),
                              tuple(interpreted))
    interpreted, inferred = infer_and_check(document, specified={t.key for t in spec.tables})
    findings += inferred
    for key in checks.totals:
        if key in tables:
            findings += check_totals(tables[key], spec.table(key))
    for rule in checks.arithmetic:
        if rule.table in tables:
            findings += check_row_arithmetic(tables[rule.table], rule)
    for rule in checks.shares:
        if rule.table in tables:
            findings += check_share(tables[rule.table], spec.table(rule.table), rule)
    indexes: dict[str, EntityIndex] = {}
    for rule in checks.entities:
        index = link_table_entities(tables, rule)
        indexes[rule.kind] = index
        findings += entity_findings(index, tables, rule, document.name)
        frames[f"entities_{rule.kind}"] = entity_frame(index, tables)
    for rule in checks.per_entity:
        if {rule.left, rule.right} <= tables.keys() and rule.entity in indexes:
            findings += check_per_entity(rule, tables, indexes[rule.entity])
    for rule in checks.declared_losses:
        if rule.table in tables and rule.entity in indexes:
            findings += check_declared_losses(rule, tables, indexes[rule.entity])
    for rule in checks.agreements:
        findings += check_agreement(rule, tables, document.name)
    for rule in checks.twins:
        if {rule.summary, rule.body} <= tables.keys():
            findings += check_twins(rule, tables)
    findings += check_claims(checks.claims, document.text, tables, document.name, document.page_at)
    if checks.budget is not None:
        budget = check_budget(tables, checks.budget)
        findings += budget.findings
        frames.update(budget.frames)
    return Reconciliation(document, tuple(findings), frames,
                          spec_rules(tables, spec, checks) + _inferred_rules(interpreted), tuple(interpreted))


def _inferred_rules(interpreted: list[InterpretedTable]) -> tuple[TableRule, ...]:
    return tuple(rule for table in interpreted for rule in table.rules)
