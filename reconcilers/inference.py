"""Every table a spec does not check: its meaning inferred and its rules found, each rule then
verified by the registered check of its kind, the same that verifies a spec'd rule of that kind.

The inference modules each find one family of rules (totals, cross-footing, column relations,
shares, thresholds); a spec'd rule for a table wins over an inferred one, so a table the spec
checks is left to the spec.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from extractors.table import ExtractedDocument
from reconcilers import inferred_messages as said
from reconcilers.finding import Finding
from reconcilers.inferred_totals import (
    check_cross_footing,
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
    verify,
)
from reconcilers.relations import (
    adopt_parallel_relations,
    adopt_sibling_relations,
    check_shares,
    infer_relations,
    infer_shares,
)
from reconcilers.rules import TableRule
from reconcilers.thresholds import (
    check_thresholds,
    document_margin,
    explained_names,
    infer_threshold_rules,
)


def infer_rules(document: ExtractedDocument, specified: Collection[str] = ()) -> tuple[
        list[InterpretedTable], dict[str, list[Finding]]]:
    """The interpreted tables, those whose keys are not in `specified` with their inferred rules;
    and, by table, the notes said of the labelled totals no block of rows matches."""
    tables = interpret_document(document)
    stated = document_margin(document.text)
    free = [table for table in tables if table.key not in specified]
    with_relations = [replace(table, rules=tuple(infer_relations(table))) for table in free]
    inferred: dict[str, InterpretedTable] = {}
    notes: dict[str, list[Finding]] = {}
    for table in with_relations:
        relations = list(table.rules)
        relations += adopt_sibling_relations(table, relations, with_relations)
        relations += adopt_parallel_relations(table, relations)
        totals, notes[table.key] = infer_total_rules(table)
        crossed = infer_cross_footing(table)
        related = {rule.target for rule in relations}
        shares = [rule for rule in infer_shares(table) if rule.target not in related]
        tied = {rule.target_row for rule in totals}
        totals += [rule for rule in shares if rule.check == "sum_total" and rule.target_row not in tied]
        shares = [rule for rule in shares if rule.check == "percentage"]
        thresholds = infer_threshold_rules(table, relations, stated)
        inferred[table.key] = replace(table, rules=tuple(totals + crossed + relations + shares + thresholds))
    return [inferred.get(table.key, table) for table in tables], notes


class InferenceCheck(Check):
    """Every document: the tables no spec checks get their rules inferred (totals, cross-footing,
    column relations, shares, thresholds), each rule verified and shown with its support. It
    verifies the kinds only inference finds (total columns, shares of a total row, thresholds)."""

    name = "inference"
    emits = (SUM_TOTAL, CROSS_FOOTING, ROW_ARITHMETIC, PERCENTAGE, THRESHOLD)
    verifies = (CROSS_FOOTING.name, PERCENTAGE.name, THRESHOLD.name)
    messages = {key: Template(*pair) for key, pair in {
        "rule_sum": said.RULE_SUM, "rule_sum_below": said.RULE_SUM_BELOW, "rule_sum_above": said.RULE_SUM_ABOVE,
        "rule_sum_section": said.RULE_SUM_SECTION, "rule_sum_subtotals": said.RULE_SUM_SUBTOTALS,
        "rule_cross_foot": said.RULE_CROSS_FOOT, "rule_share": said.RULE_SHARE, "rule_threshold": said.RULE_THRESHOLD,
        "total": said.TOTAL, "total_average": said.TOTAL_AVERAGE, "total_untied": said.TOTAL_UNTIED,
        "total_not_summed": said.TOTAL_NOT_SUMMED, "reason_rates": said.REASON_RATES,
        "reason_scale": said.REASON_SCALE,
        "relation": said.RELATION, "threshold": said.THRESHOLD, "difference": said.DIFFERENCE,
    }.items()}

    def run(self, context: CheckContext, config: None) -> list[Finding]:
        specified = {t.key for t in context.spec.tables} if context.spec else ()
        interpreted, notes = infer_rules(context.document, specified)
        context.interpreted.extend(interpreted)
        return [f for table in interpreted if table.key in notes
                for f in notes[table.key] + [g for rule in table.rules for g in verify(rule, context)]]

    def verify(self, it: InterpretedTable, rule: TableRule, context: CheckContext) -> list[Finding]:
        if rule.check == CROSS_FOOTING.name:
            return check_cross_footing(it, [rule])
        if rule.check == PERCENTAGE.name:
            return check_shares(it, [rule])
        tables = context.interpreted_tables()
        position = next(i for i, table in enumerate(tables) if table.key == it.key)
        following = tables[position + 1] if position + 1 < len(tables) else None
        return check_thresholds(it, [rule], explained_names(context.document, it, following),
                                document_margin(context.document.text))
