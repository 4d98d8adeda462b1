"""Every stated total and sub-total, recomputed from the rows it adds up.

A spec'd total (`checks.totals`) and an inferred one are the same `TableRule` and go through the
same verification, `verify_total`: the rows it names (some maybe in the table it continues), the
rounding allowance of every figure read (each part's half unit and the total's, a round total
allowed its zeros). What the origin changes is said, not computed: a spec'd rule is the user's, its
break is an error worded as the spec's check; an inferred rule's is a warning that shows its support.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import pandas as pd

from extractors.quantity import QuantityError, format_quantity, parse_quantity
from extractors.spec import TableSpec
from extractors.table import ROW_LABEL, ExtractedTable
from reconcilers.cells import cell_location, unit_of
from reconcilers.finding import Finding
from reconcilers.inferred_messages import TOTAL, TOTAL_AVERAGE, fill, with_difference
from reconcilers.meaning import InterpretedTable, interpret
from reconcilers.messages import MESSAGES as COMPARISON
from reconcilers.messages import comparison
from reconcilers.parts import (
    SUM_TOTAL,
    UNIT_EQUIVALENCE,
    Check,
    CheckContext,
    Reference,
    Template,
    verify,
)
from reconcilers.rules import TableRule
from reconcilers.spec_rules import total_rules

_ABSOLUTE_SLACK = 1e-6
_SLACK = 1e-9
ROUNDED_FROM = 1000            # whole totals this large ending in zeros may be rounded to them
MESSAGES: dict[str, Template] = {
    "rows_sum": Template("somme des {n} lignes", "sum of {n} rows"),
    "labelled_sum": Template("somme de {labels}", "sum of {labels}"),
    "total": Template("{label} — {what} ({parts})", "{label} — {what} ({parts})"),
    "recomputed": Template("recalculé", "recomputed"),
    "written_twice": Template("Double écriture « {text} »", "Figure written twice “{text}”"),
    "first_figure": Template("premier chiffre", "first figure"),
    "second_figure": Template("second", "second"),
}


@dataclass(frozen=True)
class TotalRow:
    """One row of an interpreted table, as a total or a part of one."""

    it: InterpretedTable
    index: int

    @property
    def role(self) -> str:
        return self.it.row_roles[self.it.table.values.index.get_loc(self.index)]

    def value(self, column: str) -> float:
        return float(self.it.figures.by_column.get(column, {}).get(self.index, math.nan))

    def bare(self) -> bool:
        """No label and no words: only figures (a sub-total printed without its caption)."""
        text = [key for key in self.it.columns_with("label", "text", "category")]
        return not self.it.label(self.index) and not any(str(self.it.table.cells.at[self.index, k] or "").strip()
                                                         for k in text)


def row_sum(rows: list[TotalRow] | tuple[TotalRow, ...], column: str) -> tuple[float, float, int]:
    """Sum of the figures of a column over rows, its rounding allowance, how many non-zero."""
    values = [(r.value(column), r.it.tolerance(r.index, column)) for r in rows]
    present = [(v, t) for v, t in values if not math.isnan(v)]
    return (math.fsum(v for v, _ in present), math.fsum(t for _, t in present),
            sum(1 for v, _ in present if v != 0))


def stated_allowance(row: TotalRow, column: str) -> float:
    """The stated total's rounding allowance: half a unit of its last digit, and, for a labelled
    total of at least ROUNDED_FROM ending in two zeros or more, of its last non-zero digit (`111,800`
    may be rounded to hundreds; a bare `10` is no rounded figure)."""
    stated = row.value(column)
    printed = row.it.tolerance(row.index, column)
    labelled = row.role in ("total", "subtotal")
    if labelled and printed <= 0.5 and abs(stated) >= ROUNDED_FROM and float(stated).is_integer():
        digits = str(int(abs(stated)))
        zeros = len(digits) - len(digits.rstrip("0"))
        if zeros >= 2:
            printed = max(printed, 0.5 * 10 ** zeros)
    return printed + _SLACK * abs(stated)


def verify_total(it: InterpretedTable, rule: TableRule) -> list[Finding]:
    """A sum (or mean) rule checked on each of its columns where the total states a figure."""
    if rule.target_row is None or rule.formula not in ("sum", "mean"):
        return []
    tables = {t.key: t for t in it.chain()}
    target = TotalRow(it, rule.target_row)
    parts = [TotalRow(tables[key], index) for key, index in rule.operand_rows if key in tables]
    findings = []
    for column in rule.columns:
        stated = target.value(column)
        if math.isnan(stated):
            continue
        total, allowance, _ = row_sum(parts, column)
        present = [p for p in parts if not math.isnan(p.value(column))]
        count = max(len(present), 1)
        expected, allowance = (total, allowance) if rule.formula == "sum" else (total / count, allowance / count)
        passed = abs(stated - expected) <= allowance + stated_allowance(target, column)
        said = _inferred_finding if rule.source == "inferred" else _spec_finding
        findings.append(said(target, parts, present, column, rule, expected, stated, passed))
    return findings


def check_totals(table: ExtractedTable, spec: TableSpec) -> list[Finding]:
    """A table's spec'd totals (numbered: TOTAL = the items; labelled: each row's `sum_of`), the
    table read alone."""
    it = interpret(table)
    return [f for rule in total_rules(table, spec) for f in verify_total(it, rule)]


def _inferred_finding(target: TotalRow, parts: list[TotalRow], present: list[TotalRow], column: str,
                      rule: TableRule, expected: float, stated: float, passed: bool) -> Finding:
    it = target.it
    unit = it.unit(column)
    values = {lang: (format_quantity(expected, unit, lang), format_quantity(stated, unit, lang)) for lang in ("fr", "en")}
    template = TOTAL if rule.formula == "sum" else TOTAL_AVERAGE
    assert rule.support is not None
    fr, en = fill(template, label=rule.target, column=it.header(column), rule=(rule.text_fr, rule.text_en),
                  support=(rule.support.text("fr"), rule.support.text("en")), count=len(present),
                  expected=(values["fr"][0], values["en"][0]), observed=(values["fr"][1], values["en"][1]))
    fr, en = with_difference(fr, en, stated - expected, unit)
    suffix = f"-{rule.key}" if rule.key else ""
    return Finding(
        document=it.table.provenance.document, check="sum_total", status="pass" if passed else "fail",
        severity="warning", subject=rule.target, field=it.header(column), expected=expected, observed=stated,
        unit=unit, tables=(it.table.provenance.title,), location=it.location(target.index, column),
        evidence=tuple(p.it.location(p.index, column) for p in present),
        message_fr=fr, message_en=en, key=f"{it.key}-{target.index}-{column}-{rule.formula}{suffix}", rule=rule)


def _spec_finding(target: TotalRow, parts: list[TotalRow], present: list[TotalRow], column: str,
                  rule: TableRule, expected: float, stated: float, passed: bool) -> Finding:
    """Worded as the spec's check: the rows named, or, for a closing total over every item, their count."""
    table = target.it.table
    items = set(table.items().index)
    if {index for _, index in rule.operand_rows} == items and len(items) > 1:
        shown = present
        words = MESSAGES["rows_sum"].render({"n": len(present)})
    else:
        shown = parts
        labels = " + ".join(str(table.cells.at[p.index, ROW_LABEL]) for p in parts)
        words = MESSAGES["labelled_sum"].render({"labels": labels})
    evidence = tuple(cell_location(p.it.table, p.index, column) for p in shown)
    finding = sum_finding(table, target.index, column, expected, stated, evidence, *words, passed=passed)
    return replace(finding, rule=rule, key=finding.key + (f"-{rule.key}" if rule.key else ""))


def sum_finding(
    table: ExtractedTable, index: int, column: str, expected: float, stated: float,
    evidence: tuple, parts_fr: str, parts_en: str, passed: bool | None = None,
) -> Finding:
    """A stated total against its recomputation, in the words of the spec'd checks; `passed` when
    the caller verified it (else within the stated figure's own rounding)."""
    tolerance = table.tolerances.at[index, column]
    tolerance = _ABSOLUTE_SLACK + (0.0 if pd.isna(tolerance) else float(tolerance))
    unit = unit_of(table, column)
    label = str(table.cells.at[index, ROW_LABEL])
    what = table.column(column).label
    what_fr, what_en = MESSAGES["total"].render({"label": label, "what": what, "parts": parts_fr},
                                                {"label": label, "what": what, "parts": parts_en})
    recomputed_fr, recomputed_en = MESSAGES["recomputed"].render({})
    fr, en = comparison(what_fr, what_en, expected, stated, unit, expected_fr=recomputed_fr, expected_en=recomputed_en)
    if passed is None:
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
    """`checks.totals`: the tables whose stated totals and sub-totals are recomputed; the verifier
    of every sum rule, spec'd or inferred."""

    name = "totals"
    schema = tuple[str, ...]
    emits = (SUM_TOTAL,)
    messages = MESSAGES | COMPARISON
    verifies = (SUM_TOTAL.name,)

    def references(self, config: tuple[str, ...]) -> list[Reference]:
        return [Reference((i,), key, None) for i, key in enumerate(config)]

    def run(self, context: CheckContext, config: tuple[str, ...]) -> list[Finding]:
        if context.spec is None:
            return []
        return [f for key in config if key in context.tables
                for rule in total_rules(context.tables[key], context.spec.table(key)) for f in verify(rule, context)]

    def verify(self, it: InterpretedTable, rule: TableRule, context: CheckContext) -> list[Finding]:
        return verify_total(it, rule)


class EquivalenceCheck(Check):
    """Every document: a figure written twice in one cell ("12 300 m2 soit 1,23 ha")."""

    name = UNIT_EQUIVALENCE.name
    emits = (UNIT_EQUIVALENCE,)
    messages = MESSAGES | COMPARISON

    def run(self, context: CheckContext, config: None) -> list[Finding]:
        return [f for table in context.document.tables for f in check_equivalences(table)]
