"""The grid-to-table layer on small grids: context lines, merged headers, logical rows, typed cells."""

from __future__ import annotations

import math

from extractors.layer import table_from_grid
from extractors.quantity import base_unit
from extractors.source import CellSource, GridCell, SourceGrid
from extractors.tab_blocks import tab_block_tables
from extractors.table import Provenance

# The shape of USEITI 2015 table C-1's first page as camelot network cuts it (p. 43).
PAGE = [
    ["ONRR—Royalties Margin of Variance:", "Abbreviation Key:", "", "", ""],
    ["Variance Percentage Threshold: 1%", "", "DNP: Did Not Participate", "", ""],
    ["Variance Floor Threshold: $100,000", "DNR: Did Not Report", "", "", ""],
    ["TABLE C-1: ONRR—Royalties Results", "", "", "", ""],
    ["", "Total Reported by", "Total Reported by", "Variance", "Variance"],
    ["In-Scope Company", "", "", "", ""],
    ["", "Government Entity", "Company", "Amount ($)", "Percentage (%)"],
    ["Alpha Natural Resources, Inc.", "$29,672,103", "$29,672,103", "$0", "0.00%"],
    ["Anadarko Petroleum", "", "", "", ""],
    ["", "$384,154,902", "$382,748,703", "$1,406,199", "0.37%"],
    ["Corporation", "", "", "", ""],
    ["Apache Corporation", "$438,589,423", "DNP", "N/A", "N/A"],
    ["Cimarex Energy Co.", "($427,025)", "($427,025)", "$0", "0.00%"],
    ["TOTAL REVENUE", "$8,103,790,884", "$6,390,282,358", "", ""],
    ["Source: ONRR, company reporting templates", "", "", "", ""],
]


def _grid(rows: list[list[str]], tops: list[float] | None = None) -> SourceGrid:
    cells = []
    for r, row in enumerate(rows):
        box = (0.0, tops[r], 100.0, tops[r] + 10) if tops else None
        cells.append(tuple(GridCell(text, CellSource(page=43, bbox=box, line=None if tops else r + 1)) for text in row))
    return SourceGrid(document="d.pdf", title="t", rows=tuple(cells), method="test")


def _table(rows, tops=None):
    return table_from_grid(_grid(rows, tops), "T1", Provenance(document="d.pdf", title="t"))


def test_context_header_records_and_notes():
    table = _table(PAGE)
    assert table.context[:1] == ("ONRR—Royalties Margin of Variance: Abbreviation Key:",)
    assert "TABLE C-1: ONRR—Royalties Results" in table.context
    assert table.context[-1] == "Source: ONRR, company reporting templates"
    assert [c.label for c in table.columns][:2] == ["In-Scope Company", "Total Reported by Government Entity"]
    assert list(table.cells["row"]) == ["Alpha Natural Resources, Inc.", "Anadarko Petroleum Corporation",
                                        "Apache Corporation", "Cimarex Energy Co.", "TOTAL REVENUE"]
    assert list(table.cells["kind"]) == ["item"] * 4 + ["total"]
    assert len(table.merges) == 2 and "header: 3 lines" in table.merges[0] and "Anadarko" in table.merges[1]


def test_cells_are_typed_by_one_model_with_the_column_convention():
    table = _table(PAGE)
    assert [c.type for c in table.columns] == ["text", "money", "money", "money", "percent"]
    assert {c.convention for c in table.columns} == {"en"}
    values = table.values.set_index("row")
    assert values.loc["Anadarko Petroleum Corporation", "c2"] == 382_748_703
    assert values.loc["Cimarex Energy Co.", "c1"] == -427_025
    assert math.isnan(values.loc["Apache Corporation", "c2"])
    assert table.columns[1].unit == "$" and table.columns[3].unit == "$"       # from the cells, from the header
    assert base_unit(table.columns[1].type, table.columns[1].unit) == "USD"
    assert not table.problems
    assert table.provenance.quality is not None


def test_a_label_line_below_figures_that_stands_nearer_the_next_row_is_not_joined():
    rows = [["Company", "Amount"], ["Alpha", ""], ["", "$1,000,000"], ["Beta", ""], ["Gamma", "$2,000,000"]]
    near_above = _table(rows, tops=[0, 20, 26, 32, 50])        # "Beta" hugs the figures above it
    near_below = _table(rows, tops=[0, 20, 26, 44, 50])        # "Beta" hugs the row below it
    assert list(near_above.cells["row"]) == ["Alpha Beta", "Gamma"]
    assert list(near_below.cells["row"]) == ["Alpha", "Beta", "Gamma"]


def test_a_table_of_words_keeps_its_rows():
    rows = [["Activité", "Responsable"], ["Axe 1", ""], ["", "Comité"], ["Publier", "Secrétariat"]]
    table = _table(rows)
    assert list(table.cells["row"]) == ["Axe 1", "", "Publier"]
    assert table.merges == ()


def test_figures_that_read_both_ways_follow_the_documents_language():
    """`61,206` is sixty-one thousand in an English report and sixty-one units in a French one: a
    column and table that print nothing telling take the document's convention (the ICDAR reports'
    tables were exported as 61.206 before)."""
    text = ("Table 2 shows the number of householders by sex and the share of them in the survey.\n\n"
            "Characteristic\tNo.\tShare\nMale\t61,206\t2,862\nFemale\t49,486\t2,909\n")
    [english] = tab_block_tables(text, "report.txt")
    assert english.values["c1"].tolist() == [61206.0, 49486.0]
    french = text.replace("Table 2 shows the number of householders by sex and the share of them in the survey.",
                          "Le tableau 2 donne le nombre des ménages par sexe et la part de ceux-ci dans l’enquête.")
    [table] = tab_block_tables(french, "rapport.txt")
    assert table.values["c1"].tolist() == [61.206, 49.486]
