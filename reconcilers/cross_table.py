"""Agreement between tables: the same entity's values, declared losses and their compensation,
figures repeated elsewhere, and executive-summary tables against their twins in the body."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from extractors.quantity import format_quantity
from extractors.spec import DocumentSpec
from extractors.table import ROW_KIND, ROW_LABEL, ExtractedTable
from reconcilers.cells import (
    CellValue,
    MissingCell,
    cell_location,
    resolve,
    row_entity,
    unit_of,
)
from reconcilers.checks import AgreementRule, DeclaredLossRule, PerEntityRule, TwinRule
from reconcilers.entities import EntityIndex
from reconcilers.finding import Finding
from reconcilers.messages import MESSAGES as COMPARISON
from reconcilers.messages import comparison
from reconcilers.names import fold
from reconcilers.parts import (
    CROSS_TABLE,
    TWIN_TABLE,
    Check,
    CheckContext,
    Reference,
    SpecValueError,
    Template,
    dotted,
)

_SLACK = 1e-6
MESSAGES: dict[str, Template] = {
    "entity_value": Template("{name} — {what}", "{name} — {what}"),
    "absent_from": Template("{name} — {what} : {value} dans {left}, mais aucune ligne dans {right}.",
                            "{name} — {what}: {value} in {left}, but no line in {right}."),
    "loss": Template("{name} : perte déclarée « {text} » ({table}) ; {verdict}", "{name}: loss declared “{text}” ({table}); {verdict}"),
    "loss_compensated": Template("compensation de {loss} trouvée.", "compensation for {loss} found."),
    "loss_uncompensated": Template("aucune compensation de {loss} dans {where}.", "no compensation for {loss} in {where}."),
    "no_table": Template("aucun tableau extrait", "no extracted table"),
    "agreement": Template("{left} = {right}", "{left} = {right}"),
    "unresolved": Template("Contrôle impossible : {reason}.", "Check not possible: {reason}."),
    "twin_row_missing": Template("ligne absente du corps", "row missing from the body"),
    "twin_missing": Template("{subject} : {reason} ({pair}).", "{subject}: {reason} ({pair})."),
    "twin_same": Template("Ligne {subject} identique dans {pair}.", "Row {subject} identical in {pair}."),
    "twin_differs": Template("Ligne {subject}, {field} : « {a} » dans {summary}, « {b} » dans {body}.",
                             "Row {subject}, {field}: “{a}” in {summary}, “{b}” in {body}."),
}


def _number(value: object) -> float | None:
    number = pd.to_numeric(value, errors="coerce")
    return None if pd.isna(number) else float(number)


def _tolerance(table: ExtractedTable, index: int, column: str) -> float:
    value = table.tolerances.at[index, column]
    return 0.0 if pd.isna(value) else float(value)


def check_per_entity(
    rule: PerEntityRule, tables: Mapping[str, ExtractedTable], index: EntityIndex,
) -> list[Finding]:
    """Each entity's value in `left` against its value in `right`, column by column."""
    left, right = tables[rule.left], tables[rule.right]
    left_rows, right_rows = index.rows_of(rule.left), index.rows_of(rule.right)
    findings: list[Finding] = []
    for name, left_row in left_rows.items():
        right_row = right_rows.get(name)
        for column in rule.columns:
            stated_left = _number(left.values.at[left_row, column])
            if right_row is None:
                if stated_left:
                    findings.append(_absent_from(left, right, left_row, column, name, stated_left))
                continue
            stated_right = _number(right.values.at[right_row, column])
            if stated_left is None and stated_right is None:
                continue
            unit = unit_of(left, column)
            what = left.column(column).label
            a, b = stated_left or 0.0, stated_right or 0.0
            slack = max(_tolerance(left, left_row, column), _tolerance(right, right_row, column)) + _SLACK
            fr, en = comparison(
                *MESSAGES["entity_value"].render({"name": name, "what": what}), a, b, unit,
                expected_fr=left.provenance.title, expected_en=left.provenance.title,
                observed_fr=right.provenance.title, observed_en=right.provenance.title,
            )
            findings.append(Finding(
                document=left.provenance.document, check="cross_table",
                status="pass" if abs(a - b) <= slack else "fail", severity="error",
                subject=name, field=what, expected=a, observed=b, unit=unit,
                tables=(left.provenance.title, right.provenance.title),
                location=cell_location(right, right_row, column),
                evidence=(cell_location(left, left_row, column),),
                message_fr=fr, message_en=en, key=f"{rule.left}-{rule.right}",
            ))
    return findings


def _absent_from(
    left: ExtractedTable, right: ExtractedTable, row: int, column: str, name: str, value: float,
) -> Finding:
    unit = unit_of(left, column)
    what = left.column(column).label
    return Finding(
        document=left.provenance.document, check="cross_table", status="fail", severity="error",
        subject=name, field=what, expected=value, observed=None, unit=unit,
        tables=(left.provenance.title, right.provenance.title),
        location=cell_location(left, row, column),
        **MESSAGES["absent_from"].message(
            {"name": name, "what": what, "left": left.provenance.title, "right": right.provenance.title,
             "value": format_quantity(value, unit, "fr")},
            {"name": name, "what": what, "left": left.provenance.title, "right": right.provenance.title,
             "value": format_quantity(value, unit, "en")}),
        key=f"{left.key}-{right.key}",
    )


def check_declared_losses(
    rule: DeclaredLossRule, tables: Mapping[str, ExtractedTable], index: EntityIndex,
) -> list[Finding]:
    """A loss named in `rule.table` ("… <arbres>") must show in each required column for that entity."""
    table = tables[rule.table]
    keyword = fold(rule.keyword)
    findings: list[Finding] = []
    items = table.cells[table.cells[ROW_KIND] == "item"]
    for row_index, text in items[rule.column].items():
        if keyword not in fold(str(text)):
            continue
        name = index.by_row.get((rule.table, int(row_index)), str(table.cells.at[row_index, ROW_LABEL]))
        held, missing = [], []
        for ref in rule.requires:
            target = tables.get(ref.table)
            if target is None:
                continue
            row = index.rows_of(ref.table).get(name)
            value = _number(target.values.at[row, ref.column]) if row is not None else None
            (held if value else missing).append((target, row, ref))
        nowhere_fr, nowhere_en = MESSAGES["no_table"].render({})
        where = ", ".join(t.provenance.title for t, _, _ in missing)
        status = "pass" if held and not missing else "fail"
        label_fr = rule.label_fr or rule.keyword
        label_en = rule.label_en or rule.keyword
        verdict = MESSAGES["loss_compensated" if status == "pass" else "loss_uncompensated"].render(
            {"loss": label_fr, "where": where or nowhere_fr}, {"loss": label_en, "where": where or nowhere_en})
        findings.append(Finding(
            document=table.provenance.document, check="cross_table", status=status, severity="error",
            subject=name, field=label_fr, expected=label_fr, observed=str(text),
            tables=(table.provenance.title, *(t.provenance.title for t, _, _ in held + missing)),
            location=cell_location(table, int(row_index), rule.column),
            evidence=tuple(cell_location(t, r, ref.column) for t, r, ref in held),
            **MESSAGES["loss"].message({"name": name, "text": text, "table": table.provenance.title, "verdict": verdict[0]},
                                       {"name": name, "text": text, "table": table.provenance.title, "verdict": verdict[1]}),
            key=f"{rule.table}-{rule.keyword}",
        ))
    return findings


def check_agreement(rule: AgreementRule, tables: Mapping[str, ExtractedTable], document: str) -> list[Finding]:
    """A figure stated in two places (or a figure and an aggregate of rows) must be equal."""
    try:
        left, right = resolve(rule.left, tables), resolve(rule.right, tables)
    except MissingCell as error:
        return [_unresolved(rule, document, str(error))]
    pairs = [(left, r) for r in right] if isinstance(right, list) else [(left, right)]
    findings = []
    for a, b in pairs:
        assert isinstance(a, CellValue)
        slack = max(a.tolerance, b.tolerance) + _SLACK
        what_fr = rule.label_fr or MESSAGES["agreement"].render({"left": rule.left, "right": rule.right})[0]
        fr, en = comparison(what_fr, rule.label_en or what_fr, a.value, b.value, a.unit,
                            expected_fr=str(a.location.table), expected_en=str(a.location.table),
                            observed_fr=str(b.location.table), observed_en=str(b.location.table))
        findings.append(Finding(
            document=document, check="cross_table", status="pass" if abs(a.value - b.value) <= slack else "fail",
            severity="error", subject=rule.label_fr or str(rule.left), field=str(rule.right),
            expected=a.value, observed=b.value, unit=a.unit,
            tables=tuple(dict.fromkeys((str(a.location.table), str(b.location.table)))),
            location=b.location, evidence=(a.location, *a.evidence, *b.evidence),
            message_fr=fr, message_en=en, key=f"{b.location.row}",
        ))
    return findings


def _unresolved(rule: AgreementRule, document: str, reason: str) -> Finding:
    return Finding(
        document=document, check="cross_table", status="fail", severity="warning",
        subject=rule.label_fr or str(rule.left), field=str(rule.right),
        **MESSAGES["unresolved"].message({"reason": reason}),
    )


def check_twins(rule: TwinRule, tables: Mapping[str, ExtractedTable]) -> list[Finding]:
    """An executive-summary table against its twin in the body, row by row and cell by cell; each
    row named by its number and its entity (the PAP), a row of either missing from the other said."""
    summary, body = tables[rule.summary], tables[rule.body]
    body_rows = {str(label): int(i) for i, label in body.values[ROW_LABEL].items()}
    summary_rows = {str(label) for label in summary.values[ROW_LABEL]}
    findings: list[Finding] = []
    for index, label in summary.values[ROW_LABEL].items():
        other = body_rows.get(str(label))
        subject = _row_subject(summary, index)
        if other is None:
            findings.append(_twin_finding(summary, body, int(index), None, None, subject,
                                          *MESSAGES["twin_row_missing"].render({})))
            continue
        differences = 0
        for column in summary.columns:
            if column.key not in body.values.columns:
                continue
            if not _same_cell(summary, body, int(index), other, column.key):
                differences += 1
                findings.append(_twin_finding(summary, body, int(index), other, column.key, subject, "", ""))
        if not differences:
            findings.append(_twin_finding(summary, body, int(index), other, None, subject, "", ""))
    for label, index in body_rows.items():
        if label not in summary_rows:
            findings.append(_twin_finding(body, summary, index, None, None, _row_subject(body, index),
                                          "ligne absente du résumé", "row missing from the summary"))
    return findings


def _row_subject(table: ExtractedTable, index: int) -> str:
    """A row as a reviewer looks for it: its printed label, with its entity when the table names one."""
    label = str(table.cells.at[index, ROW_LABEL])
    entity = row_entity(table, label) if table.cells.at[index, ROW_KIND] == "item" else ""
    return f"{label} ({entity})" if entity else label


def _same_cell(a: ExtractedTable, b: ExtractedTable, i: int, j: int, column: str) -> bool:
    if a.column(column).is_quantity:
        x, y = _number(a.values.at[i, column]), _number(b.values.at[j, column])
        if x is None or y is None:
            return x is None and y is None
        return abs(x - y) <= max(_tolerance(a, i, column), _tolerance(b, j, column)) + _SLACK
    return fold(str(a.cells.at[i, column])) == fold(str(b.cells.at[j, column]))


def _twin_finding(
    summary: ExtractedTable, body: ExtractedTable, i: int, j: int | None, column: str | None,
    subject: str, reason_fr: str, reason_en: str,
) -> Finding:
    pair = f"{summary.provenance.title} / {body.provenance.title}"
    if j is None:
        status = "fail"
        fr, en = MESSAGES["twin_missing"].render({"subject": subject, "reason": reason_fr, "pair": pair},
                                                 {"subject": subject, "reason": reason_en, "pair": pair})
        location, evidence, expected, observed, field = cell_location(summary, i, None), (), None, None, ""
    elif column is None:
        status = "pass"
        fr, en = MESSAGES["twin_same"].render({"subject": subject, "pair": pair})
        location, evidence, expected, observed, field = cell_location(body, j, None), (cell_location(summary, i, None),), None, None, ""
    else:
        status = "fail"
        a, b = summary.cells.at[i, column], body.cells.at[j, column]
        field = summary.column(column).label
        fr, en = MESSAGES["twin_differs"].render({"subject": subject, "field": field, "a": a, "b": b,
                                                  "summary": summary.provenance.title, "body": body.provenance.title})
        location, evidence = cell_location(body, j, column), (cell_location(summary, i, column),)
        expected, observed = _value_or_text(summary, i, column), _value_or_text(body, j, column)
    return Finding(
        document=summary.provenance.document, check="twin_table", status=status,
        severity="warning" if status == "fail" and column and not summary.column(column).is_quantity else "error",
        subject=subject, field=field, expected=expected, observed=observed,
        unit=unit_of(summary, column) if column else "", tables=(summary.provenance.title, body.provenance.title),
        location=location, evidence=evidence, message_fr=fr, message_en=en,
        key=f"{summary.key}-{body.key}",
    )


def _value_or_text(table: ExtractedTable, index: int, column: str) -> object:
    if table.column(column).is_quantity:
        value = _number(table.values.at[index, column])
        return None if value is None or math.isnan(value) else value
    return str(table.cells.at[index, column])


def _linked(config: tuple[PerEntityRule, ...] | tuple[DeclaredLossRule, ...], path: tuple[str | int, ...],
            others: Mapping[str, Any]) -> None:
    """Each rule's entity is a kind `checks.entities` links; otherwise the rule would never run."""
    kinds = {rule.kind for rule in others.get("entities", ())}
    for i, rule in enumerate(config):
        if rule.entity not in kinds:
            where = path + (i, "entity")
            raise SpecValueError(where, f"{dotted(where)}: « {rule.entity} » n’est pas une entité de checks.entities "
                                 f"/ '{rule.entity}' is not an entity of checks.entities")


class PerEntityCheck(Check):
    """`checks.per_entity`: the same entity's values in two tables (after `entities` linked them)."""

    name = "per_entity"
    schema = tuple[PerEntityRule, ...]
    emits = (CROSS_TABLE,)
    messages = MESSAGES | COMPARISON

    def references(self, config: tuple[PerEntityRule, ...]) -> list[Reference]:
        return [Reference((i,), t, c) for i, rule in enumerate(config) for t in (rule.left, rule.right) for c in rule.columns]

    def validate(self, config: tuple[PerEntityRule, ...], spec: DocumentSpec, path: tuple[str | int, ...],
                 others: Mapping[str, Any]) -> None:
        super().validate(config, spec, path, others)
        _linked(config, path, others)

    def run(self, context: CheckContext, config: tuple[PerEntityRule, ...]) -> list[Finding]:
        return [f for rule in config
                if {rule.left, rule.right} <= context.tables.keys() and rule.entity in context.links
                for f in check_per_entity(rule, context.tables, context.links[rule.entity])]


class DeclaredLossesCheck(Check):
    """`checks.declared_losses`: a loss named in a table must be compensated somewhere."""

    name = "declared_losses"
    schema = tuple[DeclaredLossRule, ...]
    emits = (CROSS_TABLE,)
    messages = MESSAGES | COMPARISON

    def references(self, config: tuple[DeclaredLossRule, ...]) -> list[Reference]:
        return [Reference((i,), table, column) for i, rule in enumerate(config)
                for table, column in [(rule.table, rule.column)] + [(r.table, r.column) for r in rule.requires]]

    def validate(self, config: tuple[DeclaredLossRule, ...], spec: DocumentSpec, path: tuple[str | int, ...],
                 others: Mapping[str, Any]) -> None:
        super().validate(config, spec, path, others)
        _linked(config, path, others)

    def run(self, context: CheckContext, config: tuple[DeclaredLossRule, ...]) -> list[Finding]:
        return [f for rule in config if rule.table in context.tables and rule.entity in context.links
                for f in check_declared_losses(rule, context.tables, context.links[rule.entity])]


class AgreementsCheck(Check):
    """`checks.agreements`: one figure stated in two places."""

    name = "agreements"
    schema = tuple[AgreementRule, ...]
    emits = (CROSS_TABLE,)
    messages = MESSAGES | COMPARISON

    def references(self, config: tuple[AgreementRule, ...]) -> list[Reference]:
        return [Reference((i, side), ref.table, ref.column) for i, rule in enumerate(config)
                for side, ref in (("left", rule.left), ("right", rule.right))]

    def run(self, context: CheckContext, config: tuple[AgreementRule, ...]) -> list[Finding]:
        return [f for rule in config for f in check_agreement(rule, context.tables, context.document.name)]


class TwinsCheck(Check):
    """`checks.twins`: an executive-summary table against its twin in the body, cell by cell."""

    name = "twins"
    schema = tuple[TwinRule, ...]
    emits = (TWIN_TABLE,)
    messages = MESSAGES

    def references(self, config: tuple[TwinRule, ...]) -> list[Reference]:
        return [Reference((i,), t, None) for i, rule in enumerate(config) for t in (rule.summary, rule.body)]

    def run(self, context: CheckContext, config: tuple[TwinRule, ...]) -> list[Finding]:
        return [f for rule in config if {rule.summary, rule.body} <= context.tables.keys()
                for f in check_twins(rule, context.tables)]
