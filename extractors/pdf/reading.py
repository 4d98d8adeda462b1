"""From a PDF file to grids, the prose around them and the problems met on the way.

pdfplumber looks at every page (text layer, rules, captions, prose); camelot
reads the tables. Pages go through in batches of PARSED_PAGES_KEPT: each page of a
batch is parsed once, by playa, for all that is asked of it (route, prose, captions
through pdfplumber's functions, and camelot's parsers: see `objects`), and only the
grids are kept of camelot's tables. Memory then holds
one batch of parser objects, whatever the page count. Tables a spec reads as
tab-separated lines are read instead from the tab-separated text rebuilt from the
pages' words (`read_tab_text`).
"""

from __future__ import annotations

import contextlib
import io
import logging
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
from camelot.handlers import PARSERS
from camelot.utils import get_image_char_and_text_objects, get_rotation
from pdfplumber.page import Page
from playa.miner import LAParams, extract_page

from extractors.grid import header_rows, table_parts
from extractors.pdf.below import rows_below
from extractors.pdf.captions import captions_in, find_caption, lines_above
from extractors.pdf.cells import clean_cell, clean_grid
from extractors.pdf.document import (
    PARSED_PAGES_KEPT,
    PdfError,
    PlayaPage,
    is_scanned,
    ocr_available,
    open_pdf,
    run_ocr,
    scratch_dir,
)
from extractors.pdf.emphasis import with_weights
from extractors.pdf.grids import BBox, PdfGrid
from extractors.pdf.objects import CAMELOT_LAPARAMS
from extractors.pdf.prose import PageProse, page_paragraphs
from extractors.pdf.routing import (
    LATTICE,
    NETWORK,
    Route,
    lattice_rejection,
    route_page,
)
from extractors.pdf.stitching import stitch
from extractors.pdf.tabbed import TabText, joined_pages, page_text
from extractors.table import CellProblem

CAMELOT_OPTIONS = {LATTICE: {"flavor": "lattice", "engine": "vector", "split_text": True}, NETWORK: {"flavor": "network"}}


@dataclass(frozen=True)
class Reading:
    """What the PDF path read from one document, before any spec is applied."""

    grids: tuple[PdfGrid, ...]
    text: str
    captions: tuple[tuple[str, str, int], ...]
    problems: tuple[CellProblem, ...]
    routes: tuple[Route, ...]
    page_starts: tuple[tuple[int, int], ...] = ()    # (offset in `text`, page number)


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """camelot warns on every page without a table; those are not news."""
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        previous = logging.root.manager.disable
        logging.disable(logging.WARNING)
        try:
            yield
        finally:
            logging.disable(previous)


def _camelot_layout(page: PlayaPage) -> tuple:
    """What camelot's parsers read of a page, from the page's one parse: as camelot's own
    handler does, a page whose text runs sideways is turned back and parsed again first."""
    layout = page.parse().analysed()
    images, chars, horizontal, vertical = get_image_char_and_text_objects(layout)
    rotation = get_rotation(chars, horizontal, vertical)
    if rotation:
        playa_page = page.playa_page()
        printed = playa_page.rotate          # set_initial_ctm changes it: put back after
        playa_page.set_initial_ctm(playa_page.space, printed + (-90 if rotation == "clockwise" else 90))
        try:
            layout = extract_page(playa_page, LAParams(**CAMELOT_LAPARAMS))
        finally:
            playa_page.set_initial_ctm(playa_page.space, printed)
        images, _, horizontal, vertical = get_image_char_and_text_objects(layout)
    return layout, (layout.bbox[2], layout.bbox[3]), images, horizontal, vertical, rotation


def _camelot_tables(path: Path, pages: list[PlayaPage], method: str) -> list:
    """camelot's tables on the pages, its parser fed each page's parse (camelot's `read_pdf`
    would parse every page again, once per method), in camelot's order."""
    if not pages:
        return []
    options = dict(CAMELOT_OPTIONS[method])
    parser = PARSERS[options.pop("flavor")](**options)
    tables: list = []
    try:
        with _quiet():
            for page in pages:
                layout, dimensions, images, horizontal, vertical, rotation = _camelot_layout(page)
                parser.prepare_page_parse(str(path), layout, dimensions, page.page_number, images, horizontal,
                                          vertical, rotation, layout_kwargs={})
                tables += sorted(parser.extract_tables())
    except PdfError:
        raise
    except Exception as error:  # camelot's parsers raise many kinds on odd pages
        raise PdfError(f"{path.name}: {method} failed ({type(error).__name__}: {error})") from error
    return tables


def _to_grid(table, route: Route, height: float) -> tuple[PdfGrid | None, str | None]:
    """A camelot table as a PdfGrid, or the reason it is no table."""
    raw = table.df.astype(str).values.tolist()
    grid, kept = clean_grid(raw)
    rows, columns = len(grid), len(grid[0]) if grid else 0
    if route.method == LATTICE:
        rejection = lattice_rejection(raw, rows, columns)
        if rejection:
            return None, rejection
    elif rows < 2 or columns < 2:
        return None, f"{rows}×{columns} text block"
    x0, y0, x1, y1 = table._bbox
    bbox: BBox = (round(x0, 1), round(height - y1, 1), round(x1, 1), round(height - y0, 1))
    spans = tuple((round(table.cols[c][0], 1), round(table.cols[c][1], 1)) for c in kept)
    kept_rows = [r for r, row in enumerate(raw) if any(clean_cell(cell) for cell in row)]
    rows_at = tuple((route.page, round(height - table.rows[r][0], 1), round(height - table.rows[r][1], 1), spans)
                    for r in kept_rows)
    return PdfGrid(
        grid=grid, pages=(route.page,), bbox=bbox, method=route.method, reason=route.reason,
        columns=spans, header_rows=header_rows(grid), page_height=height, boxes=((route.page, bbox),),
        parts=table_parts(grid), rows_at=rows_at,
    ), None


def _read_tables(path: Path, routes: dict[int, Route], pages: dict[int, PlayaPage]) -> list[PdfGrid]:
    """Lattice first on ruled pages; pages where it keeps nothing go to network with the reason."""
    grids: list[PdfGrid] = []
    heights = {number: float(page.height) for number, page in pages.items()}
    lattice_pages = [p for p, r in routes.items() if r.method == LATTICE]
    kept_on: set[int] = set()
    refused: dict[int, str] = {}
    for table in _camelot_tables(path, [pages[p] for p in lattice_pages], LATTICE):
        page = int(table.page)
        grid, why = _to_grid(table, routes[page], heights[page])
        if grid:
            grids.append(grid)
            kept_on.add(page)
        else:
            refused.setdefault(page, why or "")
    for page in lattice_pages:
        if page not in kept_on:
            why = refused.get(page, "camelot lattice found no grid")
            routes[page] = Route(page, NETWORK, f"{routes[page].reason}, but {why}")
    network_pages = [p for p, r in routes.items() if r.method == NETWORK]
    for table in _camelot_tables(path, [pages[p] for p in network_pages], NETWORK):
        page = int(table.page)
        grid, _ = _to_grid(table, routes[page], heights[page])
        if grid:
            grids.append(grid)
    return sorted(grids, key=lambda g: (g.pages[0], g.bbox[1], g.bbox[0]))


def _outside(boxes: list[BBox]) -> Callable[[dict], bool]:
    """Whether a page object is anything but a character whose centre falls in one of the boxes."""
    def test(obj: dict) -> bool:
        if obj["object_type"] != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        for x0, top, x1, bottom in boxes:
            if x0 <= cx <= x1 and top <= cy <= bottom:
                return False
        return True
    return test


def _prose_and_captions(page: pdfplumber.page.Page, grids: list[PdfGrid]) -> tuple[list[dict], list[PdfGrid]]:
    """The page's text lines outside its tables, and its grids with their captions found."""
    grids = [with_weights(page, rows_below(page, g)) for g in grids]
    boxes = [g.bbox for g in grids]
    outside = page.filter(_outside(boxes)) if boxes else page
    lines = outside.extract_text_lines(return_chars=False)   # the lines outlive the page: no chars
    return lines, [g.but(caption=find_caption(lines_above(lines, g.bbox)) or find_caption(g.context_lines()[::-1]))
                   for g in grids]


_SCAN_OUTCOMES = {
    "ocr": ("lues par OCR (ocrmypdf), chiffres à vérifier",
            "read through OCR (ocrmypdf), check the figures"),
    "no-ocr": ("non lues ; installer ocrmypdf pour les lire par OCR",
               "not read; install ocrmypdf to read them through OCR"),
    "ocr-empty": ("l'OCR (ocrmypdf) n'y a trouvé aucun texte", "OCR (ocrmypdf) found no text on them"),
}


def _scan_problem(name: str, pages: list[int], outcome: str) -> CellProblem:
    listed = ", ".join(map(str, pages))
    fr, en = _SCAN_OUTCOMES[outcome]
    return CellProblem(document=name, table="", title="", row=None, column=None, text="",
                       reason_fr=f"pages {listed} sans couche texte (scannées) : {fr}",
                       reason_en=f"pages {listed} have no text layer (scanned): {en}",
                       page=pages[0])


def _page_limit(name: str, total: int, max_pages: int) -> list[CellProblem]:
    """The problem of a PDF longer than the pages read, or none."""
    if total <= max_pages:
        return []
    return [CellProblem(
        document=name, table="", title="", row=None, column=None, text="",
        reason_fr=f"seules les {max_pages} premières pages sur {total} ont été lues",
        reason_en=f"only the first {max_pages} of {total} pages were read",
        page=max_pages + 1)]


def read_tab_text(path: Path, *, bold: bool, max_pages: int = 500, ocr: bool = True,
                  ) -> tuple[TabText, tuple[CellProblem, ...]]:
    """The PDF's pages as tab-separated text (see `tabbed`), in one pass, and what could not be read."""
    with open_pdf(path) as pdf:
        problems = _page_limit(path.name, len(pdf.pages), max_pages)
        scanned: list[int] = []
        pages: list[tuple[int, list[str]]] = []
        for page in pdf.pages[:max_pages]:
            if is_scanned(page):
                scanned.append(page.page_number)
            pages.append((page.page_number, page_text(page, bold)))
        if scanned and ocr and ocr_available():
            with scratch_dir() as workdir:
                text, found = read_tab_text(run_ocr(path, workdir), bold=bold, max_pages=max_pages, ocr=False)
            return text, (*problems, _scan_problem(path.name, scanned, "ocr"), *found)
        if scanned:
            problems.append(_scan_problem(path.name, scanned, "no-ocr" if ocr else "ocr-empty"))
    return joined_pages(pages), tuple(problems)


def read_pdf(path: Path, *, max_pages: int = 500, ocr: bool = True) -> Reading:
    """Every table of the PDF as grids, the prose outside them, and what could not be read."""
    with open_pdf(path) as pdf:
        pages = pdf.pages[:max_pages]
        problems = _page_limit(path.name, len(pdf.pages), max_pages)
        scanned: list[int] = []
        routes: dict[int, Route] = {}
        prose: list[PageProse] = []
        captioned: list[PdfGrid] = []
        for start in range(0, len(pages), PARSED_PAGES_KEPT):
            batch = pages[start:start + PARSED_PAGES_KEPT]
            found = [page.page_number for page in batch if is_scanned(page)]
            scanned += found
            if found and ocr and ocr_available():
                # The whole document is read again from its OCR copy: the rest is only looked at
                # for the scanned pages the problem lists.
                scanned += [page.page_number for page in pages[start + PARSED_PAGES_KEPT:] if is_scanned(page)]
                with scratch_dir() as workdir:
                    reading = read_pdf(run_ocr(path, workdir), max_pages=max_pages, ocr=False)
                problems.append(_scan_problem(path.name, scanned, "ocr"))
                return Reading(reading.grids, reading.text, reading.captions,
                               tuple(problems) + reading.problems, reading.routes, reading.page_starts)
            batch_prose, batch_grids = _read_batch(path, batch, set(found), routes)
            prose += batch_prose
            captioned += batch_grids
        if scanned:
            problems.append(_scan_problem(path.name, scanned, "no-ocr" if ocr else "ocr-empty"))
    text, page_starts = page_paragraphs(prose)
    return Reading(tuple(stitch(captioned)), text, captions_in(text), tuple(problems), tuple(routes.values()),
                   page_starts)


def _read_batch(path: Path, batch: Sequence[Page], scanned: set[int], routes: dict[int, Route],
                ) -> tuple[list[PageProse], list[PdfGrid]]:
    """A batch's pages routed (into `routes`), their tables read and captioned, their prose lines:
    every page is still parsed when the prose pass comes back to it, and camelot's tables are
    gone once the batch's grids are made."""
    on_batch = {page.page_number: route_page(page) for page in batch if page.page_number not in scanned}
    grids = _read_tables(path, on_batch, {page.page_number: page for page in batch})
    routes.update(on_batch)
    prose: list[PageProse] = []
    captioned: list[PdfGrid] = []
    for page in batch:
        on_page = [g for g in grids if g.pages[0] == page.page_number]
        lines, with_captions = _prose_and_captions(page, on_page)
        prose.append((page.page_number, lines, [g.bbox for g in with_captions]))
        captioned += with_captions
    return prose, captioned
