"""The PDF path's pieces: cell cleaning, header rows, routing, stitching, captions."""

from __future__ import annotations

import pdfplumber
import pytest
from test_pdf_build import ruled_table, unruled_table

from extractors.grid import header_labels, header_rows
from extractors.pdf.captions import find_caption
from extractors.pdf.cells import clean_cell, clean_grid
from extractors.pdf.grids import PdfGrid
from extractors.pdf.routing import LATTICE, NETWORK, lattice_rejection, route_page
from extractors.pdf.stitching import stitch


@pytest.mark.parametrize(("raw", "clean"), [
    ("Surface\nrestante", "Surface restante"),
    ("indemni-\nsation", "indemnisation"),
    ("Sous-\nTotal", "Sous- Total"),            # a capital after the break: a real hyphen
    ("Sous-\ntotal des biens", "Sous-total des biens"),   # a compound keeps its hyphen
    ("  40 700\u00a0m2 \n", "40 700 m2"),
    (None, ""),
])
def test_clean_cell_undoes_line_breaks_and_hyphenation(raw, clean):
    assert clean_cell(raw) == clean


def test_clean_grid_drops_empty_rows_and_columns_and_says_which_columns_stay():
    grid, kept = clean_grid([["a", "", "b"], ["", "", ""], ["c", "", "d\ne"]])
    assert grid == [["a", "b"], ["c", "d e"]]
    assert kept == [0, 2]


def test_header_rows_stop_at_the_first_row_of_figures():
    grid = [["", "2005", "", "2010", ""], ["Category", "Number", "Percent", "Number", "Percent"],
            ["Total", "12", "3.1", "14", "3.5"]]
    assert header_rows(grid) == 2
    assert header_labels(grid, 2) == ["Category", "2005 Number", "2005 Percent", "2010 Number", "2010 Percent"]


def test_a_table_of_words_has_one_header_row():
    assert header_rows([["Activité", "Responsable"], ["Former", "Comité"], ["Publier", "Secrétariat"]]) == 1


def test_a_single_row_has_no_header():
    assert header_rows([["1", "2"]]) == 0


def test_routing_reads_the_rules_of_each_page(tmp_path):
    with pdfplumber.open(ruled_table(tmp_path / "r.pdf")) as pdf:
        ruled = route_page(pdf.pages[0])
    with pdfplumber.open(unruled_table(tmp_path / "u.pdf")) as pdf:
        unruled = route_page(pdf.pages[0])
    assert (ruled.method, unruled.method) == (LATTICE, NETWORK)
    assert "vertical" in ruled.reason and "no ruled grid" in unruled.reason


def test_lattice_grid_that_merged_rows_is_refused():
    merged = [["Age", "Count"], ["1-2\n3-5", "1,087\n2,586"]]
    assert "merges printed rows" in lattice_rejection(merged, 2, 2)
    assert lattice_rejection([["Age", "Count"], ["1-2", "1,087"]], 2, 2) is None
    assert "1×2" in lattice_rejection([["a", "b"]], 1, 2)


def _grid(page: int, rows: list[list[str]], caption: str = "", columns=((10, 50), (50, 90))) -> PdfGrid:
    return PdfGrid(grid=rows, pages=(page,), bbox=(10, 100, 90, 200), method=LATTICE, reason="r",
                   columns=columns, header_rows=1, caption=caption)


def test_repeated_header_joins_and_is_dropped():
    first = _grid(1, [["N°", "Nom"], ["1", "A"]])
    second = _grid(2, [["N°", "Nom"], ["2", "B"]], columns=((300, 320), (320, 400)))
    [joined] = stitch([first, second])
    assert joined.grid == [["N°", "Nom"], ["1", "A"], ["2", "B"]]
    assert joined.pages == (1, 2) and "header repeated" in joined.reason


def test_aligned_columns_join_without_a_header():
    [joined] = stitch([_grid(1, [["N°", "Nom"], ["1", "A"]]), _grid(2, [["2", "B"], ["3", "C"]])])
    assert joined.grid[-1] == ["3", "C"] and "columns line up" in joined.reason


@pytest.mark.parametrize("second", [
    _grid(2, [["N°", "Nom"], ["2", "B"]], caption="Tableau 6 : autre"),   # a caption of its own
    _grid(3, [["N°", "Nom"], ["2", "B"]]),                                # not the next page
    _grid(2, [["2", "B", "x"], ["3", "C", "y"]], columns=((10, 50), (50, 90), (90, 99))),
    _grid(2, [["2", "B"], ["3", "C"]], columns=((200, 250), (250, 300))),  # columns elsewhere
])
def test_separate_tables_stay_separate(second):
    assert len(stitch([_grid(1, [["N°", "Nom"], ["1", "A"]]), second])) == 2


def test_a_continued_caption_and_a_header_wrapped_otherwise_still_join():
    from extractors.grid import table_parts

    head = [["", "Total Reported by", "Variance"], ["In-Scope Company", "", ""], ["", "Government Entity", "Amount ($)"]]
    body = [["Alpha", "$1,000", "$0"], ["Beta", "$2,000", "DNP"], ["Gamma", "$3,000", "$0"]]
    first_rows = [["TABLE C-1: Royalties", "", ""], *head, *body]
    again = [["TABLE C-1: Royalties (continued)", "", ""], *head, *body]
    rewrapped = [["", "Total Reported", "Variance"], ["In-Scope Company", "", ""],
                 ["", "by Government Entity", "Amount ($)"], *body]
    columns = ((10, 50), (50, 90), (90, 130))
    grids = [PdfGrid(grid=rows, pages=(page,), bbox=(10, 100, 130, 200), method=NETWORK, reason="r",
                     columns=columns if page == 1 else ((0, 40), (40, 95), (95, 140)), header_rows=1,
                     caption=caption, parts=table_parts(rows))
             for page, rows, caption in ((1, first_rows, "TABLE C-1: Royalties"),
                                         (2, again, "TABLE C-1: Royalties (continued)"), (3, rewrapped, ""))]
    [joined] = stitch(grids)
    assert [row[0] for row in joined.grid[4:]] == ["Alpha", "Beta", "Gamma"] * 3
    assert "caption continued" in joined.reason and "header repeated" in joined.reason
    assert len(joined.joins) == 2 and "4 caption and header line(s) dropped" in joined.joins[0]


def test_caption_is_the_nearest_caption_line_above():
    assert find_caption(["(en m2)", "Tableau 5 : Biens affectés", "Tableau 4 : autre"]) == "Tableau 5 : Biens affectés"
    assert find_caption(["Le tableau ci-dessous résume"]) == ""


def _line(text: str, top: float, x1: float = 500.0) -> dict:
    return {"text": text, "top": top, "bottom": top + 10, "x0": 50.0, "x1": x1}


def test_prose_knows_the_page_each_passage_stands_on():
    from extractors.pdf.prose import page_paragraphs
    from extractors.table import ExtractedDocument

    pages = [
        (3, [_line("Premier paragraphe, court.", 100, x1=200)], []),
        (4, [_line("Une phrase qui continue", 100), _line("sur la ligne suivante.", 112, x1=200)], []),
    ]
    text, starts = page_paragraphs(pages)
    assert text == "Premier paragraphe, court. Une phrase qui continue sur la ligne suivante."  # one paragraph
    document = ExtractedDocument(name="d.pdf", kind="generic", text=text, page_starts=starts)
    assert document.page_at(text.index("court")) == 3
    assert document.page_at(text.index("suivante")) == 4
    assert ExtractedDocument(name="d.txt", kind="generic", text=text).page_at(5) is None
