"""Lists printed as side-by-side panels in the real USEITI 2015 documents, read with no spec.

Table C-12 of the appendix (p. 72: two panels of "In-Scope Company | Total Reported by Company",
the left one lower under its own caption) and the executive summary's list of in-scope companies
(p. 100: one list in two columns beside the page's prose) are each read as one list, so their
names are linked with the appendix's other tables and the publisher's spreadsheet, and C-12's
figures compared with the spreadsheet's. Skipped when ../shared is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.useiti_records import copy_pages
from extractors.conservation import account, table_pieces
from extractors.pdf import extract_pdf, read_pdf
from extractors.readers import read
from extractors.table import ExtractedDocument, ExtractedTable
from reconcilers.entity_columns import (
    Source,
    entities_across_documents,
    entity_column,
    link_sources,
)
from reconcilers.meaning import interpret_document
from reconcilers.prose_figures import count_claims

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "useiti-2015"
APPENDIX = CORPUS / "USEITI_extractive-revenue-appendix_2015-12-22.pdf"
SUMMARY = CORPUS / "USEITI_executive-summary_2015-12-22.pdf"
XLSX = CORPUS / "reconciliation_2015-12-10.xlsx"
pytestmark = pytest.mark.skipif(not (APPENDIX.is_file() and SUMMARY.is_file() and XLSX.is_file()),
                                reason="../shared corpus absent")


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("useiti-panels")
    copied = {"c12": (APPENDIX, 72), "list": (SUMMARY, 100), "streams": (APPENDIX, 28), "forms": (APPENDIX, 36)}
    for name, (pdf, page) in copied.items():
        copy_pages(pdf, page, page + (name == "forms"), folder / f"{name}.pdf")
    return {name: folder / f"{name}.pdf" for name in copied}


@pytest.fixture(scope="module")
def c12(pages: dict[str, Path]) -> ExtractedDocument:
    return extract_pdf(pages["c12"])


@pytest.fixture(scope="module")
def summary(pages: dict[str, Path]) -> ExtractedDocument:
    return extract_pdf(pages["list"])


def _lost(path: Path, table: ExtractedTable) -> int:
    """Characters of the page's grid that no cell, header label or context line of the table holds."""
    [grid] = read_pdf(path).grids
    span = "\n".join(" ".join(row) for row in grid.grid)
    return account(span, [*table_pieces(table), *(c.label for c in table.columns)]).lost_characters


def test_table_c12_is_one_list_of_the_45_companies(c12: ExtractedDocument, pages: dict[str, Path]) -> None:
    [table] = c12.tables
    assert table.provenance.title == "TABLE C-12: IRS—Federal Corporate Income Tax Reporting Results"
    assert [c.label for c in table.columns] == ["In-Scope Company", "Total Reported by Company"]
    names = list(table.cells["row"])
    assert len(names) == 46 and names[0] == "Alpha Natural Resources, Inc." and names[22] == "Exxon Mobil Corporation"
    assert names[-2:] == ["WPX Energy, Inc.", "TOTAL REVENUE"]
    values = table.values.set_index("row")["c1"]
    assert values["BP America"] == 85_000_000 and values["Shell E&P Company"] == -60_000_000
    assert values["Freeport-McMoRan Inc."] == 135_071_332
    assert values.drop("TOTAL REVENUE").sum() == values["TOTAL REVENUE"] == 190_383_540
    assert values.drop("TOTAL REVENUE").notna().sum() == 12          # the others print DNP, DNR or N/A
    assert {"Abbreviation Key:", "DNR: Did Not Report"} <= set(table.context)
    assert _lost(pages["c12"], table) == 0


def test_c12_is_compared_with_the_spreadsheet(c12: ExtractedDocument) -> None:
    """The 12 companies C-12 gives a figure for, against the spreadsheet's income tax column."""
    sources = [Source("appendix.pdf", interpret_document(c12)), Source("data.xlsx", interpret_document(read(XLSX, None)))]
    findings = [f for f in entities_across_documents(sources) if f.check == "cross_table"]
    data = next(f for f in findings if "Corporate Income Tax Company" in f.message_en and "Data" in f.message_en)
    assert (data.status, data.expected, data.observed) == ("pass", 12, 12)
    assert not [f for f in findings if f.severity == "warning"]


def test_the_executive_summary_list_is_linked_with_the_appendix(summary: ExtractedDocument, c12: ExtractedDocument,
                                                                 pages: dict[str, Path]) -> None:
    lists = [t for t in interpret_document(summary) if entity_column(t)]
    [names] = [t for t in lists if t.table.columns[0].label == "In-Scope Companies"]
    printed = list(names.table.cells["c0"])
    # 44 of the 45: "Exxon Mobil Corporation", alone on the list's last line, falls under the box
    # camelot's network parser draws (it is read as prose).
    assert len(printed) == 44 and "Anadarko Petroleum Corporation" in printed
    assert "LLOG Exploration Company LLC" in printed and "Cloud Peak Energy Resources, LLC" in printed
    assert printed[22:24] == ["Fieldwood Energy LLC", "Freeport-McMoRan Inc."]
    assert "Basis and Period of Reporting" in names.table.context
    assert _lost(pages["list"], names.table) == 0
    entities = link_sources([Source("summary.pdf", [names]), Source("appendix.pdf", interpret_document(c12))])
    shared = [e for e in entities if len({m.table.split("\x1f")[0] for m, _ in e.mentions}) == 2]
    assert len(shared) == 44
    assert "Freeport-McMoRan Inc." in {e.canonical for e in shared}          # displayed as printed


def test_lists_of_revenue_streams_and_forms_are_no_name_columns(pages: dict[str, Path]) -> None:
    """Appendix p. 28 (payee, revenue stream wrapped over several lines, description) and pp. 36-37
    (forms, transaction descriptions wrapped): no column of companies, people or agencies."""
    for name in ("streams", "forms"):
        tables = interpret_document(extract_pdf(pages[name]))
        assert tables and [entity_column(t) for t in tables] == [None] * len(tables)


def test_companies_that_reported_counted_in_table_c12(c12: ExtractedDocument, tmp_path: Path) -> None:
    """Executive summary p. 14: "12 companies reported" (corporate income taxes) is C-12's 12 names
    with a figure; its other 33 names print DNP, DNR or N/A. "45 companies" is its names."""
    copy_pages(SUMMARY, 14, 14, tmp_path / "p14.pdf")
    page = extract_pdf(tmp_path / "p14.pdf")
    sources = [Source("summary.pdf", interpret_document(page), page), Source("appendix.pdf", interpret_document(c12))]
    tied = {(f.subject, f.status): f.message_en for f in count_claims(sources)}
    assert set(tied) == {("45 companies", "pass"), ("12 companies", "pass")}
    assert tied[("12 companies", "pass")].endswith("12 names with a figure in appendix.pdf TABLE C-12: IRS—Federal "
                                                   "Corporate Income Tax Reporting Results.")
