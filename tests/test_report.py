"""The report's view-model and page: grouping, verdicts, French/English, links, escaping, charts."""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd
import pytest

from extractors.frame import RawRow, build_table
from extractors.spec import ColumnSpec
from extractors.table import ExtractedDocument, ExtractedTable, Provenance
from pipeline.report import (
    Anchors,
    document_view,
    render_report,
    show,
    show_difference,
    verdict,
)
from pipeline.run import DocumentRun, RunResult
from reconcilers.cells import cell_location
from reconcilers.document import Reconciliation
from reconcilers.finding import Finding, Location

SCRIPT = "<script>alert(1)</script>"
COLUMNS = (
    ColumnSpec("name", "Nom", "name", entity="pap"),
    ColumnSpec("area", "Surface", "area"),
    ColumnSpec("cost", "Montant", "money"),
)


def make_table(key: str = "T1", title: str = "Tableau 1", first_name: str = "Awa Diarra") -> ExtractedTable:
    rows = [
        RawRow("1", "item", {"name": first_name, "area": "4500", "cost": "900 000"}),
        RawRow("2", "item", {"name": "Bakary Sidibé", "area": "5,5 ha", "cost": "11 000 000"}),
        RawRow("TOTAL", "total", {"name": "", "area": "59 000 m2", "cost": "11 900 000"}),
    ]
    return build_table(key, Provenance("doc.txt", title, pages=(3,), method="text-numbered"), COLUMNS, rows)


def make_finding(check: str = "sum_total", status: str = "fail", severity: str = "error", **fields: object) -> Finding:
    values: dict[str, object] = {
        "document": "doc.txt", "check": check, "status": status, "severity": severity, "subject": "TOTAL",
        "field": "Surface", "message_fr": "message en français", "message_en": "message in English",
    }
    values.update(fields)
    return Finding(**values)  # type: ignore[arg-type]


def total_finding(table: ExtractedTable, status: str = "fail") -> Finding:
    return make_finding(
        status=status, expected=59_500.0, observed=59_000.0 if status == "fail" else 59_500.0, unit="m2",
        tables=(table.provenance.title,), location=cell_location(table, 2, "area"),
        evidence=(cell_location(table, 0, "area"), cell_location(table, 1, "area")),
    )


def make_run(findings: tuple[Finding, ...], tables: tuple[ExtractedTable, ...] = (),
         frames: dict[str, pd.DataFrame] | None = None, name: str = "doc.txt", status: str = "ok") -> DocumentRun:
    document = ExtractedDocument(name, "par", "", tables)
    reconciliation = Reconciliation(document, findings, frames or {}) if status == "ok" else None
    return DocumentRun(name, "par", "par.yaml", status, reconciliation, findings)


def make_result(*runs: DocumentRun) -> RunResult:
    return RunResult("2026-11-24T10:00:00+00:00", runs, tuple(f for r in runs for f in r.findings))


class _Page(HTMLParser):
    """Ids, in-page links and the classes of the element each id names."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.links: list[str] = []
        self.classes: dict[str, str] = {}
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if attributes.get("id"):
            self.ids.append(str(attributes["id"]))
            self.classes[str(attributes["id"])] = attributes.get("class") or ""
        href = attributes.get("href") or ""
        if href.startswith("#"):
            self.links.append(href[1:])


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def test_verdicts() -> None:
    table = make_table()
    assert verdict(make_run((total_finding(table),), (table,))) == ("blocking", "errors")
    assert verdict(make_run((make_finding(severity="warning"),))) == ("review", "warnings")
    assert verdict(make_run((make_finding(severity="info"), total_finding(table, "pass")), (table,))) == ("clean", "clean")
    assert verdict(make_run(())) == ("review", "nothing"), "nothing checked is not clean"
    assert verdict(make_run((), status="unreadable")) == ("blocking", "unreadable")


def test_findings_are_grouped_by_kind_most_severe_group_first() -> None:
    table = make_table()
    run = make_run((make_finding("claim", severity="warning"), total_finding(table), make_finding("claim", severity="error"),
                make_finding("row_arithmetic", status="pass")), (table,))
    view = document_view(run, "fr", Anchors())
    assert [name for name, _ in view.failed] == ["Totaux et sous-totaux", "Chiffres cités dans le texte"]
    claims = dict(view.failed)["Chiffres cités dans le texte"]
    assert [v.finding.severity for v in claims] == ["error", "warning"]
    assert view.counts == {"error": 2, "warning": 1, "info": 0}
    assert view.kinds == [("Totaux et sous-totaux", 1), ("Chiffres cités dans le texte", 2)]
    assert view.passed_count == 1 and [name for name, _ in view.passed] == ["Calculs par ligne"]
    english = document_view(run, "en", Anchors())
    assert [name for name, _ in english.failed] == ["Totals and sub-totals", "Figures quoted in the text"]


@pytest.mark.parametrize(("lang", "money", "area", "small"), [
    ("fr", "16 282 200 FCFA", "40 700 m² (4,07 ha)", "4,5 %"),
    ("en", "16,282,200 FCFA", "40,700 m² (4.07 ha)", "4.5%"),
])
def test_numbers_follow_the_language(lang: str, money: str, area: str, small: str) -> None:
    assert show(16_282_200.0, "FCFA", lang) == money
    assert show(40_700.0, "m2", lang) == area
    assert show(4.5, "%", lang) == small
    assert show(["Kanté", "Kante"], "", lang) == "Kanté, Kante"
    assert show(None, "m2", lang) == "—"


def test_difference_is_signed_and_empty_when_figures_agree() -> None:
    table = make_table()
    assert show_difference(total_finding(table), "fr") == "\u2212500 m²"
    assert show_difference(make_finding(expected=54_000.0, observed=55_500.0, unit="m2"), "en") == "+1,500 m²"
    assert show_difference(total_finding(table, "pass"), "fr") == ""
    assert show_difference(make_finding(expected="a", observed="b"), "fr") == ""


def test_page_is_french_by_default_and_english_on_demand() -> None:
    table = make_table()
    result = make_result(make_run((total_finding(table),), (table,)))
    french = render_report(result)
    assert '<html lang="fr">' in french and "bloquant" in french and "message en français" in french
    assert "−500 m²" in french and "59 500 m² (5,95 ha)" in french
    english = render_report(result, "en")
    assert '<html lang="en">' in english and "blocking" in english and "message in English" in english
    assert "59,500 m² (5.95 ha)" in english
    assert "message en français" not in english and "bloquant" not in english


def test_finding_links_to_its_cell_and_the_cells_it_read_and_back() -> None:
    table = make_table()
    finding = total_finding(table)
    html = render_report(make_result(make_run((finding,), (table,))))
    page = _parse(html)
    view = document_view(make_run((finding,), (table,)), "fr", Anchors())
    (failing,) = dict(view.failed)["Totaux et sous-totaux"]
    total_cell, *read = failing.cells
    assert failing.link == total_cell and len(read) == 2
    assert "flagged" in page.classes[total_cell]
    assert all("read" in page.classes[cell] for cell in read)
    assert failing.anchor in page.links, "the cell links back to the finding"
    assert {total_cell, *read} <= set(page.links)


def test_anchors_are_unique_and_every_link_lands() -> None:
    twin = make_table("T1", "Tableau 1")
    other = make_table("T-1", "Tableau 1 bis")          # slugs to the same id as T1
    repeated = build_table("T2", Provenance("doc.txt", "Tableau 2"), COLUMNS, [
        RawRow("1", "item", {"name": "A", "area": "1", "cost": "1"}),
        RawRow("1", "item", {"name": "B", "area": "2", "cost": "2"}),   # the document numbers two rows 1
    ])
    findings = (total_finding(twin), total_finding(other), make_finding(location=cell_location(repeated, 1, "area")),
                make_finding(check="claim", location=Location(table="Tableau 2", row="max", column="Surface",
                                                          table_key="T2")))
    html = render_report(make_result(make_run(findings, (twin, other, repeated)), make_run(findings, (twin, other, repeated),
                                                                                 name="doc.txt ")))
    page = _parse(html)
    assert len(page.ids) == len(set(page.ids))
    assert set(page.links) <= set(page.ids)


def test_everything_from_the_document_is_escaped() -> None:
    table = make_table(title=f"Tableau {SCRIPT}", first_name=SCRIPT)
    evil = make_finding(subject=SCRIPT, field=SCRIPT, message_fr=SCRIPT, message_en=SCRIPT, expected=SCRIPT,
                    observed=[SCRIPT], location=Location(text=SCRIPT))
    frames = {"entities_pap": pd.DataFrame([
        {"kind": "pap", "entity": SCRIPT, "table": "T1", "title": table.provenance.title, "row": "1",
         "spelling": SCRIPT, "score": 100.0}]),
        "budget_by_source": pd.DataFrame([{"source": SCRIPT, "computed": 1.0, "stated": 2.0, "unit": "MFCFA"}])}
    run = make_run((evil, total_finding(table)), (table,), frames, name=f"{SCRIPT}.txt")
    for lang in ("fr", "en"):
        html = render_report(make_result(run), lang)
        assert "<script" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert html.count("<svg") == 3, "totals, budget and surfaces charts, their text escaped too"
        assert _parse(html).scripts == 0


def test_names_side_by_side_with_scores_and_missing_tables() -> None:
    first, second = make_table("T1", "Tableau 1"), make_table("T2", "Tableau 2", first_name="Awa Diara")
    frame = pd.DataFrame([
        {"kind": "pap", "entity": "Awa Diarra", "table": "T1", "title": "Tableau 1", "row": "1",
         "spelling": "Awa Diarra", "score": 100.0},
        {"kind": "pap", "entity": "Awa Diarra", "table": "T2", "title": "Tableau 2", "row": "1",
         "spelling": "Awa Diara", "score": 94.7},
        {"kind": "pap", "entity": "Bakary Sidibé", "table": "T1", "title": "Tableau 1", "row": "2",
         "spelling": "Bakary Sidibé", "score": 100.0},
    ])
    run = make_run((), (first, second), {"entities_pap": frame})
    (names,) = document_view(run, "fr", Anchors()).names
    assert names.tables == ["Tableau 1", "Tableau 2"]
    (_, awa_cells), (_, bakary_cells) = names.rows
    assert [c.spelling for c in awa_cells if c] == ["Awa Diarra", "Awa Diara"]
    assert awa_cells[1] is not None and awa_cells[1].score == "94,7" and not awa_cells[1].exact
    assert awa_cells[1].link and awa_cells[1].link.startswith("cell-doc-txt-t2-1-nom")
    assert bakary_cells[1] is None
    (english,) = document_view(run, "en", Anchors()).names
    assert english.rows[0][1][1].score == "94.7"  # type: ignore[union-attr]
    assert "absent" in render_report(make_result(run)) and "missing" in render_report(make_result(run), "en")


def test_charts_come_from_findings_frames_and_area_columns() -> None:
    table, twin = make_table("T1"), make_table("T2", "Tableau 2")
    run = make_run((total_finding(table),), (table, twin))
    titles = [c.title for c in document_view(run, "fr", Anchors()).charts]
    assert titles == ["Totaux : valeur imprimée et valeur recalculée", "Surfaces par entité — Tableau 1"], \
        "a table repeating the same surfaces is not drawn again"
    budget = pd.DataFrame([{"source": "Etat", "spellings": "Etat", "lines": 3, "computed": 244.1, "stated": 283.22,
                            "gap": 39.12, "stated_percent": 55.0, "computed_percent": 55.1, "unit": "MFCFA"}])
    charts = document_view(make_run((), (), {"budget_by_source": budget}), "en", Anchors()).charts
    assert [c.title for c in charts] == ["Budget by funding source"]
    assert "283.22 MFCFA" in charts[0].svg and "+39.12 MFCFA" in charts[0].svg
    odd = pd.DataFrame([{"what": "x"}])
    assert document_view(make_run((), (), {"budget_by_source": odd}), "en", Anchors()).charts == []


def test_unreadable_document_and_run_level_findings_are_shown() -> None:
    broken = make_finding("document", subject="scan.pdf", field="", location=Location(text="illisible"),
                      message_fr="scan.pdf : illisible", message_en="scan.pdf: unreadable", document="scan.pdf")
    spec = make_finding("document", severity="warning", document="idle.yaml", message_fr="idle.yaml : aucun document",
                    message_en="idle.yaml: no document")
    result = RunResult("2026-11-24T10:00:00+00:00", (make_run((broken,), name="scan.pdf", status="unreadable"),),
                       (broken, spec))
    html = render_report(result)
    assert "scan.pdf : illisible" in html and "idle.yaml : aucun document" in html and "bloquant" in html
