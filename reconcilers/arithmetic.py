"""Row arithmetic: a column that must equal a formula over the other columns of its row."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import Any

import pandas as pd

from extractors.spec import DocumentSpec
from extractors.table import ROW_LABEL, ExtractedTable
from reconcilers.cells import cell_location, unit_of
from reconcilers.checks import ArithmeticRule
from reconcilers.finding import Finding
from reconcilers.meaning import InterpretedTable
from reconcilers.messages import MESSAGES as COMPARISON
from reconcilers.messages import comparison
from reconcilers.names import split_joined
from reconcilers.parts import (
    ROW_ARITHMETIC,
    Check,
    CheckContext,
    Reference,
    SpecValueError,
    Template,
    dotted,
    verify,
)
from reconcilers.relations import check_relations
from reconcilers.rules import TableRule

_SLACK = 1e-6
MESSAGES: dict[str, Template] = {
    "rule": Template("{column} = {formula}", "{column} = {formula}"),
    "row": Template("{subject} — {rule}", "{subject} — {rule}"),
    "computed": Template("calculé", "computed"),
}


def operands(formula: str) -> tuple[str, ...]:
    """The column keys a formula reads, in order ("abs(a - b)" -> ("a", "b")); SyntaxError if it
    is not an expression."""
    tree = ast.parse(formula, mode="eval")
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    names = [node for node in ast.walk(tree) if isinstance(node, ast.Name) and id(node) not in called]
    return tuple(dict.fromkeys(node.id for node in sorted(names, key=lambda n: n.col_offset)))


def as_table_rule(rule: ArithmeticRule) -> TableRule:
    """A spec'd row relation in the one shape inferred relations also take."""
    return TableRule(table=rule.table, check=ROW_ARITHMETIC.name, target=rule.column, operands=operands(rule.formula),
                     formula=rule.formula, text_fr=rule.label_fr, text_en=rule.label_en)


def check_row_arithmetic(table: ExtractedTable, rule: TableRule) -> list[Finding]:
    """One finding per item row: the stated value of `rule.target` against the formula, within
    the rounding of the stated figure (9,77 ha stands for 9,775 ha; 5,55 ha does not stand for 5,4 ha)."""
    items = table.items()
    numeric = items[[c.key for c in table.columns if c.is_quantity]].apply(pd.to_numeric, errors="coerce")
    expected = numeric.eval(rule.formula)
    inputs = [c.key for c in table.columns if c.key in rule.formula and c.key != rule.target]
    unit = unit_of(table, rule.target)
    stated_rule = MESSAGES["rule"].render({"column": table.column(rule.target).label, "formula": rule.formula})
    what_fr = rule.text_fr or stated_rule[0]
    what_en = rule.text_en or what_fr
    computed_fr, computed_en = MESSAGES["computed"].render({})
    findings: list[Finding] = []
    for index in items.index:
        stated, computed = numeric.at[index, rule.target], expected.at[index]
        if pd.isna(stated) or pd.isna(computed):
            continue
        tolerance = table.tolerances.at[index, rule.target]
        tolerance = _SLACK + (0.0 if pd.isna(tolerance) else float(tolerance))
        subject = split_joined(str(table.cells.at[index, _subject_column(table)] or table.cells.at[index, ROW_LABEL]))
        row_fr, row_en = MESSAGES["row"].render({"subject": subject, "rule": what_fr}, {"subject": subject, "rule": what_en})
        fr, en = comparison(row_fr, row_en, float(computed), float(stated), unit,
                            expected_fr=computed_fr, expected_en=computed_en)
        findings.append(Finding(
            document=table.provenance.document, check="row_arithmetic",
            status="pass" if abs(stated - computed) <= tolerance else "fail", severity="error",
            subject=subject, field=table.column(rule.target).label,
            expected=float(computed), observed=float(stated), unit=unit,
            tables=(table.provenance.title,), location=cell_location(table, int(index), rule.target),
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


class ArithmeticCheck(Check):
    """`checks.arithmetic`: a column equal to a formula over the other columns of its row."""

    name = "arithmetic"
    schema = tuple[ArithmeticRule, ...]
    emits = (ROW_ARITHMETIC,)
    messages = MESSAGES | COMPARISON
    verifies = (ROW_ARITHMETIC.name,)

    def references(self, config: tuple[ArithmeticRule, ...]) -> list[Reference]:
        return [Reference((i,), rule.table, rule.column) for i, rule in enumerate(config)]

    def validate(self, config: tuple[ArithmeticRule, ...], spec: DocumentSpec, path: tuple[str | int, ...],
                 others: Mapping[str, Any]) -> None:
        """Besides the table and column: the formula is an expression over figure columns of that table."""
        super().validate(config, spec, path, others)
        for i, rule in enumerate(config):
            where = path + (i, "formula")
            try:
                read = operands(rule.formula)
            except SyntaxError as error:
                raise SpecValueError(where, f"{dotted(where)}: formule illisible / unreadable formula "
                                     f"{rule.formula!r} ({error.msg})") from error
            figures = {c.key for c in spec.table(rule.table).columns if c.is_quantity}
            for key in read:
                if key not in figures:
                    raise SpecValueError(where, f"{dotted(where)}: « {key} » n’est pas une colonne de chiffres du "
                                         f"tableau {rule.table} / '{key}' is not a figure column of table {rule.table}")

    def run(self, context: CheckContext, config: tuple[ArithmeticRule, ...]) -> list[Finding]:
        return [f for rule in config if rule.table in context.tables for f in verify(as_table_rule(rule), context)]

    def verify(self, it: InterpretedTable, rule: TableRule, context: CheckContext) -> list[Finding]:
        """A spec'd formula is a pandas expression over the item rows' figures, held to the stated
        figure's rounding; an inferred relation is one of the forms inference tries, held to the
        rounding of every figure it reads."""
        if rule.source == "inferred":
            return check_relations(it, [rule])
        return check_row_arithmetic(it.table, rule)
