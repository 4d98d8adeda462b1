"""Every stated total and sub-total, recomputed from the rows it adds up."""

from __future__ import annotations

import math

import pandas as pd

from extractors.quantity import QuantityError, parse_quantity
from extractors.spec import TableSpec
from extractors.table import ROW_KIND, ROW_LABEL, ExtractedTable
from reconcilers.cells import cell_location, unit_of
from reconcilers.finding import Finding
from reconcilers.messages import MESSAGES as COMPARISON
from reconcilers.messages import comparison
from reconcilers.parts import (
    SUM_TOTAL,
    UNIT_EQUIVALENCE,
    Check,
    CheckContext,
    Reference,
    Template,
)
from reconcilers.rules import TableRule

_ABSOLUTE_SLACK = 1e-6
MESSAGES: dict[str, Template] = {
    "rows_sum": Template("somme des {n} lignes", "sum of {n} rows"),
    "labelled_sum": Template("somme de {labels}", "sum of {labels}"),
    "total": Template("{label} — {what} ({parts})", "{label} — {what} ({parts})"),
    "recomputed": Template("recalculé", "recomputed"),
    "written_twice": Template("Double écriture « {text} »", "Figure written twice “{text}”"),
    "first_figure": Template("premier chiffre", "first figure"),
    "second_figure": Template("second", "second"),
}


def check_totals(table: ExtractedTable, spec: TableSpec) -> list[Finding]:
    """Numbered tables: the TOTAL row against the sum of the items. Labelled tables: each
    sub-total and total against the rows the spec says it adds up."""
    if spec.rows:
        return _labelled_sums(table, spec)
    return _closing_total(table)


def _closing_total(table: ExtractedTable) -> list[Finding]:
    findings: list[Finding] = []
    items = table.items()
    for index in table.values.index[table.values[ROW_KIND] == "total"]:
        for column in table.columns:
            stated = table.values.at[index, column.key]
            if not column.is_quantity or pd.isna(stated):
                continue
            parts = pd.to_numeric(items[column.key], errors="coerce")
            evidence = tuple(cell_location(table, int(i), column.key) for i in parts.dropna().index)
            findings.append(sum_finding(
                table, int(index), column.key, float(parts.sum()), float(stated), evidence,
                *MESSAGES["rows_sum"].render({"n": len(parts.dropna())}),
            ))
    return findings


def _labelled_sums(table: ExtractedTable, spec: TableSpec) -> list[Finding]:
    return [finding for rule in labelled_rules(spec) for finding in verify_sum(table, rule)]


def labelled_rules(spec: TableSpec) -> list[TableRule]:
    """The sub-totals and totals a spec lists by label (`sum_of`), as rules."""
    return [TableRule(table=spec.key, check=SUM_TOTAL.name, target=row.key, operands=row.sum_of, formula="sum",
                      text_fr=f"{row.key} = " + " + ".join(row.sum_of), text_en=f"{row.key} = " + " + ".join(row.sum_of))
            for row in spec.rows if row.sum_of]


def verify_sum(table: ExtractedTable, rule: TableRule) -> list[Finding]:
    """The row labelled `rule.target` against the sum of the rows labelled `rule.operands`, on each
    quantity column (or `rule.columns`) where it states a figure; silent when the target is absent."""
    keyed = {str(label): int(i) for i, label in table.values[ROW_LABEL].items()}
    if rule.target not in keyed:
        return []
    index = keyed[rule.target]
    present = [keyed[k] for k in rule.operands if k in keyed]
    findings: list[Finding] = []
    for column in table.columns:
        stated = table.values.at[index, column.key]
        if not column.is_quantity or pd.isna(stated) or (rule.columns and column.key not in rule.columns):
            continue
        parts = [table.values.at[i, column.key] for i in present]
        parts = [float(p) for p in parts if not pd.isna(p)]
        labels = [str(table.cells.at[i, ROW_LABEL]) for i in present]
        findings.append(sum_finding(
            table, index, column.key, math.fsum(parts), float(stated),
            tuple(cell_location(table, i, column.key) for i in present),
            *MESSAGES["labelled_sum"].render({"labels": " + ".join(labels)}),
        ))
    return findings


def sum_finding(
    table: ExtractedTable, index: int, column: str, expected: float, stated: float,
    evidence: tuple, parts_fr: str, parts_en: str,
) -> Finding:
    tolerance = table.tolerances.at[index, column]
    tolerance = _ABSOLUTE_SLACK + (0.0 if pd.isna(tolerance) else float(tolerance))
    unit = unit_of(table, column)
    label = str(table.cells.at[index, ROW_LABEL])
    what = table.column(column).label
    what_fr, what_en = MESSAGES["total"].render({"label": label, "what": what, "parts": parts_fr},
                                                {"label": label, "what": what, "parts": parts_en})
    recomputed_fr, recomputed_en = MESSAGES["recomputed"].render({})
    fr, en = comparison(what_fr, what_en, expected, stated, unit, expected_fr=recomputed_fr, expected_en=recomputed_en)
    passed = abs(stated - expected) <= tolerance
    return Finding(
        document=table.provenance.document, check="sum_total",
        status="pass" if passed else "fail", severity="error",
        subject=label, field=what, expected=expected, observed=stated, unit=unit,
        tables=(table.provenance.title,), location=cell_location(table, index, column),
        evidence=evidence, message_fr=fr, message_en=en, key=table.key,
    )


def check_equivalences(table: ExtractedTable) -> list[Finding]:
    """A cell that states one figure two ways ("12 300 m2 soit 1,23ha") must agree with itself."""
    findings: list[Finding] = []
    for column in table.columns:
        if not column.is_quantity:
            continue
        for index, text in table.cells[column.key].items():
            try:
                quantity = parse_quantity(str(text), column.type, column.unit) if text else None
            except QuantityError:
                continue
            if quantity is None or not quantity.equivalents:
                continue
            second = quantity.equivalents[0]
            other = second.value
            slack = max(quantity.tolerance, second.tolerance)
            unit = unit_of(table, column.key)
            twice_fr, twice_en = MESSAGES["written_twice"].render({"text": text})
            first_fr, first_en = MESSAGES["first_figure"].render({})
            second_fr, second_en = MESSAGES["second_figure"].render({})
            fr, en = comparison(twice_fr, twice_en, quantity.value, other, unit, expected_fr=first_fr,
                                expected_en=first_en, observed_fr=second_fr, observed_en=second_en)
            findings.append(Finding(
                document=table.provenance.document, check="unit_equivalence",
                status="pass" if abs(other - quantity.value) <= slack else "fail", severity="warning",
                subject=str(table.cells.at[index, ROW_LABEL]), field=column.label,
                expected=quantity.value, observed=other, unit=unit, tables=(table.provenance.title,),
                location=cell_location(table, int(index), column.key), message_fr=fr, message_en=en,
                key=table.key,
            ))
    return findings


class TotalsCheck(Check):
    """`checks.totals`: the tables whose stated totals and sub-totals are recomputed."""

    name = "totals"
    schema = tuple[str, ...]
    emits = (SUM_TOTAL,)
    messages = MESSAGES | COMPARISON
    verifies = SUM_TOTAL.name

    def references(self, config: tuple[str, ...]) -> list[Reference]:
        return [Reference((i,), key, None) for i, key in enumerate(config)]

    def run(self, context: CheckContext, config: tuple[str, ...]) -> list[Finding]:
        if context.spec is None:
            return []
        return [f for key in config if key in context.tables
                for f in check_totals(context.tables[key], context.spec.table(key))]

    def verify(self, table: ExtractedTable, rule: TableRule) -> list[Finding]:
        return verify_sum(table, rule)


class EquivalenceCheck(Check):
    """Every document: a figure written twice in one cell ("12 300 m2 soit 1,23 ha")."""

    name = UNIT_EQUIVALENCE.name
    emits = (UNIT_EQUIVALENCE,)
    messages = MESSAGES | COMPARISON

    def run(self, context: CheckContext, config: None) -> list[Finding]:
        return [f for table in context.document.tables for f in check_equivalences(table)]
