"""The rules a spec states, in the one shape of `TableRule`, so that they become expectations too.

A spec names its rules in its own terms (`totals: [T2]`, an arithmetic formula, a share row,
a budget's blocks); the checks read those directly. This module says the same rules as
`TableRule`s tied to the rows and columns of the extracted tables, so that Great Expectations
suites carry exactly the rules the report checks. Only rules within one table are said here:
a rule between two tables (an agreement, the sources against the budget's grand total) has no
place in one table's suite.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

import pandas as pd

from extractors.spec import DocumentSpec, TableSpec
from extractors.table import ROW_KIND, ROW_LABEL, ExtractedTable
from reconcilers.arithmetic import as_table_rule
from reconcilers.checks import ArithmeticRule, ShareRule
from reconcilers.rules import TableRule

if TYPE_CHECKING:
    from reconcilers.budget import BudgetConfig
    from reconcilers.registry import ChecksSpec


def spec_rules(tables: Mapping[str, ExtractedTable], spec: DocumentSpec, checks: ChecksSpec) -> tuple[TableRule, ...]:
    """Every single-table rule of the spec, for the tables the document yielded."""
    rules: list[TableRule] = []
    for key in checks.get("totals"):
        if key in tables:
            rules += total_rules(tables[key], spec.table(key))
    rules += [arithmetic_rule(tables[r.table], r) for r in checks.get("arithmetic") if r.table in tables]
    rules += [r for s in checks.get("shares") if s.table in tables for r in share_rules(tables[s.table], spec.table(s.table), s)]
    budget = checks.configs.get("budget")
    if budget is not None:
        rules += budget_rules(tables, budget)
    return tuple(rules)


def _rows(table: ExtractedTable, mask: pd.Series) -> list[int]:
    return [int(i) for i in table.values.index[mask]]


def _printed(table: ExtractedTable, label: str) -> str:
    """The row as the document prints it ("Sous total (1)"), for the rule's text."""
    matches = table.cells.loc[table.values[ROW_LABEL].astype(str) == label, ROW_LABEL]
    return str(matches.iloc[0]) if len(matches) else label


def _quantities(table: ExtractedTable) -> tuple[str, ...]:
    return tuple(c.key for c in table.columns if c.is_quantity)


def _sum_rule(table: ExtractedTable, target: int, operands: list[int], fr: str, en: str,
              columns: tuple[str, ...] | None = None) -> TableRule:
    """`target` row = the sum of the `operands` rows, tied to the rows themselves (as inferred
    totals are), so that one verification serves both."""
    labels = table.values[ROW_LABEL].astype(str)
    printed = _printed(table, labels[target])
    return TableRule(table=table.key, check="sum_total", target=labels[target],
                     operands=tuple(labels[i] for i in operands), formula="sum",
                     text_fr=f"{printed} = {fr}", text_en=f"{printed} = {en}",
                     columns=columns if columns is not None else _quantities(table),
                     target_row=target, operand_rows=tuple((table.key, i) for i in operands))


def total_rules(table: ExtractedTable, spec: TableSpec) -> list[TableRule]:
    """Labelled tables: each row with `sum_of` (the rows it names that the table has); numbered
    tables: each total row = sum of the items."""
    if spec.rows:
        keyed = {str(label): int(i) for i, label in table.values[ROW_LABEL].items()}
        rules = []
        for row in spec.rows:
            if row.sum_of and row.key in keyed:
                parts = [k for k in row.sum_of if k in keyed]
                names = " + ".join(_printed(table, k) for k in parts)
                rules.append(_sum_rule(table, keyed[row.key], [keyed[k] for k in parts], names, names))
        return rules
    items = _rows(table, table.values[ROW_KIND] == "item")
    return [_sum_rule(table, total, items, f"somme des {len(items)} lignes", f"sum of the {len(items)} rows")
            for total in _rows(table, table.values[ROW_KIND] == "total")]


def arithmetic_rule(table: ExtractedTable, rule: ArithmeticRule) -> TableRule:
    """`column = formula` on every item row, worded with the column's printed label."""
    text_fr = rule.label_fr or f"{table.column(rule.column).label} = {rule.formula}"
    return replace(as_table_rule(rule), text_fr=text_fr, text_en=rule.label_en or text_fr, columns=(rule.column,))


def _share_rule(table: ExtractedTable, row: str, base: str, rate: str, amount: str) -> TableRule:
    """`rate` of row = 100 × `amount` of row / `amount` of the base row, within the printed rounding."""
    what, whole = _printed(table, row), _printed(table, base)
    return TableRule(
        table=table.key, check="percentage", target=row, operands=(base,), formula="share",
        text_fr=f"{what} : {table.column(rate).label} = 100 × {table.column(amount).label} / {whole}",
        text_en=f"{what}: {table.column(rate).label} = 100 × {table.column(amount).label} / {whole}",
        columns=(rate, amount),
    )


def share_rules(table: ExtractedTable, spec: TableSpec, rule: ShareRule) -> list[TableRule]:
    row = next((r for r in spec.rows if r.key == rule.row), None)
    present = set(table.values[ROW_LABEL].astype(str))
    if row is None or row.share_of is None or not {rule.row, row.share_of} <= present:
        return []
    return [_share_rule(table, rule.row, row.share_of, rule.rate_column, rule.amount_column)]


def budget_rules(tables: Mapping[str, ExtractedTable], config: BudgetConfig) -> list[TableRule]:
    """Each block's sub-total = its lines; the grand total = every line, and = the sub-totals;
    each funding source's stated share = its amount over the sources' Total row."""
    rules: list[TableRule] = []
    lines = tables.get(config.lines.table)
    cfg = config.lines
    if lines is not None:
        values = lines.values
        for index in _rows(lines, values[ROW_KIND] == "subtotal"):
            block = values.at[index, cfg.block]
            members = _rows(lines, (values[ROW_KIND] == "item") & (values[cfg.block] == block))
            rules.append(_sum_rule(lines, index, members,
                                   f"somme des {len(members)} lignes du {cfg.group_fr} {block:g}",
                                   f"sum of the {len(members)} lines of {cfg.group_en} {block:g}", (cfg.amount,)))
        totals = _rows(lines, values[ROW_KIND] == "total")
        if totals:
            items = _rows(lines, values[ROW_KIND] == "item")
            subtotals = _rows(lines, values[ROW_KIND] == "subtotal")
            rules.append(_sum_rule(lines, totals[-1], items, f"somme des {len(items)} lignes",
                                   f"sum of the {len(items)} lines", (cfg.amount,)))
            rules.append(_sum_rule(lines, totals[-1], subtotals, f"somme des {len(subtotals)} sous-totaux",
                                   f"sum of the {len(subtotals)} sub-totals", (cfg.amount,)))
    sources = tables.get(config.sources.table) if config.sources else None
    if sources is not None and config.sources:
        totals = _rows(sources, sources.values[ROW_KIND] == "total")
        if totals:
            base = str(sources.values.at[totals[0], ROW_LABEL])
            rules += [_share_rule(sources, str(label), base, config.sources.percent, config.sources.amount)
                      for label in sources.values[ROW_LABEL]]
    return rules
