"""Figures quoted in the prose with no spec, tied to the table cell that holds them.

A reviewer reading "A variance of $X was identified for COMPANY for the AGENCY Royalties revenue stream"
looks for the table naming COMPANY whose title speaks of
royalties, and reads its "Variance" cell. This module does the same: a sentence names an entity
of a table's entity column (`reconcilers.entity_columns`), a figure in it follows a word of a
column header ("variance of $X", "un écart de X millions"), and the cell of that column on
that entity's row is read, the figure taken as printed and unsigned. A figure that matches no
likely reading (that cell; another figure cell of the row) is a warning with both; a sentence
whose entity, table or column cannot be found is left silent (counted, never flagged).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from extractors.quantity import (
    NUMBER_PATTERN,
    WHOLE_NUMBER_GUARD,
    QuantityError,
    format_number,
    is_english,
    parse_quantity,
)
from extractors.table import ExtractedDocument
from reconcilers.claims import claimed_spans
from reconcilers.entity_columns import (
    Source,
    column_texts,
    company_key,
    entities_across_documents,
    entity_column,
    entity_rows,
    label_words,
    link_sources,
    name_like,
)
from reconcilers.finding import Finding, Location
from reconcilers.meaning import InterpretedTable
from reconcilers.names import fold
from reconcilers.parts import CLAIM, Check, CheckContext, Template

# A sentence ends at a full stop, or at the colon after a heading ("COMPANY INC.: A variance").
_SENTENCE = re.compile(r"(?<=[.!?:])\s+(?=[A-Z«\"(])")
# "$1,234,567", "$1.4 million", "12,34 millions", "1 234 567 FCFA", "1.23%", "12 %"
_FIGURE = re.compile(
    r"(?P<currency>\$)?\s?(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[  ]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?)"
    r"(?:\s?(?P<percent>%)|\s(?P<scale>millions?|milliards?|billions?|thousand|mille)\b)?", re.IGNORECASE)
_SCALES = {"million": 1e6, "millions": 1e6, "milliard": 1e9, "milliards": 1e9, "billion": 1e9, "billions": 1e9,
           "thousand": 1e3, "mille": 1e3}
_CUE_WORDS = 4          # a figure is tied to a header word among the words just before it


@dataclass(frozen=True)
class Quoted:
    """A figure of a sentence: its value, how finely it is printed, and its kind."""

    value: float
    allowance: float
    percent: bool
    start: int
    end: int


def _quoted(sentence: str, english: bool) -> list[Quoted]:
    figures = []
    for match in _FIGURE.finditer(sentence):
        number = match.group("number")
        if not (match.group("currency") or match.group("percent") or match.group("scale")
                or re.search(r"[, ]\d{3}", number)):
            continue                          # "2013", "17": a year or a count, not an amount
        digits = re.sub(r"\s", "", number)
        digits = digits.replace(",", "") if english or match.group("currency") else digits.replace(",", ".")
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        scale = _SCALES.get((match.group("scale") or "").lower(), 1.0)
        figures.append(Quoted(float(digits) * scale, 0.5 * 10 ** -decimals * scale, bool(match.group("percent")),
                              match.start(), match.end()))
    return figures


@dataclass(frozen=True)
class Candidate:
    """A table naming the sentence's entity, with the entity's row."""

    table: InterpretedTable
    row: int
    name: str


def _sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs, line breaks inside a sentence joined."""
    found, start = [], 0
    for match in _SENTENCE.finditer(text):
        found.append((start, " ".join(text[start:match.start()].split())))
        start = match.end()
    found.append((start, " ".join(text[start:].split())))
    return [(offset, sentence) for offset, sentence in found if sentence]


def _names(tables: Sequence[InterpretedTable]) -> dict[str, list[Candidate]]:
    """company key -> the tables holding figures (and rows) naming it in their entity column."""
    names: dict[str, list[Candidate]] = {}
    for table in tables:
        column = entity_column(table)
        if column is None or not table.columns_with("quantity", "percent"):
            continue
        cells = table.table.cells[column].tolist()
        for index, role, cell in zip(table.table.values.index, table.row_roles, cells, strict=True):
            text = " ".join(str(cell or "").split())
            key = company_key(text)
            if role == "item" and name_like(text) and len(key) >= 4:
                names.setdefault(key, []).append(Candidate(table, int(index), text))
    return names


def _entity(sentence: str, names: dict[str, list[Candidate]]) -> str | None:
    """The longest entity key the sentence names as whole words."""
    folded = f" {fold(sentence)} "
    named = [key for key in names if f" {key} " in folded]
    return max(named, key=len, default=None)


def _pages(table: InterpretedTable) -> list[int]:
    return [p for p in table.table.provenance.pages if isinstance(p, int)]


def _table(candidates: list[Candidate], sentence: str, page: int | str | None) -> Candidate | None:
    """The table the sentence speaks of: most title words in the sentence, then the nearest one
    by page; None when two tables are equally likely."""
    words = label_words(sentence)

    def score(candidate: Candidate) -> tuple[int, float]:
        title = label_words(candidate.table.table.provenance.title)
        pages = _pages(candidate.table)
        distance = min((abs(page - p) for p in pages), default=0) if isinstance(page, int) else 0
        return len(title & words), -distance
    ranked = sorted(candidates, key=score, reverse=True)
    if len(ranked) > 1 and score(ranked[0]) == score(ranked[1]):
        return None
    return ranked[0]


def _cued_columns(table: InterpretedTable, sentence: str, figure: Quoted, previous: Quoted | None) -> list[str]:
    """The figure columns whose header has a word among the few words before the figure (a share
    in brackets right after an amount takes the amount's words)."""
    anchor = figure
    if previous is not None and figure.percent and re.fullmatch(r"\s*\(\s*", sentence[previous.end:figure.start]):
        anchor = previous
    cue = label_words(" ".join(sentence[:anchor.start].split()[-_CUE_WORDS:]))
    role = "percent" if figure.percent else "quantity"
    return [key for key in table.columns_with(role) if label_words(table.header(key)) & cue]


# How far a quoted figure may stand from its cell and still be a misquote of it (rather than another figure).
_MISQUOTE_RATIO = 2.0


def _reads(value: float, allowance: float, cell: float | None) -> bool:
    return cell is not None and not pd.isna(cell) and abs(abs(cell) - value) <= allowance


MESSAGES: dict[str, Template] = {
    "tied": Template("« {quote} » : {table}, ligne {row}, « {column} » donne {seen}.",
                     "“{quote}”: {table}, row {row}, “{column}” gives {seen}."),
    "tied_column": Template("« {quote} » : {table}, « {column} » donne {seen} sur chaque ligne.",
                            "“{quote}”: {table}, “{column}” gives {seen} on every row."),
    "other_column": Template("« {quote} » : {table}, ligne {row}, « {column} » donne {seen} ; le chiffre se lit dans "
                             "« {other} ».",
                             "“{quote}”: {table}, row {row}, “{column}” gives {seen}; the figure is read in "
                             "“{other}”."),
    "promised": Template("{table}, ligne {row} : « {promise} » est annoncée mais le texte ne contient pas ce paragraphe.",
                         "{table}, row {row}: “{promise}” is promised but the text holds no such paragraph."),
    "count": Template("« {quote} » : {n} {reading}.", "“{quote}”: {n} {reading}."),
    "differs": Template("« {quote} » : le texte annonce {claimed}, {table}, ligne {row}, « {column} » donne {seen}.",
                        "“{quote}”: the text states {claimed}, {table}, row {row}, “{column}” gives {seen}."),
}


_PROMISE = re.compile(r"\b(?P<word>explanations?|explications?|notes?)\s*(?:n[°o]\s*)?(?P<number>\d{1,3})\b", re.IGNORECASE)


def _paragraph(text: str, word: str, number: str) -> bool:
    """Whether the prose holds the promised paragraph: "Explanation 17" heading words of its own
    ("Explanation 17: ...", "Explication 17 – ..."), not a bare mention in a table cell."""
    stem = re.escape(word.lower().rstrip("s")[:8])
    return bool(re.search(rf"(?im)^\W*{stem}\w*\s*(?:n[°o]\s*)?{number}\s*[:.–—-]\s*\w", text))


def promised_explanations(document: ExtractedDocument, tables: Sequence[InterpretedTable]) -> list[Finding]:
    """A table cell promising an explanation by number ("Explanation 17" in a category column)
    whose paragraph the prose does not hold: said as a warning, with the cell."""
    findings = []
    for table in tables:
        for key in table.columns_with("category", "text", "label"):
            for index, text in table.table.cells[key].items():
                match = _PROMISE.fullmatch(" ".join(str(text or "").split()))
                if match is None or _paragraph(document.text, match.group("word"), match.group("number")):
                    continue
                fields = {"promise": match.group(0), "table": table.table.provenance.title,
                          "row": table.label(int(index)) or int(index)}
                findings.append(Finding(
                    document=document.name, check="claim", status="fail", severity="warning",
                    subject=match.group(0), field=table.header(key), expected=match.group(0), observed=None,
                    tables=(table.table.provenance.title,), location=table.location(int(index), key),
                    key=f"{table.key}-{index}-{key}", **MESSAGES["promised"].message(fields)))
    return findings


def _shown(value: float, percent: bool, lang: str) -> str:
    number = format_number(value, lang)
    if percent:
        return f"{number} %" if lang == "fr" else f"{number}%"
    return number


def prose_figures(document: ExtractedDocument, tables: Sequence[InterpretedTable], english: bool) -> list[Finding]:
    """Every figure of the prose tied to an entity's cell: a pass where a likely reading matches,
    a warning where none does; the figures that cannot be tied are silent."""
    names = _names(tables)
    if not names:
        return []
    findings: list[Finding] = []
    for offset, sentence in _sentences(document.text):
        key = _entity(sentence, names)
        if key is None:
            continue
        page = document.page_at(offset)
        candidate = _table(names[key], sentence, page)
        figures = _quoted(sentence, english)
        if candidate is None or not figures:
            continue
        previous = None
        for figure in figures:
            columns = _cued_columns(candidate.table, sentence, figure, previous)
            previous = figure
            if len(columns) != 1:
                continue
            finding = _finding(document.name, candidate, columns[0], figure, sentence, page)
            findings += [finding] if finding else []
    return findings


def _misquote(value: float, cell: float) -> bool:
    """A figure that differs from its cell is a misquote when it is of the cell's size (a typo, a
    stale figure); one far off, or beside an empty cell, is about something else: no finding."""
    if pd.isna(cell) or not cell or not value:
        return False
    ratio = value / abs(float(cell))
    return 1 / _MISQUOTE_RATIO <= ratio <= _MISQUOTE_RATIO


def _finding(document: str, candidate: Candidate, column: str, figure: Quoted, sentence: str,
             page: int | str | None) -> Finding | None:
    table = candidate.table
    numbers = table.numbers
    cell = numbers.at[candidate.row, column]
    allowance = max(figure.allowance, table.tolerance(candidate.row, column))
    role = "percent" if figure.percent else "quantity"
    tied = _reads(figure.value, allowance, cell)
    other = None if tied else next(
        (key for key in table.columns_with(role) if _reads(figure.value, allowance, numbers.at[candidate.row, key])), None)
    quote = sentence[max(0, figure.start - 60):figure.end + 20].strip()
    fields = {lang: {"quote": quote, "table": table.table.provenance.title, "row": candidate.name,
                     "column": table.header(column), "other": table.header(other) if other else "",
                     "claimed": _shown(figure.value, figure.percent, lang),
                     "seen": "—" if pd.isna(cell) else _shown(abs(float(cell)), figure.percent, lang)}
              for lang in ("fr", "en")}
    kind = "tied" if tied else "other_column" if other else "differs"
    if kind == "differs" and not _misquote(figure.value, cell):
        return None
    fr, en = MESSAGES[kind].render(fields["fr"], fields["en"])
    return Finding(
        document=document, check="claim", status="fail" if kind == "differs" else "pass",
        severity="warning" if kind == "differs" else "info", subject=candidate.name, field=table.header(column),
        expected=figure.value, observed=None if pd.isna(cell) else abs(float(cell)), unit="%" if figure.percent else "",
        tables=(table.table.provenance.title,), location=Location(page=page, text=sentence),
        evidence=(table.location(candidate.row, column),), message_fr=fr, message_en=en,
        key=f"{table.key}-{candidate.row}-{column}-{figure.start}",
    )


# A figure of French prose with its unit: "3,25ha", "1250 000FCFA", "1 500 000 FCFA/ha", "42 %", or a bare
# figure in thousands ("est de 1 750 000"); a rate's area ("/ha") after its currency.
_FRENCH_FIGURE = re.compile(
    rf"(?<![\w,.])(?P<number>{NUMBER_PATTERN}){WHOLE_NUMBER_GUARD}"
    r"(?:\s(?P<scale>millions?|milliards?)(?:\s+de\s+(?:F\s?CFA|francs\s+CFA))?"
    r"|\s?(?P<unit>m2|m²|ha|MFCFA|FCFA|F\s?CFA|%)(?:\s?/\s?(?P<per>m2|m²|ha))?)?(?![\w/])")
_KIND_OF_UNIT = {"m2": "area", "m²": "area", "ha": "area", "%": "percent"}
_PER_AREA = {"m2": 1.0, "m²": 1.0, "ha": 10_000.0}
_RATE_HEADER = re.compile(r"/\s*(?P<per>m2|m²|ha)\b", re.IGNORECASE)
_SENTENCE_BREAK = re.compile(r"[.!?;:](?=\s)|\n\s*\n")
_CUE_SPAN = 40          # words of the sentence, before the figure, that may name what it is
_TOTAL_WORDS = 10       # "total" among these last words before a figure: the sentence quotes a total
_GAP_WORDS = frozenset({"ecart", "difference", "gap", "variance", "discrepancy"})   # name a total's gap
_BOUND = re.compile(r"(?:moins|plus|au-delà|au-dessus|au-dessous|inférieure?s?|supérieure?s?|jusqu|pas|"
                    r"environ|près|entre|allant)\W*(?:\w+\W+){0,2}$", re.IGNORECASE)


@dataclass(frozen=True)
class Reading:
    """What a quoted figure may be, as a reviewer reads it: a total row's cell, a column's sum,
    the one rate a column applies to every row, a row's share of its total, a total's gap."""

    table: InterpretedTable
    row: int | None              # None for a column's sum or rate
    column: str
    value: float                 # in the base unit (FCFA for a column in MFCFA)
    allowance: float
    kind: str                    # total | subtotal | sum | rate | share | gap
    words: frozenset[str]        # what names it: the table's caption and title, the column, the row

    @property
    def where(self) -> str:
        return self.table.label(self.row) if self.row is not None else self.table.table.provenance.title


def _french_quoted(match: re.Match[str]) -> tuple[str, float, float] | None:
    """(base unit, value, allowance) of a figure of French prose; None when it is no amount
    (a year, a small count written without unit)."""
    number, unit, per = match.group("number"), (match.group("unit") or ""), match.group("per")
    if match.group("scale"):
        unit = "milliards de FCFA" if match.group("scale").startswith("milliard") else "MFCFA"
    if not unit and not re.search(r"\d[  ]\d{3}", number):
        return None
    kind = _KIND_OF_UNIT.get(unit.lower(), "money" if unit else "number")
    try:
        quantity = parse_quantity(f"{number} {unit}".strip(), kind)
    except QuantityError:
        return None
    divisor = _PER_AREA[per.lower()] if per else 1.0
    base = f"{quantity.unit}/m2" if per else quantity.unit
    return base, quantity.value / divisor, quantity.tolerance / divisor


def _in_base_unit(unit: str) -> tuple[float, str]:
    """A column's unit as (its size in the base unit, the base unit): (1e6, "FCFA") for MFCFA, so
    that a figure quoted "en millions" and a column in MFCFA compare."""
    try:
        quantity = parse_quantity(f"1 {unit}", "money")
    except QuantityError:
        return 1.0, unit
    return quantity.value, quantity.unit


def _readings(table: InterpretedTable) -> list[Reading]:
    """Every reading a table offers: its total and sub-total cells, the sum of a column with no
    total, the rate of a per-unit column whose rows all apply the same one, each row's share of
    its column's total, and the gap between a total and its rows."""
    caption = label_words(f"{table.table.provenance.caption or ''} {table.table.provenance.title}")
    scaled = table.numbers
    roles = dict(zip(scaled.index, table.row_roles, strict=True))
    items = [i for i, role in roles.items() if role == "item"]
    found: list[Reading] = []
    for column in table.columns_with("quantity"):
        scale = _in_base_unit(table.unit(column))[0]
        numbers = scaled[[column]] * scale
        words = frozenset(caption | label_words(table.header(column)))
        rate = _RATE_HEADER.search(table.header(column))
        totals = [i for i, role in roles.items() if role in ("total", "subtotal") and not pd.isna(numbers.at[i, column])]
        for index in totals:
            found.append(Reading(table, int(index), column, float(numbers.at[index, column]),
                                 table.tolerance(int(index), column) * scale, roles[index],
                                 words | label_words(table.label(int(index)))))
        values = numbers.loc[items, column].dropna()
        if values.empty:
            continue
        allowance = sum(table.tolerance(int(i), column) * scale for i in values.index)
        for index in [i for i in totals if roles[i] == "total"]:
            gap = float(numbers.at[index, column]) - float(values.sum())
            if abs(gap) > allowance:
                found.append(Reading(table, int(index), column, abs(gap), allowance, "gap",
                                     words | _GAP_WORDS | label_words(table.label(int(index)))))
        if rate and values.nunique() == 1:
            factor = _PER_AREA[rate.group("per").lower()]
            found.append(Reading(table, None, column, float(values.iloc[0]) / factor,
                                 table.tolerance(int(values.index[0]), column) * scale / factor, "rate", words))
        elif not totals and table.additive(column) and len(values) > 1:
            found.append(Reading(table, None, column, float(values.sum()), allowance, "sum", words))
        for index in [i for i in totals if roles[i] == "total"][:1]:
            total = float(numbers.at[index, column])
            if total:
                for item, value in values.items():
                    found.append(Reading(table, int(item), column, 100 * float(value) / total, 0.0, "share",
                                         words | label_words(table.label(int(item)))))
    return found


def _unit_fits(reading: Reading, unit: str) -> bool:
    """A figure's unit against a reading's: a share is a percent, a rate is per m², a bare figure fits any amount."""
    if reading.kind == "share" or unit == "%":
        return reading.kind == "share" and unit == "%"
    if (reading.kind == "rate") != unit.endswith("/m2"):
        return False
    column = _in_base_unit(reading.table.unit(reading.column))[1].split("/")[0]
    return not unit or not column or unit.split("/")[0] == column


def quoted_in_french(document: ExtractedDocument, tables: Sequence[InterpretedTable],
                     said: Sequence[tuple[int, int]] = ()) -> list[Finding]:
    """Figures of French prose ("ne totalisant que 3,25ha", "s’élèvent à 1250 000FCFA", "soit 42 %")
    tied to the table figure they quote: of the readings whose table, column or row the sentence
    names, the first that gives the figure (a total before a sub-total, the table named by more
    words, then the earlier one). A figure no reading gives is silent: a bound ("moins de 5 ha"),
    a figure of another matter. Figures inside a table, or inside a sentence the spec's claims
    check (`said`), are left to them."""
    readings = [reading for table in tables for reading in _readings(table)]
    if not readings:
        return []
    position = {id(table): i for i, table in enumerate(tables)}
    inside = [t.table.provenance.span for t in tables if t.table.provenance.span] + list(said)
    findings: list[Finding] = []
    for match in _FRENCH_FIGURE.finditer(document.text):
        if any(start <= match.start() < end for start, end in inside):
            continue
        quoted = _french_quoted(match)
        if quoted is None:
            continue
        unit, value, allowance = quoted
        sentence_start = max([m.end() for m in _SENTENCE_BREAK.finditer(document.text, max(0, match.start() - 600),
                                                                        match.start())]
                             + [end for _, end in inside if end <= match.start()] + [0])
        before = document.text[sentence_start:match.start()]
        if _BOUND.search(before):
            continue
        cue = label_words(" ".join(before.split()[-_CUE_SPAN:]))
        fitting = [r for r in readings if _unit_fits(r, unit) and (r.words & cue or r.kind == "rate")]
        tied = [r for r in fitting if abs(r.value - value) <= max(allowance, r.allowance) + 1e-6]
        if tied:
            order = {"total": 0, "rate": 0, "subtotal": 1, "sum": 2, "share": 2, "gap": 2}
            best = min(tied, key=lambda r: (order[r.kind], -len(r.words & cue), position[id(r.table)]))
            findings.append(_tied_in_french(document, best, match, value, sentence_start, tied=True))
            continue
        named = _named_total(fitting, before)
        if named is not None and _misquote(value, named.value):
            findings.append(_tied_in_french(document, named, match, value, sentence_start, tied=False))
    return findings


def _named_total(readings: list[Reading], before: str) -> Reading | None:
    """The total a sentence that says "total" just before its figure names by at least two words
    of its table, column or row ("La compensation totale … pour les arbres est de X"); None when
    no total, or two equally, fit."""
    last = before.split()[-_TOTAL_WORDS:]
    if not any(fold(word).startswith("total") for word in last):
        return None
    cue = label_words(" ".join(before.split()[-_CUE_SPAN:]))
    scored = sorted(((len(r.words & cue), r) for r in readings if r.kind == "total"), key=lambda pair: -pair[0])
    if not scored or scored[0][0] < 2 or (len(scored) > 1 and scored[1][0] == scored[0][0]
                                          and scored[1][1].value != scored[0][1].value):
        return None
    return scored[0][1]


def _around(text: str, floor: int, match: re.Match[str]) -> str:
    """The figure with the words just before and after it, whole words only, from its sentence on."""
    left, right = max(floor, match.start() - 80), min(len(text), match.end() + 20)
    if left > floor and not text[left - 1].isspace():
        left = min(match.start(), text.find(" ", left) + 1 or match.start())
    if right < len(text) and not text[right].isspace():
        right = max(match.end(), text.rfind(" ", match.end(), right))
    return " ".join(text[left:right].split())


def _tied_in_french(document: ExtractedDocument, reading: Reading, match: re.Match[str], value: float,
                    sentence_start: int, *, tied: bool) -> Finding:
    """A pass where the reading gives the figure, else a warning with both figures."""
    table = reading.table
    end = _SENTENCE_BREAK.search(document.text, match.end())
    sentence = " ".join(document.text[sentence_start:end.end() if end else len(document.text)].split())
    quote = _around(document.text, sentence_start, match)
    percent = reading.kind == "share"
    fields = {lang: {"quote": quote, "table": table.table.provenance.title, "row": reading.where,
                     "column": table.header(reading.column), "seen": _shown(reading.value, percent, lang),
                     "claimed": _shown(value, percent, lang)}
              for lang in ("fr", "en")}
    kind = "differs" if not tied else "tied" if reading.row is not None else "tied_column"
    fr, en = MESSAGES[kind].render(fields["fr"], fields["en"])
    location = table.location(reading.row, reading.column) if reading.row is not None else Location(
        table=table.table.provenance.title, column=table.header(reading.column))
    return Finding(
        document=document.name, check="claim", status="pass" if tied else "fail",
        severity="info" if tied else "warning", subject=reading.where,
        field=table.header(reading.column), expected=value, observed=reading.value,
        unit="%" if percent else _in_base_unit(table.unit(reading.column))[1], tables=(table.table.provenance.title,),
        location=Location(page=document.page_at(match.start()), text=sentence), evidence=(location,),
        message_fr=fr, message_en=en, key=f"fr-{table.key}-{reading.row}-{reading.column}-{match.start()}",
    )


class ProseFiguresCheck(Check):
    """Every document: the figures its prose quotes for a named entity, tied to the table cell
    that holds them, and the numbered explanations its tables promise (no spec needed); in
    French prose, the totals, sums, rates and shares it quotes, beside the spec's claims."""

    name = "prose_figures"
    emits = (CLAIM,)
    messages = MESSAGES

    def run(self, context: CheckContext, config: None) -> list[Finding]:
        document = context.document
        tables = context.interpreted_tables()
        french = [] if is_english(document.text) else quoted_in_french(
            document, tables, claimed_spans(context.configs.get("claims", ()), document.text))
        if context.spec is not None and context.spec.tables:
            return french
        return prose_figures(document, tables, is_english(document.text)) + promised_explanations(document, tables) + french


_COUNT = re.compile(r"(?<![$\d.,])\b(?P<n>\d{1,4})\s+(?P<noun>discrepancies|variances|differences|[ée]carts|companies|"
                    r"entreprises|soci[ée]t[ée]s|compagnies)\b", re.IGNORECASE)
_COMPANY_NOUNS = re.compile(r"compan|entreprise|soci|compagnie", re.IGNORECASE)


def _count_readings(sources: Sequence[Source]) -> dict[str, list[tuple[int, str, str]]]:
    """What a counted noun may count, as a reviewer would: companies — the names of one entity
    column, or the entities the documents share; discrepancies — the variances one document's
    prose explains (its quoted figures tied to a cell)."""
    companies: list[tuple[int, str, str]] = []
    for source in sources:
        for table in source.tables:
            column = entity_column(table)
            if column is not None:
                rows = entity_rows(table)
                named = [i for i, text in zip(rows, column_texts(table, column, rows), strict=True) if name_like(text)]
                figures = table.columns_with("quantity", "percent")
                reporting = sum(1 for i in named if table.numbers.loc[i, figures].notna().any()) if figures else 0
                title = f"{source.document} {table.table.provenance.title}"
                companies.append((len(named), f"noms dans {title}", f"names in {title}"))
                if 0 < reporting < len(named):       # the others print DNP, DNR, N/A: they did not report
                    companies.append((reporting, f"noms avec un chiffre dans {title}", f"names with a figure in {title}"))
    shared = [e for e in link_sources(sources) if len({m.table.split("\x1f")[0] for m, _ in e.mentions}) > 1]
    if shared:
        companies.append((len(shared), "entités communes aux documents", "entities shared by the documents"))
    discrepancies = []
    for source in sources:
        if source.extracted is not None:
            tied = [f for f in prose_figures(source.extracted, source.tables, is_english(source.extracted.text))
                    if f.status == "pass" and not f.unit]
            if tied:
                discrepancies.append((len(tied), f"écarts expliqués dans le texte de {source.document}",
                                      f"variances explained in the text of {source.document}"))
    return {"companies": companies, "discrepancies": discrepancies}


def count_claims(sources: Sequence[Source]) -> list[Finding]:
    """Counts quoted in the prose ("N discrepancies exceeded the Margin of Variance", "the N
    companies invited") tied to what they count; a count that no reading gives is left silent."""
    readings = _count_readings(sources)
    findings = []
    for source in sources:
        if source.extracted is None:
            continue
        for offset, sentence in _sentences(source.extracted.text):
            for match in _COUNT.finditer(sentence):
                kind = "companies" if _COMPANY_NOUNS.match(match.group("noun")) else "discrepancies"
                n = int(match.group("n"))
                reading = next((r for r in readings[kind] if r[0] == n), None)
                if reading is None:
                    continue
                quote = sentence[max(0, match.start() - 40):match.end() + 40].strip()
                findings.append(Finding(
                    document=source.document, check="claim", status="pass", severity="info",
                    subject=match.group(0), field=kind, expected=n, observed=reading[0], unit="count",
                    location=Location(page=source.extracted.page_at(offset), text=sentence),
                    key=f"count-{offset}-{match.start()}",
                    **MESSAGES["count"].message({"quote": quote, "n": n, "reading": reading[1]},
                                                {"quote": quote, "n": n, "reading": reading[2]})))
    return findings


def figures_across_documents(sources: Sequence[Source]) -> list[Finding]:
    """The run-level step over every document's interpreted tables: entities linked and their
    figures compared between documents, and the counts the prose quotes tied to what they count."""
    return entities_across_documents(sources) + count_claims(sources)
