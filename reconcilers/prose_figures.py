"""Figures quoted in the prose with no spec, tied to the table cell that holds them.

A reviewer reading "A variance of $X was identified for COMPANY for the ONRR Royalties revenue stream"
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

from extractors.quantity import format_number
from extractors.table import ExtractedDocument
from reconcilers.entity_columns import (
    Source,
    company_key,
    entities_across_documents,
    entity_column,
    entity_rows,
    label_words,
    link_sources,
    name_like,
)
from reconcilers.finding import Finding, Location
from reconcilers.meaning import InterpretedTable, is_english
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
        for index, role in zip(table.table.values.index, table.row_roles, strict=True):
            text = " ".join(str(table.table.cells.at[index, column] or "").split())
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


class ProseFiguresCheck(Check):
    """Every document: the figures its prose quotes for a named entity, tied to the table cell
    that holds them, and the numbered explanations its tables promise (no spec needed)."""

    name = "prose_figures"
    emits = (CLAIM,)
    messages = MESSAGES

    def run(self, context: CheckContext, config: None) -> list[Finding]:
        if context.spec is not None and context.spec.tables:
            return []
        document = context.document
        tables = context.interpreted_tables()
        return prose_figures(document, tables, is_english(document.text)) + promised_explanations(document, tables)


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
                named = [i for i in entity_rows(table)
                         if name_like(" ".join(str(table.table.cells.at[i, column]).split()))]
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
    """Counts quoted in the prose ("17 discrepancies exceeded the Margin of Variance", "the 45
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
