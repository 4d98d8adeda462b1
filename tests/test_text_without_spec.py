"""A text dump with no spec: tab-separated tables come out typed; flattened ones are reported."""

from pathlib import Path

from extractors.grid import guess_kind, header_rows
from extractors.layer import table_from_grid
from extractors.source import GridCell, SourceGrid
from extractors.table import Provenance
from extractors.text_document import extract_text_document


def test_a_tab_separated_block_is_a_typed_table(tmp_path: Path):
    path = tmp_path / "plan.txt"
    path.write_text(
        "Titre\n\nN°\tActivité\tBudget\n1.1\tAtelier\t<b>1.5</b>\n1.2\tMission\t12\n\tTotal\t13.5\n\nBamako\n",
        encoding="utf-8",
    )
    document = extract_text_document(path, None)
    [table] = document.tables
    assert [c.label for c in table.columns] == ["N°", "Activité", "Budget"]
    assert table.column("c2").type == "number"
    assert list(table.values["c2"]) == [1.5, 12, 13.5]
    assert list(table.values["kind"]) == ["item", "item", "total"]
    assert table.provenance.method == "text-tabs"


def test_a_flattened_table_without_spec_is_named_not_skipped(tmp_path: Path):
    path = tmp_path / "par.txt"
    path.write_text("Texte. Tableau 3 : Compensation pour la perte N° Nom 1 Awa 200", encoding="utf-8")
    document = extract_text_document(path, None)
    assert document.tables == ()
    [problem] = document.problems
    assert problem.title == "Tableau 3" and "spec" in problem.reason_fr


def test_a_number_followed_by_words_is_text_for_typing():
    assert guess_kind(["1.Cadre légal", "2.Gouvernance"]) == "text"
    assert guess_kind(["1 500", "", "2,5"]) == "number"


def test_header_rows_and_generic_rows():
    grid = [["", "2005", "2010"], ["Or", "12", "15"], ["Total", "12", "15"]]
    assert header_rows(grid) == 1
    source = SourceGrid("d.txt", "t", tuple(tuple(GridCell(text) for text in row) for row in grid), "text-tabs")
    table = table_from_grid(source, "T1", Provenance(document="d.txt", title="t"))
    assert [c.label for c in table.columns] == ["c0", "2005", "2010"]
    assert list(zip(table.cells["row"], table.cells["kind"])) == [("Or", "item"), ("Total", "total")]
