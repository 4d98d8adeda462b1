"""The PDF path end to end, on small PDFs built by fpdf2 for each case."""

from __future__ import annotations

import math
import os
import stat
from pathlib import Path

import pytest
from test_pdf_build import (
    ROWS,
    encrypted,
    image_only,
    long_table,
    ruled_table,
    unruled_table,
)

from extractors.pdf import PdfError, extract_pdf, read_pdf
from extractors.pdf.routing import LATTICE, NETWORK
from extractors.spec import ColumnSpec, DocumentSpec, TableSpec
from pipeline.extract_command import extract_files


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdfs")
    return {
        "ruled": ruled_table(folder / "ruled.pdf"),
        "unruled": unruled_table(folder / "unruled.pdf"),
        "long": long_table(folder / "long.pdf"),
        "scan": image_only(folder / "scan.pdf", folder),
        "locked": encrypted(folder / "locked.pdf"),
    }


SPEC = DocumentSpec(
    name="test.yaml", kind="par", documents=("*.pdf",),
    tables=(TableSpec(
        key="biens", caption=r"Tableau\s*5\s*:", title="Tableau 5",
        columns=(
            ColumnSpec("nom", "Nom", "name"),
            ColumnSpec("surface", "Surface", "area", unit="m2"),
            ColumnSpec("montant", "Montant", "money", unit="FCFA"),
        ),
    ),),
)


def test_ruled_table_goes_to_lattice_with_caption_and_bbox(pdfs):
    document = extract_pdf(pdfs["ruled"])
    [table] = document.tables
    provenance = table.provenance
    assert provenance.method == LATTICE
    assert "rules" in provenance.reason
    assert provenance.caption.startswith("Tableau 5")
    assert provenance.pages == (1,)
    x0, top, x1, bottom = provenance.bbox
    assert 0 < x0 < x1 and 0 < top < bottom < 842
    assert 0 < provenance.quality <= 1
    assert [c.label for c in table.columns] == ["N°", "Nom", "Surface", "Montant"]


def test_without_spec_numeric_columns_are_parsed_and_text_kept(pdfs):
    table = extract_pdf(pdfs["ruled"]).tables[0]
    assert list(table.values["row"]) == ["1", "2", "3", "4", "5", "TOTAL"]
    assert list(table.values["kind"]) == ["item"] * 5 + ["total"]
    assert table.column("c2").type == "area"
    assert table.values["c2"].iloc[0] == 1200.0
    assert table.cells["c2"].iloc[0] == "1 200 m2"
    assert table.values["c1"].iloc[1] == ROWS[1][1]
    assert table.tolerances["c2"].iloc[0] == 0.5
    assert math.isnan(table.tolerances["c1"].iloc[0])


def test_prose_outside_tables_is_the_document_text(pdfs):
    document = extract_pdf(pdfs["ruled"])
    assert "6 050 m2" in document.text          # the figure quoted in the prose
    assert "Conclusion du chapitre" in document.text
    assert "Bina Coulibaly" not in document.text  # a table cell, not prose
    assert [number for number, _, _ in document.captions] == ["5"]


def test_spec_types_the_matching_table_and_reports_a_bad_cell(tmp_path):
    rows = [*ROWS[:2], ("3", "Cheick Traoré", "huit cents", "95 000")]
    document = extract_pdf(ruled_table(tmp_path / "bad.pdf", rows=rows), SPEC)
    table = document.table("biens")
    assert document.kind == "par"
    assert [c.key for c in table.columns] == ["nom", "surface", "montant"]
    assert list(table.values.columns) == ["row", "kind", "nom", "surface", "montant"]
    assert table.values["surface"].iloc[0] == 1200.0
    assert math.isnan(table.values["surface"].iloc[2])
    [problem] = [p for p in table.problems if p.text]
    assert problem.text == "huit cents" and problem.row == "3" and problem.table == "biens"
    assert problem.reason_fr and problem.reason_en


def test_unruled_table_goes_to_network(pdfs):
    reading = read_pdf(pdfs["unruled"])
    [grid] = reading.grids
    assert grid.method == NETWORK
    assert "no ruled grid" in grid.reason
    assert ["1", "Awa Diarra", "1 200 m2", "150 000"] in grid.grid


def test_table_broken_over_a_page_break_is_stitched_once(pdfs):
    [table] = extract_pdf(pdfs["long"]).tables
    assert table.provenance.pages == (1, 2)
    assert "continued on page 2" in table.provenance.reason
    assert list(table.values["row"]) == [str(n) for n in range(1, 71)]   # header not repeated as a row


def test_scanned_page_is_a_problem_naming_the_ocr_route(pdfs, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    document = extract_pdf(pdfs["scan"])
    [problem] = document.problems
    assert problem.table == "" and problem.row is None and problem.page == 1
    assert "ocrmypdf" in problem.reason_en and "install" in problem.reason_en
    assert document.tables == ()


def test_scanned_pages_are_read_through_ocrmypdf_when_installed(pdfs, tmp_path, monkeypatch):
    # A stand-in ocrmypdf that "recognises" the scan as the ruled table.
    fake = tmp_path / "bin" / "ocrmypdf"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\nfor last; do :; done\ncp "{pdfs["ruled"]}" "$last"\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    document = extract_pdf(pdfs["scan"])
    assert len(document.tables) == 1
    assert any("OCR" in p.reason_en and "check" in p.reason_en for p in document.problems)


def test_encrypted_pdf_raises_one_clear_line(pdfs):
    with pytest.raises(PdfError) as error:
        extract_pdf(pdfs["locked"])
    message = str(error.value)
    assert "locked.pdf" in message and "encrypted" in message and "\n" not in message


def test_pdf_encrypted_without_user_password_is_read(tmp_path):
    document = extract_pdf(encrypted(tmp_path / "owner-only.pdf", user_password=None))
    assert "Confidentiel" in document.text


@pytest.mark.parametrize("cut", [0.5, 0.97])
def test_truncated_pdf_raises(pdfs, tmp_path, cut):
    data = pdfs["ruled"].read_bytes()
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(data[: int(len(data) * cut)])
    with pytest.raises(PdfError, match="broken.pdf"):
        extract_pdf(broken)


def test_not_a_pdf_raises(tmp_path):
    fake = tmp_path / "fake.pdf"
    fake.write_text("just some words")
    with pytest.raises(PdfError, match="not a PDF"):
        extract_pdf(fake)


def test_page_limit_is_reported(pdfs):
    document = extract_pdf(pdfs["long"], max_pages=1)
    assert document.tables[0].provenance.pages == (1,)
    assert any("first 1 of 2 pages" in p.reason_en for p in document.problems)


def test_extract_command_writes_tables_and_goes_on_after_a_bad_file(pdfs, tmp_path, capsys):
    status = extract_files([pdfs["locked"], pdfs["ruled"], tmp_path / "missing.pdf"], tmp_path / "out")
    assert status == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and "locked.pdf" in err[0] and "missing.pdf" in err[1]
    folder = tmp_path / "out" / "ruled.pdf"
    assert (folder / "1.csv").read_text().splitlines()[0] == "N°,Nom,Surface,Montant"
    import json
    [entry] = json.loads((folder / "tables.json").read_text())["tables"]
    assert entry["method"] == LATTICE and entry["pages"] == [1] and entry["caption"].startswith("Tableau 5")
    assert len(entry["bbox"]) == 4 and 0 < entry["quality"] <= 1


def test_extract_command_returns_2_when_nothing_is_readable(pdfs, tmp_path):
    assert extract_files([pdfs["locked"]], tmp_path / "out") == 2


def test_spec_with_other_width_maps_what_it_can_and_says_so(pdfs):
    narrow = TableSpec(key="biens", caption=r"Tableau\s*5", columns=SPEC.tables[0].columns[:2])
    spec = DocumentSpec(name="t.yaml", kind="par", documents=("*.pdf",), tables=(narrow,))
    table = extract_pdf(pdfs["ruled"], spec).table("biens")
    assert [c.key for c in table.columns] == ["nom", "surface"]
    assert table.values["surface"].iloc[0] == 1200.0
    assert any("4 columns in the PDF, the spec describes 3" == p.reason_en for p in table.problems)


def test_table_whose_caption_matches_no_spec_keeps_a_generic_key(pdfs):
    other = TableSpec(key="autre", caption=r"Tableau\s*9\s*:", columns=SPEC.tables[0].columns)
    spec = DocumentSpec(name="t.yaml", kind="par", documents=("*.pdf",), tables=(other,))
    assert [t.key for t in extract_pdf(pdfs["ruled"], spec).tables] == ["T1"]


def test_generic_keys_never_take_a_spec_table_key(pdfs):
    other = TableSpec(key="T1", caption=r"Tableau\s*9\s*:", columns=SPEC.tables[0].columns)
    spec = DocumentSpec(name="t.yaml", kind="par", documents=("*.pdf",), tables=(other,))
    assert [t.key for t in extract_pdf(pdfs["ruled"], spec).tables] == ["PDF-T1"]


def test_reading_page_batches_one_at_a_time_changes_nothing(pdfs, monkeypatch):
    """Long PDFs are read in batches so that memory holds one batch: a table broken over pages
    is still stitched, and routes, prose and captions are the same, when each page is its own batch."""
    from extractors.pdf import reading

    whole = read_pdf(pdfs["long"])
    monkeypatch.setattr(reading, "PARSED_PAGES_KEPT", 1)
    assert len(whole.grids[0].pages) >= 2
    assert read_pdf(pdfs["long"]) == whole
