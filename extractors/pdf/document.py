"""Opening a PDF safely: refuse what cannot be read, cap the pages, find scanned pages.

Failures are told in one line naming the file, because `extract` prints them
one per bad file and goes on with the others.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import overload

import pdfplumber
import playa
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfpage import PDFPage
from pdfplumber.page import Page
from pdfplumber.utils.exceptions import PdfminerException
from playa.miner import extract_page

from extractors.pdf.objects import PageParse, page_objects

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


# Parsed pages kept at once (~1 MB each for a page of table): `read_pdf` goes through a long
# document in batches of this many pages, so each page is parsed once whatever the passes over
# its batch; a page a pass comes back to after the limit is parsed again.
PARSED_PAGES_KEPT = 40


class ReleasedPages(Sequence[Page]):
    """A PDF's pages, of which no more than PARSED_PAGES_KEPT stay parsed: pdfplumber would
    keep every page's characters and layout until the file is closed, so memory grew with the
    page count. Iterating marks each page used; the least recently used beyond the limit is
    released."""

    def __init__(self, pages: list[Page], parsed: OrderedDict[int, Page]) -> None:
        self._pages = pages
        self._parsed = parsed                     # shared by the slices of one PDF's pages

    def __len__(self) -> int:
        return len(self._pages)

    @overload
    def __getitem__(self, index: int) -> Page: ...

    @overload
    def __getitem__(self, index: slice) -> ReleasedPages: ...

    def __getitem__(self, index: int | slice) -> Page | ReleasedPages:
        if isinstance(index, slice):
            return ReleasedPages(self._pages[index], self._parsed)
        return self._pages[index]

    def __iter__(self) -> Iterator[Page]:
        for page in self._pages:
            self._parsed[page.page_number] = page
            self._parsed.move_to_end(page.page_number)
            while len(self._parsed) > PARSED_PAGES_KEPT:
                self._parsed.popitem(last=False)[1].close()
            yield page


class PlayaPage(Page):
    """pdfplumber's page whose objects come from playa's parse of the page (see `objects`),
    kept for camelot to read too: pdfminer never parses it."""

    cached_properties = [*Page.cached_properties, "_parse"]

    def parse(self) -> PageParse:
        if not hasattr(self, "_parse"):
            try:
                self._parse = PageParse(extract_page(self.playa_page()))
            except Exception as error:  # playa raises many kinds on broken content streams
                raise PdfError(f"{Path(self.pdf.path).name}: page {self.page_number} cannot be parsed "
                               f"({type(error).__name__}: {error})") from error
        return self._parse

    def playa_page(self) -> playa.Page:
        return self.pdf.playa().pages[self.page_number - 1]

    def parse_objects(self) -> dict[str, list[dict]]:
        return page_objects(self.parse().flat, height=float(self.height), mediabox=self.mediabox,
                            initial_doctop=float(self.initial_doctop), page_number=self.page_number)


class _PagedPDF(pdfplumber.PDF):
    """pdfplumber's PDF whose pages are released past a number (see ReleasedPages) and parsed
    by playa (see PlayaPage)."""

    def playa(self) -> playa.Document:
        if not hasattr(self, "_playa"):
            self._playa = playa.open(self.path, space="page")
        return self._playa

    def close(self) -> None:
        if hasattr(self, "_playa"):
            self._playa.close()
        super().close()

    @property
    def pages(self) -> ReleasedPages:  # type: ignore[override]
        if not hasattr(self, "_parsed_pages"):
            self._parsed_pages: OrderedDict[int, Page] = OrderedDict()
            self._playa_pages: list[Page] = []
            doctop = 0.0
            try:
                for number, page in enumerate(PDFPage.create_pages(self.doc), start=1):
                    self._playa_pages.append(PlayaPage(self, page, page_number=number, initial_doctop=doctop))
                    doctop += float(self._playa_pages[-1].height)
            except Exception as error:  # pdfminer raises many kinds on a broken page tree
                raise PdfError(f"{Path(self.path).name}: damaged PDF ({type(error).__name__}: {error})") from error
        return ReleasedPages(self._playa_pages, self._parsed_pages)


@contextlib.contextmanager
def open_pdf(path: Path) -> Iterator[pdfplumber.PDF]:
    """pdfplumber's PDF, with encryption and damage turned into PdfError."""
    check_file(path)
    try:
        pdf = _PagedPDF.open(path)
    except PdfminerException as error:
        cause = error.args[0] if error.args else error
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise PdfError(f"{path.name}: encrypted PDF, it needs a password to be opened") from error
        raise PdfError(f"{path.name}: damaged PDF ({cause})") from error
    except Exception as error:  # pdfminer raises many kinds on broken files
        raise PdfError(f"{path.name}: damaged PDF ({type(error).__name__}: {error})") from error
    with pdf:
        yield pdf


def count_pages(path: Path) -> int:
    """The number of pages, none of them parsed (a second or so for 2 000 pages)."""
    with open_pdf(path) as pdf:
        return len(pdf.pages)


def is_scanned(page: pdfplumber.page.Page) -> bool:
    """No text layer worth the name, but an image: a scanned or photographed page.

    Asked of the page's objects, which a page of `open_pdf` takes from the one parse every
    other question shares (see PlayaPage): the images inside forms count, as in pdfminer."""
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
