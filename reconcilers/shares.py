"""Percentages stated beside amounts ("Imprévus (2%) 1 480 200") against the computed share."""

from __future__ import annotations

import pandas as pd

from extractors.quantity import format_number, format_quantity
from extractors.spec import DocumentSpec, TableSpec
from extractors.table import ROW_LABEL, ExtractedTable
from reconcilers.cells import MissingCell, cell_location, row_index, unit_of
from reconcilers.checks import ShareRule
from reconcilers.finding import Finding
from reconcilers.parts import PERCENTAGE, Check, CheckContext, Reference, SpecValueError, dotted

# A stated percentage is a rounded figure: it holds if the true share rounds to it.
_HALF_POINT = 0.5


def check_share(table: ExtractedTable, spec: TableSpec, rule: ShareRule) -> list[Finding]:
    row_spec = next(r for r in spec.rows if r.key == rule.row)
    if row_spec.share_of is None:
        raise ValueError(f"{spec.key}.{rule.row}: no share_of in the spec")
    try:
        index, base = row_index(table, rule.row), row_index(table, row_spec.share_of)
    except MissingCell as missing:
        return [Finding(
            document=table.provenance.document, check="percentage", status="fail", severity="warning",
            subject=rule.row, field=rule.rate_column, tables=(table.provenance.title,),
            message_fr=f"{table.provenance.title} : pourcentage non vérifiable, ligne absente ({missing}).",
            message_en=f"{table.provenance.title}: percentage not checkable, row missing ({missing}).",
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
    return [Finding(
        document=table.provenance.document, check="percentage", status="pass" if passed else "fail",
        severity="error", subject=label, field=table.column(rule.rate_column).label,
        expected=float(rate), observed=round(share, 4), unit="%", tables=(table.provenance.title,),
        location=cell_location(table, index, rule.amount_column),
        evidence=(cell_location(table, index, rule.rate_column), cell_location(table, base, rule.amount_column)),
        message_fr=(f"{label} : {format_quantity(float(amount), unit, 'fr')} représente "
                    f"{format_number(share, 'fr', 2)} % de {base_label} ({format_quantity(float(whole), unit, 'fr')}), "
                    f"pas {format_number(float(rate), 'fr')} % ; à {format_number(float(rate), 'fr')} % le montant serait "
                    f"{format_quantity(expected_amount, unit, 'fr')} (règle : le taux annoncé doit être l’arrondi de la part calculée, à 0,5 point près)."
                    if not passed else
                    f"{label} : {format_number(share, 'fr', 2)} % de {base_label}, conforme au taux annoncé."),
        message_en=(f"{label}: {format_quantity(float(amount), unit, 'en')} is {share:.2f}% of {base_label} "
                    f"({format_quantity(float(whole), unit, 'en')}), not {float(rate):g}%; at {float(rate):g}% the amount would be "
                    f"{format_quantity(expected_amount, unit, 'en')} (rule: the stated rate must be the computed share rounded, within 0.5 point)."
                    if not passed else
                    f"{label}: {share:.2f}% of {base_label}, as stated."),
        key=table.key,
    )]


class SharesCheck(Check):
    """`checks.shares`: a row that states its own percentage of another row."""

    name = "shares"
    schema = tuple[ShareRule, ...]
    emits = (PERCENTAGE,)

    def references(self, config: tuple[ShareRule, ...]) -> list[Reference]:
        return [Reference((i,), r.table, c) for i, r in enumerate(config) for c in (r.rate_column, r.amount_column)]

    def validate(self, config: tuple[ShareRule, ...], spec: DocumentSpec, path: tuple[str | int, ...]) -> None:
        super().validate(config, spec, path)
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
