"""Entities and prose figures with no spec, on the real USEITI 2015 reconciliation.

The matcher's threshold is held on both sides with the 45 companies' own names; the PDF's table
C-4 (pages 51-53, copied) is linked with the publisher's spreadsheet, where one figure differs;
the appendix's variance sentences are tied to their rows. Skipped when ../shared is absent.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

import pytest

from benchmarks.useiti_records import copy_pages
from extractors.pdf import extract_pdf
from extractors.readers import read
from extractors.spec import ColumnSpec
from extractors.table import ExtractedDocument
from reconcilers.entity_columns import (
    COMPANY_THRESHOLD,
    Source,
    company_ratio,
    entities_across_documents,
    entity_column,
    is_catch_all,
    link_sources,
    link_with_near_misses,
    near_miss_findings,
)
from reconcilers.meaning import interpret_document
from reconcilers.prose_figures import (
    _misquote,
    count_claims,
    promised_explanations,
    prose_figures,
)
from tests.tables import make_table

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "useiti-2015"
PDF = CORPUS / "USEITI_extractive-revenue-appendix_2015-12-22.pdf"
XLSX = CORPUS / "reconciliation_2015-12-10.xlsx"
needs_corpus = pytest.mark.skipif(not PDF.is_file() or not XLSX.is_file(), reason="../shared corpus absent")


@pytest.mark.parametrize(("a", "b"), [
    ("Ultra Resources", "Ultra Resources Inc."),                 # the appendix's prose / its table
    ("Freeport McMoRan Inc.", "Freeport-McMoRan Inc."),
    ("Cimarex Energy", "Cimarex Energy Co."),
    ("NOBLE ENERGY, INC. ", "Noble Energy, Inc."),               # case, trailing space
    ("Shell E&P Company", "Shell E&P"),
    ("Arena Energy, LLC", "Arena Energy"),
    ("Société des Mines de Syama SA", "Societe des Mines de Syama SARL"),
    ("Office of Natural Resources Revenue (ONRR)", "ONRR"),     # an acronym in brackets
    ("Exxon Mobil Corporation", "EXXON MOBIL CORP"),
])
def test_spellings_of_one_company_link(a: str, b: str) -> None:
    assert company_ratio(a, b) >= COMPANY_THRESHOLD


@pytest.mark.parametrize(("a", "b"), [
    ("EOG Resources, Inc.", "QEP Resources, Inc."),              # the closest two USEITI companies: 83
    ("Noble Energy, Inc.", "Stone Energy Corporation"),
    ("Arena Energy, LLC", "Cimarex Energy Co."),
    ("BP America", "BHP Billiton LTD"),
    ("Bureau of Land Management (BLM)", "Bureau of Ocean Energy Management (BOEM)"),
    ("Others", "Autres"),
    ("Academic Skills (WJIII)", "Passage Comprehension (WJIII)"),   # ICDAR us-00x: a shared test name, no acronym
    ("Spelling (WJIII)", "Calculation (WJIII)"),
])
def test_different_companies_stay_apart(a: str, b: str) -> None:
    assert company_ratio(a, b) < COMPANY_THRESHOLD


def test_catch_all_rows_are_not_entities() -> None:
    assert is_catch_all("Others") and is_catch_all("Autres ") and is_catch_all("TOTAL REVENUE")
    assert not is_catch_all("Other Revenue Partners LLC")


@needs_corpus
def test_threshold_separates_the_45_usei_companies() -> None:
    """No two of the spreadsheet's companies reach the threshold (the closest pair scores 83)."""
    document = read(XLSX, None)
    names = [str(n) for n in document.tables[0].cells["c0"] if str(n) != "Total Revenue"]
    assert len(names) == 45
    best = max(company_ratio(a, b) for a, b in itertools.combinations(names, 2))
    assert 80 <= best < COMPANY_THRESHOLD


@pytest.fixture(scope="module")
def appendix_c4(tmp_path_factory: pytest.TempPathFactory) -> ExtractedDocument:
    path = tmp_path_factory.mktemp("useiti") / "c4.pdf"
    copy_pages(PDF, 51, 53, path)                    # C-4 ONRR Other Revenue and its explanations
    return extract_pdf(path)


@needs_corpus
def test_company_column_found_and_linked_with_the_spreadsheet(appendix_c4: ExtractedDocument) -> None:
    sheet = read(XLSX, None)
    pdf_tables = interpret_document(appendix_c4)
    c4 = next(t for t in pdf_tables if t.table.provenance.title.startswith("TABLE C-4"))
    assert entity_column(c4) == "c0"
    sources = [Source("appendix.pdf", pdf_tables), Source("data.xlsx", interpret_document(sheet))]
    wpx = next(e for e in link_sources(sources) if "WPX" in e.canonical)
    assert {m.table.split("\x1f")[0] for m, _ in wpx.mentions} == {"appendix.pdf", "data.xlsx"}

    findings = entities_across_documents(sources)
    differ = [f for f in findings if f.check == "cross_table" and f.severity == "warning"]
    # The appendix prints WPX's Other Revenue company figure 1,214,944; the spreadsheet has 1,214,994,
    # which is the one that agrees with both sheets' government figure 1,183,618 and variance 31,376.
    assert [(f.subject, f.expected, f.observed) for f in differ] == [("WPX Energy, Inc.", 1214944.0, 1214994.0)]
    assert differ[0].location.text == "$1,214,944" and differ[0].location.table.startswith("TABLE C-4")
    assert (differ[0].evidence[0].sheet, differ[0].evidence[0].cell) == ("Data", "O46")
    variance = next(f for f in findings if f.severity == "info" and f.field == "Variance Amount ($)"
                    and "Other Revenue" in f.subject)
    assert variance.status == "pass" and variance.observed == variance.expected >= 30


@needs_corpus
def test_variance_sentences_tied_to_their_rows(appendix_c4: ExtractedDocument) -> None:
    tables = interpret_document(appendix_c4)
    findings = prose_figures(appendix_c4, tables, english=True)
    tied = {(f.subject, f.expected) for f in findings if f.status == "pass"}
    assert ("Exxon Mobil Corporation", 11232000.0) in tied      # "A variance of $11,232,000 was identified for Exxon Mobil"
    assert ("ConocoPhillips", 282504.0) in tied
    assert not [f for f in findings if f.status == "fail"]
    # "Payment transactions totaling $11,232,000": no header word before the figure, nothing said.
    assert all("variance of" in f.message_en for f in findings)


@needs_corpus
def test_a_misquoted_variance_is_flagged_with_the_cell(appendix_c4: ExtractedDocument) -> None:
    altered = replace(appendix_c4, text=appendix_c4.text.replace("variance of $282,504", "variance of $282,904"))
    findings = prose_figures(altered, interpret_document(altered), english=True)
    flagged = [f for f in findings if f.status == "fail"]
    assert [(f.subject, f.expected, f.observed) for f in flagged] == [("ConocoPhillips", 282904.0, 282504.0)]
    assert flagged[0].evidence[0].table.startswith("TABLE C-4") and flagged[0].severity == "warning"


def test_an_explanation_promised_in_a_table_and_missing_from_the_text_is_said() -> None:
    """Rows copied from USEITI C-8 (BLM Permit Fees), with a column of numbered explanations as
    some reports print them; the prose holds Explanation 16 but not Explanation 17."""
    columns = [ColumnSpec("company", "In-Scope Company", "text"), ColumnSpec("variance", "Variance Amount ($)", "money"),
               ColumnSpec("note", "Explanation", "text", optional=True)]
    table = make_table("T1", columns, [
        ("Cimarex Energy Co.", "item", {"company": "Cimarex Energy Co.", "variance": "45537", "note": "Explanation 16"}),
        ("ConocoPhillips", "item", {"company": "ConocoPhillips", "variance": "192200", "note": "Explanation 17"}),
        ("Hess Corporation", "item", {"company": "Hess Corporation", "variance": "0", "note": ""}),
    ], title="TABLE C-8: BLM—Permit Fees Results")
    text = "Explanation 16: A variance of $45,537 was identified for Cimarex Energy for the BLM Permit Fees revenue stream."
    document = ExtractedDocument(name="doc.txt", kind="generic", text=text, tables=(table,))
    findings = promised_explanations(document, interpret_document(document))
    assert [(f.subject, f.location.row) for f in findings] == [("Explanation 17", "ConocoPhillips")]
    tied = prose_figures(document, interpret_document(document), english=True)
    assert [(f.status, f.subject, f.observed) for f in tied] == [("pass", "Cimarex Energy Co.", 45537.0)]


EXECUTIVE = CORPUS / "USEITI_executive-summary_2015-12-22.pdf"


@needs_corpus
def test_counts_in_the_executive_summary_tied_to_what_they_count(
        appendix_c4: ExtractedDocument, tmp_path: Path) -> None:
    """Page 104: "Out of the 45 companies invited…" is the spreadsheet's 45 names; "17 discrepancies
    exceeded the Margin of Variance" needs the whole appendix's 17 explained variances, so with
    table C-4 alone (2 explained) it stays silent rather than flagged."""
    copy_pages(EXECUTIVE, 104, 104, tmp_path / "p104.pdf")
    summary = extract_pdf(tmp_path / "p104.pdf")
    sheet = read(XLSX, None)
    sources = [Source(name, interpret_document(d), d)
               for name, d in (("summary.pdf", summary), ("appendix.pdf", appendix_c4), ("data.xlsx", sheet))]
    findings = count_claims(sources)
    assert [(f.subject, f.observed, f.status) for f in findings] == [("45 companies", 45, "pass")]
    assert ": 45 names in " in findings[0].message_en


def test_a_near_miss_is_shown_not_linked() -> None:
    """Two tables of USEITI rows, the second naming QEP where the first names EOG: the two
    companies (score 83) stay apart and the resemblance is said."""
    columns = [ColumnSpec("company", "In-Scope Company", "text"), ColumnSpec("variance", "Variance Amount ($)", "money")]
    rows = [("EOG Resources, Inc.", "0"), ("Hess Corporation", "34734"), ("Marathon Oil Company", "7966")]
    first = make_table("T1", columns, [(n, "item", {"company": n, "variance": v}) for n, v in rows], title="TABLE C-1")
    rows[0] = ("QEP Resources, Inc.", "0")
    second = make_table("T2", columns, [(n, "item", {"company": n, "variance": v}) for n, v in rows], title="TABLE C-2")
    document = ExtractedDocument(name="doc.txt", kind="generic", text="", tables=(first, second))
    entities, near = link_with_near_misses([Source("doc.txt", interpret_document(document))])
    assert len(entities) == 4
    assert [(m.mention.spelling, m.entity, round(m.score)) for m in near] == [
        ("QEP Resources, Inc.", "EOG Resources, Inc.", 83)]
    said = near_miss_findings(near, "doc.txt")
    assert said[0].severity == "info" and "QEP Resources, Inc." in said[0].message_en


def test_a_figure_far_from_its_cell_is_about_something_else():
    """A misquote is of the cell's size (WPX's variance $31,376 for $31,326); a chart's axis label
    "40%" beside a 2.6 % cell, or a figure beside an empty cell, is no claim about that cell."""
    assert _misquote(31_376, 31_326)
    assert not _misquote(40, 2.6)
    assert not _misquote(7, float("nan"))


def test_a_name_column_may_start_below_the_rows_of_another_block() -> None:
    """The action plan with no spec: Tableau 5's bodies ("Comité de Pilotage", "Commission ad hoc"…)
    start under five rows of another block, so they fill every row from their first to their last;
    Tableau 7's last column (notes filled in 4 of 10 rows) is no name column."""
    plan = Path(__file__).resolve().parents[1] / "raw" / "itie-mali-plan-actions-2021.txt"
    tables = {t.key: t for t in interpret_document(read(plan, None))}
    assert entity_column(tables["T5"]) == "c2"
    assert "Comité de Pilotage" in set(tables["T5"].table.cells["c2"])
    assert entity_column(tables["T7"]) is None
