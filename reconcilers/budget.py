"""The budget of an action plan: blocks of lines closed by sub-totals, a grand total, totals
and shares by funding source, the legend of acronyms, and the activities the lines fund.

`checks.budget` in the spec names the tables and columns (`BudgetConfig`, validated when the
spec loads); `BudgetCheck` is the registered part, its words are `MESSAGES`; the checks are
pure functions over the extracted tables. Sums reuse `totals.sum_finding`, so a
budget sub-total reads like any other sub-total of the report.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

import pandas as pd

from extractors.quantity import format_quantity
from extractors.spec import SPEC_RECORD
from extractors.table import ROW_KIND, ROW_LABEL, ExtractedTable
from reconcilers.alignment import MESSAGES as ALIGNMENT_MESSAGES
from reconcilers.alignment import (
    Alignment,
    Groups,
    align,
    alignment_findings,
    alignment_frame,
    row_pairs,
)
from reconcilers.cells import cell_location, unit_of
from reconcilers.finding import Finding
from reconcilers.parts import (
    ACRONYM,
    ALIGNMENT,
    COVERAGE,
    PERCENTAGE,
    SOURCE_NAME,
    SUM_TOTAL,
    Check,
    CheckContext,
    Reference,
    Template,
)
from reconcilers.sources import MESSAGES as SOURCE_MESSAGES
from reconcilers.sources import (
    AcronymConfig,
    LegendConfig,
    SourcesConfig,
    by_source_frame,
    check_acronyms,
    check_percentages,
    check_source_names,
    check_source_totals,
    gap_by_source,
    legend_terms,
    match_sources,
    source_sums,
)
from reconcilers.totals import sum_finding

MESSAGES: dict[str, Template] = {
    "block_sum": Template("somme des {n} lignes du {group} {block}", "sum of the {n} lines of {group} {block}"),
    "lines_sum": Template("somme des {n} lignes", "sum of the {n} lines"),
    "subtotals_sum": Template("somme des {n} sous-totaux", "sum of the {n} sub-totals"),
    "both_sums": Template("somme des {n} lignes, égale à celle des {m} sous-totaux",
                          "sum of the {n} lines, equal to that of the {m} sub-totals"),
    "sources_sum": Template("somme des {n} sources de financement", "sum of the {n} funding sources"),
    "empty_activity": Template("Ligne {label} : colonne « {column} » vide{seen}.",
                               "Row {label}: column “{column}” is empty{seen}."),
    "row_text": Template(" ; texte de la ligne : « {text} »", "; text of the row: “{text}”"),
    "empty_row": Template(" ; ligne vide", "; empty row"),
    "no_amount": Template("Ligne {label} : montant « {shown} »{what}.", "Line {label}: amount “{shown}”{what}."),
    "empty_amount": Template("vide", "empty"),
    "untied_line": Template(" — ligne rattachée à aucune activité", " — line tied to no activity"),
    "unbudgeted_activity": Template(" — activité {number}{text} sans budget", " — activity {number}{text} has no budget"),
    "activity_text": Template(" « {text} »", " “{text}”"),
    "no_activity_text": Template(" (sans texte)", " (no text)"),
    "no_source": Template("Ligne {label} : {amount} sans source de financement.",
                          "Line {label}: {amount} with no funding source."),
    "all_sourced": Template("Les {n} lignes dotées d’un montant ont une source de financement.",
                            "All {n} lines with an amount have a funding source."),
    "all_amounts": Template("Les {n} lignes ont un montant.", "All {n} lines have an amount."),
}


@dataclass(frozen=True)
class LinesConfig:
    """The budget lines: amount, source and block columns, and what the document calls a block."""

    __pydantic_config__ = SPEC_RECORD

    table: str
    amount: str = "amount"
    source: str = "source"
    block: str = "block"
    group_fr: str = "bloc"
    group_en: str = "block"
    groups_fr: str = ""
    groups_en: str = ""


@dataclass(frozen=True)
class ActivitiesConfig:
    """The activities: their text and block (axis) columns, and what the document calls an axis."""

    __pydantic_config__ = SPEC_RECORD

    table: str
    activity: str = "activity"
    block: str = "block"
    group_fr: str = "groupe"
    group_en: str = "group"
    groups_fr: str = ""
    groups_en: str = ""


@dataclass(frozen=True)
class BudgetConfig:
    """Everything `checks.budget` says; only `lines` is required."""

    __pydantic_config__ = SPEC_RECORD

    lines: LinesConfig
    activities: ActivitiesConfig | None = None
    sources: SourcesConfig | None = None
    legend: LegendConfig | None = None
    acronyms: AcronymConfig | None = None


@dataclass(frozen=True)
class BudgetResult:
    """The findings of the budget checks and the frames the report and the expectations read."""

    findings: tuple[Finding, ...]
    frames: dict[str, pd.DataFrame]


def check_budget(tables: Mapping[str, ExtractedTable], config: BudgetConfig) -> BudgetResult:
    """Every budget check the config allows with the tables the document yielded."""
    if config.lines.table not in tables:
        return BudgetResult((), {})
    lines = tables[config.lines.table]
    cfg = config.lines
    findings = check_block_subtotals(lines, cfg) + check_grand_total(lines, cfg)
    frames = {"budget_blocks": blocks_frame(lines, cfg)}
    sources = tables.get(config.sources.table) if config.sources else None
    legend_table = tables.get(config.legend.table) if config.legend else None
    legend = legend_terms(legend_table, config.legend)
    source_names: tuple[str, ...] = ()
    if sources is not None and config.sources:
        matches = match_sources(lines, cfg.source, sources, config.sources, legend)
        sums = source_sums(matches, lines, cfg.amount, sources, config.sources)
        source_names = tuple(s.name for s in sums)
        findings += check_source_names(matches, lines, cfg.source, cfg.amount, sources, config.sources)
        findings += check_source_totals(sums, lines, cfg.amount, sources, config.sources)
        findings += check_sources_vs_grand_total(lines, cfg, sources, config.sources)
        findings += check_percentages(sources, config.sources)
        total = _grand_total(lines)
        if total is not None:
            gap = float(lines.values.at[total, cfg.amount]) - _items_sum(lines, cfg.amount)
            findings.append(gap_by_source(sums, gap, cell_location(lines, total, cfg.amount), lines.provenance.document,
                                          (lines.provenance.title, sources.provenance.title), unit_of(lines, cfg.amount)))
        frames["budget_by_source"] = by_source_frame(sums, sources, config.sources)
    if config.acronyms and config.acronyms.columns:
        findings += check_acronyms(lines, config.acronyms, legend, source_names,
                                   legend_table.provenance.title if legend_table is not None else "")
    activities = tables.get(config.activities.table) if config.activities else None
    tied: dict[int, int] = {}
    if activities is not None and config.activities:
        left = Groups(activities, config.activities.block, config.activities.group_fr, config.activities.group_en,
                      config.activities.groups_fr, config.activities.groups_en)
        right = Groups(lines, cfg.block, cfg.group_fr, cfg.group_en, cfg.groups_fr, cfg.groups_en)
        alignment: Alignment = align(left.rows(), right.rows())
        findings += alignment_findings(alignment, left, right)
        tied = {line: activity for activity, line in row_pairs(alignment, left, right)}
        frames["budget_alignment"] = alignment_frame(alignment, left, right, config.activities.activity, cfg.amount)
        findings += check_empty_activities(activities, config.activities)
    findings += check_line_coverage(lines, cfg, activities, config.activities, tied)
    return BudgetResult(tuple(findings), frames)


def _items_sum(table: ExtractedTable, column: str) -> float:
    return math.fsum(float(v) for v in table.items()[column] if not pd.isna(v))


def _grand_total(table: ExtractedTable) -> int | None:
    totals = table.values.index[table.values[ROW_KIND] == "total"]
    return int(totals[-1]) if len(totals) else None


def check_block_subtotals(lines: ExtractedTable, cfg: LinesConfig) -> list[Finding]:
    """Each block's stated sub-total against the lines of that block."""
    findings = []
    values = lines.values
    for index in values.index[values[ROW_KIND] == "subtotal"]:
        block = values.at[index, cfg.block]
        members = values.index[(values[ROW_KIND] == "item") & (values[cfg.block] == block)]
        present = [int(i) for i in members if not pd.isna(values.at[i, cfg.amount])]
        if pd.isna(values.at[index, cfg.amount]):
            continue
        findings.append(sum_finding(
            lines, int(index), cfg.amount, math.fsum(float(values.at[i, cfg.amount]) for i in present),
            float(values.at[index, cfg.amount]), tuple(cell_location(lines, i, cfg.amount) for i in present),
            *MESSAGES["block_sum"].render({"n": len(present), "group": cfg.group_fr, "block": int(block)},
                                          {"n": len(present), "group": cfg.group_en, "block": int(block)}),
        ))
    return findings


def check_grand_total(lines: ExtractedTable, cfg: LinesConfig) -> list[Finding]:
    """The grand total against every line and against the sub-totals: one finding when the two
    recomputations are the same figure (a gap is then said once, with both), two when they part (the sub-totals hold
    and lines are missing, or the other way round)."""
    total = _grand_total(lines)
    if total is None or pd.isna(lines.values.at[total, cfg.amount]):
        return []
    stated = float(lines.values.at[total, cfg.amount])
    values = lines.values
    items = [int(i) for i in lines.items().index if not pd.isna(values.at[i, cfg.amount])]
    subtotals = [int(i) for i in values.index[values[ROW_KIND] == "subtotal"] if not pd.isna(values.at[i, cfg.amount])]
    by_items = math.fsum(float(values.at[i, cfg.amount]) for i in items)
    by_blocks = math.fsum(float(values.at[i, cfg.amount]) for i in subtotals)
    evidence = tuple(cell_location(lines, i, cfg.amount) for i in items)
    if subtotals and math.isclose(by_items, by_blocks, rel_tol=1e-9, abs_tol=1e-9):
        both = sum_finding(lines, total, cfg.amount, by_items, stated, evidence,
                           *MESSAGES["both_sums"].render({"n": len(items), "m": len(subtotals)}))
        return [replace(both, key="lines")]
    by_lines = sum_finding(lines, total, cfg.amount, by_items, stated, evidence,
                           *MESSAGES["lines_sum"].render({"n": len(items)}))
    by_subtotals = sum_finding(
        lines, total, cfg.amount, by_blocks, stated, tuple(cell_location(lines, i, cfg.amount) for i in subtotals),
        *MESSAGES["subtotals_sum"].render({"n": len(subtotals)}),
    )
    return [replace(by_lines, key="lines"), replace(by_subtotals, key="subtotals")]


def check_sources_vs_grand_total(lines: ExtractedTable, cfg: LinesConfig, sources: ExtractedTable,
                                 config: SourcesConfig) -> list[Finding]:
    """The sources' stated totals must add up to the grand total of the budget."""
    total = _grand_total(lines)
    if total is None or pd.isna(lines.values.at[total, cfg.amount]):
        return []
    items = [int(i) for i in sources.items().index if not pd.isna(sources.values.at[i, config.amount])]
    finding = sum_finding(
        lines, total, cfg.amount, math.fsum(float(sources.values.at[i, config.amount]) for i in items),
        float(lines.values.at[total, cfg.amount]), tuple(cell_location(sources, i, config.amount) for i in items),
        *MESSAGES["sources_sum"].render({"n": len(items)}),
    )
    return [replace(finding, key="sources", tables=(lines.provenance.title, sources.provenance.title))]


def check_empty_activities(activities: ExtractedTable, cfg: ActivitiesConfig) -> list[Finding]:
    """A numbered row with no activity: nothing to fund, or its text slipped into another column."""
    findings = []
    for index in activities.items().index:
        if str(activities.values.at[index, cfg.activity]).strip():
            continue
        label = str(activities.cells.at[index, ROW_LABEL])
        other = " | ".join(str(activities.cells.at[index, c.key]) for c in activities.columns
                           if c.type == "text" and c.key != cfg.activity and str(activities.cells.at[index, c.key]).strip())
        seen_fr, seen_en = MESSAGES["row_text"].render({"text": other}) if other else MESSAGES["empty_row"].render({})
        column = activities.column(cfg.activity).label
        fr, en = MESSAGES["empty_activity"].render({"label": label, "column": column, "seen": seen_fr},
                                                   {"label": label, "column": column, "seen": seen_en})
        findings.append(Finding(
            document=activities.provenance.document, check="coverage", status="fail", severity="warning",
            subject=label, field=activities.column(cfg.activity).label, expected="activité", observed=None,
            tables=(activities.provenance.title,), location=cell_location(activities, int(index), cfg.activity),
            message_fr=fr, message_en=en,
            key="activity",
        ))
    return findings


def check_line_coverage(lines: ExtractedTable, cfg: LinesConfig, activities: ExtractedTable | None,
                        acfg: ActivitiesConfig | None, tied: dict[int, int]) -> list[Finding]:
    """Lines with no amount (the activity they fund, where known, goes unbudgeted) and amounts with
    no funding source; a pass for each of the two when every line has one."""
    unit = unit_of(lines, cfg.amount)
    findings: list[Finding] = []
    items = lines.items()
    no_amount = [int(i) for i in items.index if pd.isna(items.at[i, cfg.amount]) or float(items.at[i, cfg.amount]) == 0]
    no_source = [int(i) for i in items.index if not pd.isna(items.at[i, cfg.amount]) and float(items.at[i, cfg.amount]) > 0
                 and not str(items.at[i, cfg.source]).strip()]
    for index in no_amount:
        label = str(lines.cells.at[index, ROW_LABEL])
        what_fr, what_en = MESSAGES["untied_line"].render({})
        if activities is not None and acfg and index in tied:
            row = tied[index]
            text = str(activities.values.at[row, acfg.activity]).strip()
            number = activities.cells.at[row, ROW_LABEL]
            text_fr, text_en = MESSAGES["activity_text" if text else "no_activity_text"].render({"text": text})
            what_fr, what_en = MESSAGES["unbudgeted_activity"].render({"number": number, "text": text_fr},
                                                                      {"number": number, "text": text_en})
        empty_fr, empty_en = MESSAGES["empty_amount"].render({})
        shown = lines.cells.at[index, cfg.amount]
        fr, en = MESSAGES["no_amount"].render({"label": label, "shown": shown or empty_fr, "what": what_fr},
                                              {"label": label, "shown": shown or empty_en, "what": what_en})
        findings.append(Finding(
            document=lines.provenance.document, check="coverage", status="fail", severity="warning",
            subject=label, field=lines.column(cfg.amount).label, expected="> 0", observed=items.at[index, cfg.amount],
            unit=unit, tables=(lines.provenance.title,), location=cell_location(lines, index, cfg.amount),
            message_fr=fr, message_en=en,
            key="amount",
        ))
    for index in no_source:
        label = str(lines.cells.at[index, ROW_LABEL])
        amount = float(items.at[index, cfg.amount])
        fr, en = MESSAGES["no_source"].render({"label": label, "amount": format_quantity(amount, unit, "fr")},
                                              {"label": label, "amount": format_quantity(amount, unit, "en")})
        findings.append(Finding(
            document=lines.provenance.document, check="coverage", status="fail", severity="error",
            subject=label, field=lines.column(cfg.source).label, expected="source", observed=None,
            unit=unit, tables=(lines.provenance.title,), location=cell_location(lines, index, cfg.source),
            message_fr=fr, message_en=en,
            key="source",
        ))
    funded = sum(1 for i in items.index if not pd.isna(items.at[i, cfg.amount]) and float(items.at[i, cfg.amount]) > 0)
    if not no_source:
        findings.append(_coverage_pass(lines, cfg.source, funded, "source", *MESSAGES["all_sourced"].render({"n": funded})))
    if not no_amount:
        findings.append(_coverage_pass(lines, cfg.amount, len(items), "amount",
                                       *MESSAGES["all_amounts"].render({"n": len(items)})))
    return findings


def _coverage_pass(lines: ExtractedTable, column: str, count: int, key: str, fr: str, en: str) -> Finding:
    return Finding(
        document=lines.provenance.document, check="coverage", status="pass", severity="info",
        subject=lines.provenance.title, field=lines.column(column).label, expected=count, observed=count,
        unit="count", tables=(lines.provenance.title,), message_fr=fr, message_en=en, key=key,
    )


def blocks_frame(lines: ExtractedTable, cfg: LinesConfig) -> pd.DataFrame:
    """One row per block: its lines, their sum, the stated sub-total and the difference."""
    values = lines.values
    rows = []
    for index in values.index[values[ROW_KIND] == "subtotal"]:
        block = values.at[index, cfg.block]
        members = values[(values[ROW_KIND] == "item") & (values[cfg.block] == block)]
        computed = math.fsum(float(v) for v in members[cfg.amount] if not pd.isna(v))
        stated = values.at[index, cfg.amount]
        rows.append({"block": int(block), "lines": len(members), "computed": round(computed, 6),
                     "stated": stated, "difference": round(float(stated) - computed, 6) if not pd.isna(stated) else math.nan,
                     "unit": unit_of(lines, cfg.amount)})
    return pd.DataFrame(rows, columns=["block", "lines", "computed", "stated", "difference", "unit"])


class BudgetCheck(Check):
    """Action plans: block sub-totals, grand total, funding sources, legend, activities."""

    name = "budget"
    schema = BudgetConfig
    emits = (SUM_TOTAL, COVERAGE, PERCENTAGE, SOURCE_NAME, ACRONYM, ALIGNMENT)
    messages = MESSAGES | SOURCE_MESSAGES | ALIGNMENT_MESSAGES

    def references(self, config: BudgetConfig) -> list[Reference]:
        lines, activities, sources, legend = config.lines, config.activities, config.sources, config.legend
        found = [Reference(("lines",), lines.table, c) for c in (lines.amount, lines.source, lines.block)]
        if activities:
            found += [Reference(("activities",), activities.table, c) for c in (activities.activity, activities.block)]
        if sources:
            found += [Reference(("sources",), sources.table, c) for c in (sources.name, sources.amount, sources.percent)]
        if legend:
            found += [Reference(("legend",), legend.table, c) for c in (legend.acronym, legend.definition)]
        if config.acronyms:
            found += [Reference(("acronyms", "columns"), lines.table, c) for c in config.acronyms.columns]
        return found

    def run(self, context: CheckContext, config: BudgetConfig) -> list[Finding]:
        result = check_budget(context.tables, config)
        context.frames.update(result.frames)
        return list(result.findings)
