"""A real report with no spec: the 2015 USEITI reconciliation (Appendix C) against its publisher's spreadsheet.

Tables C-1 (three pages, two company names wrapped around vertically centred figures, a header
wrapped over three lines and repeated on each page, thresholds and a legend printed above), C-2
(its TOTAL row printed apart from the rest) and C-13 (negatives in parentheses, one wrapped name)
are read from a copy of their pages; every
(company, stream) record of the spreadsheet must come out on one row, name and both figures.
Skipped when ../shared (the corpus) is absent.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from benchmarks.useiti_records import Record, copy_pages, printed, row_holds
from extractors.pdf import extract_pdf
from extractors.table import ROW_KIND, ExtractedTable

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "useiti-2015"
PDF = CORPUS / "USEITI_extractive-revenue-appendix_2015-12-22.pdf"
XLSX = CORPUS / "reconciliation_2015-12-10.xlsx"

pytestmark = pytest.mark.skipif(not PDF.is_file() or not XLSX.is_file(), reason="../shared corpus absent")


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ExtractedTable]:
    folder = tmp_path_factory.mktemp("useiti")
    copy_pages(PDF, 43, 45, folder / "c1.pdf")          # C-1 runs over pages 43-45
    copy_pages(PDF, 46, 48, folder / "c2.pdf")          # C-2: its TOTAL row stands apart, under the box
    copy_pages(PDF, 73, 73, folder / "c13.pdf")
    found: dict[str, ExtractedTable] = {}
    for name in ("c1.pdf", "c2.pdf", "c13.pdf"):
        for table in extract_pdf(folder / name).tables:
            found[table.provenance.caption.split(":")[0]] = table
    return found


def _records(sheet: str, stream: str) -> list[Record]:
    import openpyxl

    rows = list(openpyxl.load_workbook(XLSX, data_only=True, read_only=True)[sheet].iter_rows(values_only=True))
    header = list(rows[0])
    government, company = header.index(f"{stream} Government"), header.index(f"{stream} Company")
    return [Record(row[0], stream, 0, printed(row[government]), printed(row[company]))
            for row in rows[1:] if row[0] and not str(row[0]).lower().startswith("total") and row[government] is not None]


def _rows(table: ExtractedTable) -> list[list[str]]:
    return table.cells[[c.key for c in table.columns]].astype(str).values.tolist()


@pytest.mark.parametrize(("caption", "sheet", "stream", "count"), [
    ("TABLE C-1", "Data", "Royalties", 45),
    ("TABLE C-2", "Data", "Rents", 45),
    ("TABLE C-13", "Taxes Reconciliation Data", "Corporate Income Tax", 5),
])
def test_every_record_of_the_spreadsheet_is_one_row(tables, caption, sheet, stream, count):
    table = tables[caption]
    records = _records(sheet, stream)
    assert len(records) == count
    missed = [r.company for r in records if not any(row_holds(row, r) for row in _rows(table))]
    assert missed == []
    assert (table.cells[ROW_KIND] == "item").sum() == count        # no split row left over


def test_the_page_around_the_table_is_context_and_the_header_one_label_per_column(tables):
    table = tables["TABLE C-1"]
    assert [c.label for c in table.columns] == [
        "In-Scope Company", "Total Reported by Government Entity", "Total Reported by Company",
        "Variance Amount ($)", "Variance Percentage (%)"]
    assert any("Variance Percentage Threshold: 1%" in line for line in table.context)
    assert any("Variance Floor Threshold: $100,000" in line for line in table.context)
    assert table.provenance.pages == (1, 2, 3)                      # the copy's pages: stitched, headers dropped
    assert "In-Scope Company" not in set(table.cells["row"])


def test_wrapped_names_are_joined_and_the_merge_is_said(tables):
    table = tables["TABLE C-1"]
    row = table.cells.index[table.cells["row"] == "Anadarko Petroleum Corporation"][0]
    assert table.values.loc[row, "c1"] == 384_154_902
    assert table.columns[1].type == "money" and table.columns[1].convention == "en"
    assert any("Anadarko Petroleum Corporation" in merge for merge in table.merges)
    assert any("header: 3 lines" in merge for merge in table.merges)
    source = table.sources.loc[row, "c0"]
    assert source.page == 1 and source.bbox is not None


def test_markers_are_missing_values_and_negatives_read_from_parentheses(tables):
    c1, c13 = tables["TABLE C-1"], tables["TABLE C-13"]
    apache = c1.cells.index[c1.cells["row"] == "Apache Corporation"][0]
    assert c1.cells.loc[apache, "c2"] == "DNP" and math.isnan(c1.values.loc[apache, "c2"])
    assert not c1.problems
    shell = c13.cells.index[c13.cells["row"] == "Shell E&P Company"][0]
    assert c13.values.loc[shell, "c1"] == -66_297_360
    assert c13.values.loc[shell, "c3"] == 6_297_360
    assert c13.values.loc[shell, "c4"] == pytest.approx(9.5)


@pytest.mark.parametrize(("caption", "government", "company"), [
    ("TABLE C-1", 8_103_790_884, 6_390_282_358),
    ("TABLE C-2", 223_167_928, 206_356_029),                       # printed apart from the table's box
])
def test_the_total_row_is_a_row_of_its_table(tables, caption, government, company):
    table = tables[caption]
    [total] = table.values.index[table.values[ROW_KIND] == "total"]
    assert table.cells.loc[total, "row"] == "TOTAL REVENUE"
    assert (table.values.loc[total, "c1"], table.values.loc[total, "c2"]) == (government, company)
