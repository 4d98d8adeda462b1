"""Percentages stated beside amounts ("Imprévus (N %) <montant>") against the computed share."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from extractors.quantity import format_number, format_quantity
from extractors.spec import DocumentSpec, TableSpec
from extractors.table import ROW_LABEL, ExtractedTable
from reconcilers.cells import MissingCell, cell_location, row_index, unit_of
from reconcilers.checks import ShareRule
from reconcilers.finding import Finding
from reconcilers.parts import (
    PERCENTAGE,
    Check,
    CheckContext,
    Reference,
    SpecValueError,
    Template,
    dotted,
)

# A stated percentage is a rounded figure: it holds if the true share rounds to it.
_HALF_POINT = 0.5
MESSAGES: dict[str, Template] = {
    "row_missing": Template("{table} : pourcentage non vérifiable, ligne absente ({missing}).",
                            "{table}: percentage not checkable, row missing ({missing})."),
    "share_wrong": Template(
        "{label} : {amount} représente {share} % de {base} ({whole}), pas {rate} % ; à {rate} % le montant serait "
        "{expected} (règle : le taux annoncé doit être l’arrondi de la part calculée, à 0,5 point près).",
        "{label}: {amount} is {share}% of {base} ({whole}), not {rate}%; at {rate}% the amount would be "
        "{expected} (rule: the stated rate must be the computed share rounded, within 0.5 point)."),
    "share_right": Template("{label} : {share} % de {base}, conforme au taux annoncé.", "{label}: {share}% of {base}, as stated."),
}


def check_share(table: ExtractedTable, spec: TableSpec, rule: ShareRule) -> list[Finding]:
    row_spec = next(r for r in spec.rows if r.key == rule.row)
    if row_spec.share_of is None:
        raise ValueError(f"{spec.key}.{rule.row}: no share_of in the spec")
    try:
        index, base = row_index(table, rule.row), row_index(table, row_spec.share_of)
    except MissingCell as missing:
        fr, en = MESSAGES["row_missing"].render({"table": table.provenance.title, "missing": missing})
        return [Finding(
            document=table.provenance.document, check="percentage", status="fail", severity="warning",
            subject=rule.row, field=rule.rate_column, tables=(table.provenance.title,), message_fr=fr, message_en=en,
        )]
    rate = table.values.at[index, rule.rate_column]
    amount = table.values.at[index, rule.amount_column]
    whole = table.values.at[base, rule.amount_column]
    if pd.isna(rate) or pd.isna(amount) or pd.isna(whole) or not whole:
        return []
    unit = unit_of(table, rule.amount_column)
    expected_amount = float(whole) * float(rate) / 100
    share = 100 * float(amount) / float(whole)
    label = str(table.cells.at[index, ROW_LABEL])
    base_label = str(table.cells.at[base, ROW_LABEL])
    passed = abs(share - float(rate)) <= _HALF_POINT
    fr, en = MESSAGES["share_right" if passed else "share_wrong"].render(
        {"label": label, "amount": format_quantity(float(amount), unit, "fr"), "share": format_number(share, "fr", 2),
         "base": base_label, "whole": format_quantity(float(whole), unit, "fr"), "rate": format_number(float(rate), "fr"),
         "expected": format_quantity(expected_amount, unit, "fr")},
        {"label": label, "amount": format_quantity(float(amount), unit, "en"), "share": f"{share:.2f}",
         "base": base_label, "whole": format_quantity(float(whole), unit, "en"), "rate": f"{float(rate):g}",
         "expected": format_quantity(expected_amount, unit, "en")})
    return [Finding(
        document=table.provenance.document, check="percentage", status="pass" if passed else "fail",
        severity="error", subject=label, field=table.column(rule.rate_column).label,
        expected=float(rate), observed=round(share, 4), unit="%", tables=(table.provenance.title,),
        location=cell_location(table, index, rule.amount_column),
        evidence=(cell_location(table, index, rule.rate_column), cell_location(table, base, rule.amount_column)),
        message_fr=fr, message_en=en,
        key=table.key,
    )]


class SharesCheck(Check):
    """`checks.shares`: a row that states its own percentage of another row."""

    name = "shares"
    schema = tuple[ShareRule, ...]
    emits = (PERCENTAGE,)
    messages = MESSAGES

    def references(self, config: tuple[ShareRule, ...]) -> list[Reference]:
        return [Reference((i,), r.table, c) for i, r in enumerate(config) for c in (r.rate_column, r.amount_column)]

    def validate(self, config: tuple[ShareRule, ...], spec: DocumentSpec, path: tuple[str | int, ...],
                 others: Mapping[str, Any]) -> None:
        super().validate(config, spec, path, others)
        for i, rule in enumerate(config):
            row = next((r for r in spec.table(rule.table).rows if r.key == rule.row), None)
            if row is None or row.share_of is None:
                raise SpecValueError(path + (i, "row"), f"{dotted(path + (i, 'row'))}: le tableau {rule.table} n’a pas "
                                     f"de ligne « {rule.row} » avec share_of / table {rule.table} has no row "
                                     f"'{rule.row}' with share_of")

    def run(self, context: CheckContext, config: tuple[ShareRule, ...]) -> list[Finding]:
        if context.spec is None:
            return []
        return [f for rule in config if rule.table in context.tables
                for f in check_share(context.tables[rule.table], context.spec.table(rule.table), rule)]
