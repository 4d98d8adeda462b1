"""Every table a spec does not check: its meaning inferred, its rules found, each rule checked.

The inference modules each find one family of rules (totals, cross-footing, column relations,
shares, thresholds) and each family has one check; a spec'd rule for a table wins over an
inferred one, so a table the spec checks is left to the spec.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from extractors.table import ExtractedDocument
from reconcilers.finding import Finding
from reconcilers.inferred_totals import (
    check_cross_footing,
    check_sum_rules,
    infer_cross_footing,
    infer_total_rules,
)
from reconcilers.meaning import InterpretedTable, interpret_document
from reconcilers.relations import check_relations, infer_relations


def infer_and_check(document: ExtractedDocument, specified: Collection[str] = ()) -> tuple[
        list[InterpretedTable], list[Finding]]:
    """The interpreted tables (with their inferred rules) and the findings of those rules;
    tables whose keys are in `specified` are interpreted but not checked."""
    interpreted: list[InterpretedTable] = []
    findings: list[Finding] = []
    for table in interpret_document(document):
        if table.key in specified:
            interpreted.append(table)
            continue
        totals, notes = infer_total_rules(table)
        crossed = infer_cross_footing(table)
        relations = infer_relations(table)
        table = replace(table, rules=tuple(totals + crossed + relations))
        findings += (notes + check_sum_rules(table, totals) + check_cross_footing(table, crossed)
                     + check_relations(table, relations))
        interpreted.append(table)
    return interpreted, findings
