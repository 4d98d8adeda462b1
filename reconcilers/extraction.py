"""What could not be read is itself a finding: unparsed cells, rows, tables, and captions."""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import pairwise

from extractors.table import (
    ROW_KIND,
    ROW_LABEL,
    CellProblem,
    ExtractedDocument,
    ExtractedTable,
)
from reconcilers.cells import row_entity, row_page
from reconcilers.finding import Finding, Location
from reconcilers.parts import EXTRACTION, NUMBERING, Check, CheckContext, Template

MESSAGES: dict[str, Template] = {
    "row": Template("ligne {row}{named}", "row {row}{named}"),
    "column": Template("colonne « {column} »", "column “{column}”"),
    "text": Template(" : « {text} »", ": “{text}”"),
    "problem": Template("{where} — {reason}{text}.", "{where} — {reason}{text}."),
    "quoted": Template("« {text} »", "“{text}”"),
    "number_reused": Template("Le numéro « Tableau {number} » désigne {n} tableaux différents : {titles}.",
                              "“Tableau {number}” names {n} different tables: {titles}."),
    "broken_reference": Template("Renvoi cassé dans le document : « {context} ».",
                                 "Broken cross-reference in the document: “{context}”."),
    "duplicate_row": Template("{table} : le numéro {label} est porté par {count} lignes{named}.",
                              "{table}: number {label} is printed on {count} rows{named}."),
}


def problem_findings(document: ExtractedDocument) -> list[Finding]:
    """One finding per problem; a problem on a row names the row's entity when its table has one."""
    tables = {t.key: t for t in document.tables}
    problems = list(document.problems) + [p for t in document.tables for p in t.problems]
    return [_finding(problem, number, row_entity(tables[problem.table], problem.row)
                     if problem.row and problem.table in tables else "")
            for number, problem in enumerate(problems, 1)]


def _finding(problem: CellProblem, number: int, entity: str = "") -> Finding:
    named = f" ({entity})" if entity else ""
    row = MESSAGES["row"].render({"row": problem.row, "named": named}) if problem.row else ("", "")
    column = MESSAGES["column"].render({"column": problem.column}) if problem.column else ("", "")
    text = MESSAGES["text"].render({"text": problem.text}) if problem.text else ("", "")
    fr, en = MESSAGES["problem"].render(
        {"where": " ".join(filter(None, [problem.title, row[0], column[0]])) or problem.document,
         "reason": problem.reason_fr, "text": text[0]},
        {"where": " ".join(filter(None, [problem.title, row[1], column[1]])) or problem.document,
         "reason": problem.reason_en, "text": text[1]})
    return Finding(
        document=problem.document, check="extraction", status="fail",
        severity=problem.severity,
        subject=f"{problem.title or problem.document}{' — ' + entity if entity else ''}", field=problem.column or "",
        observed=problem.text or None, tables=(problem.title,) if problem.title else (),
        location=Location(page=problem.page, sheet=problem.sheet, cell=problem.cell,
                          table=problem.title or None, row=problem.row,
                          column=problem.column, text=problem.text or None, table_key=problem.table or None),
        message_fr=fr, message_en=en,
        key=f"{problem.table}-{problem.row}-{number}",
    )


def caption_findings(document: ExtractedDocument) -> list[Finding]:
    """One table number used for two different tables misleads every cross-reference to it."""
    by_number: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for number, title, offset in document.captions:
        by_number[number].append((title, offset))
    findings: list[Finding] = []
    for number, entries in by_number.items():
        titles = _distinct_tables([title for title, _ in entries])
        if len(titles) > 1:
            quoted = [MESSAGES["quoted"].render({"text": t}) for t in titles]
            fr, en = MESSAGES["number_reused"].render(
                {"number": number, "n": len(titles), "titles": " ; ".join(q[0] for q in quoted)},
                {"number": number, "n": len(titles), "titles": "; ".join(q[1] for q in quoted)})
            findings.append(Finding(
                document=document.name, check="numbering", status="fail", severity="warning",
                subject=f"Tableau {number}", field="numéro", expected=1, observed=len(titles), unit="count",
                location=Location(table=f"Tableau {number}", text=" | ".join(titles)),
                message_fr=fr, message_en=en,
                key=number,
            ))
    return findings


# "Continued." / "(continued)" / "(suite)": a table's caption repeated on its next page.
_CONTINUED = re.compile(r"^\s*(?:continued|suite)\s*[.:]?\s*|\s*\((?:continued|suite)\)\s*", re.IGNORECASE)


def _distinct_tables(titles: list[str]) -> list[str]:
    """The titles that name different tables: a sentence citing a table ("Table 2 depicts …",
    its title starting in lower case) is no caption, and a caption repeated on a continuation page,
    whole or cut short ("… School years 2003–04" / "… 2003–04 through 2021–22"), is the same table."""
    kept: list[tuple[str, str]] = []
    for title in titles:
        if not title or title[0].islower():
            continue
        bare = " ".join(_CONTINUED.sub(" ", title).split()).casefold()
        if any(bare.startswith(other) or other.startswith(bare) for _, other in kept):
            continue
        kept.append((title, bare))
    return [title for title, _ in kept]


# What a word processor prints where a cross-reference or a table-of-contents entry broke.
_BROKEN_REFERENCE = re.compile(
    r"Error! (?:Bookmark not defined|Reference source not found)\.?|Erreur ! (?:Signet non défini|Source du renvoi introuvable)\.?"
)


def broken_reference_findings(document: ExtractedDocument) -> list[Finding]:
    """A broken reference in the text means a table or section the reader cannot find."""
    findings = []
    for number, match in enumerate(_BROKEN_REFERENCE.finditer(document.text), 1):
        context = " ".join(document.text[max(0, match.start() - 80): match.end()].split())
        findings.append(Finding(
            document=document.name, check="numbering", status="fail", severity="warning",
            subject=match.group(0), field="renvoi", observed=match.group(0), location=Location(text=context),
            **MESSAGES["broken_reference"].message({"context": context}),
            key=f"reference-{number}",
        ))
    return findings


# A row number as printed: 12, 3.1, 4-2, 12a. A company or person name is no row number.
_ROW_NUMBER = re.compile(r"\d+(?:[.\-]\d+)*[a-z]?\.?")
_INCREASING_SHARE = 0.8          # of the steps between two different numbers, those that go up


def _mostly_increasing(labels: list[str]) -> bool:
    """Row numbers go up (1, 2, 3 or 4.1, 4.2, 5): a first column of measures (1.7, 2.2, 1.1)
    does not, and its repeated values are no numbering error."""
    keys = [tuple(int(part) for part in re.findall(r"\d+", label)) for label in labels]
    steps = [(a, b) for a, b in pairwise(keys) if a != b]
    return not steps or sum(a < b for a, b in steps) >= _INCREASING_SHARE * len(steps)


def duplicate_row_findings(table: ExtractedTable) -> list[Finding]:
    """Two rows printed with the same number: every reference to that number is ambiguous.

    Only a label column of row numbers is checked: two rows naming the same company are
    not a numbering error.
    """
    items = table.cells[table.cells[ROW_KIND] == "item"]
    labels = items[ROW_LABEL].astype(str).str.strip()
    numbered = labels[labels.str.fullmatch(_ROW_NUMBER.pattern)]
    if numbered.empty or len(numbered) * 2 < len(labels[labels != ""]) or not _mostly_increasing(list(numbered)):
        return []
    counts = numbered.value_counts()
    findings = []
    for label, count in counts[counts > 1].items():
        named = row_entity(table, label)
        findings.append(Finding(
            document=table.provenance.document, check="numbering", status="fail", severity="warning",
            subject=f"{table.provenance.title} {label}{f' ({named})' if named else ''}", field="numéro de ligne",
            expected=1, observed=int(count),
            unit="count", tables=(table.provenance.title,),
            location=Location(page=row_page(table, labels.index[labels == label][0]), table=table.provenance.title,
                              row=label, table_key=table.key),
            **MESSAGES["duplicate_row"].message({"table": table.provenance.title, "label": label, "count": count,
                                                 "named": f" ({named})" if named else ""}),
            key=f"{table.key}-{label}",
        ))
    return findings


class ExtractionCheck(Check):
    """Every document: each cell, row or table that could not be read, with its raw text."""

    name = EXTRACTION.name
    emits = (EXTRACTION,)
    messages = MESSAGES

    def run(self, context: CheckContext, config: None) -> list[Finding]:
        return problem_findings(context.document)


class NumberingCheck(Check):
    """Every document: table numbers used twice, references to tables that do not exist, row
    numbers repeated within a table."""

    name = NUMBERING.name
    emits = (NUMBERING,)
    messages = MESSAGES

    def run(self, context: CheckContext, config: None) -> list[Finding]:
        findings = caption_findings(context.document) + broken_reference_findings(context.document)
        return findings + [f for table in context.document.tables for f in duplicate_row_findings(table)]
