"""Each PDF page is parsed once, by playa, for pdfplumber's word layer and for camelot.

What the shared parse must keep: camelot's tables exactly as camelot's own `read_pdf` finds
them (it parses the page again for every call), and the words pdfplumber's own parse
(pdfminer) gives, but where pdfminer and playa decode a glyph differently. Measured on
ICDAR 2013 US PDFs with ruled and unruled pages; skipped when ../shared is absent.
"""

from __future__ import annotations

from pathlib import Path

import camelot
import pdfplumber
import pytest
from test_pdf_build import HEADER, ROWS, TOTAL, _pdf

from extractors.pdf.document import open_pdf
from extractors.pdf.objects import _printed
from extractors.pdf.reading import (
    CAMELOT_OPTIONS,
    _camelot_layout,
    _camelot_tables,
    _quiet,
)
from extractors.pdf.routing import LATTICE, NETWORK

ICDAR = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "icdar2013-us"

needs_corpus = pytest.mark.skipif(not ICDAR.is_dir(), reason="../shared corpus absent")


def _table(table) -> tuple:
    return table.page, table.order, tuple(round(v, 3) for v in table._bbox), table.df.values.tolist()


@needs_corpus
@pytest.mark.parametrize("name", ["us-007.pdf", "us-014.pdf"])   # ruled and unruled pages
@pytest.mark.parametrize("method", [LATTICE, NETWORK])
def test_camelot_fed_the_shared_parse_finds_what_its_read_pdf_finds(name, method):
    path = ICDAR / name
    with open_pdf(path) as pdf:
        pages = list(pdf.pages)
        ours = [_table(t) for t in _camelot_tables(path, pages, method)]
    with _quiet():
        theirs = [_table(t) for t in camelot.read_pdf(str(path), pages="all", suppress_stdout=True,
                                                      **CAMELOT_OPTIONS[method])]
    assert ours == theirs
    assert ours                                     # each file has tables of both kinds


def _sideways_table(path: Path) -> Path:
    """A ruled table printed turned a quarter anticlockwise on a portrait page."""
    pdf = _pdf()
    pdf.add_page()
    with pdf.rotation(90, x=300, y=400):
        pdf.set_xy(100, 300)
        with pdf.table(col_widths=(40, 160, 100, 100), text_align="LEFT", line_height=16, width=400) as table:
            for row in [HEADER, *ROWS, TOTAL]:
                table.row(row)
    pdf.output(str(path))
    return path


@pytest.mark.parametrize("method", [LATTICE, NETWORK])
def test_a_sideways_page_is_turned_back_as_camelot_does(tmp_path, method):
    path = _sideways_table(tmp_path / "sideways.pdf")
    with open_pdf(path) as pdf:
        [page] = pdf.pages[:1]
        assert _camelot_layout(page)[5] == _camelot_layout(page)[5] == "anticlockwise"   # the page is left as found
        ours = [_table(t) for t in _camelot_tables(path, [page], method)]
    with _quiet():
        theirs = [_table(t) for t in camelot.read_pdf(str(path), pages="1", suppress_stdout=True,
                                                      **CAMELOT_OPTIONS[method])]
    assert ours == theirs
    assert ours[0][3][-1] == list(TOTAL)


def _words(page) -> list[tuple[str, float, float]]:
    return [(w["text"], w["x0"], w["top"]) for w in page.extract_words(x_tolerance=1.5, extra_attrs=["fontname", "size"])]


@needs_corpus
@pytest.mark.parametrize("name", ["us-001.pdf", "us-007.pdf", "us-024.pdf"])
def test_the_word_layer_gives_pdfminers_words(name):
    """Same words, same order, positions within a thousandth of a point (playa sums glyph
    advances in another order)."""
    path = ICDAR / name
    with open_pdf(path) as pdf, pdfplumber.open(path) as by_pdfminer:
        for page, reference in zip(pdf.pages, by_pdfminer.pages, strict=True):
            ours, theirs = _words(page), _words(reference)
            assert [w[0] for w in ours] == [w[0] for w in theirs], (name, page.page_number)
            assert all(abs(a[1] - b[1]) < 0.01 and abs(a[2] - b[2]) < 0.01 for a, b in zip(ours, theirs))
            assert len(page.edges) == len(reference.edges)


@needs_corpus
def test_winansi_codes_read_as_printed():
    """us-010's running footer prints a bullet (WinAnsi 0x95), which playa leaves as the control
    character U+0095; pdfminer and the word layer read `•`."""
    with open_pdf(ICDAR / "us-010.pdf") as pdf:
        footer = [line["text"] for line in pdf.pages[0].extract_text_lines() if "ANNUAL REPORT" in line["text"]]
    assert footer == ["FY 2011 GSA • OCSIT ANNUAL REPORT 15"]
    assert (_printed("\x95"), _printed("\xad"), _printed("\x81"), _printed("a")) == ("•", "-", "\x81", "a")
