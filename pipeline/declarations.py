"""EITI Summary Data declarations of a run: the tables recognised as parts, grouped per country-year.

A run-level decision: the parts of one declaration arrive as several CSV files (possibly in
subfolders) or as the sheets of one workbook, so they are gathered only after every document of
the run has been read. A row belongs to the declaration of its country (ISO code, else name) and
of the year its `End Date` falls in: Part 1 of a fiscal-year country is filed under the year the
period starts, the other parts under the year it ends, so file names are not used.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date

from extractors.table import ExtractedDocument
from reconcilers.finding import Finding
from reconcilers.names import fold
from reconcilers.summary_data.checks import DeclarationResult, check_declaration
from reconcilers.summary_data.template import (
    Declaration,
    PartRows,
    PartTable,
    read_date,
    recognise,
    records,
)
from reconcilers.summary_data.totals import Materiality

Key = tuple[str, int]


def recognised_parts(documents: Iterable[ExtractedDocument]) -> list[PartTable]:
    """Every table of the run whose columns are those of a Summary Data part."""
    return [part for document in documents for table in document.tables
            if (part := recognise(document.name, table)) is not None]


def is_summary_data(document: ExtractedDocument) -> bool:
    """Whether every table of the document is a Summary Data part: its checks are the declaration's
    (the generic Great Expectations suites would only repeat them, at a cost that grows with the tables)."""
    return bool(document.tables) and all(recognise(document.name, table) for table in document.tables)


def group(parts: list[PartTable]) -> tuple[list[Declaration], list[Finding]]:
    """The declarations the parts' rows make up, in country then year order; rows that name no country or
    no readable date are findings of their document."""
    pieces: dict[Key, dict[str, list[PartRows]]] = defaultdict(lambda: defaultdict(list))
    names: dict[str, Counter] = defaultdict(Counter)
    periods: dict[Key, Counter] = defaultdict(Counter)
    part1_periods: dict[Key, tuple[date | None, date | None]] = {}
    findings: list[Finding] = []
    for part in parts:
        frame = records(part)
        keys: dict[Key, list] = defaultdict(list)
        unplaced = []
        blank = [""] * len(frame)
        fields = {field: frame[field].tolist() if field in frame.columns else blank       # read once, not row by row
                  for field in ("country", "iso", "start", "end")}
        for row, country, iso, start, end in zip(frame.index, *fields.values(), strict=True):
            iso = iso.upper()
            start, end = read_date(start), read_date(end)
            year = end.year if end else None
            if not (iso or country) or year is None:
                unplaced.append(row)
                continue
            key = (iso or fold(country), year)
            keys[key].append(row)
            names[key[0]][country] += 1
            periods[key][(start, end)] += 1
            if part.part == "1":
                part1_periods[key] = (start, end)
        for key, rows in keys.items():
            pieces[key][part.part].append(PartRows(part, frame.loc[rows]))
        if unplaced:
            findings.append(_unplaced(part, unplaced))
    declarations = []
    for key in sorted(pieces, key=lambda k: (names[k[0]].most_common(1)[0][0], k[1])):
        start, end = part1_periods.get(key) or periods[key].most_common(1)[0][0]
        country = names[key[0]].most_common(1)[0][0] or key[0]
        declarations.append(Declaration(country=country, iso=key[0], year=key[1], start=start, end=end,
                                        parts={p: tuple(v) for p, v in pieces[key].items()}))
    return declarations, findings


def _unplaced(part: PartTable, rows: list) -> Finding:
    location = part.location(rows[0], "end")
    return Finding(
        document=part.document, check="declaration_part", status="fail", severity="warning",
        subject=part.table.key, field="period",
        message_fr=f"{part.document} : {len(rows)} ligne(s) de la partie {part.part} sans pays ou sans date de fin "
                   f"lisible : rattachées à aucune déclaration.",
        message_en=f"{part.document}: {len(rows)} row(s) of Part {part.part} with no country or no readable end "
                   f"date: attached to no declaration.",
        observed=len(rows), unit="count", location=location,
    )


def check_declarations(
    documents: Iterable[ExtractedDocument], materiality: Materiality,
) -> tuple[list[DeclarationResult], list[Finding]]:
    """Every declaration of the run checked, and what could not be attached to one."""
    declarations, findings = group(recognised_parts(documents))
    return [check_declaration(d, materiality) for d in declarations], findings

