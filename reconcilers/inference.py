"""Every table a spec does not check: its meaning inferred, its rules found, each rule checked.

The inference modules each find one family of rules (totals, cross-footing, column relations,
shares, thresholds) and each family has one check; a spec'd rule for a table wins over an
inferred one, so a table the spec checks is left to the spec.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from extractors.table import ExtractedDocument
from reconcilers import inferred_messages as said
from reconcilers.finding import Finding
from reconcilers.inferred_totals import (
    check_cross_footing,
    check_sum_rules,
    infer_cross_footing,
    infer_total_rules,
)
from reconcilers.meaning import InterpretedTable, interpret_document
from reconcilers.parts import (
    CROSS_FOOTING,
    PERCENTAGE,
    ROW_ARITHMETIC,
    SUM_TOTAL,
    THRESHOLD,
    Check,
    CheckContext,
    Template,
)
from reconcilers.relations import (
    adopt_parallel_relations,
    adopt_sibling_relations,
    check_relations,
    check_shares,
    infer_relations,
    infer_shares,
)
from reconcilers.thresholds import (
    check_thresholds,
    explained_names,
    infer_threshold_rules,
)


def infer_and_check(document: ExtractedDocument, specified: Collection[str] = ()) -> tuple[
        list[InterpretedTable], list[Finding]]:
    """The interpreted tables (with their inferred rules) and the findings of those rules;
    tables whose keys are in `specified` are interpreted but not checked."""
    tables = interpret_document(document)
    free = [table for table in tables if table.key not in specified]
    with_relations = [replace(table, rules=tuple(infer_relations(table))) for table in free]
    findings: list[Finding] = []
    checked: dict[str, InterpretedTable] = {}
    for table in with_relations:
        relations = list(table.rules)
        relations += adopt_sibling_relations(table, relations, with_relations)
        relations += adopt_parallel_relations(table, relations)
        totals, notes = infer_total_rules(table)
        crossed = infer_cross_footing(table)
        related = {rule.target for rule in relations}
        shares = [rule for rule in infer_shares(table) if rule.target not in related]
        tied = {rule.target_row for rule in totals}
        totals += [rule for rule in shares if rule.check == "sum_total" and rule.target_row not in tied]
        shares = [rule for rule in shares if rule.check == "percentage"]
        thresholds = infer_threshold_rules(table, relations)
        table = replace(table, rules=tuple(totals + crossed + relations + shares + thresholds))
        position = tables.index(next(t for t in tables if t.key == table.key))
        following = tables[position + 1] if position + 1 < len(tables) else None
        findings += (notes + check_sum_rules(table, totals) + check_cross_footing(table, crossed)
                     + check_relations(table, relations) + check_shares(table, shares)
                     + check_thresholds(table, thresholds, explained_names(document, table, following)))
        checked[table.key] = table
    return [checked.get(table.key, table) for table in tables], findings


class InferenceCheck(Check):
    """Every document: the tables no spec checks get their rules inferred (totals, cross-footing,
    column relations, shares, thresholds), each rule checked and shown with its support."""

    name = "inference"
    emits = (SUM_TOTAL, CROSS_FOOTING, ROW_ARITHMETIC, PERCENTAGE, THRESHOLD)
    messages = {key: Template(*pair) for key, pair in {
        "rule_sum": said.RULE_SUM, "rule_sum_below": said.RULE_SUM_BELOW, "rule_sum_above": said.RULE_SUM_ABOVE,
        "rule_sum_section": said.RULE_SUM_SECTION, "rule_sum_subtotals": said.RULE_SUM_SUBTOTALS,
        "rule_cross_foot": said.RULE_CROSS_FOOT, "rule_share": said.RULE_SHARE, "rule_threshold": said.RULE_THRESHOLD,
        "total": said.TOTAL, "total_average": said.TOTAL_AVERAGE, "total_untied": said.TOTAL_UNTIED,
        "relation": said.RELATION, "threshold": said.THRESHOLD, "difference": said.DIFFERENCE,
    }.items()}

    def run(self, context: CheckContext, config: None) -> list[Finding]:
        specified = {t.key for t in context.spec.tables} if context.spec else ()
        interpreted, findings = infer_and_check(context.document, specified)
        context.interpreted.extend(interpreted)
        return findings
