"""Row arithmetic: a column that must equal a formula over the other columns of its row."""

from __future__ import annotations

import pandas as pd

from extractors.table import ROW_LABEL, ExtractedTable
from reconcilers.cells import cell_location, unit_of
from reconcilers.checks import ArithmeticRule
from reconcilers.finding import Finding
from reconcilers.messages import comparison
from reconcilers.names import split_joined

_SLACK = 1e-6


def check_row_arithmetic(table: ExtractedTable, rule: ArithmeticRule) -> list[Finding]:
    """One finding per item row: the stated value against the formula, within the rounding
    of the stated figure (9,77 ha stands for 9,775 ha; 5,55 ha does not stand for 5,4 ha)."""
    items = table.items()
    numeric = items[[c.key for c in table.columns if c.is_quantity]].apply(pd.to_numeric, errors="coerce")
    expected = numeric.eval(rule.formula)
    inputs = [c.key for c in table.columns if c.key in rule.formula and c.key != rule.column]
    unit = unit_of(table, rule.column)
    what_fr = rule.label_fr or f"{table.column(rule.column).label} = {rule.formula}"
    what_en = rule.label_en or what_fr
    findings: list[Finding] = []
    for index in items.index:
        stated, computed = numeric.at[index, rule.column], expected.at[index]
        if pd.isna(stated) or pd.isna(computed):
            continue
        tolerance = table.tolerances.at[index, rule.column]
        tolerance = _SLACK + (0.0 if pd.isna(tolerance) else float(tolerance))
        subject = split_joined(str(table.cells.at[index, _subject_column(table)] or table.cells.at[index, ROW_LABEL]))
        fr, en = comparison(f"{subject} — {what_fr}", f"{subject} — {what_en}",
                            float(computed), float(stated), unit,
                            expected_fr="calculé", expected_en="computed")
        findings.append(Finding(
            document=table.provenance.document, check="row_arithmetic",
            status="pass" if abs(stated - computed) <= tolerance else "fail", severity="error",
            subject=subject, field=table.column(rule.column).label,
            expected=float(computed), observed=float(stated), unit=unit,
            tables=(table.provenance.title,), location=cell_location(table, int(index), rule.column),
            evidence=tuple(cell_location(table, int(index), c) for c in inputs),
            message_fr=fr, message_en=en, key=f"{table.key}-{table.cells.at[index, ROW_LABEL]}",
        ))
    return findings


def _subject_column(table: ExtractedTable) -> str:
    """The column that names the row's entity, if any, else the row label."""
    for column in table.columns:
        if column.entity:
            return column.key
    return ROW_LABEL
