"""Side-by-side panels of one list, on grids shaped as the USEITI 2015 pages print them.

Every character of the grid must end in the stacked table (a cell, a header label or a context
line): `extractors.conservation.account` holds it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.conservation import account, table_pieces
from extractors.layer import table_from_grid
from extractors.pdf import extract_pdf
from extractors.source import CellSource, GridCell, SourceGrid
from extractors.table import ExtractedTable, Provenance
from reconcilers.document import reconcile

# Table C-12 of the appendix (p. 72) as camelot's network parser cuts it: the right panel's header
# is the grid's header; the left panel, lower on the page under its own caption, is squeezed into
# one column ("name figure").
C12 = [
    ["IRS—Federal Corporate", "In-Scope Company", "Total Reported by Company"],
    ["Income Tax Reporting Results", "EPL Oil & Gas, Inc.", "$196,424"],
    ["Abbreviation Key:", "ENI Petroleum", "$19,674"],
    ["TABLE C-12: IRS—Federal Corporate Income Tax Reporting Results", "", ""],
    ["In-Scope Company Total Reported by Company", "Freeport-McMoRan Inc.", "$135,071,332"],
    ["Alpha Natural Resources, Inc. DNR", "Shell E&P Company", "($60,000,000)"],
    ["BP America $85,000,000", "W&T Offshore, Inc.", "$56,125,879"],
    ["Cimarex Energy Co. ($427,025)", "WPX Energy, Inc.", "($27,500,000)"],
    ["Energy XXI DNR", "TOTAL REVENUE", "$188,486,284"],
]

# The executive summary's company list (p. 100): one header over the first column, the list
# continued in the second, the page's prose beside it; "Anadarko Petroleum / Corporation" wraps
# around the single line of "Freeport-McMoRan Inc.".
LIST = [
    ["In-Scope Companies", "", "Basis and Period of Reporting"],
    ["Alpha Natural Resources, Inc.", "Fieldwood Energy LLC", ""],
    ["Anadarko Petroleum", "", ""],
    ["", "Freeport-McMoRan Inc.", ""],
    ["Corporation", "", "The period of the reconciliation was CY 2013"],
    ["ANKOR Energy LLC", "Hess Corporation", ""],
    ["Apache Corporation", "Linn Energy, LLC", "(January 1, 2013 through"],
    ["", "LLOG Exploration", ""],
    ["Arch Coal, Inc.", "", "December 31, 2013)."],
    ["", "Company LLC", ""],
    ["Arena Energy, LLC", "Marathon Oil Company", ""],
    ["BHP Billiton LTD", "Noble Energy, Inc.", ""],
]


def _table(rows: list[list[str]]) -> ExtractedTable:
    grid = SourceGrid(document="d.pdf", title="T1", method="test",
                      rows=tuple(tuple(GridCell(text, CellSource(page=1)) for text in row) for row in rows))
    return table_from_grid(grid, "T1", Provenance(document="d.pdf", title="T1"))


def _lost(rows: list[list[str]], table: ExtractedTable) -> int:
    """Characters of the grid that no cell, header label or context line of the table holds."""
    span = "\n".join(" ".join(row) for row in rows)
    pieces = [*table_pieces(table), *(column.label for column in table.columns)]
    return account(span, pieces).lost_characters


def test_a_squeezed_panel_under_its_own_caption_is_stacked_first() -> None:
    table = _table(C12)
    assert [c.label for c in table.columns] == ["In-Scope Company", "Total Reported by Company"]
    assert [c.type for c in table.columns] == ["text", "money"]
    assert list(table.cells["row"]) == [
        "Alpha Natural Resources, Inc.", "BP America", "Cimarex Energy Co.", "Energy XXI", "EPL Oil & Gas, Inc.",
        "ENI Petroleum", "Freeport-McMoRan Inc.", "Shell E&P Company", "W&T Offshore, Inc.", "WPX Energy, Inc.",
        "TOTAL REVENUE"]
    values = table.values.set_index("row")["c1"]
    assert values["BP America"] == 85_000_000 and values["Cimarex Energy Co."] == -427_025
    assert list(table.cells["c1"])[:1] == ["DNR"]
    assert values["TOTAL REVENUE"] == values.drop("TOTAL REVENUE").sum()       # the panels' rows, all of them
    assert table.provenance.title == "TABLE C-12: IRS—Federal Corporate Income Tax Reporting Results"
    assert {"Abbreviation Key:", "In-Scope Company Total Reported by Company"} <= set(table.context)
    assert "2 side-by-side panels (c0, c1-c2)" in table.merges[0] and "in one cell" in table.merges[0]
    assert _lost(C12, table) == 0


def test_a_list_continued_in_the_next_column_is_one_list_and_the_prose_beside_it_context() -> None:
    table = _table(LIST)
    assert [c.label for c in table.columns] == ["In-Scope Companies"]
    assert list(table.cells["c0"]) == [
        "Alpha Natural Resources, Inc.", "Anadarko Petroleum Corporation", "ANKOR Energy LLC", "Apache Corporation",
        "Arch Coal, Inc.", "Arena Energy, LLC", "BHP Billiton LTD", "Fieldwood Energy LLC", "Freeport-McMoRan Inc.",
        "Hess Corporation", "Linn Energy, LLC", "LLOG Exploration Company LLC", "Marathon Oil Company",
        "Noble Energy, Inc."]
    assert table.context[0] == "Basis and Period of Reporting"
    assert "The period of the reconciliation was CY 2013" in table.context
    assert "alphabetical order (13 of 13 neighbours)" in table.merges[0]
    assert "2 label(s) wrapped" in table.merges[1]
    assert _lost(LIST, table) == 0


def test_two_columns_not_in_order_are_two_fields_not_one_list() -> None:
    """A second unlabelled column whose entries do not continue the first's order is a field of
    each record (first names beside surnames), not the list continued."""
    rows = [["Nom", ""], *[[surname, first] for surname, first in [
        ("Coulibaly", "Seydou"), ("Diallo", "Aminata"), ("Keita", "Karamoko"), ("Kanté", "Madou"),
        ("Traoré", "Issa"), ("Sangaré", "Awa"), ("Touré", "Boubacar"), ("Konaté", "Fanta")]]]
    table = _table(rows)
    assert len(table.columns) == 2 and len(table.cells) == 8 and not table.merges


def test_a_repeated_header_over_figures_first_is_no_panel() -> None:
    """"Number | Percent" twice under years printed as context: the first column of a record is
    its label, so columns that start with figures are fields, not panels."""
    rows = [["Number", "Percent", "Number", "Percent"], ["1,200", "12.0", "1,500", "15.0"],
            ["2,300", "23.0", "2,100", "21.0"], ["3,500", "35.0", "3,600", "36.0"]]
    table = _table(rows)
    assert len(table.columns) == 4 and len(table.cells) == 3


def test_a_group_label_carried_over_columns_of_figures_heads_no_panel() -> None:
    """ICDAR us-002 Table 5 (p. 2): "Percent who borrowed" spans "Under-graduate only" and
    "Graduate only", so both columns' merged labels read the same; they hold figures (and a "†"
    for a suppressed estimate, which makes them words to the type guesser), not labels."""
    rows = [["", "Percent who borrowed", "", ""], ["", "Under-", "", ""], ["", "graduate Graduate", "", ""],
            ["Student and institutional characteristics Neither", "only", "only", "Both"],
            ["Total 31.4", "23.7", "17.7", "27.2"], ["Public 4-year 32.6", "23.0", "19.5", "24.9"],
            ["Non-doctorate-granting 34.4", "25.6", "15.9", "24.1"], ["Doctorate-granting 31.7", "21.7", "21.3", "25.2"], ["Private for-profit 27.5", "†", "†", "†"]]
    table = _table(rows)
    assert len(table.columns) == 4 and len(table.cells) == 5
    assert not [m for m in table.merges if "panels" in m]


def test_panels_printed_at_different_heights_are_not_joined() -> None:
    """Two panels whose lines alternate (each record a line, the panels offset by half a line):
    no record is wrapped around the other panel's line."""
    rows = [["Company", "Amount", "Company", "Amount"],
            ["Alpha", "$10", "", ""], ["", "", "Delta", "$40"], ["Beta", "$20", "", ""],
            ["", "", "Epsilon", "$50"], ["Gamma", "$30", "", ""], ["", "", "Zeta", "$60"]]
    table = _table(rows)
    assert list(table.cells["row"]) == ["Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta"]
    assert list(table.values["c1"]) == [10, 20, 30, 40, 50, 60]
    assert _lost(rows, table) == 0


ICDAR = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "icdar2013-us" / "us-035a.pdf"


@pytest.mark.skipif(not ICDAR.is_file(), reason="../shared corpus absent")
def test_three_panels_of_ages_give_one_column_whose_total_is_verified() -> None:
    """ICDAR 2013 us-035a, p. 1: "Age | Total population" printed three times across the page
    (under 1 year to 39, 40 to 79, 80 to 112+ and Total): one list of 113 ages whose sum is the
    printed Total, 226,545,805."""
    document = extract_pdf(ICDAR)
    [table] = [t for t in document.tables if [c.label for c in t.columns] == ["Age", "Total population"]]
    assert len(table.cells) == 114 and table.cells["row"].iloc[0] == "Under 1 year"
    assert list(table.cells["row"].iloc[-2:]) == ["112+ years", "Total"]
    values = table.values.set_index("row")["c1"]
    assert values.drop("Total").sum() == values["Total"] == 226_545_805
    verified = [f for f in reconcile(document, None, None).findings
                if f.check == "sum_total" and f.field == "Total population"]
    assert [(f.status, f.expected) for f in verified] == [("pass", 226_545_805)]
