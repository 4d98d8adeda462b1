"""The budget of an action plan: blocks of lines closed by sub-totals, a grand total, totals
and shares by funding source, the legend of acronyms, and the activities the lines fund.

`checks.budget` in the spec names the tables and columns (see `parse_budget`); the checks
are pure functions over the extracted tables. Sums reuse `totals.sum_finding`, so a
budget sub-total reads like any other sub-total of the report.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from extractors.quantity import format_quantity
from extractors.table import ROW_KIND, ROW_LABEL, ExtractedTable
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


@dataclass(frozen=True)
class LinesConfig:
    """The budget lines: amount, source and block columns, and what the document calls a block."""

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

    lines: LinesConfig
    activities: ActivitiesConfig | None = None
    sources: SourcesConfig | None = None
    legend: LegendConfig | None = None
    acronyms: AcronymConfig | None = None


def parse_budget(data: Mapping[str, Any]) -> BudgetConfig:
    """Build the config from the `budget:` mapping of a spec's checks; unknown keys are an error."""
    unknown = set(data) - {"lines", "activities", "sources", "legend", "acronyms"}
    if unknown:
        raise ValueError(f"checks.budget: unknown key(s) {sorted(unknown)}")
    acronyms = data.get("acronyms")
    return BudgetConfig(
        lines=LinesConfig(**data["lines"]),
        activities=ActivitiesConfig(**data["activities"]) if data.get("activities") else None,
        sources=SourcesConfig(**data["sources"]) if data.get("sources") else None,
        legend=LegendConfig(**data["legend"]) if data.get("legend") else None,
        acronyms=AcronymConfig(**{**acronyms, "columns": tuple(acronyms.get("columns", ()))}) if acronyms else None,
    )


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
            f"somme des {len(present)} lignes du {cfg.group_fr} {int(block)}",
            f"sum of the {len(present)} lines of {cfg.group_en} {int(block)}",
        ))
    return findings


def check_grand_total(lines: ExtractedTable, cfg: LinesConfig) -> list[Finding]:
    """The grand total against every line, and against the sub-totals: where they part, the
    sub-totals hold and the lines are missing (or the other way round)."""
    total = _grand_total(lines)
    if total is None or pd.isna(lines.values.at[total, cfg.amount]):
        return []
    stated = float(lines.values.at[total, cfg.amount])
    values = lines.values
    items = [int(i) for i in lines.items().index if not pd.isna(values.at[i, cfg.amount])]
    subtotals = [int(i) for i in values.index[values[ROW_KIND] == "subtotal"] if not pd.isna(values.at[i, cfg.amount])]
    by_lines = sum_finding(
        lines, total, cfg.amount, math.fsum(float(values.at[i, cfg.amount]) for i in items), stated,
        tuple(cell_location(lines, i, cfg.amount) for i in items),
        f"somme des {len(items)} lignes", f"sum of the {len(items)} lines",
    )
    by_subtotals = sum_finding(
        lines, total, cfg.amount, math.fsum(float(values.at[i, cfg.amount]) for i in subtotals), stated,
        tuple(cell_location(lines, i, cfg.amount) for i in subtotals),
        f"somme des {len(subtotals)} sous-totaux", f"sum of the {len(subtotals)} sub-totals",
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
        f"somme des {len(items)} sources de financement", f"sum of the {len(items)} funding sources",
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
        seen_fr = f" ; texte de la ligne : « {other} »" if other else " ; ligne vide"
        seen_en = f"; text of the row: “{other}”" if other else "; empty row"
        findings.append(Finding(
            document=activities.provenance.document, check="coverage", status="fail", severity="warning",
            subject=label, field=activities.column(cfg.activity).label, expected="activité", observed=None,
            tables=(activities.provenance.title,), location=cell_location(activities, int(index), cfg.activity),
            message_fr=f"Ligne {label} : colonne « {activities.column(cfg.activity).label} » vide{seen_fr}.",
            message_en=f"Row {label}: column “{activities.column(cfg.activity).label}” is empty{seen_en}.",
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
        what_fr, what_en = " — ligne rattachée à aucune activité", " — line tied to no activity"
        if activities is not None and acfg and index in tied:
            row = tied[index]
            text = str(activities.values.at[row, acfg.activity]).strip()
            number = activities.cells.at[row, ROW_LABEL]
            what_fr = f" — activité {number}" + (f" « {text} »" if text else " (sans texte)") + " sans budget"
            what_en = f" — activity {number}" + (f" “{text}”" if text else " (no text)") + " has no budget"
        shown = lines.cells.at[index, cfg.amount] or "vide"
        findings.append(Finding(
            document=lines.provenance.document, check="coverage", status="fail", severity="warning",
            subject=label, field=lines.column(cfg.amount).label, expected="> 0", observed=items.at[index, cfg.amount],
            unit=unit, tables=(lines.provenance.title,), location=cell_location(lines, index, cfg.amount),
            message_fr=f"Ligne {label} : montant « {shown} »{what_fr}.",
            message_en=f"Line {label}: amount “{lines.cells.at[index, cfg.amount] or 'empty'}”{what_en}.",
            key="amount",
        ))
    for index in no_source:
        label = str(lines.cells.at[index, ROW_LABEL])
        amount = format_quantity(float(items.at[index, cfg.amount]), unit, "fr")
        findings.append(Finding(
            document=lines.provenance.document, check="coverage", status="fail", severity="error",
            subject=label, field=lines.column(cfg.source).label, expected="source", observed=None,
            unit=unit, tables=(lines.provenance.title,), location=cell_location(lines, index, cfg.source),
            message_fr=f"Ligne {label} : {amount} sans source de financement.",
            message_en=f"Line {label}: {format_quantity(float(items.at[index, cfg.amount]), unit, 'en')} with no funding source.",
            key="source",
        ))
    funded = sum(1 for i in items.index if not pd.isna(items.at[i, cfg.amount]) and float(items.at[i, cfg.amount]) > 0)
    if not no_source:
        findings.append(_coverage_pass(lines, cfg.source, funded, "source",
                                       f"Les {funded} lignes dotées d’un montant ont une source de financement.",
                                       f"All {funded} lines with an amount have a funding source."))
    if not no_amount:
        findings.append(_coverage_pass(lines, cfg.amount, len(items), "amount",
                                       f"Les {len(items)} lignes ont un montant.",
                                       f"All {len(items)} lines have an amount."))
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
