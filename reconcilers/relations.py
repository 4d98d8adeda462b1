"""Relations between the figure columns of a table, found without a spec and checked row by row.

For a target column and two other columns near it, the relations a reviewer would check are
tried: difference, absolute difference, sum, product, ratio, percentage of one column in another.
A relation is kept only when it holds, within the printed rounding, on at least `MIN_SHARE` of at
least `MIN_ROWS` rows, on at least `MIN_TELLING` rows where it says something (a row where both
operands are equal, or one is zero, fits a difference and a sum alike), when no other relation
ties the same target as well, and when the target's header does not name another kind of figure
("Variance %" is no sum). Every row that breaks a kept relation is a finding with the value the
relation gives. When nothing is clear, nothing is said.

Why these thresholds: a relation seen on 5 of 6 rows is still 80 % but one slip from chance (on
the ICDAR tables, two columns of small rates fitted a difference on 5 of 6 rows by accident);
8 rows, 80 % and 3 telling rows let one genuine error in five show while keeping such chance
agreements (small integers, columns of zeros) out.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from extractors.quantity import format_quantity
from reconcilers.finding import Finding
from reconcilers.inferred_messages import (
    RELATION,
    RULE_SHARE,
    RULE_SUM,
    fill,
    with_difference,
)
from reconcilers.meaning import InterpretedTable, row_name
from reconcilers.rules import Support, TableRule

MIN_ROWS = 8
MIN_SHARE = 0.8
MIN_TELLING = 3
WINDOW = 4                 # operands are looked for among the columns this close to the target
_SLACK = 1e-9

Array = np.ndarray


@dataclass(frozen=True)
class Form:
    """One kind of relation: how it computes, how its rounding adds up, how it is written."""

    name: str
    compute: Callable[[Array, Array], Array]
    allowance: Callable[[Array, Array, Array, Array], Array]     # (a, b, tol a, tol b)
    text: str                                                    # "{a} − {b}"
    symmetric: bool = False
    family: str = "difference"


def _ratio_allowance(a: Array, b: Array, ta: Array, tb: Array) -> Array:
    with np.errstate(divide="ignore", invalid="ignore"):
        return ta / np.abs(b) + np.abs(a) * tb / b ** 2


FORMS = (
    Form("difference", lambda a, b: a - b, lambda a, b, ta, tb: ta + tb, "{a} − {b}"),
    Form("absolute_difference", lambda a, b: np.abs(a - b), lambda a, b, ta, tb: ta + tb, "|{a} − {b}|"),
    Form("sum", lambda a, b: a + b, lambda a, b, ta, tb: ta + tb, "{a} + {b}", symmetric=True, family="sum"),
    Form("product", lambda a, b: a * b, lambda a, b, ta, tb: np.abs(b) * ta + np.abs(a) * tb, "{a} × {b}",
         symmetric=True, family="product"),
    Form("ratio", lambda a, b: a / b, _ratio_allowance, "{a} / {b}", family="ratio"),
    Form("percent", lambda a, b: 100 * a / b, lambda a, b, ta, tb: 100 * _ratio_allowance(a, b, ta, tb),
         "{a} / {b} × 100", family="percent"),
    Form("absolute_percent", lambda a, b: 100 * np.abs(a / b),
         lambda a, b, ta, tb: 100 * _ratio_allowance(a, b, ta, tb), "|{a} / {b}| × 100", family="percent"),
)
_FORMS = {form.name: form for form in FORMS}
# Header words that name the kind of figure a column holds.
_HEADER_FAMILIES = (
    (("%", "percent", "pourcent", "taux", "rate", "share", "part "), {"percent", "ratio"}),
    (("variance", "difference", "différence", "écart", "ecart", "change", "gap"), {"difference"}),
    (("total", "somme", "sum"), {"sum"}),
    (("ratio",), {"ratio"}),
)


def _allowed(header: str, form: Form, percent_target: bool) -> bool:
    """Whether the target's header and kind leave room for this relation."""
    if percent_target != (form.family == "percent"):
        return False
    lowered = header.lower()
    for words, families in _HEADER_FAMILIES:
        if any(word in lowered for word in words):
            return form.family in families
    return True


def _named(header: str, form: Form) -> bool:
    """Whether the header names the kind of figure this relation computes ("Écart" a difference)."""
    lowered = header.lower()
    return any(any(word in lowered for word in words) and form.family in families
               for words, families in _HEADER_FAMILIES)


@dataclass(frozen=True)
class _Trial:
    form: Form
    target: str
    a: str
    b: str
    holds: int
    rows: int
    telling: int


def _rows(it: InterpretedTable) -> pd.Index:
    return pd.Index([index for index, role in zip(it.numbers.index, it.row_roles, strict=True)
                     if role in ("item", "total", "subtotal")])


@dataclass(frozen=True)
class _Grid:
    """The figures and allowances of the rows relations are tried on, as arrays, read once."""

    index: pd.Index
    values: dict[str, Array]
    allowances: dict[str, Array]

    @classmethod
    def of(cls, it: InterpretedTable, rows: pd.Index) -> _Grid:
        columns = list(it.numbers.columns)
        values = {c: it.numbers.loc[rows, c].to_numpy(float) for c in columns}
        allowances = {c: np.nan_to_num(it.figures.allowances.loc[rows, c].to_numpy(float)) for c in columns}
        return cls(rows, values, allowances)


def _evaluate(grid: _Grid, form: Form, target: str, a: str, b: str) -> tuple[Array, Array, Array, Array]:
    """Where the three figures are present (a mask over the grid's rows), the stated and computed
    values there, and the allowance."""
    t, x, y = grid.values[target], grid.values[a], grid.values[b]
    present = ~(np.isnan(t) | np.isnan(x) | np.isnan(y))
    if form.family in ("ratio", "percent"):
        present &= y != 0
    t, x, y = t[present], x[present], y[present]
    tt, tx, ty = (grid.allowances[c][present] for c in (target, a, b))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        computed = form.compute(x, y)
        allowance = tt + form.allowance(x, y, tx, ty)
    return present, t, computed, allowance + _SLACK * np.abs(t)


def _trial(grid: _Grid, form: Form, target: str, a: str, b: str) -> _Trial:
    present, stated, computed, allowance = _evaluate(grid, form, target, a, b)
    holds = np.abs(stated - computed) <= allowance
    a_values, b_values = grid.values[a][present], grid.values[b][present]
    telling = holds & (np.abs(computed - a_values) > allowance) & (np.abs(computed - b_values) > allowance) \
        & (np.abs(computed) > allowance)
    return _Trial(form, target, a, b, int(holds.sum()), len(stated), int(telling.sum()))


def infer_relations(it: InterpretedTable) -> list[TableRule]:
    """The relations kept for this table, best supported first, one per set of columns."""
    columns = it.columns_with("quantity", "percent")
    rows = _rows(it)
    if len(rows) < MIN_ROWS or len(columns) < 3:
        return []
    grid = _Grid.of(it, rows)
    kept: list[_Trial] = []
    for position, target in enumerate(columns):
        near = [c for c in columns[max(0, position - WINDOW): position + WINDOW + 1] if c != target]
        percent_target = it.role_of(target) == "percent"
        trials = []
        for form in FORMS:
            if not _allowed(it.header(target), form, percent_target):
                continue
            for i, a in enumerate(near):
                for b in near[i + 1:] if form.symmetric else near:
                    if a == b:
                        continue
                    trial = _trial(grid, form, target, a, b)
                    if trial.rows >= MIN_ROWS and trial.holds >= MIN_SHARE * trial.rows and trial.telling >= MIN_TELLING:
                        trials.append(trial)
        best = _clear_best(trials)
        if best is not None:
            kept.append(best)
    rules: list[TableRule] = []
    covered: list[set[str]] = []
    # One reading per set of columns: the best supported, and between equals the one whose result's
    # header names it (État = Entreprise + Écart and Écart = État − Entreprise are one relation:
    # "Écart" says which the table computes; so does "Total" over its parts).
    for trial in sorted(kept, key=lambda t: (-t.holds / t.rows, -t.rows, not _named(it.header(t.target), t.form))):
        if {trial.target, trial.a, trial.b} in covered:
            continue
        covered.append({trial.target, trial.a, trial.b})
        rules.append(_rule(it, trial))
    return rules


def _clear_best(trials: list[_Trial]) -> _Trial | None:
    """The trial that holds on most rows, unless another on other columns does as well.

    A difference and its absolute value on the same columns are one reading: the one that
    holds more (the absolute value when signs vary) is kept, the plain difference on a tie."""
    if not trials:
        return None
    trials = sorted(trials, key=lambda t: (-t.holds, FORMS.index(t.form)))
    best = trials[0]
    for other in trials[1:]:
        if other.holds < best.holds:
            break
        if {other.a, other.b} != {best.a, best.b} or other.form.family != best.form.family:
            return None
    return best


def adopt_sibling_relations(it: InterpretedTable, own: list[TableRule], siblings: list[InterpretedTable]) -> list[TableRule]:
    """Relations kept on tables with the same headers (one table per revenue stream), for the
    columns this table ties none on: a stream where almost every row is $0 tells too little by
    itself. Adopted, in the variant of their family that fits best (a percentage of a negative
    amount is taken on its absolute value), when they hold on at least `MIN_SHARE` of its rows."""
    headers = [c.label for c in it.table.columns]
    tied = {rule.target for rule in own}
    adopted: dict[str, TableRule] = {}
    rows = _rows(it)
    grid = _Grid.of(it, rows)
    for sibling in siblings:
        if sibling is it or [c.label for c in sibling.table.columns] != headers:
            continue
        for rule in sibling.rules:
            if rule.check != "row_arithmetic" or rule.target in tied or rule.target in adopted:
                continue
            family = _FORMS[rule.formula.split(":")[0]].family
            trials = [_trial(grid, form, rule.target, *rule.operands) for form in FORMS if form.family == family]
            trial = max(trials, key=lambda t: t.holds)
            if trial.rows and trial.holds >= MIN_SHARE * trial.rows:
                rule = replace(rule, formula=f"{trial.form.name}: {trial.form.text.format(a=trial.a, b=trial.b)}",
                               text_fr=_rule(it, trial).text_fr, text_en=_rule(it, trial).text_en)
                adopted[rule.target] = TableRule(
                    table=it.key, check=rule.check, target=rule.target, operands=rule.operands,
                    formula=rule.formula, text_fr=f"{rule.text_fr} (règle de « {sibling.table.provenance.title} »)",
                    text_en=f"{rule.text_en} (rule of “{sibling.table.provenance.title}”)", source="inferred",
                    support=Support(trial.holds, trial.rows))
    return list(adopted.values())


def adopt_parallel_relations(it: InterpretedTable, own: list[TableRule]) -> list[TableRule]:
    """Relations of one group of columns carried to the groups whose headers differ only by their
    common prefix ("Royalties Variance $ = |Royalties Government − Royalties Company|" gives "Rents
    Variance $ = |Rents Government − Rents Company|" in a sheet of one group per revenue stream),
    for targets no relation ties, when they hold on at least `MIN_SHARE` of the rows."""
    by_header = {it.header(c): c for c in it.columns_with("quantity", "percent")}
    tied = {rule.target for rule in own}
    rows = _rows(it)
    grid = _Grid.of(it, rows)
    adopted: dict[str, TableRule] = {}
    for rule in own:
        if rule.check != "row_arithmetic" or len(rule.operands) != 2:
            continue
        headers = [it.header(c) for c in (rule.target, *rule.operands)]
        prefix = _common_prefix(headers)
        if not prefix:
            continue
        suffixes = [h[len(prefix):] for h in headers]
        # in the columns' order (a set's order changed with each run's string hashing, and results.json with it)
        for other in dict.fromkeys(h[: -len(suffixes[0])] for h in by_header if suffixes[0] and h.endswith(suffixes[0])):
            columns = [by_header.get(other + suffix) for suffix in suffixes]
            if other == prefix or None in columns or columns[0] in tied or columns[0] in adopted:
                continue
            target, a, b = columns
            family = _FORMS[rule.formula.split(":")[0]].family
            trial = max((_trial(grid, form, target, a, b) for form in FORMS if form.family == family),
                        key=lambda t: t.holds)
            if trial.rows and trial.holds >= MIN_SHARE * trial.rows:
                adopted[target] = replace(_rule(it, trial), text_fr=f"{_rule(it, trial).text_fr} (comme « {prefix.strip()} »)",
                                          text_en=f"{_rule(it, trial).text_en} (as “{prefix.strip()}”)")
    return list(adopted.values())


def _common_prefix(headers: list[str]) -> str:
    """The words the headers of a group of columns start with ("Royalties "), or ""."""
    prefix = headers[0]
    for header in headers[1:]:
        while not header.startswith(prefix):
            prefix = prefix[:-1]
    return prefix[: prefix.rfind(" ") + 1] if " " in prefix else ""


def _rule(it: InterpretedTable, trial: _Trial) -> TableRule:
    names = {"a": it.header(trial.a), "b": it.header(trial.b)}
    formula = trial.form.text.format(a=trial.a, b=trial.b)
    text = f"{it.header(trial.target)} = {trial.form.text.format(**names)}"
    return TableRule(table=it.key, check="row_arithmetic", target=trial.target, operands=(trial.a, trial.b),
                     formula=f"{trial.form.name}: {formula}", text_fr=text, text_en=text, source="inferred",
                     support=Support(trial.holds, trial.rows))


def check_relations(it: InterpretedTable, rules: list[TableRule]) -> list[Finding]:
    """Every row of every kept relation: a pass, or a finding with the value the relation gives."""
    findings = []
    rows = _rows(it)
    for rule in rules:
        if rule.check != "row_arithmetic" or rule.support is None or len(rule.operands) != 2:
            continue
        form = _FORMS[rule.formula.split(":")[0]]
        a, b = rule.operands
        grid = _Grid.of(it, rows)
        present, stated, computed, allowance = _evaluate(grid, form, rule.target, a, b)
        unit = it.unit(rule.target)
        for i, value, expected, slack in zip(grid.index[present], stated, computed, allowance, strict=True):
            findings.append(_finding(it, rule, int(i), float(value), float(expected), float(slack), unit))
    return findings


def _finding(it: InterpretedTable, rule: TableRule, index: int, stated: float, expected: float,
             slack: float, unit: str) -> Finding:
    assert rule.support is not None
    name = row_name(it.table, index)
    values = {lang: (format_quantity(expected, unit, lang), format_quantity(stated, unit, lang)) for lang in ("fr", "en")}
    fr, en = fill(RELATION, label=name, column=it.header(rule.target), rule=(rule.text_fr, rule.text_en),
                  support=(rule.support.text("fr"), rule.support.text("en")),
                  expected=(values["fr"][0], values["en"][0]), observed=(values["fr"][1], values["en"][1]))
    difference = stated - expected
    fr, en = with_difference(fr, en, difference, unit, slack)
    return Finding(
        document=it.table.provenance.document, check=rule.check,
        status="pass" if abs(difference) <= slack else "fail", severity="warning",
        subject=name, field=it.header(rule.target), expected=expected if math.isfinite(expected) else None,
        observed=stated, unit=unit, tables=(it.table.provenance.title,),
        location=it.location(index, rule.target),
        evidence=tuple(it.location(index, c) for c in rule.operands),
        message_fr=fr, message_en=en, key=f"{it.key}-{index}-{rule.target}", rule=rule)


MIN_SHARE_ROWS = 3


@dataclass(frozen=True)
class _Shares:
    percent: str
    amount: str
    total: int                          # the row the shares are of
    rows: tuple[int, ...]
    holds: int
    adds_up: bool                       # the shares add up to the total's, and the amounts to its amount


def infer_shares(it: InterpretedTable) -> list[TableRule]:
    """A percentage column that is each row's share of a total row's amount ("x %" beside
    an amount under a total at 100 %): kept when it holds on a clear majority of the rows, or when
    the shares add up to the total's and the amounts to its amount (then its misses are errors).
    A row at 100 % that is not labelled as a total (a variance of 100 % on a company that paid
    nothing) is taken as the total only when the shares and amounts add up to it."""
    rules: list[TableRule] = []
    amounts = it.columns_with("quantity")
    positions = {key: i for i, key in enumerate(c.key for c in it.table.columns)}
    for percent in it.columns_with("percent"):
        place = positions.get(percent.removesuffix("%"), -1)
        near = [a for a in amounts if abs(positions[a] - place) <= WINDOW]
        found = [s for s in (_shares(it, percent, amount) for amount in near) if s is not None]
        if not found:
            continue
        best = max(found, key=lambda s: (s.adds_up, s.holds, -abs(positions[s.amount] - place)))
        name = row_name(it.table, best.total)
        amount_header, percent_header = it.header(best.amount), it.header(percent)
        fr, en = fill(RULE_SHARE, target=percent_header, amount=amount_header, total=name)
        support = Support(best.holds, len(best.rows))
        rules.append(TableRule(table=it.key, check="percentage", target=percent, operands=(best.amount,),
                               formula=f"share: 100 * {best.amount} / {best.amount}[{name}]", text_fr=fr,
                               text_en=en, source="inferred", support=support, target_row=best.total,
                               operand_rows=tuple((it.key, i) for i in best.rows)))
        if best.adds_up:
            fr, en = fill(RULE_SUM, target=name, parts=(f"{len(best.rows)} parts", f"{len(best.rows)} shares"))
            rules.append(TableRule(table=it.key, check="sum_total", target=name,
                                   operands=tuple(row_name(it.table, i) for i in best.rows), formula="sum",
                                   text_fr=fr, text_en=en, source="inferred",
                                   support=Support(2, 2, "columns"), columns=(best.amount, percent),
                                   target_row=best.total, operand_rows=tuple((it.key, i) for i in best.rows)))
    return rules


def _shares(it: InterpretedTable, percent: str, amount: str) -> _Shares | None:
    numbers = it.numbers
    both = numbers.index[numbers[percent].notna() & numbers[amount].notna()]
    roles = dict(zip(numbers.index, it.row_roles, strict=True))
    labelled = [i for i in both if roles[i] == "total"]
    totals = labelled or [i for i in both if abs(numbers.at[i, percent] - 100) <= it.tolerance(i, percent)]
    if len(totals) != 1:
        return None
    total = int(totals[0])
    rows = tuple(int(i) for i in both if i != total and roles[i] == "item")
    if len(rows) < 2 or not numbers.at[total, amount]:
        return None
    whole = float(numbers.at[total, amount])
    holds = sum(1 for i in rows if _share_holds(it, i, percent, amount, total))
    percents = math.fsum(numbers.at[i, percent] for i in rows)
    parts = math.fsum(numbers.at[i, amount] for i in rows)
    adds_up = (abs(percents - numbers.at[total, percent])
               <= math.fsum(it.tolerance(i, percent) for i in (*rows, total)) + _SLACK
               and abs(parts - whole) <= math.fsum(it.tolerance(i, amount) for i in (*rows, total)) + _SLACK)
    majority = bool(labelled) and len(rows) >= MIN_SHARE_ROWS and holds >= MIN_SHARE * len(rows)
    return _Shares(percent, amount, total, rows, holds, adds_up) if adds_up or majority else None


def _share_expected(it: InterpretedTable, index: int, percent: str, amount: str, total: int) -> tuple[float, float]:
    """The share a row's amount is of the total's, and its rounding allowance."""
    value, whole = float(it.numbers.at[index, amount]), float(it.numbers.at[total, amount])
    allowance = it.tolerance(index, percent) + 100 * (it.tolerance(index, amount) / abs(whole)
                                                      + abs(value) * it.tolerance(total, amount) / whole ** 2)
    return 100 * value / whole, allowance + _SLACK


def _share_holds(it: InterpretedTable, index: int, percent: str, amount: str, total: int) -> bool:
    expected, allowance = _share_expected(it, index, percent, amount, total)
    return abs(float(it.numbers.at[index, percent]) - expected) <= allowance


def check_shares(it: InterpretedTable, rules: list[TableRule]) -> list[Finding]:
    """Each row's stated share against its amount over the total's."""
    findings = []
    for rule in rules:
        if rule.check != "percentage" or rule.target_row is None:
            continue
        amount = rule.operands[0]
        for _, index in rule.operand_rows:
            expected, allowance = _share_expected(it, index, rule.target, amount, rule.target_row)
            stated = float(it.numbers.at[index, rule.target])
            finding = _finding(it, rule, index, stated, expected, allowance, "%")
            findings.append(replace(finding, check="percentage",
                                    evidence=(*finding.evidence, it.location(rule.target_row, amount))))
    return findings
