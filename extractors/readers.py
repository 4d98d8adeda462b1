"""The one place a file's format picks its reader: every reader returns an ExtractedDocument.

A new format is a new entry in `READERS` (a suffix and a function), nothing else: the run
command, `extract` and the discovery of documents in `raw/` all read this table.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from extractors.spec import DocumentSpec
from extractors.spreadsheet import extract_spreadsheet
from extractors.table import ExtractedDocument
from extractors.text_document import DocumentError, extract_text_document


@dataclass(frozen=True)
class ReadOptions:
    """What a reader may spend on one document."""

    max_pages: int = 500


Reader = Callable[[Path, DocumentSpec | None, ReadOptions], ExtractedDocument]


def _read_pdf(path: Path, spec: DocumentSpec | None, options: ReadOptions) -> ExtractedDocument:
    from extractors.pdf import PdfError, extract_pdf
    from extractors.pdf.document import count_pages

    try:
        pages = count_pages(path)
        if pages > options.max_pages:
            raise DocumentError(f"{path.name}: {pages} pages, au-delà de la limite --max-pages de "
                                f"{options.max_pages} / over the --max-pages limit")
        return extract_pdf(path, spec, max_pages=options.max_pages)
    except PdfError as error:
        raise DocumentError(str(error)) from error


def _read_text(path: Path, spec: DocumentSpec | None, options: ReadOptions) -> ExtractedDocument:
    return extract_text_document(path, spec)


def _read_spreadsheet(path: Path, spec: DocumentSpec | None, options: ReadOptions) -> ExtractedDocument:
    return extract_spreadsheet(path, spec)


READERS: dict[str, Reader] = {
    ".pdf": _read_pdf,
    ".txt": _read_text,
    ".csv": _read_spreadsheet,
    ".xlsx": _read_spreadsheet,
    ".xlsm": _read_spreadsheet,
    ".ods": _read_spreadsheet,
}


# The PDF stack (camelot, pdfplumber, playa: 0.4 s to import) is imported by the first PDF read,
# so that a run with none does not pay for it; `load_readers` imports it ahead when needed.
LIBRARIES = {".pdf": "extractors.pdf"}


def load_readers(paths: Iterable[Path]) -> None:
    """Import the readers these files need: before forking workers, so that each has them already."""
    for module in {LIBRARIES[p.suffix.lower()] for p in paths if p.suffix.lower() in LIBRARIES}:
        importlib.import_module(module)


def is_readable(path: Path) -> bool:
    """Whether some reader takes this file (by its suffix)."""
    return path.suffix.lower() in READERS


def read(path: Path, spec: DocumentSpec | None, options: ReadOptions = ReadOptions()) -> ExtractedDocument:
    """The document as tables; raises DocumentError (one line naming the file) when it cannot be read."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        raise DocumentError(f"{path.name}: format non pris en charge (formats lus : {known}) "
                            f"/ unsupported format (read: {known})")
    return reader(path, spec, options)
