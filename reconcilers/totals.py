"""Every stated total and sub-total, recomputed from the rows it adds up."""

from __future__ import annotations

import math

import pandas as pd

from extractors.quantity import QuantityError, parse_quantity
from extractors.spec import TableSpec
from extractors.table import ROW_KIND, ROW_LABEL, ExtractedTable
from reconcilers.cells import cell_location, unit_of
from reconcilers.finding import Finding
from reconcilers.messages import comparison

_ABSOLUTE_SLACK = 1e-6


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
                f"somme des {len(parts.dropna())} lignes", f"sum of {len(parts.dropna())} rows",
            ))
    return findings


def _labelled_sums(table: ExtractedTable, spec: TableSpec) -> list[Finding]:
    findings: list[Finding] = []
    keyed = {str(label): int(i) for i, label in table.values[ROW_LABEL].items()}
    for row in spec.rows:
        if not row.sum_of or row.key not in keyed:
            continue
        index = keyed[row.key]
        present = [keyed[k] for k in row.sum_of if k in keyed]
        for column in table.columns:
            stated = table.values.at[index, column.key]
            if not column.is_quantity or pd.isna(stated):
                continue
            parts = [table.values.at[i, column.key] for i in present]
            parts = [float(p) for p in parts if not pd.isna(p)]
            labels = [str(table.cells.at[i, ROW_LABEL]) for i in present]
            findings.append(sum_finding(
                table, index, column.key, math.fsum(parts), float(stated),
                tuple(cell_location(table, i, column.key) for i in present),
                "somme de " + " + ".join(labels), "sum of " + " + ".join(labels),
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
    fr, en = comparison(f"{label} — {what} ({parts_fr})", f"{label} — {what} ({parts_en})",
                        expected, stated, unit, expected_fr="recalculé", expected_en="recomputed")
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
            fr, en = comparison(f"Double écriture « {text} »", f"Figure written twice “{text}”",
                                quantity.value, other, unit, expected_fr="premier chiffre",
                                expected_en="first figure", observed_fr="second", observed_en="second")
            findings.append(Finding(
                document=table.provenance.document, check="unit_equivalence",
                status="pass" if abs(other - quantity.value) <= slack else "fail", severity="warning",
                subject=str(table.cells.at[index, ROW_LABEL]), field=column.label,
                expected=quantity.value, observed=other, unit=unit, tables=(table.provenance.title,),
                location=cell_location(table, int(index), column.key), message_fr=fr, message_en=en,
                key=table.key,
            ))
    return findings
