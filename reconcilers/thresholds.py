"""Materiality thresholds read beside a table or in its document, and the classification of its
rows against them.

A reconciliation table prints its margin of variance above it ("Variance Percentage Threshold:
2%", "Variance Floor Threshold: $100,000", "seuil de signification de 1 %"), or its document
states one for all its tables in the prose (used only when the document states one margin: two
different ones leave the table without); a variance is beyond the margin when it exceeds both.
The document classifies its rows in a category column (`NV`, `VBM`, "Explanation 3", "Écart à
justifier", or blank), by printing the variances beyond
the margin heavier than the others ("shown in BOLD"), or by explaining in its prose each variance
beyond the margin ("A variance of $X was identified for COMPANY"); each way it uses is checked.
Each row's classification is recomputed from its variance amount and percentage (the columns the
relations inference tied to the reported figures) and compared with the document's.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, replace

from extractors.quantity import QuantityError, format_quantity, parse_quantity
from extractors.table import ExtractedDocument
from reconcilers.finding import Finding
from reconcilers.inferred_messages import RULE_THRESHOLD, THRESHOLD, fill
from reconcilers.meaning import InterpretedTable, row_name
from reconcilers.rules import Support, TableRule

# What may stand between a threshold's name and its value: "de 1 %", ": 2%", "retenu est de 2 %", "is set at 5%".
_STATED = r"(?:\s*(?:retenu|fix[ée]|est|a\s+été|de|à|:|=|is|was|set|at|of))*\s*"
_PERCENT = re.compile(
    r"(?:percentage\s+threshold|seuil\s+de\s+(?:signification|significativit[ée]|mat[ée]rialit[ée])"
    rf"(?:\s+en\s+pourcentage)?){_STATED}(?P<value>N/?A|\d+(?:[.,]\d+)?\s*%)", re.IGNORECASE)
_FLOOR = re.compile(
    rf"(?:floor\s+threshold|seuil\s+(?:plancher|minimum|en\s+valeur|absolu)){_STATED}"
    r"(?P<value>N/?A|\$?\s*\d[\d,.\s]*(?:\s*(?:FCFA|F\s?CFA|USD|\$))?)", re.IGNORECASE)
_EXPLAINED = re.compile(r"variance\s+of\s+(?P<amount>\$?\(?[\d,.]+\)?)\s+was\s+identified\s+for\s+"
                        r"(?P<name>.+?)\s+for\s+the\b", re.IGNORECASE | re.DOTALL)
_WITHIN = re.compile(r"^(?:nv|n/?a|(?:[ée]cart\s+)?non[\s-]+significatif|within(?:\s+(?:the\s+)?margin)?"
                     r"|dans\s+la\s+marge|-|—|)$", re.IGNORECASE)
# How a document without a category column classifies its rows (a rule's target).
EXPLANATION, EMPHASIS = "explanation", "emphasis"
_CLASSIFIED_BY = {EXPLANATION: ("Explication", "Explanation"), EMPHASIS: ("Caractères gras", "Bold type")}


@dataclass(frozen=True)
class Margin:
    """A margin of variance: a percentage and a floor (either may be "not applicable")."""

    percent: float | None
    floor: float | None
    text: str                                     # the lines it was read from
    where: tuple[str, str] = ("seuils lus au-dessus du tableau", "thresholds read above the table")

    def exceeded(self, amount: float, percent: float) -> bool:
        """Beyond the margin: over the percentage and over the floor (a threshold N/A never binds)."""
        over_percent = self.percent is None or abs(percent) > self.percent
        over_floor = self.floor is None or abs(amount) > self.floor
        return over_percent and over_floor and (self.percent is not None or self.floor is not None)


def read_margin(lines: tuple[str, ...] | list[str]) -> Margin | None:
    """The margin stated in a table's context lines, or None when none is stated."""
    text = " ".join(lines)
    percent, floor = _PERCENT.search(text), _FLOOR.search(text)
    if percent is None and floor is None:
        return None
    return Margin(_value(percent.group("value"), "percent") if percent else None,
                  _value(floor.group("value"), "money") if floor else None,
                  " ; ".join(line for line in lines if _PERCENT.search(line) or _FLOOR.search(line)))


def document_margin(text: str) -> Margin | None:
    """The margin a document's prose states for its tables ("seuil de signification de 1 %"), or None
    when it states none, or two different percentages or floors (which applies cannot be told)."""
    percents = {_value(m.group("value"), "percent"): m.group(0) for m in _PERCENT.finditer(text)}
    floors = {_value(m.group("value"), "money"): m.group(0) for m in _FLOOR.finditer(text)}
    if len(percents) > 1 or len(floors) > 1 or not (percents or floors):
        return None
    return Margin(next(iter(percents), None), next(iter(floors), None),
                  " ; ".join(" ".join(said.split()) for said in [*percents.values(), *floors.values()]),
                  ("seuils lus dans le texte du document", "thresholds read in the document's text"))


def table_margin(it: InterpretedTable, stated: Margin | None) -> Margin | None:
    """The margin printed above the table, else the one its document states (`document_margin`)."""
    return read_margin(it.table.context) or stated


def _value(text: str, kind: str) -> float | None:
    if re.fullmatch(r"N/?A", text.strip(), re.IGNORECASE):
        return None
    try:
        return parse_quantity(text.strip(), kind, convention="en" if "$" in text or "," in text else None).value
    except QuantityError:
        return None


def infer_threshold_rules(it: InterpretedTable, relations: list[TableRule], stated: Margin | None) -> list[TableRule]:
    """The classification rule of a table with a margin (above it, else `stated` by its document)
    and a variance amount and percentage tied by relations to its reported figures."""
    margin = table_margin(it, stated)
    if margin is None:
        return []
    amount = next((r.target for r in relations if r.formula.startswith("absolute_difference")
                   or r.formula.startswith("difference")), None)
    percent = next((r.target for r in relations if r.formula.startswith("percent")
                    or r.formula.startswith("absolute_percent")), None)
    if amount is None or percent is None:
        return []
    category = next(iter(it.columns_with("category")), "")
    targets = [category or EXPLANATION]
    if not category and any(_emphasised(it, int(index), (amount, percent)) for index in it.numbers.index):
        targets.append(EMPHASIS)
    shown = {lang: (format_quantity(margin.percent, "%", lang) if margin.percent is not None else "N/A",
                    format_quantity(margin.floor, it.unit(amount), lang) if margin.floor is not None else "N/A")
             for lang in ("fr", "en")}
    rules = []
    for target in targets:
        named = _classified_by(it, target)
        fr, en = fill(RULE_THRESHOLD, category=named, percent=it.header(percent), amount=it.header(amount),
                      pct_threshold=(shown["fr"][0], shown["en"][0]), floor=(shown["fr"][1], shown["en"][1]))
        rules.append(TableRule(table=it.key, check="threshold", target=target, operands=(amount, percent),
                               formula=f"{percent} > {margin.percent} and {amount} > {margin.floor}", text_fr=fr,
                               text_en=en, source="inferred", support=Support(0, 0),    # filled when rows are classified
                               columns=(margin.text,), key="" if target != EMPHASIS else EMPHASIS))
    return rules


def _classified_by(it: InterpretedTable, target: str) -> tuple[str, str]:
    """What classifies the rows, in French and English: the category column's header, or the way."""
    return _CLASSIFIED_BY[target] if target in _CLASSIFIED_BY else (it.header(target), it.header(target))


def _emphasised(it: InterpretedTable, index: int, columns: tuple[str, ...]) -> bool:
    """Whether the row's variance is printed heavier than the rest of its column."""
    sources = it.table.sources
    if sources is None:
        return False
    return any(getattr(sources.at[index, c], "emphasis", False) for c in columns if c in sources.columns)


def row_flagged(it: InterpretedTable, rule: TableRule, index: int,
                explained: set[tuple[str, float]]) -> tuple[bool, str | tuple[str, str]]:
    """Whether the document marks the row beyond the margin, and how it reads: its category, its
    variance printed in bold, or its variance explained in the prose."""
    if rule.target == EMPHASIS:
        flagged = _emphasised(it, index, rule.operands)
        return flagged, ("en gras", "bold") if flagged else ("pas en gras", "not bold")
    if rule.target == EXPLANATION:
        labels = it.columns_with("label")
        name = str(it.table.cells.at[index, labels[0]] if labels else it.label(index))
        flagged = _is_explained(name, float(it.numbers.at[index, rule.operands[0]]), explained)
        return flagged, ("expliqué", "explained") if flagged else ("non expliqué", "not explained")
    stated = str(it.table.cells.at[index, rule.target] or "").strip()
    return not _WITHIN.match(stated), stated


def explained_names(document: ExtractedDocument, it: InterpretedTable,
                    following: InterpretedTable | None) -> set[tuple[str, float]]:
    """(name, amount) of the variances the prose explains between this table and the next one."""
    first = max((p for p in it.table.provenance.pages if isinstance(p, int)), default=None)
    last = min((p for p in following.table.provenance.pages if isinstance(p, int)), default=None) if following else None
    names = set()
    for match in _EXPLAINED.finditer(document.text):
        page = document.page_at(match.start())
        if first is None or not isinstance(page, int) or page < first or (last is not None and page > last):
            continue
        try:
            amount = parse_quantity(match.group("amount"), "money", convention="en").value
        except QuantityError:
            amount = math.nan
        names.add((_fold(match.group("name")), amount))
    return names


def _is_explained(name: str, amount: float, explained: set[tuple[str, float]]) -> bool:
    """A row is explained by a sentence naming it (or a shortened name: "Acme Energy" for
    "Acme Energy Co."), or giving its exact variance under a name sharing a word with it."""
    words = set(_fold(name).split())
    return any(set(other.split()) <= words or words <= set(other.split())
               or (value == amount and words & set(other.split()))
               for other, value in explained if other)


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    return " ".join(re.sub(r"[^a-z0-9&]+", " ", "".join(c for c in folded if not unicodedata.combining(c)).lower()).split())


def check_thresholds(it: InterpretedTable, rules: list[TableRule], explained: set[tuple[str, float]],
                     stated: Margin | None) -> list[Finding]:
    """Each row with a variance: beyond the margin (above the table, else `stated` by its document)
    or not, against the category printed (or the explanation given in the prose when the table has
    no category column)."""
    findings = []
    for rule in rules:
        if rule.check != "threshold":
            continue
        margin = table_margin(it, stated)
        if margin is None:
            continue
        amount, percent = rule.operands
        for index in it.numbers.index:
            value, share = it.numbers.at[index, amount], it.numbers.at[index, percent]
            if math.isnan(value) or math.isnan(share):
                continue
            beyond = margin.exceeded(float(value), float(share))
            flagged, stated = row_flagged(it, rule, int(index), explained)
            findings.append(_finding(it, rule, margin, index, amount, percent, beyond, flagged, stated))
    return _with_support(findings)


def _with_support(findings: list[Finding]) -> list[Finding]:
    """Each finding's rule carries on how many rows the document's classification agrees with it."""
    agreed = sum(1 for f in findings if f.status == "pass")
    supported = []
    for finding in findings:
        assert finding.rule is not None
        rule = replace(finding.rule, support=Support(agreed, len(findings)))
        supported.append(replace(finding, rule=rule))
    return supported


def _finding(it: InterpretedTable, rule: TableRule, margin: Margin, index: int, amount: str, percent: str,
             beyond: bool, flagged: bool, stated: str | tuple[str, str]) -> Finding:
    name = row_name(it.table, index)
    value, share = float(it.numbers.at[index, amount]), float(it.numbers.at[index, percent])
    expected = (("au-delà du seuil", "beyond the margin") if beyond else ("dans la marge", "within the margin"))
    shown = {lang: (format_quantity(value, it.unit(amount), lang), format_quantity(share, "%", lang),
                    format_quantity(margin.percent, "%", lang) if margin.percent is not None else "N/A",
                    format_quantity(margin.floor, it.unit(amount), lang) if margin.floor is not None else "N/A")
             for lang in ("fr", "en")}
    category = _classified_by(it, rule.target)
    fr, en = fill(THRESHOLD, label=name, category=category,
                  observed=stated, amount=(shown["fr"][0], shown["en"][0]), percent=(shown["fr"][1], shown["en"][1]),
                  pct_threshold=(shown["fr"][2], shown["en"][2]), floor=(shown["fr"][3], shown["en"][3]),
                  source=margin.where, expected=expected)
    observed = stated[1] if isinstance(stated, tuple) else stated
    return Finding(
        document=it.table.provenance.document, check="threshold", status="pass" if beyond == flagged else "fail",
        severity="warning", subject=name, field=category[0], expected=expected[1], observed=observed,
        tables=(it.table.provenance.title,), location=it.location(index, amount),
        evidence=(it.location(index, percent),), message_fr=fr + ".", message_en=en + ".",
        key=f"{it.key}-{index}-threshold" + (f"-{rule.key}" if rule.key else ""), rule=rule)
