"""Checks inferred with no spec, on the real documents: the action plan's text dump, ICDAR 2013
tables and the USEITI 2015 reconciliation (PDF and spreadsheet)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.grid import TOTAL_LABEL, row_kind
from extractors.pdf.emphasis import font_weight
from extractors.readers import read
from extractors.spec import ColumnSpec
from pipeline.report import Anchors, document_view, render_report
from pipeline.run import DocumentRun, RunResult
from reconcilers.document import reconcile
from reconcilers.finding import Finding
from reconcilers.inferred_totals import infer_total_rules
from reconcilers.meaning import interpret, interpret_document
from reconcilers.thresholds import document_margin, read_margin
from tests.tables import make_table

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")


def _inferred(path: Path) -> list[Finding]:
    findings = reconcile(read(path, None), None, None).findings
    return [f for f in findings if f.rule is not None and f.rule.source == "inferred"]


def _one(findings: list[Finding], **fields: object) -> Finding:
    matches = [f for f in findings if all(getattr(f, k) == v for k, v in fields.items())]
    assert len(matches) == 1, (fields, [(f.subject, f.field, f.observed) for f in matches])
    return matches[0]


@pytest.fixture(scope="module")
def plan() -> list[Finding]:
    return _inferred(ROOT / "raw" / "itie-mali-plan-actions-2021.txt")


def test_plan_block_subtotals_verified_with_no_spec(plan: list[Finding]):
    """The bare sub-totals closing each block of the budget half, one block cut by a page break."""
    verified = {round(f.observed, 2): f for f in plan if f.check == "sum_total" and f.status == "pass"}
    for subtotal in (59, 198.79, 61.5, 27.1, 128.2):
        assert subtotal in verified
    assert "14" in verified[198.79].rule.text_fr                     # 4 rows on one page, 10 on the next
    assert {e.table for e in verified[198.79].evidence} == {"Tableau 6 (ligne 93)", "Tableau 7 (ligne 104)"}


def test_plan_total_general_gap_found_with_no_spec(plan: list[Finding]):
    gap = _one(plan, check="sum_total", status="fail")
    assert gap.observed == 513.71 and gap.expected == pytest.approx(474.59)
    assert gap.rule.support.text("fr") == "tirée de 5 sous-totaux vérifiés"


def test_plan_funding_source_shares_checked_with_no_spec(plan: list[Finding]):
    shares = [f for f in plan if f.check == "percentage"]
    assert {(f.subject, f.status) for f in shares} == {("56%", "fail"), ("39%", "fail"), ("1%", "pass"), ("4%", "pass")}
    assert _one(shares, subject="56%").expected == pytest.approx(55.132, abs=1e-3)
    assert _one(shares, subject="56%").rule.as_dict()["support"] == [2, 4]
    sums = {f.field: f for f in plan if f.check == "sum_total" and f.subject == "100%"}
    assert {round(f.observed, 2) for f in sums.values()} == {513.71, 100.0}
    assert all(f.status == "pass" for f in sums.values())


def test_total_grammar_of_the_corpora():
    for label in ("Total", "TOTAL GENERAL", "Total général", "Grand total", "TOTAL REVENUE", "Ensemble", "Totaux"):
        assert row_kind([label]) == "total", label
    for label in ("Sous-total", "Sous Total Axe 3", "sous total", "Subtotal"):
        assert row_kind([label]) == "subtotal", label
    for label in ("Totally", "Ensemble des mines", "All items"):
        assert row_kind([label]) == "item", label
    # The same words, anywhere in a flattened row (one grammar for both readers).
    for text in ("Montant total 12 300", "Sous-total (1) 59", "TOTAUX", "sub-total 4"):
        assert TOTAL_LABEL.search(text), text
    for text in ("totalement", "x-total", "Ensemble des mines"):
        assert not TOTAL_LABEL.search(text), text


@pytest.mark.parametrize(("font", "weight"), [("WESZSG+Lato-Regular", 0), ("GVZFNM+Lato-Bold", 2),
                                              ("OPYBVW+Lato-Black", 3), ("Arial,BoldItalic", 2), ("Helvetica", 0)])
def test_font_weight_from_the_font_name(font, weight):
    assert font_weight(font) == weight


def test_margin_read_from_context_lines():
    margin = read_margin(("ONRR—Royalties Margin of Variance: Abbreviation Key:",
                          "Variance Percentage Threshold: 1% DNP: Did Not Participate",
                          "Variance Floor Threshold: $100,000 DNR: Did Not Report"))
    assert (margin.percent, margin.floor) == (1.0, 100_000.0)
    assert margin.exceeded(1_383_085, 2.38) and not margin.exceeded(1_406_199, 0.37)
    assert read_margin(("seuil de signification de 1 %",)).percent == 1.0
    assert read_margin(("Variance Percentage Threshold: N/A", "Variance Floor Threshold: N/A")).exceeded(5, 5) is False
    stated = read_margin(("Le seuil de signification retenu est de 2 %, avec un seuil plancher de 5 000 000 FCFA",))
    assert (stated.percent, stated.floor) == (2.0, 5_000_000.0)


def test_a_document_stating_two_margins_gives_none_to_its_tables():
    assert document_margin("Le seuil de signification est de 1 % pour les mines.").percent == 1.0
    assert document_margin("Le seuil de signification est de 1 % pour les mines et le seuil de "
                           "signification est de 5 % pour les hydrocarbures.") is None
    assert document_margin("Aucun seuil n'est indiqué.") is None


# A reconciliation table as a national secretariat prints one: a category column (NV, "Écart à
# justifier", "Écart non significatif", a blank) and two rows classified against the margin: a
# blank and an NV on variances over 2 % and over 5 000 000 FCFA.
RECONCILIATION = [
    ["Entreprise", "Montant déclaré par l'État (FCFA)", "Montant déclaré par l'entreprise (FCFA)", "Écart (FCFA)",
     "Écart (%)", "Classification"],
    ["Société minière A", "1 250 000 000", "1 250 000 000", "0", "0,00 %", "NV"],
    ["Société minière B", "980 450 000", "950 000 000", "30 450 000", "3,11 %", "Écart à justifier"],
    ["Société minière C", "45 000 000", "44 900 000", "100 000", "0,22 %", "Écart non significatif"],
    ["Société minière D", "2 300 000 000", "2 240 000 000", "60 000 000", "2,61 %", "Écart à justifier"],
    ["Société minière E", "1 800 000 000", "1 795 000 000", "5 000 000", "0,28 %", "NV"],
    ["Société minière F", "120 000 000", "100 000 000", "20 000 000", "16,67 %", ""],
    ["Société minière G", "15 000 000", "14 000 000", "1 000 000", "6,67 %", "NV"],
    ["Société minière H", "310 000 000", "250 000 000", "60 000 000", "19,35 %", "Écart à justifier"],
    ["Société minière I", "88 000 000", "88 000 000", "0", "0,00 %", "NV"],
    ["Société minière J", "3 400 000 000", "3 300 000 000", "100 000 000", "2,94 %", "NV"],
]


def _classified(findings: list[Finding], where: str) -> None:
    """The variance relations read the way the headers name them, and each row's category checked."""
    relations = {f.rule.text_fr for f in findings if f.check == "row_arithmetic"}
    assert relations == {"Écart (FCFA) = Montant déclaré par l'État (FCFA) − Montant déclaré par l'entreprise (FCFA)",
                         "Écart (%) = Écart (FCFA) / Montant déclaré par l'État (FCFA) × 100"}
    classified = [f for f in findings if f.check == "threshold"]
    assert len(classified) == 10
    assert {(f.subject, f.observed) for f in classified if f.status == "fail"} == {
        ("Société minière F", ""), ("Société minière J", "NV")}
    assert classified[0].rule.text_fr == ("Classification : écart au-delà du seuil si Écart (%) > 2 % "
                                          "et Écart (FCFA) > 5 000 000 FCFA")
    assert classified[0].rule.as_dict()["support"] == [8, 10]
    assert all(where in f.message_fr for f in classified)


def test_category_column_checked_against_the_margin_above_its_table(tmp_path):
    lines = ["Rapprochement des paiements : impôt sur les bénéfices", "Seuil de signification : 2 %",
             "Seuil plancher : 5 000 000 FCFA", ""] + [";".join(row) for row in RECONCILIATION]
    path = tmp_path / "rapprochement.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _classified(_inferred(path), "seuils lus au-dessus du tableau")


def test_margin_stated_in_the_prose_applies_to_a_table_printed_without_one(tmp_path):
    prose = ("Le seuil de signification retenu est de 2 % des montants déclarés par l'État, avec un seuil "
             "plancher de 5 000 000 FCFA : un écart qui dépasse les deux doit être justifié.")
    path = tmp_path / "rapport.txt"
    path.write_text(prose + "\n\n" + "\n".join("\t".join(row) for row in RECONCILIATION) + "\n", encoding="utf-8")
    _classified(_inferred(path), "seuils lus dans le texte du document")


@needs_corpus
def test_icdar_total_gross_loans_verified():
    findings = _inferred(CORPUS / "icdar2013-us" / "us-004.pdf")
    totals = [f for f in findings if f.check == "sum_total" and f.subject == "Total Gross Loans"]
    assert totals and all(f.status == "pass" for f in totals)
    assert 16_604_000 in {f.observed for f in totals}


@needs_corpus
def test_icdar_swapped_totals_flagged():
    """us-024 Table 2 prints 26,196 under 2007 where its rows add up to 26,340 (and the other way round)."""
    failed = [f for f in _inferred(CORPUS / "icdar2013-us" / "us-024.pdf") if f.status == "fail"]
    assert sorted((f.expected, f.observed) for f in failed) == [(26_196, 26_340), (26_340, 26_196)]


@needs_corpus
def test_icdar_total_heading_two_breakdowns_tied_to_each():
    """us-021 Table 2: "Total items" heads two breakdowns of the same 135 items (purposes: 72 + 63;
    processes: 33 + 46 + 38 + 18), so the rows below add up to twice it: it is tied to each."""
    totals = [f for f in _inferred(CORPUS / "icdar2013-us" / "us-021.pdf")
              if f.check == "sum_total" and f.subject == "Total items"]
    assert len(totals) == 12 and all(f.status == "pass" for f in totals)
    number = {f.rule.text_en: f.expected for f in totals if f.field == "Number"}
    assert number == {"Total items = sum of the 2 rows of “Purposes of reading”": 135,
                      "Total items = sum of the 4 rows of “Processes of comprehension”": 135}
    percent = [f for f in totals if f.field == "All items Percent"]
    assert sorted(f.expected for f in percent) == [99, 100]        # 24 + 34 + 28 + 13: four rounded shares


def _notes(name: str) -> list[Finding]:
    findings = reconcile(read(CORPUS / "icdar2013-us" / name, None), None, None).findings
    return [f for f in findings if f.check == "sum_total" and f.severity == "info"]


@needs_corpus
def test_icdar_total_of_rates_said_not_summed():
    """us-019 Table A-2 holds mean absolute percentage errors: its "Total current expenditures" row
    is the error of that statistic, within its rows' range in 8 of 10 columns, never their sum."""
    [note] = _notes("us-019.pdf")
    assert note.subject == "Total current expenditures" and note.observed == 1.3
    assert "within the range of its rows' in 8 of 10 columns" in note.message_en


@needs_corpus
def test_icdar_chart_scale_said_not_summed():
    """us-023 p. 3: a chart's axes read as a table, a legend line "Total years of potential life
    lost" beside the ticks 7,100 and 0.09 (7,400 … 6,700 by 100)."""
    [note] = _notes("us-023.pdf")
    assert note.observed == 7100 and "constant step (100): a chart's scale" in note.message_en


@pytest.fixture(scope="module")
def useiti_pdf() -> list[Finding]:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent")
    return _inferred(CORPUS / "useiti-2015" / "USEITI_extractive-revenue-appendix_2015-12-22.pdf")


def test_useiti_variance_relation_verified_and_broken_row_flagged(useiti_pdf: list[Finding]):
    anadarko = _one(useiti_pdf, check="row_arithmetic", subject="Anadarko Petroleum Corporation",
                    field="Variance Amount ($)", tables=("TABLE C-1: ONRR—Royalties Results",))
    assert anadarko.status == "pass" and anadarko.observed == 1_406_199
    assert anadarko.rule.text_en == "Variance Amount ($) = |Total Reported by Government Entity − Total Reported by Company|"
    wpx = _one(useiti_pdf, check="row_arithmetic", status="fail")
    assert (wpx.subject, wpx.expected, wpx.observed) == ("WPX Energy, Inc.", 31_326, 31_376)


def test_useiti_total_revenue_and_thresholds(useiti_pdf: list[Finding]):
    total = _one(useiti_pdf, check="sum_total", subject="TOTAL REVENUE", field="Total Reported by Government Entity",
                 tables=("TABLE C-1: ONRR—Royalties Results",))
    assert total.status == "pass" and total.observed == 8_103_790_884
    ankor = _one(useiti_pdf, check="threshold", subject="ANKOR Energy LLC", field="Explication",
                 tables=("TABLE C-1: ONRR—Royalties Results",))
    assert ankor.status == "pass" and ankor.expected == "beyond the margin"


def test_useiti_bold_classification_checked_row_by_row(useiti_pdf: list[Finding]):
    """The appendix has no category column: "Variances that exceed the Margin of Variance thresholds
    ... are shown in BOLD" (p. 38). Each variance's weight is read from its font (Lato-Black against
    Lato-Regular) and checked against the thresholds printed above its table."""
    bold = [f for f in useiti_pdf if f.check == "threshold" and f.field == "Caractères gras"]
    assert sum(1 for f in bold if f.observed == "bold") == 16 and all(
        f.status == "pass" for f in bold if f.observed == "bold")
    ankor = _one(bold, subject="ANKOR Energy LLC", tables=("TABLE C-1: ONRR—Royalties Results",))
    assert (ankor.status, ankor.expected, ankor.observed) == ("pass", "beyond the margin", "bold")
    assert ankor.rule.text_en == ("Bold type: variance beyond the threshold when Variance Percentage (%) > 1% "
                                  "and Variance Amount ($) > 100,000 USD")
    # C-1 p. 45: $1,038,592 (1.02 %) is over both thresholds and explained on p. 46, but printed regular.
    [unmarked] = [f for f in bold if f.status == "fail"]
    assert (unmarked.subject, unmarked.observed, unmarked.expected) == ("Ultra Resources Inc.", "not bold",
                                                                         "beyond the margin")
    assert unmarked.location.page == 45     # the row's page: C-1 starts on p. 43
    assert len(bold) == 160


@needs_corpus
def test_useiti_spreadsheet_relations_and_totals():
    findings = _inferred(CORPUS / "useiti-2015" / "reconciliation_2015-12-10.xlsx")
    royalties = [f for f in findings if f.field == "Royalties Variance $"]
    assert royalties and all(f.status == "pass" for f in royalties)
    assert royalties[0].rule.support.holds == royalties[0].rule.support.rows
    income_tax = _one(findings, check="sum_total", status="fail")
    assert (income_tax.subject, income_tax.expected, income_tax.observed) == ("Total Revenue", 90_198_854, 190_383_540)


def test_report_shows_inferred_rules_with_breaking_rows_linked():
    path = ROOT / "raw" / "itie-mali-plan-actions-2021.txt"
    reconciliation = reconcile(read(path, None), None, None)
    run = DocumentRun(path.name, "generic", None, "ok", reconciliation, reconciliation.findings)
    view = document_view(run, "fr", Anchors())
    [share_rule] = [rule for rule in view.rules if "× 100" in rule.text]
    assert share_rule.text.endswith("(déduite, vérifiée sur 2 lignes sur 4)")
    assert [row for row, _ in share_rule.breaking] == ["56%", "39%"]
    page = render_report(RunResult("2026-11-25T00:00:00+00:00", (run,), ()), "fr")
    assert "Règles déduites (sans spec)" in page
    for _, anchor in share_rule.breaking:
        assert f'href="#{anchor}"' in page and f'id="{anchor}"' in page
    english = render_report(RunResult("2026-11-25T00:00:00+00:00", (run,), ()), "en")
    assert "(inferred, holds on 2 of 4 rows)" in english


def test_plan_meaning_roles():
    """The activities' first column numbers the rows (1.1, 1.2, 2.1…) and is never added up; the
    budget blocks cut by page breaks continue one another."""
    tables = interpret_document(read(ROOT / "raw" / "itie-mali-plan-actions-2021.txt", None))
    activities = tables[0]
    assert activities.role_of("c0") == "row_number"
    budget = [t for t in tables if t.previous is not None]
    assert [t.key for t in budget] == ["T7", "T8", "T9"] and budget[0].previous.key == "T6"
    assert "subtotal" not in tables[5].row_roles          # the bare 59 is found by the totals, not by its label


def _total_notes(rows: list[tuple[str, str, dict[str, str]]]) -> list[Finding]:
    columns = [ColumnSpec(f"c{i}", f"Col {i}", "number") for i in range(1, 4)]
    table = make_table("T1", [ColumnSpec("label", "Poste", "text"), *columns], rows)
    _, notes = infer_total_rules(interpret(table))
    return notes


def test_a_row_of_rates_is_said_not_summed_but_a_wrong_sparse_total_is_not_excused():
    rates = [("A", "item", {"c1": "1.2", "c2": "3.4", "c3": "2.0"}), ("B", "item", {"c1": "1.8", "c2": "2.6", "c3": "4.0"}),
             ("C", "item", {"c1": "1.0", "c2": "3.0", "c3": "3.0"}), ("Total", "total", {"c1": "1.5", "c2": "3.1", "c3": "4.5"})]
    [note] = _total_notes(rates)
    assert "rates or means, not their sum" in note.message_en
    # One non-zero row per column: a total printed below it is wrong, not a rate.
    sparse = [("A", "item", {"c1": "0", "c2": "0", "c3": "700"}), ("B", "item", {"c1": "50", "c2": "0", "c3": "0"}),
              ("C", "item", {"c1": "0", "c2": "60", "c3": "0"}), ("Total", "total", {"c1": "40", "c2": "50", "c3": "600"})]
    notes = _total_notes(sparse)
    assert notes and all("matches no block of rows" in n.message_en for n in notes)
