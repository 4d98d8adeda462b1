"""Great Expectations has no expectation for a table's own rules: here they are, each under its name.

A reconciled table is validated as one frame holding every row (items, sub-totals, totals)
with its label and kind, its figures, and the rounding allowance of each figure
(`<column>__tolerance`). The rules a table can hold become five expectations, each a
`MulticolumnMapExpectation` over a `MulticolumnMapMetricProvider`, so that GX flags the very
rows the report's checks flag and Data Docs show them under their own names:

- `ExpectColumnValuesToEqualFormula`: a column equals a formula over the other columns of its
  row (row arithmetic; an inferred column total, "cross-footing");
- `ExpectColumnValuesToEqualRelation`: a column equals an inferred relation of two others
  (difference, sum, product, ratio, percentage: `reconcilers.relations.FORMS`);
- `ExpectRowToEqualSumOfRows`: a total or sub-total row equals the sum (or mean) of the rows it
  adds up;
- `ExpectRowShareToMatchStatedRate`: the rate a row states is its amount's share of a base row;
- `ExpectFlaggedRowsToBeBeyondMargin`: the rows a document flags (a category, an explanation)
  are the ones whose variance is beyond its stated margin of variance.

A figure agrees when the difference is within its printed rounding (5,55 ha stands for any
surface from 5,545 to 5,555 ha); a spec'd rule allows the rounding of the stated figure, an
inferred rule that of every figure it reads, as its check does. Importing this module imports
GX (slow): `expectations.suites` imports it only when suites run.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import MulticolumnMapExpectation
from great_expectations.expectations.metrics.map_metric_provider import (
    MulticolumnMapMetricProvider,
)
from great_expectations.expectations.metrics.map_metric_provider.multicolumn_condition_partial import (
    multicolumn_condition_partial,
)

SLACK = 1e-6          # float noise on top of the printed rounding, as the reconcilers allow
RELATIVE_SLACK = 1e-9  # the same, relative to the figure, as inference allows
DOMAIN_KEYS = ("batch_id", "table", "column_list", "row_condition", "condition_parser", "ignore_row_if")


def _number(value: Any) -> float:
    number = pd.to_numeric(value, errors="coerce")
    return math.nan if pd.isna(number) else float(number)


def _allowance(frame: pd.DataFrame, tolerance_column: str) -> pd.Series:
    return pd.to_numeric(frame[tolerance_column], errors="coerce").fillna(0.0) + SLACK


class ColumnEqualsFormula(MulticolumnMapMetricProvider):
    """True on rows of other kinds or lacking a figure; else |column − formula| ≤ the rounding of
    the stated figure (and of the operands' too, where the rule says so)."""

    condition_metric_name = "itie.column_equals_formula"
    condition_domain_keys = DOMAIN_KEYS
    condition_value_keys = ("kind_column", "kinds", "target", "formula", "tolerance_column", "operand_tolerance_columns")

    @multicolumn_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_list: pd.DataFrame, kind_column: str, kinds: list[str], target: str, formula: str,
                tolerance_column: str, operand_tolerance_columns: list[str], **kwargs: Any) -> pd.Series:
        numbers = column_list.drop(columns=[kind_column]).apply(pd.to_numeric, errors="coerce")
        computed = numbers.eval(formula)
        stated = numbers[target]
        allowance = _allowance(column_list, tolerance_column)
        for column in operand_tolerance_columns:
            allowance = allowance + _allowance(column_list, column) - SLACK
        checked = column_list[kind_column].isin(list(kinds)) & stated.notna() & computed.notna()
        return ~checked | ((stated - computed).abs() <= allowance)


class ColumnEqualsRelation(MulticolumnMapMetricProvider):
    """An inferred relation (`reconcilers.relations.FORMS`: difference, sum, product, ratio,
    percentage…) between `target` and two operand columns, on the rows of the given kinds, within
    the rounding of the three figures as the relation carries it."""

    condition_metric_name = "itie.column_equals_relation"
    condition_domain_keys = DOMAIN_KEYS
    condition_value_keys = ("kind_column", "kinds", "target", "operands", "form", "tolerance_columns")

    @multicolumn_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_list: pd.DataFrame, kind_column: str, kinds: list[str], target: str,
                operands: list[str], form: str, tolerance_columns: list[str], **kwargs: Any) -> pd.Series:
        from reconcilers.relations import FORMS
        relation = next(f for f in FORMS if f.name == form)
        t, a, b = (pd.to_numeric(column_list[c], errors="coerce").to_numpy(float) for c in (target, *operands))
        tt, ta, tb = (pd.to_numeric(column_list[c], errors="coerce").fillna(0.0).to_numpy(float) for c in tolerance_columns)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            computed = relation.compute(a, b)
            allowance = tt + relation.allowance(a, b, ta, tb) + RELATIVE_SLACK * np.abs(t)
        checked = column_list[kind_column].isin(list(kinds)).to_numpy() & ~(np.isnan(t) | np.isnan(a) | np.isnan(b))
        if relation.family in ("ratio", "percent"):
            checked &= b != 0
        with np.errstate(invalid="ignore"):
            holds = np.abs(t - computed) <= allowance
        return pd.Series(~checked | holds, index=column_list.index)


class RowEqualsSumOfRows(MulticolumnMapMetricProvider):
    """True everywhere but on the target row, where the stated figure must equal the sum (or the
    mean) of the operand rows' figures, empty cells left out, within its rounding (and the
    operands' too, where the rule says so)."""

    condition_metric_name = "itie.row_equals_sum_of_rows"
    condition_domain_keys = DOMAIN_KEYS
    condition_value_keys = ("label_column", "column", "target_row", "operand_rows", "tolerance_column",
                            "operand_tolerance_column", "mean")

    @multicolumn_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_list: pd.DataFrame, label_column: str, column: str, target_row: str,
                operand_rows: list[str], tolerance_column: str, operand_tolerance_column: str | None,
                mean: bool, **kwargs: Any) -> pd.Series:
        labels = column_list[label_column].astype(str)
        figures = pd.to_numeric(column_list[column], errors="coerce")
        parts = labels.isin(list(operand_rows)) & (labels != target_row) & figures.notna()
        count = max(int(parts.sum()), 1) if mean else 1
        computed = math.fsum(float(v) for v in figures[parts]) / count
        allowance = _allowance(column_list, tolerance_column)
        if operand_tolerance_column:
            allowance = allowance + math.fsum(_allowance(column_list, operand_tolerance_column)[parts] - SLACK) / count
        checked = (labels == target_row) & figures.notna()
        return ~checked | ((figures - computed).abs() <= allowance)


class RowShareMatchesRate(MulticolumnMapMetricProvider):
    """True everywhere but on the target rows, whose stated rate must be 100 × their amount / the
    base row's amount, within the rate's printed rounding (2 % stands for 1,5 to 2,5 %), and the
    amounts' too where the rule says so."""

    condition_metric_name = "itie.row_share_matches_rate"
    condition_domain_keys = DOMAIN_KEYS
    condition_value_keys = ("label_column", "rate_column", "amount_column", "target_rows", "base_row",
                            "tolerance_column", "amount_tolerance_column")

    @multicolumn_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_list: pd.DataFrame, label_column: str, rate_column: str, amount_column: str,
                target_rows: list[str], base_row: str, tolerance_column: str, amount_tolerance_column: str | None,
                **kwargs: Any) -> pd.Series:
        labels = column_list[label_column].astype(str)
        amounts = pd.to_numeric(column_list[amount_column], errors="coerce")
        rates = pd.to_numeric(column_list[rate_column], errors="coerce")
        at_base = labels == base_row
        base = float(amounts[at_base].iloc[0]) if at_base.any() else math.nan
        if not base or math.isnan(base):
            return pd.Series(True, index=column_list.index)
        allowance = _allowance(column_list, tolerance_column)
        if amount_tolerance_column:
            tolerances = _allowance(column_list, amount_tolerance_column) - SLACK
            allowance = allowance + 100 * (tolerances / abs(base) + amounts.abs() * float(tolerances[at_base].iloc[0]) / base ** 2)
        checked = labels.isin(list(target_rows)) & rates.notna() & amounts.notna()
        return ~checked | ((100 * amounts / base - rates).abs() <= allowance)


class FlaggedBeyondMargin(MulticolumnMapMetricProvider):
    """True on rows lacking a variance; else the document flags the row (a category printed, or an
    explanation in its prose) exactly when the variance is beyond the margin: over the percentage
    threshold and over the floor (a threshold not stated never binds)."""

    condition_metric_name = "itie.flagged_beyond_margin"
    condition_domain_keys = DOMAIN_KEYS
    condition_value_keys = ("amount", "percent", "flagged", "percent_threshold", "floor")

    @multicolumn_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_list: pd.DataFrame, amount: str, percent: str, flagged: str,
                percent_threshold: float | None, floor: float | None, **kwargs: Any) -> pd.Series:
        amounts = pd.to_numeric(column_list[amount], errors="coerce")
        shares = pd.to_numeric(column_list[percent], errors="coerce")
        beyond = pd.Series(percent_threshold is not None or floor is not None, index=column_list.index)
        if percent_threshold is not None:
            beyond &= shares.abs() > percent_threshold
        if floor is not None:
            beyond &= amounts.abs() > floor
        checked = amounts.notna() & shares.notna()
        return ~checked | (beyond == column_list[flagged].astype(bool))


class _OneConfiguration(MulticolumnMapExpectation):
    """GX rebuilds an expectation's whole configuration (a pydantic `dict()`) for every key it
    looks up: 14 times per lookup of these expectations' arguments, about 150 times per
    expectation validated (half the validation's time on the seeds). Here it is built once per
    lookup; the arguments found are the same."""

    def _get_domain_kwargs(self) -> dict[str, Any]:
        return self._kwargs(self.domain_keys, self.configuration.kwargs)

    def _get_success_kwargs(self) -> dict[str, Any]:
        given = self.configuration.kwargs
        return {**self._kwargs(self.success_keys, given), **self._kwargs(self.domain_keys, given)}

    def _kwargs(self, keys: tuple[str, ...], given: dict[str, Any]) -> dict[str, Any]:
        return {key: given.get(key, self._get_default_value(key)) for key in keys}


class _RuleExpectation(_OneConfiguration):
    """What the four share: the rounding allowance column, and every row kept (the metric says
    which rows the rule judges)."""

    tolerance_column: str
    ignore_row_if: str = "never"


class ExpectColumnValuesToEqualFormula(_RuleExpectation):
    """On every item row, `target` equals `formula` (a pandas expression over the row's columns)
    within the printed rounding of the stated figure."""

    kind_column: str
    kinds: list[str] = ["item"]
    target: str
    formula: str
    operand_tolerance_columns: list[str] = []

    map_metric: ClassVar[str] = "itie.column_equals_formula"
    success_keys: ClassVar[tuple[str, ...]] = ("mostly", "kind_column", "kinds", "target", "formula", "tolerance_column",
                                               "operand_tolerance_columns")


class ExpectColumnValuesToEqualRelation(_RuleExpectation):
    """On the rows of the given kinds, `target` equals an inferred relation (`form`) of two
    operand columns, within the rounding of the three figures."""

    kind_column: str
    kinds: list[str]
    target: str
    operands: list[str]
    form: str
    tolerance_columns: list[str]

    map_metric: ClassVar[str] = "itie.column_equals_relation"
    success_keys: ClassVar[tuple[str, ...]] = ("mostly", "kind_column", "kinds", "target", "operands", "form",
                                               "tolerance_columns", "tolerance_column")


class ExpectFlaggedRowsToBeBeyondMargin(_OneConfiguration):
    """A variance is flagged by the document (category, or explanation in the prose: the `flagged`
    column) exactly when it is beyond the stated margin (`percent_threshold` %, `floor`)."""

    amount: str
    percent: str
    flagged: str
    percent_threshold: float | None
    floor: float | None
    ignore_row_if: str = "never"

    map_metric: ClassVar[str] = "itie.flagged_beyond_margin"
    success_keys: ClassVar[tuple[str, ...]] = ("mostly", "amount", "percent", "flagged", "percent_threshold", "floor")


class ExpectRowToEqualSumOfRows(_RuleExpectation):
    """The figure of `target_row` in `column` equals the sum of `operand_rows`, within its rounding."""

    label_column: str
    column: str
    target_row: str
    operand_rows: list[str]
    operand_tolerance_column: str | None = None
    mean: bool = False

    map_metric: ClassVar[str] = "itie.row_equals_sum_of_rows"
    success_keys: ClassVar[tuple[str, ...]] = ("mostly", "label_column", "column", "target_row", "operand_rows",
                                               "tolerance_column", "operand_tolerance_column", "mean")


class ExpectRowShareToMatchStatedRate(_RuleExpectation):
    """The rate stated on `target_row` is 100 × its amount / the amount of `base_row`, within the
    rate's printed rounding."""

    label_column: str
    rate_column: str
    amount_column: str
    target_rows: list[str]
    base_row: str
    amount_tolerance_column: str | None = None

    map_metric: ClassVar[str] = "itie.row_share_matches_rate"
    success_keys: ClassVar[tuple[str, ...]] = ("mostly", "label_column", "rate_column", "amount_column",
                                               "target_rows", "base_row", "tolerance_column", "amount_tolerance_column")
