"""Spreadsheets as documents: the real USEITI 2015 workbook and Summary Data CSVs, and workbooks
built here to hold what the reader and the formula checks must find (blocks, notes, merged
headers, a total typed among formulas, a SUM that stops short)."""

from __future__ import annotations

import csv
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.readers import read
from extractors.spreadsheet import extract_spreadsheet, number_text, sniff_delimiter
from extractors.table import ROW_KIND, ROW_LABEL
from extractors.text_document import DocumentError
from reconcilers.document import reconcile
from reconcilers.formulas import check_formulas

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
USEITI = SHARED / "useiti-2015" / "reconciliation_2015-12-10.xlsx"
SUMMARY = SHARED / "eiti-summary-data" / "data" / "declarations"
needs_useiti = pytest.mark.skipif(not USEITI.is_file(), reason="../shared/corpus/useiti-2015 absent")
needs_summary = pytest.mark.skipif(not SUMMARY.is_dir(), reason="../shared/corpus/eiti-summary-data absent")


def _cell(table, label: str, column_label: str) -> tuple[str, object, str]:
    """(text, value, address) of the cell of row `label` under the column labelled `column_label`."""
    key = next(c.key for c in table.columns if c.label == column_label)
    index = table.cells.index[table.cells[ROW_LABEL] == label][0]
    return table.cells.at[index, key], table.values.at[index, key], table.sources.at[index, key].address()


# --- the real USEITI 2015 workbook ---------------------------------------------------------------


@needs_useiti
def test_useiti_workbook_every_sheet_and_block() -> None:
    document = read(USEITI, None)
    tables = {t.provenance.title: t for t in document.tables}
    assert list(tables) == ["Data", "Taxes Reconciliation Data", "Data Dictionary (B7:D19)",
                            "Data Dictionary (B21:D25)", "Data Dictionary (B27:D30)"]
    data = tables["Data"]
    assert data.provenance.sheet == "Data" and data.provenance.area == "A1:AT47"
    assert len(data.columns) == 46
    items = data.cells[data.cells[ROW_KIND] == "item"]
    assert len(items) == 45                                   # the 45 in-scope companies
    assert data.cells[ROW_LABEL].iloc[-1] == "Total Revenue" and data.cells[ROW_KIND].iloc[-1] == "total"
    # the legend under the table is its context, not rows
    assert data.context[0] == "Key" and "Revenue stream collected by the IRS" in data.context
    # the empty pivot-table sheet is said, not skipped silently
    assert [p.sheet for p in document.problems] == ["Pivot Table"]
    dictionary = tables["Data Dictionary (B7:D19)"]
    assert dictionary.context[0] == "Data Dictionary" and dictionary.context[-1] == "Revenue Stream Definitions"
    assert [c.label for c in dictionary.columns] == ["Government Payee", "Revenue Stream", "Description"]


@needs_useiti
def test_useiti_figures_with_their_cells() -> None:
    data = extract_spreadsheet(USEITI).tables[0]
    assert _cell(data, "Anadarko Petroleum Corporation", "Royalties Government") == ("384154902", 384154902.0, "Data!B3")
    text, _, where = _cell(data, "Anadarko Petroleum Corporation", "Royalties Company")
    assert (text, where) == ("382748703", "Data!C3")
    # a percent-formatted cell reads as printed, the stored fraction kept exactly (0.0037 -> 0.37 %)
    assert _cell(data, "Anadarko Petroleum Corporation", "Royalties Variance %")[0] == "0.37%"
    assert _cell(data, "Apache Corporation", "Royalties Company")[0] == "DNP"
    assert _cell(data, "Total Revenue", "Royalties Government")[:2] == ("8103790884", 8103790884.0)
    taxes = extract_spreadsheet(USEITI).tables[1]
    assert _cell(taxes, "Shell E&P Company", "Corporate Income Tax Government") == ("-66297360", -66297360.0,
                                                                                    "Taxes Reconciliation Data!B5")
    # a number typed as text in the publisher's own sheet is noted, with its cell
    notes = [p for p in data.problems if "stored as text" in p.reason_en]
    assert len(notes) == 1 and (notes[0].sheet, notes[0].cell) == ("Data", "AG12") and "4.23%" in notes[0].text


@needs_useiti
def test_useiti_run_locates_findings_by_sheet_and_cell(tmp_path: Path) -> None:
    from pipeline.cli import main

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / USEITI.name).write_bytes(USEITI.read_bytes())
    assert main(["run", str(raw), "--out", str(tmp_path / "out")]) == 0
    results = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    mine = [r for r in results["results"] if r["document"] == USEITI.name]
    noted = [r for r in mine if r["location"].get("cell") == "AG12"]
    assert noted and noted[0]["location"]["sheet"] == "Data" and "page" not in noted[0]["location"]
    # every result on the workbook, whichever check made it, names its sheet, and its cell or block
    assert mine and all(r["location"].get("sheet") for r in mine)
    assert all(r["location"].get("cell") for r in mine if r["location"]["sheet"] != "Pivot Table")
    csv_text = (tmp_path / "out" / "discrepancies.csv").read_text(encoding="utf-8")
    assert ",Data,AG12," in csv_text
    assert "Data!AG12" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")


# --- the real Summary Data CSVs ---------------------------------------------------------------


@needs_summary
def test_summary_data_csv_rows_and_cells() -> None:
    path = SUMMARY / "part4" / "declaration_part4_government_revenues_Afghanistan_2018.csv"
    document = read(path, None)
    assert len(document.tables) == 1 and not document.problems
    table = document.tables[0]
    assert len(table.cells) == 24 and table.columns[4].label == "Revenue value" and table.columns[4].type == "number"
    assert table.values.at[0, "c4"] == 4053388.0
    assert table.sources.at[0, "c4"].address() == "declaration_part4_government_revenues_Afghanistan_2018!E2"
    part1 = read(SUMMARY / "part1" / "declaration_part1_about_Iraq_2017.csv", None).tables[0]
    rate = next(c.key for c in part1.columns if c.label.startswith("Exchange rate used"))
    assert part1.cells.at[0, rate] == "118200.00%"            # the exchange rate typed into a percent cell


# --- workbooks built here ---------------------------------------------------------------------


def _with_cached_values(path: Path, values: dict[str, float | str]) -> None:
    """Write the cached results Excel would have stored beside each formula (openpyxl stores none);
    a text starting with `#` is stored as an error value."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    xml = parts[sheet].decode()
    for cell, value in values.items():
        kind = ' t="e"' if str(value).startswith("#") else ""
        xml, count = re.subn(rf'<c r="{cell}"([^>]*>\s*<f>[^<]*</f>)\s*(?:<v\s*/>|<v></v>)', rf'<c r="{cell}"{kind}\g<1><v>{value}</v>', xml)
        assert count == 1, cell
    parts[sheet] = xml.encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)


def _payments_workbook(path: Path) -> Path:
    """Two blocks side by side: payments (title above, merged header, note under, a typed total
    and a typed figure among formulas, a SUM one row short) and regions (a SUM that is right)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Paiements"
    sheet["A1"] = "Paiements des sociétés minières 2023 (FCFA)"
    sheet.merge_cells("A1:D1")                               # a title merged across the table
    sheet["A2"], sheet["B2"], sheet["D2"] = "Société", "Montants déclarés", "Écart"
    sheet.merge_cells("B2:C2")
    sheet["B3"], sheet["C3"] = "Gouvernement", "Entreprise"
    rows = [("SOMILO", 1200, 1100), ("Resolute", 800, 800), ("B2Gold", 500, 450), ("Randgold", 300, 300), ("Wagner", 100, 90)]
    for r, (name, government, company) in enumerate(rows, start=4):
        sheet[f"A{r}"], sheet[f"B{r}"], sheet[f"C{r}"], sheet[f"D{r}"] = name, government, company, f"=B{r}-C{r}"
    sheet["D6"] = 50                                         # typed where the column computes =B6-C6
    sheet["A9"], sheet["B9"], sheet["C9"], sheet["D9"] = "Total", "=SUM(B4:B8)", "=SUM(C4:C7)", 210
    sheet["A10"] = "Source : déclarations ITIE 2023"
    sheet["F2"], sheet["G2"] = "Région", "Recettes"
    for r, (region, amount) in enumerate([("Kayes", 700), ("Sikasso", 400), ("Koulikoro", 150)], start=3):
        sheet[f"F{r}"], sheet[f"G{r}"] = region, amount
    sheet["F6"], sheet["G6"] = "Total", "=SUM(G3:G5)"
    workbook.save(path)
    _with_cached_values(path, {"D4": 100, "D5": 0, "D7": 0, "D8": 10, "B9": 2900, "C9": 2650, "G6": 1250})
    return path


def test_workbook_blocks_notes_merged_header_and_both_values(tmp_path: Path) -> None:
    document = extract_spreadsheet(_payments_workbook(tmp_path / "paiements.xlsx"))
    payments, regions = document.tables
    assert payments.provenance.title == "Paiements (A2:D9)" and regions.provenance.title == "Paiements (F2:G6)"
    assert payments.context == ("Paiements des sociétés minières 2023 (FCFA)", "Source : déclarations ITIE 2023")
    assert [c.label for c in payments.columns] == ["Société", "Montants déclarés Gouvernement",
                                                  "Montants déclarés Entreprise", "Écart"]
    assert [m for m in payments.merges if "B2:C2" in m] == [m for m in payments.merges if "fusionnée" in m] != []
    assert list(payments.cells[ROW_LABEL]) == ["SOMILO", "Resolute", "B2Gold", "Randgold", "Wagner", "Total"]
    # the cached value and the formula of the same cell
    total = payments.sources.at[5, "c1"]
    assert (total.address(), total.formula, payments.values.at[5, "c1"]) == ("Paiements!B9", "=SUM(B4:B8)", 2900.0)
    assert list(regions.values["c1"]) == [700.0, 400.0, 150.0, 1250.0]


def test_formula_findings(tmp_path: Path) -> None:
    document = extract_spreadsheet(_payments_workbook(tmp_path / "paiements.xlsx"))
    payments, regions = document.tables
    findings = {(f.location.cell, f.status): f for f in check_formulas(payments)}
    assert set(findings) == {("B9", "pass"), ("C9", "fail"), ("D9", "fail"), ("D6", "fail")}
    short = findings[("C9", "fail")]
    assert (short.expected, short.observed, short.severity) == ("C4:C8", "C4:C7", "error")
    assert short.location.sheet == "Paiements" and short.location.text == "=SUM(C4:C7)"
    assert "C8 (90)" in short.message_fr and "C8 (90)" in short.message_en
    typed = findings[("D9", "fail")]
    assert (typed.expected, typed.observed, typed.severity) == (160.0, 210.0, "error")  # 100 + 50 + 0 + 10
    assert "B9 =SUM(B4:B8)" in typed.message_fr
    column = findings[("D6", "fail")]
    assert (column.expected, column.observed, column.severity) == ("=B6-C6", "50", "warning")
    assert [(f.location.cell, f.status) for f in check_formulas(regions)] == [("G6", "pass")]
    # the run's checks include them, under their own name
    checks = [f for f in reconcile(document, None, None).findings if f.check == "formula"]
    assert len(checks) == 5


def test_blank_row_before_the_total_and_spacer_column(tmp_path: Path) -> None:
    """A header, a blank row, the items, a blank row, the total; a blank spacer column: one table."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Recettes"
    sheet["A1"], sheet["B1"], sheet["D1"] = "Flux", "Montant", "Part"
    for r, (flux, amount) in enumerate([("Redevance", 60), ("Taxe", 40)], start=3):
        sheet[f"A{r}"], sheet[f"B{r}"], sheet[f"D{r}"] = flux, amount, f"=B{r}/B$6"
    sheet["A6"], sheet["B6"], sheet["D6"] = "Total", "=SUM(B3:B4)", "=SUM(D3:D4)"
    path = tmp_path / "espaces.xlsx"
    workbook.save(path)
    document = extract_spreadsheet(path)
    assert len(document.tables) == 1
    table = document.tables[0]
    assert table.provenance.area == "A1:D6" and [c.label for c in table.columns] == ["Flux", "Montant", "c2", "Part"]
    assert list(table.cells[ROW_LABEL]) == ["Redevance", "Taxe", "Total"]
    assert [(f.location.cell, f.status) for f in check_formulas(table)] == [("B6", "pass"), ("D6", "pass")]


def test_sum_counting_a_subtotal_twice(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Poste", "Montant"])
    for row in (["Redevances", 10], ["Taxes", 20], ["Sous-total", "=SUM(B2:B3)"], ["Dividendes", 5],
                ["Bonus", 7], ["Total", "=SUM(B2:B6)"]):
        sheet.append(row)
    path = tmp_path / "double.xlsx"
    workbook.save(path)
    document = extract_spreadsheet(path)
    failed = [f for f in check_formulas(document.tables[0]) if f.status == "fail"]
    assert [(f.location.cell, f.expected, f.observed) for f in failed] == [("B7", "B5:B6", "B2:B6")]
    assert "B4" in failed[0].message_en
    # saved by a program, never computed: the formulas' missing results are said
    assert [(p.sheet, p.cell, p.text) for p in document.problems] == [("Sheet", "B4", "B4, B7")]


def test_formula_giving_an_error(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in (["Poste", "Montant", "Part"], ["Redevances", 10, "=B2/B$4"], ["Taxes", 0, "=B3/B$4"],
                ["Total", "=SUM(B2:B3)", ""]):
        sheet.append(row)
    path = tmp_path / "error.xlsx"
    workbook.save(path)
    _with_cached_values(path, {"B4": 10, "C2": 1, "C3": "#DIV/0!"})
    findings = [f for f in check_formulas(extract_spreadsheet(path).tables[0]) if f.status == "fail"]
    assert [(f.location.cell, f.observed, f.location.text) for f in findings] == [("C3", "#DIV/0!", "=B3/B$4")]


def test_no_formula_no_finding(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in (["Poste", "Montant"], ["A", 1], ["B", 2], ["Total", 3]):
        sheet.append(row)
    path = tmp_path / "plain.xlsx"
    workbook.save(path)
    assert check_formulas(extract_spreadsheet(path).tables[0]) == []


# --- CSV, ODS and bad files ---------------------------------------------------------------------


def test_csv_windows_1252_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "déclarations.csv"
    path.write_bytes("Société;Flux;Montant\nSOMILO SA;Redevance minière;1 234 567\n"
                     "Société d'État;Impôt sur les bénéfices;-12 000\n".encode("cp1252"))
    document = read(path, None)
    table = document.tables[0]
    assert [c.label for c in table.columns] == ["Société", "Flux", "Montant"]
    assert list(table.values["c2"]) == [1234567.0, -12000.0]
    assert table.cells.at[1, "c0"] == "Société d'État"
    assert table.sources.at[1, "c2"].address() == "déclarations!C3"
    assert [p.severity for p in document.problems] == ["info"] and "Windows-1252" in document.problems[0].reason_fr


def test_csv_excel_sep_line(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("sep=;\nFlux;Montant\nRedevance;1,5\n", encoding="utf-8")
    table = read(path, None).tables[0]
    assert [c.label for c in table.columns] == ["Flux", "Montant"] and table.values.at[0, "c1"] == 1.5
    assert table.sources.at[0, "c1"].address() == "export!B2"


@pytest.mark.parametrize(("text", "delimiter"), [
    ('a,b,c\n1,"2,5",3\n', ","), ("a;b;c\n1;2,5;3\n", ";"), ("a\tb\n1\t2\n", "\t"), ("a|b\n1|2\n", "|"),
])
def test_delimiter_sniffed(text: str, delimiter: str) -> None:
    assert sniff_delimiter(text) == delimiter


def test_number_text_keeps_the_stored_number() -> None:
    assert number_text(0.0037, percent=True) == "0.37%"
    assert number_text(1e-07) == "0.0000001" and number_text(29672103) == "29672103"
    assert float(number_text(0.1 + 0.2)) == 0.1 + 0.2


def test_ods_read(tmp_path: Path) -> None:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Recettes">'
        '<table:table-row><table:table-cell office:value-type="string"><text:p>Flux</text:p></table:table-cell>'
        '<table:table-cell office:value-type="string"><text:p>Montant</text:p></table:table-cell></table:table-row>'
        '<table:table-row><table:table-cell office:value-type="string"><text:p>Redevance</text:p></table:table-cell>'
        '<table:table-cell office:value-type="float" office:value="1500.5"><text:p>1500,5</text:p></table:table-cell>'
        '</table:table-row><table:table-row><table:table-cell office:value-type="string"><text:p>Taxe</text:p>'
        '</table:table-cell><table:table-cell office:value-type="float" office:value="200"><text:p>200</text:p>'
        '</table:table-cell></table:table-row><table:table-row><table:table-cell office:value-type="string">'
        '<text:p>Total</text:p></table:table-cell><table:table-cell table:formula="of:=SUM([.B2:.B3])" '
        'office:value-type="float" office:value="1700.5"><text:p>1700,5</text:p></table:table-cell></table:table-row>'
        '</table:table></office:spreadsheet></office:body></office:document-content>'
    )
    path = tmp_path / "recettes.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml",
                         '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                         'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                         '<manifest:file-entry manifest:full-path="/" manifest:media-type='
                         '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
                         'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    table = read(path, None).tables[0]
    assert table.provenance.method == "ods" and list(table.values["c1"]) == [1500.5, 200.0, 1700.5]
    assert table.sources.at[0, "c1"].address() == "Recettes!B2"
    # the formula is read from the file's XML, written the spreadsheet way, and checked
    assert table.sources.at[2, "c1"].formula == "=SUM(B2:B3)"
    assert [(f.location.cell, f.status) for f in check_formulas(table)] == [("B4", "pass")]


@pytest.mark.parametrize(("name", "data", "said"), [
    ("broken.xlsx", b"PK\x03\x04 not really a zip", "broken.xlsx: classeur illisible"),
    ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "locked.xlsx: classeur protégé par mot de passe"),
    ("empty.csv", b"", "empty.csv: fichier vide"),
    ("empty.xlsx", b"", "empty.xlsx: fichier vide"),
    ("broken.ods", b"garbage", "broken.ods: classeur illisible"),
])
def test_bad_spreadsheet_is_one_line(tmp_path: Path, name: str, data: bytes, said: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DocumentError) as error:
        read(path, None)
    assert str(error.value).startswith(said) and "\n" not in str(error.value)


def test_sheet_of_lines_only_is_kept(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Chiffres"
    workbook.active.append(["Flux", "Montant"])
    workbook.active.append(["Redevance", 12])
    notes = workbook.create_sheet("Notes")
    notes["B2"], notes["B4"] = "Données collectées par l'Administrateur Indépendant", "Période : 2023"
    hidden = workbook.create_sheet("Masquée")
    hidden.sheet_state = "hidden"
    hidden.append(["a", "b"])
    hidden.append(["x", 1])
    path = tmp_path / "notes.xlsx"
    workbook.save(path)
    document = extract_spreadsheet(path)
    assert [t.provenance.title for t in document.tables] == ["Chiffres", "Notes", "Masquée"]
    lines = document.tables[1]
    assert list(lines.cells["c0"]) == ["Données collectées par l'Administrateur Indépendant", "Période : 2023"]
    assert [source.address() for source in lines.sources["c0"]] == ["Notes!B2", "Notes!B4"]
    assert "hidden sheet" in document.tables[2].provenance.reason


def test_formula_checks_stay_silent_on_legitimate_layouts(tmp_path: Path) -> None:
    """A running balance typed on its first row, a SUBTOTAL over SUBTOTALs, a percentage total:
    nothing to report."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Mois", "Recette", "Cumul"])
    sheet.append(["Janvier", 10, 10])
    for r, month in enumerate(["Février", "Mars", "Avril", "Mai", "Juin", "Juillet"], start=3):
        sheet.append([month, 5 * r, f"=C{r - 1}+B{r}"])
    sheet.append(["Sous-total", "=SUBTOTAL(9,B2:B8)", ""])
    sheet.append(["Août", 7, ""])
    sheet.append(["Total", "=SUBTOTAL(9,B2:B10)", ""])
    path = tmp_path / "cumul.xlsx"
    workbook.save(path)
    findings = check_formulas(extract_spreadsheet(path).tables[0])
    assert [f for f in findings if f.status == "fail"] == []
    assert [(f.location.cell, f.status) for f in findings] == [("B9", "pass")]


@pytest.mark.parametrize(("text", "labels", "rows"), [
    ("Société,Flux,Montant\n", ["Société", "Flux", "Montant"], []),        # a header and nothing declared
    ("Société\nSOMILO\nResolute\n", ["Société"], ["SOMILO", "Resolute"]),  # one column under its heading
])
def test_csv_shapes(tmp_path: Path, text: str, labels: list[str], rows: list[str]) -> None:
    path = tmp_path / "forme.csv"
    path.write_text(text, encoding="utf-8")
    table = read(path, None).tables[0]
    assert [c.label for c in table.columns] == labels and list(table.cells["c0"]) == rows


@pytest.mark.parametrize(("openformula", "excel"), [
    ("of:=SUM([.C2:.C6])", "=SUM(C2:C6)"),
    ("of:=[.B4]-[.C4]", "=B4-C4"),
    ("of:=SUM([$Feuille2.A1:.A3];[.$B$2])", "=SUM(Feuille2!A1:A3,$B$2)"),
])
def test_ods_formula_written_the_spreadsheet_way(openformula: str, excel: str) -> None:
    from extractors.spreadsheet import excel_formula

    assert excel_formula(openformula) == excel


_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéè", min_size=3, max_size=8)
_CELL = st.one_of(st.none(), st.none(), _WORDS, st.integers(-10**9, 10**9),
                  st.floats(allow_nan=False, allow_infinity=False, width=32))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(grid=st.lists(st.lists(_CELL, min_size=1, max_size=6), min_size=1, max_size=8))
def test_nothing_of_a_sheet_is_lost(tmp_path: Path, grid: list[list[object]]) -> None:
    """Whatever the layout, every stored word of a sheet comes out as a cell, a column label or a
    context line, and every stored number as a cell or a label (never dropped, never a crash)."""
    workbook = openpyxl.Workbook()
    for row in grid:
        workbook.active.append(row)
    path = tmp_path / "aleatoire.xlsx"
    workbook.save(path)
    document = extract_spreadsheet(path)
    said = [text for table in document.tables for column in table.columns
            for text in (column.label, *table.cells[column.key])] + [line for t in document.tables for line in t.context]
    stored = openpyxl.load_workbook(path).active            # what the file holds (openpyxl rounds some floats)
    for value in (cell.value for row in stored.iter_rows() for cell in row if cell.value is not None):
        shown = number_text(value) if isinstance(value, int | float) else value
        assert any(shown in text for text in said), shown


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(grid=st.lists(st.lists(st.one_of(st.just(""), _WORDS, st.integers(-10**6, 10**6).map(str)), min_size=1,
                              max_size=6), min_size=1, max_size=8),
       delimiter=st.sampled_from(list(",;\t|")))
def test_nothing_of_a_csv_is_lost(tmp_path: Path, grid: list[list[str]], delimiter: str) -> None:
    path = tmp_path / "aleatoire.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(grid)
    if not any(text for row in grid for text in row):        # blank lines or quoted empty fields only
        try:
            assert read(path, None).tables == ()
        except DocumentError as error:
            assert "fichier vide" in str(error)
        return
    document = read(path, None)
    said = [text for table in document.tables for column in table.columns
            for text in (column.label, *table.cells[column.key])] + [line for t in document.tables for line in t.context]
    for text in (t for row in grid for t in row if t):
        assert any(text in shown for shown in said), text
