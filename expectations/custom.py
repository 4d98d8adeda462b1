"""Great Expectations has no expectation for a table's own rules: here they are, each under its name.

A reconciled table is validated as one frame holding every row (items, sub-totals, totals)
with its printed label and kind, its figures, and the rounding allowance of each figure
(`<column>__tolerance`). Three rules a table can hold become three expectations, each a
`MulticolumnMapExpectation` over a `MulticolumnMapMetricProvider`, so that GX flags the very
rows the report's checks flag and Data Docs show them under their own names:

- `ExpectColumnValuesToEqualFormula`: a column equals a formula over the other columns of its
  row (row arithmetic), on item rows;
- `ExpectRowToEqualSumOfRows`: a total or sub-total row equals the sum of the rows it adds up;
- `ExpectRowShareToMatchStatedRate`: the rate a row states is its amount's share of a base row.

A figure agrees when the difference is within its printed rounding (5,55 ha stands for any
surface from 5,545 to 5,555 ha). Importing this module imports GX (slow): `expectations.suites`
imports it only when suites run.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import pandas as pd
from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import MulticolumnMapExpectation
from great_expectations.expectations.metrics.map_metric_provider import MulticolumnMapMetricProvider
from great_expectations.expectations.metrics.map_metric_provider.multicolumn_condition_partial import (
    multicolumn_condition_partial,
)

SLACK = 1e-6          # float noise on top of the printed rounding, as the reconcilers allow
DOMAIN_KEYS = ("batch_id", "table", "column_list", "row_condition", "condition_parser", "ignore_row_if")


def _number(value: Any) -> float:
    number = pd.to_numeric(value, errors="coerce")
    return math.nan if pd.isna(number) else float(number)


def _allowance(frame: pd.DataFrame, tolerance_column: str) -> pd.Series:
    return pd.to_numeric(frame[tolerance_column], errors="coerce").fillna(0.0) + SLACK


class ColumnEqualsFormula(MulticolumnMapMetricProvider):
    """True on rows that are not items or lack a figure; else |column − formula| ≤ rounding."""

    condition_metric_name = "itie.column_equals_formula"
    condition_domain_keys = DOMAIN_KEYS
    condition_value_keys = ("kind_column", "target", "formula", "tolerance_column")

    @multicolumn_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_list: pd.DataFrame, kind_column: str, target: str, formula: str,
                tolerance_column: str, **kwargs: Any) -> pd.Series:
        numbers = column_list.drop(columns=[kind_column]).apply(pd.to_numeric, errors="coerce")
        computed = numbers.eval(formula)
        stated = numbers[target]
        checked = (column_list[kind_column] == "item") & stated.notna() & computed.notna()
        return ~checked | ((stated - computed).abs() <= _allowance(column_list, tolerance_column))


class RowEqualsSumOfRows(MulticolumnMapMetricProvider):
    """True everywhere but on the target row, where the stated figure must equal the sum of the
    operand rows' figures (empty cells left out), within its rounding."""

    condition_metric_name = "itie.row_equals_sum_of_rows"
    condition_domain_keys = DOMAIN_KEYS
    condition_value_keys = ("label_column", "column", "target_row", "operand_rows", "tolerance_column")

    @multicolumn_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_list: pd.DataFrame, label_column: str, column: str, target_row: str,
                operand_rows: list[str], tolerance_column: str, **kwargs: Any) -> pd.Series:
        labels = column_list[label_column].astype(str)
        figures = pd.to_numeric(column_list[column], errors="coerce")
        parts = figures[labels.isin(list(operand_rows)) & (labels != target_row)].dropna()
        computed = math.fsum(float(v) for v in parts)
        checked = (labels == target_row) & figures.notna()
        return ~checked | ((figures - computed).abs() <= _allowance(column_list, tolerance_column))


class RowShareMatchesRate(MulticolumnMapMetricProvider):
    """True everywhere but on the target row, whose stated rate must be 100 × its amount / the
    base row's amount, within the rate's printed rounding (2 % stands for 1,5 to 2,5 %)."""

    condition_metric_name = "itie.row_share_matches_rate"
    condition_domain_keys = DOMAIN_KEYS
    condition_value_keys = ("label_column", "rate_column", "amount_column", "target_row", "base_row",
                            "tolerance_column")

    @multicolumn_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_list: pd.DataFrame, label_column: str, rate_column: str, amount_column: str,
                target_row: str, base_row: str, tolerance_column: str, **kwargs: Any) -> pd.Series:
        labels = column_list[label_column].astype(str)
        amounts = pd.to_numeric(column_list[amount_column], errors="coerce")
        rates = pd.to_numeric(column_list[rate_column], errors="coerce")
        bases = amounts[labels == base_row].dropna()
        base = float(bases.iloc[0]) if len(bases) else math.nan
        if not base or math.isnan(base):
            return pd.Series(True, index=column_list.index)
        checked = (labels == target_row) & rates.notna() & amounts.notna()
        return ~checked | ((100 * amounts / base - rates).abs() <= _allowance(column_list, tolerance_column))


class _RuleExpectation(MulticolumnMapExpectation):
    """What the three share: the rounding allowance column, and every row kept (the metric says
    which rows the rule judges)."""

    tolerance_column: str
    ignore_row_if: str = "never"


class ExpectColumnValuesToEqualFormula(_RuleExpectation):
    """On every item row, `target` equals `formula` (a pandas expression over the row's columns)
    within the printed rounding of the stated figure."""

    kind_column: str
    target: str
    formula: str

    map_metric: ClassVar[str] = "itie.column_equals_formula"
    success_keys: ClassVar[tuple[str, ...]] = ("mostly", "kind_column", "target", "formula", "tolerance_column")


class ExpectRowToEqualSumOfRows(_RuleExpectation):
    """The figure of `target_row` in `column` equals the sum of `operand_rows`, within its rounding."""

    label_column: str
    column: str
    target_row: str
    operand_rows: list[str]

    map_metric: ClassVar[str] = "itie.row_equals_sum_of_rows"
    success_keys: ClassVar[tuple[str, ...]] = ("mostly", "label_column", "column", "target_row", "operand_rows",
                                               "tolerance_column")


class ExpectRowShareToMatchStatedRate(_RuleExpectation):
    """The rate stated on `target_row` is 100 × its amount / the amount of `base_row`, within the
    rate's printed rounding."""

    label_column: str
    rate_column: str
    amount_column: str
    target_row: str
    base_row: str

    map_metric: ClassVar[str] = "itie.row_share_matches_rate"
    success_keys: ClassVar[tuple[str, ...]] = ("mostly", "label_column", "rate_column", "amount_column",
                                               "target_row", "base_row", "tolerance_column")
