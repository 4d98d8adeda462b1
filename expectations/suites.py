"""Great Expectations suites over the reconciled tables, and their results as findings.

Each table gets one suite, declared as data (`SuiteSpec`: the table as a frame and its
expectations): every rule the table holds (`Reconciliation.rules`, spec'd or inferred: totals,
row relations, column totals, stated shares) is an expectation (`expectations.custom`), so the
suites fail on the rows where the report's checks fail (a table whose rules were inferred is
read as inference read it, with the tables it continues); beside them, the expectations on what was read (every
required figure of an item row readable, an entity named once per table). An expectation that
cannot fail on any table is not declared.

All suites of a run are validated in one ephemeral GX context, then Data Docs are built once
from all the validations (a build per table would cost the square of the number of tables),
and made readable offline (`expectations.data_docs`).
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pandas as pd

from extractors.table import ROW_KIND, ROW_LABEL, ExtractedDocument, ExtractedTable
from reconcilers.cells import cell_location
from reconcilers.finding import Finding, Location
from reconcilers.meaning import InterpretedTable
from reconcilers.rules import TableRule
from reconcilers.thresholds import Margin, document_margin, explained_names, row_flagged, table_margin
from reconcilers.totals import TotalRow, stated_allowance

if TYPE_CHECKING:   # the process that only validates (`pipeline.validation`) need not import the reconcilers
    from reconcilers.document import Reconciliation

TOLERANCE = "__tolerance"      # suffix of the column holding a figure's rounding allowance
AS_TOTAL = "__as_total"        # suffix of a figure's allowance when it is read as a stated total
FLAGGED = "__flagged"          # whether the document flags a row's variance (threshold rules)
RELATION_KINDS = ["item", "subtotal", "total"]   # the rows inferred relations are tried on


@dataclass(frozen=True)
class ExpectationSpec:
    """One expectation: its GX class, its arguments, the column it judges, what it means."""

    kind: str                       # GX expectation class, e.g. "ExpectRowToEqualSumOfRows"
    column: str                     # the table's column whose cells it judges
    kwargs: tuple[tuple[str, Any], ...] = ()
    meaning_fr: str = ""
    meaning_en: str = ""
    rule: TableRule | None = None   # the table's rule it carries, if any
    items_only: bool = False        # judged on item rows only (not on sub-totals and totals)


@dataclass(frozen=True)
class SuiteSpec:
    """A table as a frame (every row, with its label, kind and rounding) and its expectations."""

    name: str
    table: ExtractedTable
    frame: pd.DataFrame             # position i is the table's row `rows[i]`
    rows: tuple[int, ...]            # -1: a row of a table this one continues
    expectations: tuple[ExpectationSpec, ...]
    interpreted: InterpretedTable | None = None   # set when the rules were inferred

    def location(self, index: int, column: str) -> Location:
        if self.interpreted is not None:
            return self.interpreted.location(index, column)
        return cell_location(self.table, index, column)

    def header(self, column: str) -> str:
        return self.interpreted.header(column) if self.interpreted is not None else self.table.column(column).label


def table_frame(table: ExtractedTable) -> tuple[pd.DataFrame, tuple[int, ...]]:
    """Label, kind, figures and their rounding allowance, entity names: what the expectations read."""
    values = table.values
    frame = pd.DataFrame({ROW_LABEL: values[ROW_LABEL].astype(str).to_numpy(),
                          ROW_KIND: values[ROW_KIND].astype(str).to_numpy()})
    for column in table.columns:
        if column.is_quantity:
            frame[column.key] = pd.to_numeric(values[column.key], errors="coerce").to_numpy()
            frame[column.key + TOLERANCE] = pd.to_numeric(table.tolerances[column.key], errors="coerce").fillna(0.0).to_numpy()
        elif column.entity:
            frame[column.key] = values[column.key].astype(str).to_numpy()
    return frame, tuple(int(i) for i in values.index)


def _described(rule: TableRule) -> tuple[str, str]:
    """The rule as an expectation's meaning, in French and English, with where it comes from and,
    once measured, its support."""
    if rule.source == "spec":
        return f"{rule.text_fr} (règle de la spec)", f"{rule.text_en} (spec rule)"
    if not rule.support:
        return f"{rule.text_fr} (règle inférée)", f"{rule.text_en} (inferred rule)"
    return (f"{rule.text_fr} (règle inférée, {rule.support.text('fr')})",
            f"{rule.text_en} (inferred rule, {rule.support.text('en')})")


def rule_expectations(table: ExtractedTable, rule: TableRule, frame: pd.DataFrame) -> list[ExpectationSpec]:
    """The expectations that carry one rule; none where the table has no figure to check."""
    fr, en = _described(rule)
    known = set(frame.columns)
    if rule.check == "row_arithmetic":
        if not {rule.target, *rule.operands} <= known:
            return []
        return [ExpectationSpec("ExpectColumnValuesToEqualFormula", rule.target, (
            ("column_list", [ROW_KIND, rule.target, *rule.operands, rule.target + TOLERANCE]),
            ("kind_column", ROW_KIND), ("target", rule.target), ("formula", rule.formula),
            ("tolerance_column", rule.target + TOLERANCE)), fr, en, rule)]
    labels = frame[ROW_LABEL]
    if rule.check == "percentage" and rule.formula == "share":
        rate, amount = rule.columns
        if not {rate, amount} <= known or not frame.loc[labels == rule.target, rate].notna().any():
            return []
        return [ExpectationSpec("ExpectRowShareToMatchStatedRate", amount if table.column(rate).in_label else rate, (
            ("column_list", [ROW_LABEL, rate, amount, rate + TOLERANCE]), ("label_column", ROW_LABEL),
            ("rate_column", rate), ("amount_column", amount), ("target_rows", [rule.target]),
            ("base_row", rule.operands[0]), ("tolerance_column", rate + TOLERANCE)), fr, en, rule)]
    if rule.formula == "sum":
        return [
            ExpectationSpec("ExpectRowToEqualSumOfRows", column, (
                ("column_list", [ROW_LABEL, column, column + TOLERANCE]), ("label_column", ROW_LABEL),
                ("column", column), ("target_row", rule.target), ("operand_rows", list(rule.operands)),
                ("tolerance_column", column + TOLERANCE)),
                f"{fr} — {table.column(column).label}", f"{en} — {table.column(column).label}", rule)
            for column in rule.columns
            if column in known and frame.loc[labels == rule.target, column].notna().any()
        ]
    return []


def row_id(table: str, index: int) -> str:
    """A row of an inferred table or of a table it continues: a total may add up rows of both."""
    return f"{table}:{index}"


def flagged_rows(it: InterpretedTable, rule: TableRule, explained: set[tuple[str, float]]) -> list[bool]:
    """The document's own classification of each row, as the threshold check reads it."""
    return [row_flagged(it, rule, int(index), explained)[0] for index in it.numbers.index]


def interpreted_frame(it: InterpretedTable) -> tuple[pd.DataFrame, tuple[int, ...]]:
    """The table as inference read it, preceded by the tables it continues (their rows of kind
    `continued`, judged by no rule of this table but added up by its totals)."""
    parts = []
    for link in it.chain():
        numbers, allowances = link.numbers, link.figures.allowances
        columns: dict[str, Any] = {ROW_LABEL: [row_id(link.key, int(i)) for i in numbers.index],
                                   ROW_KIND: list(link.row_roles) if link is it else "continued"}
        for column in numbers.columns:
            columns[column] = pd.to_numeric(numbers[column], errors="coerce")
            columns[column + TOLERANCE] = pd.to_numeric(allowances[column], errors="coerce").fillna(0.0) \
                if column in allowances.columns else 0.0
            if link is it:
                columns[column + AS_TOTAL] = [stated_allowance(TotalRow(it, int(i)), column) for i in numbers.index]
        parts.append(pd.DataFrame(columns, index=numbers.index))
    frame = pd.concat(parts)
    rows = tuple(int(i) for i in frame.index[-len(it.numbers):])
    return frame.reset_index(drop=True), (-1,) * (len(frame) - len(rows)) + rows


def inferred_expectations(it: InterpretedTable, rule: TableRule, frame: pd.DataFrame,
                          stated: Margin | None) -> list[ExpectationSpec]:
    """An inferred rule as its expectation, with the allowance inference gives it: the rounding of
    every figure the rule reads, not only of the stated one."""
    fr, en = _described(rule)
    known = set(frame.columns)
    if rule.check == "row_arithmetic" and ":" in rule.formula and len(rule.operands) == 2:
        columns = [rule.target, *rule.operands]
        if not set(columns) <= known:
            return []
        return [ExpectationSpec("ExpectColumnValuesToEqualRelation", rule.target, (
            ("column_list", [ROW_KIND, *columns, *(c + TOLERANCE for c in columns)]), ("kind_column", ROW_KIND),
            ("kinds", RELATION_KINDS), ("target", rule.target), ("operands", list(rule.operands)),
            ("form", rule.formula.split(":")[0]), ("tolerance_columns", [c + TOLERANCE for c in columns]),
            ("tolerance_column", rule.target + TOLERANCE)), fr, en, rule)]
    if rule.check == "cross_footing":
        columns = [rule.target, *rule.operands]
        if not set(columns) <= known:
            return []
        kinds = sorted(set(it.row_roles))
        return [ExpectationSpec("ExpectColumnValuesToEqualFormula", rule.target, (
            ("column_list", [ROW_KIND, *columns, *(c + TOLERANCE for c in columns)]), ("kind_column", ROW_KIND),
            ("kinds", kinds), ("target", rule.target), ("formula", " + ".join(rule.operands)),
            ("tolerance_column", rule.target + TOLERANCE),
            ("operand_tolerance_columns", [c + TOLERANCE for c in rule.operands])), fr, en, rule)]
    if rule.check == "threshold":
        margin = table_margin(it, stated)
        if margin is None or not set(rule.operands) <= known:
            return []
        column = it.header(rule.operands[0])
        return [ExpectationSpec("ExpectFlaggedRowsToBeBeyondMargin", rule.operands[0], (
            ("column_list", [*rule.operands, rule.target + FLAGGED]), ("amount", rule.operands[0]),
            ("percent", rule.operands[1]), ("flagged", rule.target + FLAGGED),
            ("percent_threshold", margin.percent), ("floor", margin.floor)), f"{fr} — {column}", f"{en} — {column}", rule)]
    if rule.target_row is None:
        return []
    target = row_id(it.key, rule.target_row)
    operands = [row_id(key, index) for key, index in rule.operand_rows]
    if rule.check == "percentage" and rule.formula.startswith("share"):
        amount = rule.operands[0]
        if not {rule.target, amount} <= known:
            return []
        return [ExpectationSpec("ExpectRowShareToMatchStatedRate", rule.target, (
            ("column_list", [ROW_LABEL, rule.target, amount, rule.target + TOLERANCE, amount + TOLERANCE]),
            ("label_column", ROW_LABEL), ("rate_column", rule.target), ("amount_column", amount),
            ("target_rows", operands), ("base_row", target), ("tolerance_column", rule.target + TOLERANCE),
            ("amount_tolerance_column", amount + TOLERANCE)), fr, en, rule)]
    if rule.check == "sum_total" and rule.formula in ("sum", "mean"):
        return [
            ExpectationSpec("ExpectRowToEqualSumOfRows", column, (
                ("column_list", [ROW_LABEL, column, column + AS_TOTAL, column + TOLERANCE]), ("label_column", ROW_LABEL),
                ("column", column), ("target_row", target), ("operand_rows", operands),
                ("tolerance_column", column + AS_TOTAL), ("operand_tolerance_column", column + TOLERANCE),
                ("mean", rule.formula == "mean")), f"{fr} — {it.header(column)}", f"{en} — {it.header(column)}", rule)
            for column in rule.columns if column in known
        ]
    return []


def interpreted_suite(it: InterpretedTable, document: ExtractedDocument, following: InterpretedTable | None) -> SuiteSpec:
    """The suite of a table whose rules were inferred; the rows its prose explains are read only
    for a threshold rule."""
    frame, rows = interpreted_frame(it)
    for rule in it.rules:
        if rule.check == "threshold":
            flags = flagged_rows(it, rule, explained_names(document, it, following))
            frame[rule.target + FLAGGED] = [False] * (len(frame) - len(rows)) + flags
    stated = document_margin(document.text)
    expectations = [e for rule in it.rules for e in inferred_expectations(it, rule, frame, stated)]
    return SuiteSpec(suite_name(it.table.provenance.document, it.key), it.table, frame, rows,
                     tuple(expectations + read_expectations(it.table)), it)


def read_expectations(table: ExtractedTable) -> list[ExpectationSpec]:
    """Every required figure of an item row was read; an entity is named once in the table."""
    found = []
    for column in table.columns:
        if column.is_quantity and not column.optional:
            found.append(ExpectationSpec(
                "ExpectColumnValuesToNotBeNull", column.key, (("column", column.key),),
                f"chaque ligne a une valeur lisible en « {column.label} »",
                f"every row has a readable “{column.label}”", items_only=True))
        elif column.entity:
            found.append(ExpectationSpec(
                "ExpectColumnValuesToBeUnique", column.key, (("column", column.key),),
                f"chaque {column.entity.upper()} n’apparaît qu’une fois dans le tableau",
                f"each {column.entity.upper()} appears once in the table", items_only=True))
    return found


def table_suite(table: ExtractedTable, rules: Iterable[TableRule]) -> SuiteSpec:
    frame, rows = table_frame(table)
    expectations = [e for rule in rules if rule.table == table.key for e in rule_expectations(table, rule, frame)]
    return SuiteSpec(suite_name(table.provenance.document, table.key), table, frame, rows,
                     tuple(expectations + read_expectations(table)))


def suites_for(reconciliation: Reconciliation) -> list[SuiteSpec]:
    """One suite per table that has rows and something to expect of them: a table whose rules were
    inferred is validated as inference read it."""
    interpreted = list(reconciliation.interpreted)
    following = {it.key: interpreted[i + 1] if i + 1 < len(interpreted) else None for i, it in enumerate(interpreted)}
    inferred = {it.key: it for it in interpreted if it.rules}
    suites = [
        interpreted_suite(inferred[t.key], reconciliation.document, following[t.key])
        if t.key in inferred else table_suite(t, reconciliation.rules)
        for t in reconciliation.document.tables if len(t.values)
    ]
    return [s for s in suites if s.expectations]


def suite_name(document: str, key: str) -> str:
    """Unique per file: a PDF and its text dump side by side in raw/ get a suite each."""
    return re.sub(r"[^A-Za-z0-9_-]+", "_", f"{Path(document).name}-{key}")


class SuiteValidator:
    """One ephemeral GX context that validates suites as they come (a document's as soon as it is
    read), then builds Data Docs once from all the validations."""

    def __init__(self) -> None:
        self._gx, self._custom, progress_bars, self._row = import_gx()
        self._context = self._gx.get_context(mode="ephemeral")
        self._context.variables.progress_bars = progress_bars(globally=False)
        self._source = self._context.data_sources.add_pandas("itie_reconcile")

    def validate(self, suites: Iterable[SuiteSpec]) -> list[Finding]:
        """The findings of each suite, in the suites' order."""
        gx, context = self._gx, self._context
        findings: list[Finding] = []
        for suite_spec in suites:
            batch = self._source.add_dataframe_asset(suite_spec.name).add_batch_definition_whole_dataframe("all")
            suite = gx.ExpectationSuite(name=suite_spec.name)
            for index, spec in enumerate(suite_spec.expectations):
                expectation_class = getattr(self._custom, spec.kind, None) or getattr(gx.expectations, spec.kind)
                condition = {"row_condition": self._row(ROW_KIND) == "item"} if spec.items_only else {}
                suite.add_expectation(expectation_class(
                    meta={"index": index}, description=_markdown(f"{spec.meaning_fr} / {spec.meaning_en}"),
                    **condition, **dict(spec.kwargs)))
            suite = context.suites.add(suite)   # stored once whole, not once per expectation added
            validation = context.validation_definitions.add(gx.ValidationDefinition(data=batch, suite=suite, name=suite_spec.name))
            outcome = validation.run(batch_parameters={"dataframe": suite_spec.frame}, result_format="COMPLETE")
            findings += [_finding(suite_spec, item) for item in outcome.results]
        return findings

    def build_data_docs(self, data_docs_dir: Path) -> None:
        """Data Docs of every validation so far, once, into `data_docs_dir`, readable offline."""
        from expectations.data_docs import make_offline
        self._context.update_data_docs_site("local_site", {
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(data_docs_dir.resolve())},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        })
        self._context.build_data_docs()
        make_offline(data_docs_dir)


def run_suites(suites: Iterable[SuiteSpec], data_docs_dir: Path | None) -> list[Finding]:
    """Validate every suite in one ephemeral context; then build Data Docs once, into `data_docs_dir`."""
    suites = list(suites)
    if not suites:
        return []
    validator = SuiteValidator()
    findings = validator.validate(suites)
    if data_docs_dir is not None:
        validator.build_data_docs(data_docs_dir)
    return findings


def _markdown(text: str) -> str:
    """GX renders a description as a string template: a `$` must be doubled to stay a `$`."""
    return text.replace("$", "$$")


def import_gx() -> tuple[ModuleType, ModuleType, type, type]:
    """GX is slow to import and chatty: imported only when suites run, its warnings kept quiet."""
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import great_expectations as gx
        import great_expectations.expectations  # noqa: F401 - gx.expectations below
        from great_expectations.data_context.types.base import ProgressBarsConfig
        from great_expectations.expectations.row_conditions import Column

        import expectations.custom as custom
    return gx, custom, ProgressBarsConfig, Column


def failing_rows(suite: SuiteSpec, item: Any) -> list[int]:
    """The table's row indices an expectation's result flags."""
    return [suite.rows[i] for i in (item.result.get("unexpected_index_list") or [])
            if 0 <= i < len(suite.rows) and suite.rows[i] >= 0]


def _finding(suite: SuiteSpec, item: Any) -> Finding:
    spec = suite.expectations[int(item.expectation_config.meta["index"])]
    table = suite.table
    title = table.provenance.title
    failing = [suite.location(i, spec.column) for i in failing_rows(suite, item)]
    passed = bool(item.success) and not failing
    labels = [str(loc.row) for loc in failing]
    rows_fr = f" ; lignes en défaut : {', '.join(labels)}" if labels else ""
    rows_en = f"; failing rows: {', '.join(labels)}" if labels else ""
    rule = spec.rule
    header = suite.header(spec.column)
    return Finding(
        document=table.provenance.document, check="expectation", status="pass" if passed else "fail",
        # a rule's failure is reported by its own check too: here it is the GX verdict beside it
        severity="info" if passed or rule is not None else "warning",
        subject=_subject(table, rule) if rule is not None and rule.check != "row_arithmetic" else title,
        field=header, expected=spec.kind, observed=labels or None, tables=(title,),
        location=failing[0] if failing else Location(table=title, column=header, table_key=table.key),
        evidence=tuple(failing[1:]),
        message_fr=f"{title} : {spec.meaning_fr} ({spec.kind}) — " + ("vérifié" if passed else "non respecté") + rows_fr + ".",
        message_en=f"{title}: {spec.meaning_en} ({spec.kind}) — " + ("holds" if passed else "does not hold") + rows_en + ".",
        key=f"{table.key}-{spec.kind}-{rule.target if rule else ''}",
    )


def _subject(table: ExtractedTable, rule: TableRule) -> str:
    """The row a total or a share is stated on, as printed."""
    printed = table.cells.loc[table.values[ROW_LABEL].astype(str) == rule.target, ROW_LABEL]
    return str(printed.iloc[0]) if len(printed) else rule.target
