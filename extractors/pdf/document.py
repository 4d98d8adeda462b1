"""Opening a PDF safely: refuse what cannot be read, cap the pages, find scanned pages.

Failures are told in one line naming the file, because `extract` prints them
one per bad file and goes on with the others.
"""

from __future__ import annotations

import contextlib
import itertools
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfpage import PDFPage
from pdfplumber.utils.exceptions import PdfminerException

OCR_TIMEOUT_SECONDS = 600
# A page with fewer characters than this but with an image is a scan.
MIN_TEXT_CHARS = 10


class PdfError(ValueError):
    """A PDF that cannot be read at all: encrypted, truncated or not a PDF."""


def check_file(path: Path) -> None:
    """Refuse early, before a parser spends time on it, a file that is not a whole PDF."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(1024)
            handle.seek(max(0, size - 2048))
            tail = handle.read()
    except OSError as error:
        raise PdfError(f"{path.name}: cannot be read ({error.strerror})") from error
    if b"%PDF-" not in head:
        raise PdfError(f"{path.name}: not a PDF file (no %PDF header)")
    if b"%%EOF" not in tail:
        raise PdfError(f"{path.name}: truncated or damaged PDF (no %%EOF at the end)")


@contextlib.contextmanager
def open_pdf(path: Path) -> Iterator[pdfplumber.PDF]:
    """pdfplumber's PDF, with encryption and damage turned into PdfError."""
    check_file(path)
    try:
        pdf = pdfplumber.open(path)
    except PdfminerException as error:
        cause = error.args[0] if error.args else error
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise PdfError(f"{path.name}: encrypted PDF, it needs a password to be opened") from error
        raise PdfError(f"{path.name}: damaged PDF ({cause})") from error
    except Exception as error:  # pdfminer raises many kinds on broken files
        raise PdfError(f"{path.name}: damaged PDF ({type(error).__name__}: {error})") from error
    with pdf:
        yield pdf


def count_pages(path: Path, *, up_to: int) -> int:
    """The number of pages, counted without parsing any, and no further than `up_to`: a caller
    refusing long documents need not walk a 100 000-page tree."""
    with open_pdf(path) as pdf:
        return sum(1 for _ in itertools.islice(PDFPage.create_pages(pdf.doc), up_to))


def is_scanned(page: pdfplumber.page.Page) -> bool:
    """No text layer worth the name, but an image: a scanned or photographed page."""
    return len(page.chars) < MIN_TEXT_CHARS and bool(page.images)


def ocr_available() -> bool:
    return shutil.which("ocrmypdf") is not None


def run_ocr(path: Path, workdir: Path) -> Path:
    """A copy of the PDF with a text layer added by ocrmypdf (pages with text are left alone)."""
    target = workdir / f"{path.stem}.ocr.pdf"
    try:
        subprocess.run(
            ["ocrmypdf", "--skip-text", "--quiet", str(path), str(target)],
            check=True, capture_output=True, timeout=OCR_TIMEOUT_SECONDS,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as error:
        raise PdfError(f"{path.name}: OCR with ocrmypdf failed ({error})") from error
    return target


@contextlib.contextmanager
def scratch_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="itie-pdf-") as name:
        yield Path(name)
