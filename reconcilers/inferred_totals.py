"""Totals found without a spec: labelled totals, unlabelled sub-totals, hierarchies, cross-footing.

A row labelled as a total (`Total`, `Sous-total`, `TOTAL REVENUE`, …) is tied to the block of rows
it adds up: the rows since the previous total, the sub-totals since the previous total, or the
rows below it when the total heads its group; the block kept is the one its figures match, column
by column. An unlabelled row is taken as a sub-total only when it equals the rows above it, and a
bare row right after two or more sub-totals that agree with their items is the total of those
sub-totals. A total heading several breakdowns of the same items (the rows below it split by
section headings, each adding up to it) is tied to each of them. A "total" that lies between the
smallest and the largest of its rows is a mean or a rate: compared with the mean, never summed; a
row whose figures mostly do so is a row of rates, and a row continuing its neighbours at a constant
step is a chart's scale: both are said not summed. A total no block matches is said, not guessed.
Allowances come from the printed figures: the total's half-unit plus each part's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from itertools import pairwise

from extractors.quantity import format_quantity
from reconcilers.finding import Finding
from reconcilers.inferred_messages import (
    REASON_RATES,
    REASON_SCALE,
    RULE_CROSS_FOOT,
    RULE_SUM_ABOVE,
    RULE_SUM_BELOW,
    RULE_SUM_SECTION,
    RULE_SUM_SUBTOTALS,
    TOTAL,
    TOTAL_NOT_SUMMED,
    TOTAL_UNTIED,
    fill,
    with_difference,
)
from reconcilers.meaning import InterpretedTable, row_name
from reconcilers.rules import Support, TableRule
from reconcilers.totals import TotalRow, row_sum, stated_allowance

_SLACK = 1e-9
MIN_PARTS = 2                  # a block of one row is a copy, not a sum (nor, unlabelled, of zeros and one row)
CROSS_FOOT_MIN_ROWS = 3        # a total column is inferred from at least this many rows …
CROSS_FOOT_SHARE = 0.8         # … holding on at least this share of them
SCALE_MIN_TICKS = 5            # a constant step over this many figures, the total's among them, is a scale


@dataclass(frozen=True)
class _Fit:
    """A block of rows against a total row, column by column."""

    kind: str                        # above | subtotals | below | all
    rows: tuple[TotalRow, ...]
    matched: tuple[str, ...]
    tried: tuple[str, ...]           # columns with a figure on the total row and some in the block
    means: tuple[str, ...]           # columns where the total is the block's mean
    groups: tuple[tuple[str, tuple[TotalRow, ...]], ...] = ()   # breakdowns: (section, its rows), each tied alone


def infer_total_rules(it: InterpretedTable) -> tuple[list[TableRule], list[Finding]]:
    """The sum rules of this table's total rows (blocks may start in the table it continues),
    and a note for each labelled total no block matches."""
    rules: list[TableRule] = []
    notes: list[Finding] = []
    block: list[TotalRow] = []
    subtotals: list[TotalRow] = []
    since_total: list[TotalRow] = []
    sections: list[tuple[str, list[TotalRow]]] = []
    stream = [TotalRow(t, int(i)) for t in it.chain() for i in t.table.values.index]
    for position, row in enumerate(stream):
        own = row.it is it
        columns = _figures(row)
        if row.role in ("total", "subtotal"):
            if columns:
                fits = _labelled_fits(row, columns, block, subtotals, since_total, stream[position + 1:])
                fits += [_fit(f"section {name}", row, rows, columns) for name, rows in sections
                         if row.role == "total" and len(rows) >= MIN_PARTS]
                fits = [fit for fit in fits if fit.tried]
                best = _best(fits)
                if best is not None and best.matched and 2 * len(best.matched) >= len(best.tried):
                    rules += _rules(row, best) if own else []
                elif own and fits:
                    notes += _not_tied(row, columns, fits)
            if row.role == "subtotal":
                subtotals.append(row)
                block = []
            else:
                block, subtotals, since_total, sections = [], [], [], []
            continue
        if row.role == "section":
            sections.append((row.it.label(row.index), []))
        if row.role != "item" or not columns:
            continue
        fit = _unlabelled_fit(row, columns, block, subtotals, since_total)
        if fit is None:
            block.append(row)
            since_total.append(row)
            if sections:
                sections[-1][1].append(row)
            continue
        rules += _rules(row, fit) if own else []
        if fit.kind == "above":
            subtotals.append(row)
            block = []
        else:
            block, subtotals, since_total, sections = [], [], [], []
    return rules, notes


def _best(fits: list[_Fit]) -> _Fit | None:
    """The block matching the most columns. When other blocks match as many columns but not the
    same ones (a total over several breakdowns: sex, income, …), a column is kept as failing only
    if every such block fails it: which breakdown the total is of is then unclear for the others."""
    if not fits:
        return None
    most = max(len(fit.matched) for fit in fits)
    tied = [fit for fit in fits if len(fit.matched) == most]
    best = tied[0]
    failing = set.intersection(*(set(fit.tried) - set(fit.matched) for fit in tied))
    tried = tuple(c for c in best.tried if c in best.matched or c in failing)
    return replace(best, tried=tried)


def _figures(row: TotalRow) -> list[str]:
    return [c for c in row.it.columns_with("quantity", "percent") if not math.isnan(row.value(c))]


def _labelled_fits(row: TotalRow, columns: list[str], block: list[TotalRow], subtotals: list[TotalRow],
                   since_total: list[TotalRow], after: list[TotalRow]) -> list[_Fit]:
    candidates: list[tuple[str, list[TotalRow]]] = [("above", block)]
    if row.role == "total" and len(subtotals) >= MIN_PARTS:
        candidates.append(("subtotals", subtotals + block))
    if row.role == "total":
        candidates.append(("all", since_total))
    breakdowns: list[_Fit] = []
    if not block:
        below = []
        for following in after:
            if following.role in ("total", "subtotal"):
                break
            if following.role == "item":
                below.append(following)
        candidates.append(("below", below))
        breakdowns = _breakdowns(row, columns, after)
    fits = [_fit(kind, row, rows, columns) for kind, rows in candidates if len(rows) >= MIN_PARTS]
    return [fit for fit in fits + breakdowns if fit.tried]


def _breakdowns(row: TotalRow, columns: list[str], after: list[TotalRow]) -> list[_Fit]:
    """A total heading rows split by section headings ("By sex", "By income") into two or more
    breakdowns of the same items: one fit matching the columns every breakdown adds up to."""
    groups: list[tuple[str, list[TotalRow]]] = []
    for following in after:
        if following.role in ("total", "subtotal"):
            break
        if following.role == "section":
            groups.append((following.it.label(following.index), []))
        elif following.role == "item":
            if not groups:
                return []
            groups[-1][1].append(following)
    if len(groups) < 2 or any(len(rows) < MIN_PARTS for _, rows in groups):
        return []
    fits = [_fit("below", row, rows, columns) for _, rows in groups]
    matched = tuple(c for c in columns if all(c in fit.matched for fit in fits))
    tried = tuple(c for c in columns if any(c in fit.tried for fit in fits))
    return [_Fit("breakdowns", tuple(r for _, rows in groups for r in rows), matched, tried, (),
                 tuple((name, tuple(rows)) for name, rows in groups))]


def _unlabelled_fit(row: TotalRow, columns: list[str], block: list[TotalRow], subtotals: list[TotalRow],
                    since_total: list[TotalRow]) -> _Fit | None:
    """A row of figures taken as a total only when every figure it has matches: the rows above
    it, or (bare, right after two sub-totals that agree with their items) those sub-totals."""
    additive = [c for c in columns if row.it.additive(c)]
    if not additive or len(additive) < len(columns) and not row.bare():
        return None
    if block:
        fit = _fit("above", row, block, additive)
        enough = row.bare() or len(fit.matched) >= 2
        return fit if fit.tried and set(fit.matched) == set(additive) and enough else None
    if not row.bare() or len(subtotals) < MIN_PARTS:
        return None
    fit = _fit("subtotals", row, subtotals, additive)
    if fit.tried and set(fit.matched) == set(additive):
        return fit
    items = _fit("all", row, since_total, additive)
    consistent = all(abs(row_sum(subtotals, c)[0] - row_sum(since_total, c)[0]) <= row_sum(subtotals, c)[1]
                     + row_sum(since_total, c)[1] for c in additive)
    return fit if fit.tried and items.tried and consistent else None


def _fit(kind: str, row: TotalRow, rows: list[TotalRow], columns: list[str]) -> _Fit:
    matched, tried, means = [], [], []
    for column in columns:
        if column not in row.it.numbers.columns:
            continue
        total, allowance, nonzero = row_sum(rows, column)
        present = sum(1 for r in rows if not math.isnan(r.value(column)))
        if (present if row.role in ("total", "subtotal") else nonzero) < MIN_PARTS:
            continue
        stated = row.value(column)
        own = stated_allowance(row, column)
        if abs(stated - total) <= allowance + own:
            matched.append(column)
            tried.append(column)
        elif _is_mean(row, rows, column):
            count = sum(1 for r in rows if not math.isnan(r.value(column)))
            if abs(stated - total / count) <= allowance / count + own:
                means.append(column)
        else:
            tried.append(column)
    return _Fit(kind, tuple(rows), tuple(matched), tuple(tried), tuple(means))


def _is_mean(row: TotalRow, rows: list[TotalRow] | tuple[TotalRow, ...], column: str) -> bool:
    """A figure within the range of its non-negative rows cannot be their sum: a mean or a rate.

    It is kept aside (never summed): checked as their mean when it is one, else left alone. Two
    non-zero rows at least: a wrong total over one non-zero row also lies within the range."""
    values = [r.value(column) for r in rows if not math.isnan(r.value(column))]
    stated = row.value(column)
    return (sum(1 for v in values if v) >= MIN_PARTS and min(values) >= 0
            and min(values) <= stated <= max(values))


def _rules(row: TotalRow, fit: _Fit) -> list[TableRule]:
    if fit.groups:
        return [replace(rule, key=str(n) if n > 1 else "") for n, (section, rows) in enumerate(fit.groups, 1)
                for rule in _rules(row, replace(fit, kind=f"section {section}", rows=rows, groups=()))]
    it = row.it
    name = row_name(it.table, row.index)
    count = len(fit.rows)
    if fit.kind.startswith("section "):
        fr, en = fill(RULE_SUM_SECTION, target=name, count=count, section=fit.kind.removeprefix("section "))
    else:
        template = {"above": RULE_SUM_ABOVE, "below": RULE_SUM_BELOW, "subtotals": RULE_SUM_SUBTOTALS,
                    "all": RULE_SUM_ABOVE}[fit.kind]
        fr, en = fill(template, target=name, count=count)
    operands = tuple(row_name(r.it.table, r.index) for r in fit.rows)
    rows = tuple((r.it.key, r.index) for r in fit.rows)
    summed = fit.tried
    support = Support(len(fit.matched), len(summed), "columns")
    if fit.kind == "subtotals" and not fit.matched:
        support = Support(len(fit.rows), len(fit.rows), "subtotals")
    rules = [TableRule(
        table=it.key, check="sum_total", target=name, operands=operands, formula="sum", text_fr=fr,
        text_en=en, source="inferred", support=support,
        columns=summed, target_row=row.index, operand_rows=rows)]
    if fit.means:
        rules.append(TableRule(
            table=it.key, check="sum_total", target=name, operands=operands, formula="mean",
            text_fr=f"{name} = moyenne des {count} lignes", text_en=f"{name} = mean of the {count} rows",
            source="inferred", support=Support(len(fit.means), len(fit.means), "columns"),
            columns=fit.means, target_row=row.index, operand_rows=rows))
    return rules


def _not_tied(row: TotalRow, columns: list[str], fits: list[_Fit]) -> list[Finding]:
    """What is said of a labelled total no block matches: a row of rates or a chart's scale is
    said not summed (one note, with why); any other, column by column, with the sums tried."""
    it = row.it
    tried = sorted({c for fit in fits for c in fit.tried})
    within = max(sum(1 for c in columns if _is_mean(row, fit.rows, c)) for fit in fits)
    steps = {c: _scale_step(row, c) for c in tried}
    if 2 * within > len(columns):
        reason = fill(REASON_RATES, within=within, count=len(columns))
    elif tried and all(step is not None for step in steps.values()):
        column = tried[0]
        step = steps[column]
        assert step is not None
        reason = fill(REASON_SCALE, column=it.header(column), step=(format_quantity(step, it.unit(column), "fr"),
                                                                   format_quantity(step, it.unit(column), "en")))
    else:
        return _untied(row, fits)
    name = row_name(it.table, row.index)
    column = (tried or columns)[0]
    unit = it.unit(column)
    fr, en = fill(TOTAL_NOT_SUMMED, label=name, reason=reason,
                  observed=tuple(", ".join(format_quantity(row.value(c), it.unit(c), lang) for c in columns)
                                 for lang in ("fr", "en")))
    return [Finding(
        document=it.table.provenance.document, check="sum_total", status="fail", severity="info",
        subject=name, field=it.header(column), observed=row.value(column), unit=unit,
        tables=(it.table.provenance.title,), location=it.location(row.index, column),
        message_fr=fr, message_en=en, key=f"{it.key}-{row.index}-not-summed")]


def _scale_step(row: TotalRow, column: str) -> float | None:
    """The step of the evenly spaced run of figures the total's figure stands in (the rows of its
    table, in order), when the run has SCALE_MIN_TICKS figures or more; else None."""
    numbers = row.it.numbers[column]
    figures = [(int(i), float(v)) for i, v in numbers.items() if not math.isnan(v)]
    position = next((p for p, (i, _) in enumerate(figures) if i == row.index), None)
    if position is None or len(figures) < SCALE_MIN_TICKS:
        return None
    values = [v for _, v in figures]
    neighbour = values[position + 1] if position + 1 < len(values) else values[position - 1]
    step = abs(neighbour - values[position])
    if step == 0:
        return None
    def even(a: float, b: float) -> bool:
        return abs(abs(b - a) - step) <= 1e-9 * max(1.0, abs(a), abs(b))
    start = position
    while start > 0 and even(values[start - 1], values[start]):
        start -= 1
    end = position
    while end + 1 < len(values) and even(values[end], values[end + 1]):
        end += 1
    signs = {math.copysign(1, b - a) for a, b in pairwise(values[start:end + 1])}
    return step if end - start + 1 >= SCALE_MIN_TICKS and len(signs) == 1 else None


def _untied(row: TotalRow, fits: list[_Fit]) -> list[Finding]:
    it = row.it
    name = row_name(it.table, row.index)
    findings = []
    for column in sorted({c for fit in fits for c in fit.tried}):
        unit = it.unit(column)
        tried = [(f"{fit.kind} {format_quantity(row_sum(fit.rows, column)[0], unit, 'fr')}",
                  f"{fit.kind} {format_quantity(row_sum(fit.rows, column)[0], unit, 'en')}")
                 for fit in fits if column in fit.tried]
        fr, en = fill(TOTAL_UNTIED, label=name, column=it.header(column),
                      observed=(format_quantity(row.value(column), unit, "fr"),
                                format_quantity(row.value(column), unit, "en")),
                      tried=("; ".join(t[0] for t in tried), "; ".join(t[1] for t in tried)))
        findings.append(Finding(
            document=it.table.provenance.document, check="sum_total", status="fail", severity="info",
            subject=name, field=it.header(column), observed=row.value(column), unit=unit,
            tables=(it.table.provenance.title,), location=it.location(row.index, column),
            message_fr=fr, message_en=en, key=f"{it.key}-{row.index}-untied"))
    return findings


def infer_cross_footing(it: InterpretedTable) -> list[TableRule]:
    """A column equal, row by row, to the sum of the additive columns printed before it (since
    the previous such total column): "Total = Hommes + Femmes", kept on a clear majority of rows."""
    columns = [c for c in it.columns_with("quantity") if it.additive(c) or _says_total(it.header(c))]
    rules = []
    start = 0
    for position, target in enumerate(columns):
        parts = columns[start:position]
        if len(parts) < MIN_PARTS:
            continue
        holds, rows = _cross_support(it, target, parts)
        if rows >= CROSS_FOOT_MIN_ROWS and holds >= CROSS_FOOT_SHARE * rows:
            text = " + ".join(it.header(c) for c in parts)
            fr, en = fill(RULE_CROSS_FOOT, target=it.header(target), parts=text)
            rules.append(TableRule(table=it.key, check="cross_footing", target=target, operands=tuple(parts),
                                   formula=" + ".join(parts), text_fr=fr, text_en=en, source="inferred",
                                   support=Support(holds, rows)))
            start = position + 1
    return rules


def _says_total(header: str) -> bool:
    return header.strip().lower().startswith(("total", "ensemble", "all "))


def _cross_rows(it: InterpretedTable, target: str, parts: list[str]) -> list[tuple[int, float, float, float]]:
    """(row, stated, computed, allowance) of the rows where the target and every part have a figure."""
    columns = (target, *parts)
    figures = zip(it.numbers.index, *(it.numbers[c].tolist() for c in columns))   # read once, not cell by cell
    out = []
    for index, *values in figures:
        if any(math.isnan(v) for v in values):
            continue
        allowance = math.fsum(it.tolerance(index, c) for c in columns)
        out.append((int(index), float(values[0]), math.fsum(values[1:]), allowance))
    return out


def _cross_support(it: InterpretedTable, target: str, parts: list[str]) -> tuple[int, int]:
    non_zero = dict(zip(it.numbers.index, map(sum, zip(*((it.numbers[c] != 0).tolist() for c in parts)))))
    rows = [r for r in _cross_rows(it, target, parts) if non_zero[r[0]] >= 2]
    holds = sum(1 for _, stated, computed, allowance in rows if abs(stated - computed) <= allowance + _SLACK)
    return holds, len(rows)


def check_cross_footing(it: InterpretedTable, rules: list[TableRule]) -> list[Finding]:
    """Every row of a total column against the sum of its columns."""
    findings = []
    for rule in rules:
        if rule.check != "cross_footing" or rule.support is None:
            continue
        unit = it.unit(rule.target)
        for index, stated, computed, allowance in _cross_rows(it, rule.target, list(rule.operands)):
            name = row_name(it.table, index)
            values = {lang: (format_quantity(computed, unit, lang), format_quantity(stated, unit, lang))
                      for lang in ("fr", "en")}
            fr, en = fill(TOTAL, label=name, column=it.header(rule.target), rule=(rule.text_fr, rule.text_en),
                          support=(rule.support.text("fr"), rule.support.text("en")),
                          expected=(values["fr"][0], values["en"][0]), observed=(values["fr"][1], values["en"][1]))
            fr, en = with_difference(fr, en, stated - computed, unit)
            findings.append(Finding(
                document=it.table.provenance.document, check="cross_footing",
                status="pass" if abs(stated - computed) <= allowance + _SLACK else "fail", severity="warning",
                subject=name, field=it.header(rule.target), expected=computed, observed=stated, unit=unit,
                tables=(it.table.provenance.title,), location=it.location(index, rule.target),
                evidence=tuple(it.location(index, c) for c in rule.operands),
                message_fr=fr, message_en=en, key=f"{it.key}-{index}-{rule.target}", rule=rule))
    return findings
