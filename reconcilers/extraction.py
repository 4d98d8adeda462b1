"""What could not be read is itself a finding: unparsed cells, rows, tables, and captions."""

from __future__ import annotations

import re
from collections import defaultdict

from extractors.table import (
    ROW_KIND,
    ROW_LABEL,
    CellProblem,
    ExtractedDocument,
    ExtractedTable,
)
from reconcilers.cells import row_entity
from reconcilers.finding import Finding, Location


def problem_findings(document: ExtractedDocument) -> list[Finding]:
    """One finding per problem; a problem on a row names the row's entity when its table has one."""
    tables = {t.key: t for t in document.tables}
    problems = list(document.problems) + [p for t in document.tables for p in t.problems]
    return [_finding(problem, number, row_entity(tables[problem.table], problem.row)
                     if problem.row and problem.table in tables else "")
            for number, problem in enumerate(problems, 1)]


def _finding(problem: CellProblem, number: int, entity: str = "") -> Finding:
    named = f" ({entity})" if entity else ""
    where_fr = " ".join(filter(None, [
        problem.title, f"ligne {problem.row}{named}" if problem.row else "",
        f"colonne « {problem.column} »" if problem.column else "",
    ]))
    where_en = " ".join(filter(None, [
        problem.title, f"row {problem.row}{named}" if problem.row else "",
        f"column “{problem.column}”" if problem.column else "",
    ]))
    text = f" : « {problem.text} »" if problem.text else ""
    text_en = f": “{problem.text}”" if problem.text else ""
    return Finding(
        document=problem.document, check="extraction", status="fail",
        severity=problem.severity,
        subject=f"{problem.title or problem.document}{' — ' + entity if entity else ''}", field=problem.column or "",
        observed=problem.text or None, tables=(problem.title,) if problem.title else (),
        location=Location(page=problem.page, sheet=problem.sheet, cell=problem.cell,
                          table=problem.title or None, row=problem.row,
                          column=problem.column, text=problem.text or None, table_key=problem.table or None),
        message_fr=f"{where_fr or problem.document} — {problem.reason_fr}{text}.",
        message_en=f"{where_en or problem.document} — {problem.reason_en}{text_en}.",
        key=f"{problem.table}-{problem.row}-{number}",
    )


def caption_findings(document: ExtractedDocument) -> list[Finding]:
    """One table number used for two different tables misleads every cross-reference to it."""
    by_number: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for number, title, offset in document.captions:
        by_number[number].append((title, offset))
    findings: list[Finding] = []
    for number, entries in by_number.items():
        titles = list(dict.fromkeys(title for title, _ in entries))
        if len(titles) > 1:
            findings.append(Finding(
                document=document.name, check="numbering", status="fail", severity="warning",
                subject=f"Tableau {number}", field="numéro", expected=1, observed=len(titles), unit="count",
                location=Location(table=f"Tableau {number}", text=" | ".join(titles)),
                message_fr=f"Le numéro « Tableau {number} » désigne {len(titles)} tableaux différents : "
                           + " ; ".join(f"« {t} »" for t in titles) + ".",
                message_en=f"“Tableau {number}” names {len(titles)} different tables: "
                           + "; ".join(f"“{t}”" for t in titles) + ".",
                key=number,
            ))
    return findings


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
            message_fr=f"Renvoi cassé dans le document : « {context} ».",
            message_en=f"Broken cross-reference in the document: “{context}”.",
            key=f"reference-{number}",
        ))
    return findings


# A row number as printed: 12, 3.1, 4-2, 12a. A company or person name is no row number.
_ROW_NUMBER = re.compile(r"\d+(?:[.\-]\d+)*[a-z]?\.?")


def duplicate_row_findings(table: ExtractedTable) -> list[Finding]:
    """Two rows printed with the same number: every reference to that number is ambiguous.

    Only a label column of row numbers is checked: two rows naming the same company are
    not a numbering error.
    """
    items = table.cells[table.cells[ROW_KIND] == "item"]
    labels = items[ROW_LABEL].astype(str).str.strip()
    numbered = labels[labels.str.fullmatch(_ROW_NUMBER.pattern)]
    if numbered.empty or len(numbered) * 2 < len(labels[labels != ""]):
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
            location=Location(page=table.provenance.page, table=table.provenance.title, row=label,
                              table_key=table.key),
            message_fr=f"{table.provenance.title} : le numéro {label} est porté par {count} lignes"
                       + (f" ({named})." if named else "."),
            message_en=f"{table.provenance.title}: number {label} is printed on {count} rows"
                       + (f" ({named})." if named else "."),
            key=f"{table.key}-{label}",
        ))
    return findings
