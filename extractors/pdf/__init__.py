"""The PDF path: tables read from PDF pages, typed by the document's spec when it has one.

    extract_pdf(path, spec)   -> ExtractedDocument (the records every extractor returns)
    read_pdf(path)            -> Reading (raw grids with provenance; used by `extract`
                                 and the ICDAR benchmark)
"""

from __future__ import annotations

from pathlib import Path

from extractors.pdf.document import PdfError
from extractors.pdf.reading import Reading, read_pdf
from extractors.pdf.records import match_specs, to_table
from extractors.spec import DocumentSpec
from extractors.table import ExtractedDocument, ExtractedTable
from extractors.text_document import missing_table

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
    reading = read_pdf(path, max_pages=max_pages)
    specs = spec.tables if spec else ()
    matched = match_specs(list(reading.grids), specs)
    spec_keys = {table.key for table in specs}
    tables: list[ExtractedTable] = []
    for number, grid in enumerate(reading.grids, start=1):
        table_spec = matched.get(number - 1)
        key = table_spec.key if table_spec else generic_key(number, spec_keys)
        tables.append(to_table(grid, path.name, key, table_spec))
    missing = [missing_table(path.name, table, "légende du tableau introuvable", "table caption not found").problem
               for table in specs if table not in matched.values()]
    return ExtractedDocument(
        name=path.name,
        kind=spec.kind if spec else "generic",
        text=reading.text,
        tables=tuple(tables),
        problems=reading.problems + tuple(missing),
        captions=reading.captions,
    )
