"""EITI Summary Data declarations: parts recognised, grouped by period, checked across parts.

Figures are those of the real declarations in `../shared/corpus/eiti-summary-data` (skipped when
the corpus is absent); the workbook test rebuilds one country-year as one sheet per part.
"""

from __future__ import annotations

import csv
import json
import math
import shutil
from pathlib import Path

import pytest

from extractors.layer import table_from_grid
from extractors.readers import read
from extractors.source import CellSource, GridCell, SourceGrid
from extractors.table import ExtractedDocument, Provenance
from pipeline.declarations import check_declarations, group, recognised_parts
from reconcilers.summary_data.checks import DeclarationResult
from reconcilers.summary_data.gfs import judge
from reconcilers.summary_data.template import read_date, read_figure, recognise
from reconcilers.summary_data.totals import Materiality, body_score

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "eiti-summary-data" / "data" / "declarations"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared corpus absent")


def _files(*countries: str) -> list[Path]:
    return sorted(p for p in CORPUS.glob("*/*.csv") if any(f"_{c}_" in p.name or p.stem.endswith(f"_{c}")
                                                            for c in countries))


def _check(paths: list[Path], materiality: Materiality = Materiality()) -> dict[str, DeclarationResult]:
    results, loose = check_declarations([read(p, None) for p in paths], materiality)
    assert loose == []
    return {r.declaration.name: r for r in results}


@pytest.fixture(scope="module")
def checked() -> dict[str, DeclarationResult]:
    if not CORPUS.is_dir():
        pytest.skip("../shared corpus absent")
    return _check(_files("Afghanistan", "Albania", "Mozambique", "Iraq", "Philippines", "Dominican Republic"))


def _finding(result: DeclarationResult, check: str, subject: str):
    found = [f for f in result.findings if f.check == check and f.subject == subject]
    assert len(found) == 1, [f.message_en for f in result.findings if f.check == check]
    return found[0]


# --- Parts, grouping, figures as written ------------------------------------------------------------------


def _grid_table(rows: list[list[str]], name: str = "parts.xlsx"):
    grid = SourceGrid(name, "Feuil1", tuple(tuple(GridCell(t, CellSource(sheet="Feuil1", cell=f"{chr(65 + c)}{r + 1}"))
                                                  for c, t in enumerate(row)) for r, row in enumerate(rows)), "xlsx")
    return table_from_grid(grid, "T1", Provenance(document=name, title="Feuil1"), header=1)


FRENCH_PART4 = [
    ["Classification GFS", "Secteur", "Nom du flux de revenus", "Entité gouvernementale", "Valeur des revenus",
     "Devise", "Pays", "Code ISO", "Année", "Date de début", "Date de fin"],
    ["Redevances (1415E1)", "Mines", "Redevance minière", "Direction nationale des Domaines", "1250000",
     "XOF", "Mali", "MLI", "2021", "2021-01-01", "2021-12-31"],
    ["Redevances (1415E1)", "Mines", "Redevance minière", "Direction nationale des Domaines", "1250000",
     "XOF", "Mali", "MLI", "2021", "1/1/2021", "12/31/2021"],
]


def test_a_part_is_recognised_by_its_french_labels_and_its_rows_go_by_their_dates():
    table = _grid_table(FRENCH_PART4)
    part = recognise("parts.xlsx", table)
    assert part is not None and part.part == "4"
    declarations, loose = group([part])
    assert loose == [] and [(d.name, str(d.start), str(d.end)) for d in declarations] == [
        ("Mali 2021", "2021-01-01", "2021-12-31")]
    assert recognise("x", _grid_table([["Nom", "Montant"], ["A", "1"]])) is None


def test_duplicate_lines_and_missing_parts_are_said():
    result = check_declarations([ExtractedDocument("parts.xlsx", "generic", "", (_grid_table(FRENCH_PART4),))],
                                Materiality())[0][0]
    duplicate = _finding(result, "duplicate_line", "Redevances (1415E1)")
    assert duplicate.observed == 2 and duplicate.location.cell == "A2" and duplicate.evidence[0].cell == "A3"
    missing = {f.subject for f in result.findings if f.check == "declaration_part" and f.status == "fail"}
    assert {"Part 1 – About", "Part 3b – Reporting government agencies", "Part 5 – Company data"} <= missing
    # a Part 4 agency with no Part 3b entry
    agency = _finding(result, "agency_total", "Direction nationale des Domaines")
    assert agency.status == "fail" and agency.expected == 2_500_000


def test_figures_and_dates_as_the_template_holds_them():
    assert read_figure("1367722942.0").value == 1367722942.0
    assert read_figure("-2,500.5").value == -2500.5
    rate = read_figure("118200.00%")
    assert rate.kind == "percent" and rate.value == 1182.0
    assert read_figure("Not applicable").kind == "text" and math.isnan(read_figure("").value)
    assert str(read_date("2017/12/21")) == "2017-12-21" and str(read_date("12/31/2017")) == "2017-12-31"
    assert str(read_date("2018-01-01")) == "2018-01-01" and read_date("n/a") is None


def test_gfs_codes_come_from_the_data_file():
    assert judge("Royalties (1415E1)").status == "ok"
    assert judge("Licence fees (114521E)").status == "ok"
    assert judge("Redevances (1415E1)").status == "ok"                 # the French label
    mismatch = judge("Royalties (1415E2)")
    assert mismatch.status == "label_mismatch" and mismatch.known.label_en == "Bonuses"
    assert judge("Royalties (9999E)").status == "unknown_code"
    assert judge("Royalties").status == "no_code"


def test_agency_names_match_across_parts():
    assert body_score("Ministerio de Energía y Minas", "Ministerio de Energía y Minas (MEM)") == 100
    assert body_score("Others", "Autres") == 100
    assert body_score("Ministry of Finance (Customs Department)", "Ministry of Finance (Revenue Department)") < 85


# --- The real declarations --------------------------------------------------------------------------------


@needs_corpus
def test_part1_of_a_fiscal_year_goes_with_the_year_its_period_ends(checked):
    afghanistan = checked["Afghanistan 2018"].declaration
    assert (str(afghanistan.start), str(afghanistan.end)) == ("2017-12-21", "2018-12-20")
    assert [p.table.document for p in afghanistan.parts["1"]] == ["declaration_part1_about_Afghanistan_2017.csv"]
    assert sorted(checked) == [
        "Afghanistan 2018", "Afghanistan 2019", "Albania 2017", "Albania 2018", "Dominican Republic 2018",
        "Dominican Republic 2019", "Dominican Republic 2020", "Iraq 2017", "Iraq 2018", "Mozambique 2019",
        "Philippines 2018"]


@needs_corpus
def test_an_agency_whose_total_differs_from_its_part4_lines(checked):
    nepa = _finding(checked["Afghanistan 2018"], "agency_total", "National Environmental Protection Agency")
    assert (nepa.status, nepa.severity, nepa.observed, nepa.expected, nepa.unit) == ("fail", "error", 34000.0, 47000.0, "AFN")
    assert (nepa.location.sheet, nepa.location.cell) == ("declaration_part3b_reporting_govt_agencies_Afghanistan_2018", "D6")
    patos = _finding(checked["Albania 2018"], "agency_total", "Municipality of Patos")
    assert (patos.status, patos.observed, patos.expected) == ("fail", 39139780.0, 236844.0)
    assert patos.difference == pytest.approx(38902936.0)


@needs_corpus
def test_an_agency_that_agrees_is_a_passing_result_naming_it(checked):
    customs = _finding(checked["Afghanistan 2019"], "agency_total", "Ministry of Finance (Customs Department)")
    assert (customs.status, customs.observed, customs.expected) == ("pass", 1367722942.0, 1367722942.0)
    assert "Ministry of Finance (Customs Department)" in customs.message_en
    agencies = {c.subject: c.status for c in checked["Afghanistan 2019"].agencies}
    assert agencies["Ministry of Mines and Petroleum (Revenue Department)"] == "agrees"


@needs_corpus
def test_materiality_is_a_stated_rule():
    loose = _check(_files("Afghanistan_2018", "Afghanistan_2017"), Materiality(margin_pct=50, floor=1000))
    nepa = _finding(loose["Afghanistan 2018"], "agency_total", "National Environmental Protection Agency")
    assert nepa.status == "pass" and "50 % du total" in nepa.message_fr


@needs_corpus
def test_mixed_currencies_are_converted_with_the_part1_rate_and_said(checked):
    enh = _finding(checked["Mozambique 2019"], "agency_total", "Empresa Nacional de Hidrocarbonetos, EP (ENH)")
    # 3 477 636.7 MZN + 50 000 USD at 1 USD = 62.07 MZN
    assert enh.status == "fail" and enh.expected == pytest.approx(3477636.7 + 50000 * 62.07)
    assert enh.observed == pytest.approx(3527636.7)
    assert "sum of the unconverted amounts" in enh.message_en
    currency = [f for f in checked["Mozambique 2019"].findings
                if f.check == "currency" and f.subject == "Part 4 – Government revenues" and f.status == "fail"]
    assert [f.observed for f in currency] == ["USD"] and "62.07" in currency[0].message_en


@needs_corpus
def test_a_rate_typed_as_a_percentage_and_lines_in_another_currency(checked):
    iraq = checked["Iraq 2017"]
    assert iraq.currencies.declared == "IQD" and iraq.currencies.rate == 1182.0
    rate = _finding(iraq, "number_as_text", "Part 1 – About")
    assert rate.observed == "118200.00%" and "1,182" in rate.message_en
    finance = _finding(iraq, "agency_total", "Ministry of Finance")
    assert finance.status == "pass" and finance.unit == "USD" and finance.observed == pytest.approx(6.021644e10, rel=1e-6)
    oil_companies = [f for f in iraq.findings if f.check == "agency_total" and f.subject == "Basra Oil Company"]
    assert oil_companies[0].status == "fail" and oil_companies[0].severity == "info"


@needs_corpus
def test_part4_agencies_absent_from_part3b(checked):
    mgb = _finding(checked["Philippines 2018"], "agency_total", "Mines and Geosciences Bureau (MGB)")
    assert mgb.status == "fail" and mgb.observed is None and mgb.expected == pytest.approx(1187312323.37)


@needs_corpus
def test_an_acronym_in_one_part_only_still_links_the_agency(checked):
    spellings = {s for c in checked["Dominican Republic 2018"].agencies for s in c.spellings if len(c.spellings) > 1}
    assert {"Ministerio de Energía y Minas", "Ministerio de Energía y Minas (MEM)"} <= spellings


@needs_corpus
def test_the_upstream_part5_fault_is_one_finding_per_declaration(checked):
    result = checked["Afghanistan 2019"]
    companies = [f for f in result.findings if f.check == "company_total"]
    assert len(companies) == 1
    systemic = companies[0]
    assert (systemic.status, systemic.severity, systemic.field) == ("fail", "error", "systemic")
    assert "2,619 of the 3,418 Part 5 values are blank" in systemic.message_en
    assert "2 619 des 3 418 valeurs" in systemic.message_fr
    assert systemic.observed == pytest.approx(sum(c.stated for c in result.companies if c.status in
                                                  ("agrees", "differs", "no_lines")))
    assert len(result.companies) > 200 and set(result.systemic) == {"companies", "streams", "classifications"}
    assert [f for f in result.findings if f.check == "stream_total"] == []      # the same finding speaks for streams
    assert "Part 4: of 24 streams compared, 0 agree" in systemic.message_en


# --- The same parts as one workbook -----------------------------------------------------------------------


def _workbook(paths: list[Path], target: Path) -> Path:
    """One sheet per part, numbers stored as numbers (as Excel holds them), text as text."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.remove(book.active)
    for path in paths:
        sheet = book.create_sheet(path.name.split("_")[1])
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                sheet.append([_typed(cell) for cell in row])
    book.save(target)
    return target


def _typed(text: str) -> object:
    figure = read_figure(text)
    return figure.value if figure.kind == "number" and not text.strip().isdigit() else text


def _comparable(result: DeclarationResult) -> set[tuple]:
    def rounded(value: object) -> object:
        return round(value, 2) if isinstance(value, float) else value
    return {(f.check, f.status, f.severity, f.subject, f.field, rounded(f.expected), rounded(f.observed), f.unit)
            for f in result.findings if f.check != "declaration_part" or f.field != "part"}


@needs_corpus
def test_a_workbook_of_the_same_parts_gives_the_same_findings(tmp_path):
    paths = _files("Mozambique")
    from_csv = _check(paths)["Mozambique 2019"]
    workbook = _workbook(paths, tmp_path / "Mozambique_2019.xlsx")
    document = read(workbook, None)
    assert sorted(p.part for p in recognised_parts([document])) == ["1", "3a", "3b", "3c", "4", "5"]
    from_xlsx = _check([workbook])["Mozambique 2019"]
    assert _comparable(from_xlsx) == _comparable(from_csv)
    enh = _finding(from_xlsx, "agency_total", "Empresa Nacional de Hidrocarbonetos, EP (ENH)")
    assert (enh.location.sheet, enh.location.cell) == ("part3b", "D2")


@needs_corpus
def test_the_command_reads_parts_in_subfolders_and_reports_each_declaration(tmp_path):
    from pipeline.cli import main
    raw = tmp_path / "raw"
    for path in _files("Ethiopia"):
        (raw / path.parent.name).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, raw / path.parent.name / path.name)
    assert main(["run", str(raw), "--out", str(tmp_path / "out"), "--materiality-margin", "1"]) == 0
    results = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    agencies = [r for r in results["results"] if r["check"] == "agency_total"]
    assert {r["document"] for r in agencies} == {"Ethiopia 2017"} and len(agencies) == 3
    assert all(r["location"]["sheet"] and r["location"]["cell"] for r in agencies)
    report = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "Déclaration\u00a0: Ethiopia 2017" in report and "1 % du total" in report
    assert "Entités de l’État : total déclaré (partie 3b)" in report
