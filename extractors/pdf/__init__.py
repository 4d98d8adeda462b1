"""The PDF path: tables read from PDF pages, typed by the document's spec when it has one.

    extract_pdf(path, spec)   -> ExtractedDocument (the records every extractor returns)
    read_pdf(path)            -> Reading (raw grids with provenance; used by `extract`
                                 and the ICDAR benchmark)

A spec's tables of `layout: tsv` are read by the text path's cutter from the tab-separated
text rebuilt from the pages (`tabbed.py`): one reading of such a table, whatever the file.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from extractors.captions import TableNotFound, list_captions
from extractors.pdf.document import PdfError
from extractors.pdf.reading import Reading, read_pdf, read_tab_text
from extractors.pdf.records import match_specs, to_table
from extractors.pdf.tabbed import TabText, reads_bold
from extractors.quantity import is_english
from extractors.spec import DocumentSpec, TableSpec
from extractors.table import CellProblem, ExtractedDocument, ExtractedTable
from extractors.text_document import CUTTERS, missing_table

TAB_LAYOUTS = frozenset({"tsv"})   # layouts read from tab-separated text, not from grids

__all__ = ["PdfError", "Reading", "extract_pdf", "read_pdf"]


def generic_key(number: int, taken: set[str]) -> str:
    """`T3` for the third table, `PDF-T3` when the spec already names a table `T3`."""
    key = f"T{number}"
    return f"PDF-{key}" if key in taken else key


def extract_pdf(path: Path, spec: DocumentSpec | None = None, *, max_pages: int = 500) -> ExtractedDocument:
    """Every table of a PDF, typed by `spec` where a table's caption matches one of its tables.

    Raises PdfError for an encrypted, truncated or non-PDF file. Scanned pages are
    read through ocrmypdf when it is installed; either way they are reported as a
    problem of the document.
    """
    path = Path(path)
    specs = spec.tables if spec else ()
    tabbed = tuple(table for table in specs if table.layout in TAB_LAYOUTS)
    gridded = tuple(table for table in specs if table not in tabbed)
    tables: list[ExtractedTable] = []
    problems: list[CellProblem] = []
    text, captions, page_starts = "", (), ()
    if tabbed:
        rebuilt, read_problems = read_tab_text(path, bold=reads_bold(tabbed), max_pages=max_pages)
        problems += read_problems
        for table_spec in tabbed:
            try:
                tables.append(_on_pages(CUTTERS[table_spec.layout](rebuilt.text, table_spec, path.name), rebuilt))
            except TableNotFound as missing:
                problems.append(missing.problem)
        text, captions = rebuilt.text, list_captions(rebuilt.text)
    if gridded or not tabbed:
        reading = read_pdf(path, max_pages=max_pages)
        tables += _grid_tables(reading, path.name, gridded, {table.key for table in specs},
                               "en" if is_english(reading.text) else None)
        problems += reading.problems
        found = {table.key for table in tables}
        problems += [missing_table(path.name, table, "légende du tableau introuvable", "table caption not found").problem
                     for table in gridded if table.key not in found]
        text, captions, page_starts = reading.text, reading.captions, reading.page_starts
    return ExtractedDocument(
        name=path.name,
        kind=spec.kind if spec else "generic",
        text=text,
        tables=tuple(tables),
        problems=tuple(problems),
        captions=captions,
        page_starts=page_starts,
    )


def _grid_tables(reading: Reading, document: str, specs: tuple[TableSpec, ...],
                 taken: set[str], convention: str | None) -> list[ExtractedTable]:
    """Every grid as a table, typed by the spec table its caption names (else by the table layer,
    with the document's number `convention`)."""
    matched = match_specs(list(reading.grids), specs)
    tables: list[ExtractedTable] = []
    for number, grid in enumerate(reading.grids, start=1):
        table_spec = matched.get(number - 1)
        key = table_spec.key if table_spec else generic_key(number, taken)
        tables.append(to_table(grid, document, key, table_spec, convention))
    return tables


def _on_pages(table: ExtractedTable, rebuilt: TabText) -> ExtractedTable:
    """A table cut from the rebuilt text, with the pages it stands on as its provenance
    (the cutter knows offsets only) and those of its problems that have no page."""
    provenance = table.provenance
    pages = rebuilt.pages(provenance.span) if provenance.span else ()
    first = pages[0] if pages else None
    return replace(
        table,
        provenance=replace(provenance, pages=pages, method=f"pdf-{provenance.method}",
                           reason=f"texte tabulé reconstruit des mots de la page, colonnes où commencent "
                                  f"les cellules ; {provenance.reason}"),
        problems=tuple(p if p.page is not None else replace(p, page=first) for p in table.problems),
    )
