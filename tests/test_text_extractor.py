"""The text extractor on small flattened tables, and its failure modes."""

from pathlib import Path

import pytest

from extractors.spec import ColumnSpec, DocumentSpec, RowSpec, TableSpec, TotalRowSpec
from extractors.text_document import DocumentError, extract_text_document, read_text

PEOPLE = (
    ColumnSpec("pap", "PAP", "name", entity="pap"),
    ColumnSpec("surface", "Surface", "area", unit="m2"),
    ColumnSpec("rate", "Coût", "money"),
    ColumnSpec("amount", "Montant", "money"),
)


def _extract(tmp_path: Path, text: str, *tables: TableSpec):
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    return extract_text_document(path, DocumentSpec("s.yaml", "test", ("*.txt",), tables))


def test_rows_cut_at_their_numbers_and_ambiguous_figures_read_by_column_magnitude(tmp_path):
    spec = TableSpec("T", r"Tableau\s*6\s*:", columns=PEOPLE, total=TotalRowSpec(label="(?P<amount>{number})"))
    text = ("Voir le Tableau 6 : Compensation N° Nom Surface Coût Total "
            "1 Awa Diarra 4500 200 900 000 2 Seydou Coulibaly 2 250 200 450 000 "
            "3 Fanta Keïta 3000 200 600 000 1 950 000 Tableau 7 : autre")
    [table] = _extract(tmp_path, text, spec).tables
    assert list(table.values["row"]) == ["1", "2", "3", "TOTAL"]
    assert list(table.values["surface"][:3]) == [4500, 2250, 3000]       # not 2 | 250 | 200 450 000
    assert list(table.values["amount"]) == [900_000, 450_000, 600_000, 1_950_000]
    assert table.provenance.caption.startswith("Tableau 6")


def test_group_labels_before_the_number_fill_down(tmp_path):
    columns = (
        ColumnSpec("village", "Village", leading=True, fill_down=True, pattern=r"[A-Z][\w’']+"),
        ColumnSpec("pk", "PK", optional=True, fill_down=True, pattern=r"PK\s*\d+(?:,\d+)?"),
        ColumnSpec("pap", "PAP", "name"),
        ColumnSpec("loss", "Perte", pattern=r"Perte[a-zà-ÿ ,’'-]*?"),
    )
    spec = TableSpec("T", r"Tableau\s*1\s*:", columns=columns, end="Le tableau suivant")
    text = ("Tableau 1 : PAP Villages N° Point PAP Nature Kangaba 1 PK 1,6 Awa Diarra Perte de terre "
            "2 Fanta Keïta Perte de terre Bako 3 PK 12,6 SeydouCoulibaly Perte de terre, manguiers Le tableau suivant")
    [table] = _extract(tmp_path, text, spec).tables
    assert list(table.cells["village"]) == ["Kangaba", "Kangaba", "Bako"]
    assert list(table.cells["pk"]) == ["PK 1,6", "PK 1,6", "PK 12,6"]
    assert list(table.cells["loss"]) == ["Perte de terre", "Perte de terre", "Perte de terre, manguiers"]


def test_a_row_that_fits_no_grammar_is_a_problem_with_its_text(tmp_path):
    spec = TableSpec("T", r"Tableau\s*6\s*:", columns=PEOPLE)
    text = "Tableau 6 : X 1 Awa Diarra 4500 200 900 000 2 Seydou ??? 3 Fanta Keïta 3000 200 600 000"
    document = _extract(tmp_path, text, spec)
    [table] = document.tables
    assert list(table.values["row"]) == ["1", "3"]
    assert any("Seydou ???" in p.text for p in table.problems)


def test_a_cell_that_does_not_parse_is_a_problem_not_a_silent_gap(tmp_path):
    columns = (ColumnSpec("pap", "PAP", "name"), ColumnSpec("surface", "Surface", "area", unit="m2", pattern=r"\S+"))
    spec = TableSpec("T", r"Tableau\s*2\s*:", columns=columns)
    [table] = _extract(tmp_path, "Tableau 2 : 1 Awa Diarra 45O0 2 Fanta Keïta 300", spec).tables
    [problem] = table.problems
    assert (problem.row, problem.column, problem.text) == ("1", "Surface", "45O0")


def test_labelled_rows_found_by_their_labels(tmp_path):
    columns = (ColumnSpec("rate", "Taux", "percent", optional=True, in_label=True), ColumnSpec("amount", "Total", "money"))
    rows = (RowSpec("a", "Compensation des PAP\\s*:"), RowSpec("b", "Imprévus\\s*\\((?P<rate>[\\d,]+\\s*%)\\)"),
            RowSpec("t", "Total general", kind="total", sum_of=("a", "b")))
    spec = TableSpec("C", r"Tableau\s*10\s*:", layout="labelled", columns=columns, rows=rows)
    text = "Tableau 10 : Coût Compensation des PAP : 8140 000F - terre Imprévus (2%) 162 800 xix Total general 8 302 800"
    [table] = _extract(tmp_path, text, spec).tables
    assert list(table.values["amount"]) == [8_140_000, 162_800, 8_302_800]
    assert table.values["rate"][1] == 2


def test_a_missing_caption_is_reported_not_raised(tmp_path):
    spec = TableSpec("T", r"Tableau\s*99\s*:", title="Tableau 99", columns=PEOPLE)
    document = _extract(tmp_path, "rien ici", spec)
    assert document.tables == ()
    assert document.problems[0].reason_en == "table caption not found"


def test_table_of_contents_entries_are_not_captions(tmp_path):
    spec = TableSpec("T", r"Tableau\s*6\s*:", columns=PEOPLE)
    text = "Tableau 6 : Compensation ............ 12 corps Tableau 6 : Compensation 1 Awa Diarra 4500 200 900 000"
    [table] = _extract(tmp_path, text, spec).tables
    assert table.provenance.span[0] > 30


def test_windows_1252_is_read_and_said(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_bytes("Tableau 1 : Keïta".encode("cp1252"))
    text, problems = read_text(path)
    assert "Keïta" in text and "Windows-1252" in problems[0].reason_fr


@pytest.mark.parametrize(("content", "reason"), [(b"", "vide"), (b"\x00\x01\x02binary", "binaire")])
def test_empty_and_binary_files_are_refused_with_one_line(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=reason) as error:
        read_text(path)
    assert "\n" not in str(error.value) and "bad.txt" in str(error.value)
