"""Great Expectations carries the tables' rules: the suites fail exactly where the report's checks
fail, and the Data Docs, built once per run, open with no network.

The seeds and their specs are run once (text dumps only: their PDF renditions give the same
sets, measured when this was written); the browser test is skipped when Chromium is missing,
as the report's is (`.ci/run` installs it).
"""

from __future__ import annotations

import importlib.util
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

from expectations.data_docs import VENDOR, copy_assets, offline_page, remote_urls
from expectations.suites import SuiteSpec, run_suites, table_frame
from extractors.spec import ColumnSpec
from extractors.table import ExtractedTable, Provenance
from pipeline.run import RunResult, run
from reconcilers.finding import Finding
from reconcilers.rules import TableRule

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ("par-kangaba-karan-noungani-2017.txt", "par.yaml", "itie-mali-plan-actions-2021.txt", "plan.yaml")
RULE_CHECKS = ("sum_total", "row_arithmetic", "percentage")


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> tuple[RunResult, Path]:
    raw = tmp_path_factory.mktemp("raw")
    for name in SEEDS:
        shutil.copy(ROOT / "raw" / name, raw)
    docs = tmp_path_factory.mktemp("out") / "data_docs"
    return run(raw, docs), docs


def _cells(findings: list[Finding]) -> set[tuple[str | None, str, str | None]]:
    return {(loc.table_key, str(loc.row), loc.column) for f in findings for loc in (f.location, *f.evidence)}


def _failing(result: RunResult, document: str) -> tuple[set, set]:
    """(table, row, column) the checks flag on the rules of one table, and those GX flags."""
    mine = [f for f in result.findings if f.document == document and f.status == "fail"]
    checks = [f for f in mine if f.check in RULE_CHECKS and len(f.tables) == 1]
    return {(f.location.table_key, str(f.location.row), f.location.column) for f in checks}, \
        _cells([f for f in mine if f.check == "expectation"])


def test_par_suites_fail_where_the_checks_fail(seeds: tuple[RunResult, Path]) -> None:
    checks, gx = _failing(seeds[0], SEEDS[0])
    assert gx == checks
    assert {("T2", "3", "Surface restante"), ("T5", "3", "Surface restante"),
            ("T2", "TOTAL", "Surface restante"), ("T5", "TOTAL", "Surface restante")} <= gx
    assert {(key, "Imprévus (2%)", "Total (FCFA)") for key in ("T10_cost", "T10_cost_summary")} <= gx


def test_plan_suites_fail_where_the_checks_fail(seeds: tuple[RunResult, Path]) -> None:
    checks, gx = _failing(seeds[0], SEEDS[2])
    assert gx == checks
    assert ("budget", "TOTAL GENERAL", "Budget (MFCFA)") in gx
    assert {("source_totals", "ETAT", "Part annoncée (%)"), ("source_totals", "PGSM/BM", "Part annoncée (%)")} <= gx


def test_every_spec_rule_is_an_expectation_that_can_fail(seeds: tuple[RunResult, Path]) -> None:
    result = seeds[0]
    expectations = [f for f in result.findings if f.check == "expectation"]
    kinds = {f.expected for f in expectations}
    assert {"ExpectRowToEqualSumOfRows", "ExpectColumnValuesToEqualFormula", "ExpectRowShareToMatchStatedRate"} <= kinds
    # the type expectations that could never fail are gone: nothing is negative, linked names pass their threshold
    assert not kinds & {"ExpectColumnValuesToBeBetween"}
    par = next(d for d in result.documents if d.name == SEEDS[0]).reconciliation
    arithmetic = [r for r in par.rules if r.check == "row_arithmetic"]
    assert {r.table for r in arithmetic} == {"T2", "T5", "T6", "T7", "T3", "T9"}
    carried = {f.key for f in expectations if f.document == SEEDS[0] and f.expected == "ExpectColumnValuesToEqualFormula"}
    assert len(carried) == len(arithmetic)


def _table(stated: float, text: str, tolerance: float) -> ExtractedTable:
    columns = (ColumnSpec("total_parcel", "Total parcelle", "area"), ColumnSpec("affected", "Surface affectée", "area"),
               ColumnSpec("remaining", "Surface restante", "area"))
    values = pd.DataFrame({"row": ["1", "2"], "kind": ["item", "item"], "total_parcel": [60000.0, 20000.0],
                           "affected": [6000.0, 1000.0], "remaining": [stated, 19000.0]})
    cells = values.astype(str).assign(remaining=[text, "1,9 ha"])
    tolerances = pd.DataFrame({"total_parcel": [0.0, 0.0], "affected": [0.0, 0.0], "remaining": [tolerance, 0.0]})
    return ExtractedTable("T", Provenance("doc.txt", "Tableau T"), columns, values, cells, tolerances)


@pytest.mark.parametrize(("stated", "text", "tolerance", "status"), [
    (54000.0, "5,4 ha", 500.0, "pass"),     # exact
    (54400.0, "5,44 ha", 50.0, "fail"),     # 5,44 ha stands for 5,435 to 5,445 ha: 5,4 ha is outside
    (54000.0, "5 ha", 5000.0, "pass"),      # wrong as a figure, but "5 ha" stands for 4,5 to 5,5 ha
])
def test_a_relation_holds_within_the_printed_rounding(stated: float, text: str, tolerance: float, status: str) -> None:
    from expectations.suites import rule_expectations
    table = _table(stated, text, tolerance)
    rule = TableRule("T", "row_arithmetic", "remaining", ("total_parcel", "affected"), "total_parcel - affected",
                     "Surface restante = Total parcelle − Surface affectée", "Remaining = Total − Affected")
    frame, rows = table_frame(table)
    [finding] = run_suites([SuiteSpec("t", table, frame, rows, tuple(rule_expectations(table, rule, frame)))], None)
    assert finding.status == status
    assert (finding.location.row, finding.location.text) == (("1", text) if status == "fail" else (None, None))


def test_data_docs_are_built_once_with_a_page_per_suite(seeds: tuple[RunResult, Path]) -> None:
    docs = seeds[1]
    validations = list((docs / "validations").rglob("*.html"))
    suites = {(f.document, f.location.table_key) for f in seeds[0].findings if f.check == "expectation"}
    assert len(validations) == len(list((docs / "expectations").glob("*.html"))) == len(suites) == 13
    index = (docs / "index.html").read_text(encoding="utf-8")
    assert all(page.stem.removeprefix("itie_reconcile-") in index for page in validations)


def test_data_docs_load_nothing_from_the_network(seeds: tuple[RunResult, Path]) -> None:
    docs = seeds[1]
    assert remote_urls(docs) == {}
    for folder in ("jquery", "bootstrap/css", "bootstrap/js", "font-awesome/css", "font-awesome/webfonts",
                   "bootstrap-table", "bootstrap-datepicker"):
        assert any((docs / VENDOR / folder).iterdir()), folder
    page = next((docs / "validations").rglob("*.html"))
    html = page.read_text(encoding="utf-8")
    assert '<script src="../../../../static/vendor/jquery/jquery.min.js"></script>' in html
    assert "integrity=" not in html and "vega" not in html


def test_a_page_drawing_a_chart_keeps_vega(tmp_path: Path) -> None:
    """Only vega goes from pages that draw nothing: a chart's page keeps it (and says so by failing
    the no-network test, rather than showing a blank chart)."""
    tags = '<script src="https://cdn.jsdelivr.net/npm/vega@5"></script><script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>'
    assert offline_page(tags, "") == '<script src="static/vendor/jquery/jquery.min.js"></script>'
    assert "cdn.jsdelivr.net/npm/vega@5" in offline_page(tags + "<script>vegaEmbed('#c', spec)</script>", "")
    copy_assets(tmp_path)
    assert (tmp_path / VENDOR / "font-awesome" / "webfonts" / "fa-solid-900.woff2").is_file()


_spec = importlib.util.spec_from_file_location("screenshot", ROOT / "docs" / "screenshot.py")
assert _spec and _spec.loader
screenshot = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(screenshot)


@pytest.mark.skipif(not (screenshot.CHROMIUM.exists() and screenshot.CHROMEDRIVER.exists()),
                    reason=f"{screenshot.CHROMIUM} or {screenshot.CHROMEDRIVER} missing")
def test_data_docs_open_styled_with_the_network_off(seeds: tuple[RunResult, Path], tmp_path: Path) -> None:
    docs = seeds[1]
    browser = screenshot.open_chromium(tmp_path / "profile", 1280, 1000)
    try:
        browser.set_network_conditions(offline=True, latency=0, download_throughput=0, upload_throughput=0)
        browser.get((docs / "index.html").as_uri())
        rows = "return document.querySelectorAll('.ge-index-page-validation-results-table tbody tr').length"
        deadline = time.monotonic() + 10
        while browser.execute_script(rows) == 0 and time.monotonic() < deadline:
            time.sleep(0.2)
        total = len(list((docs / "validations").rglob("*.html")))
        assert browser.execute_script(rows) == min(total, 10)     # bootstrap-table shows 10 a page
        assert f" {total} " in browser.execute_script("return document.querySelector('.pagination-info').textContent")
        assert "Segoe UI" in browser.execute_script("return getComputedStyle(document.body).fontFamily")  # Bootstrap's
        (ROOT / "outputs").mkdir(exist_ok=True)
        assert browser.save_screenshot(str(ROOT / "outputs" / "data-docs-offline.png"))
        page = next((docs / "validations").rglob("*T2.html"))
        browser.get(page.as_uri())
        assert browser.execute_script("return typeof jQuery.fn.bootstrapTable") == "function"
        assert "Font Awesome" in browser.execute_script(
            "return getComputedStyle(document.querySelector('.fas, .fa'), '::before').fontFamily")
        assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    finally:
        browser.quit()


SHARED = ROOT.parent / "shared" / "corpus"
INFERRED_CHECKS = ("sum_total", "row_arithmetic", "percentage", "cross_footing")


def _inferred_sets(path: Path) -> tuple[set, set, list[Finding]]:
    """(table, row, column) the inferred rules' checks flag on a document read with no spec, and
    those its GX suites flag (a total no rule ties, an `info`, is no rule's verdict)."""
    from expectations.suites import suites_for
    from extractors.readers import ReadOptions, read
    from reconcilers.document import reconcile
    reconciliation = reconcile(read(path, None, ReadOptions()), None, None)
    gx = run_suites(suites_for(reconciliation), None)
    checks = {(f.location.table_key, str(f.location.row), f.location.column) for f in reconciliation.findings
              if f.check in INFERRED_CHECKS and f.status == "fail" and f.severity != "info" and len(f.tables) == 1}
    return checks, _cells([f for f in gx if f.status == "fail"]), gx


def test_inferred_rules_of_the_plan_without_spec_fail_where_their_checks_fail() -> None:
    checks, gx, results = _inferred_sets(ROOT / "raw" / "itie-mali-plan-actions-2021.txt")
    assert gx == checks == {("T9", "ligne 144", "col. 2"), ("T9", "56%", "col. 1"), ("T9", "39%", "col. 1")}
    assert sum(f.expected == "ExpectRowToEqualSumOfRows" and f.status == "pass" for f in results) == 7


@pytest.mark.skipif(not (SHARED / "useiti-2015").is_dir(), reason="../shared/corpus absent")
def test_inferred_rules_of_the_useiti_reconciliation_sheet_fail_where_their_checks_fail() -> None:
    checks, gx, results = _inferred_sets(SHARED / "useiti-2015" / "reconciliation_2015-12-10.xlsx")
    assert gx == checks == {("T2", "Total Revenue", "Corporate Income Tax Company")}
    assert sum(f.expected == "ExpectColumnValuesToEqualRelation" for f in results) == 21   # one per stream relation
