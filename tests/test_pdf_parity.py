"""A document read as a PDF must give the findings it gives read as text.

tests/render_pdfs.py renders each text document of raw/ as a PDF, drawn from its text as laid
out and never from the text extractor's tables (ruled portrait tables for the PAR, rows cut at
their printed numbers or labels, a table broken over a page break; for the action plan its own
landscape table, unruled, each page of the dump a page, bold where the dump marks it), so that an
extraction error of either path shows as a difference; both go through the extractor their
format calls for and the same reconciliation, and their findings must be the same multiset of (check, status, severity,
subject, field, expected, observed, unit, tables). Locations may differ: the PDF's are
its real page numbers.
"""

from __future__ import annotations

import importlib.util
import math
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.run import Limits, read_document
from pipeline.specs import load_specs
from reconcilers.document import reconcile
from reconcilers.finding import Finding

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw"
PAR = "par-kangaba-karan-noungani-2017.txt"
PLAN = "itie-mali-plan-actions-2021.txt"


def _renderer():
    spec = importlib.util.spec_from_file_location("render_pdfs", Path(__file__).with_name("render_pdfs.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _plain(value: object) -> object:
    """A value comparable across the two runs: floats to 1e-6, sequences and mappings as tuples."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return None if math.isnan(float(value)) else round(float(value), 6)
    if isinstance(value, dict):
        return tuple(sorted((str(k), _plain(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_plain(v) for v in value)
    return str(value)


def _key(finding: Finding) -> tuple:
    return (finding.check, finding.status, finding.severity, finding.subject, finding.field,
            _plain(finding.expected), _plain(finding.observed), finding.unit, tuple(finding.tables))


def _run(path: Path, specs: list) -> tuple:
    spec = next(s for s in specs if s.serves(path.name))
    document = read_document(path, spec, Limits())
    return document, reconcile(document, spec.document, spec.checks).findings


@pytest.fixture(scope="module")
def renditions(tmp_path_factory):
    """name -> (text document, text findings, PDF document, PDF findings, PDF page count)."""
    import pdfplumber

    specs, errors = load_specs(RAW)
    assert not errors
    out = tmp_path_factory.mktemp("pdfs")
    renderer = _renderer()
    runs = {}
    for name in (PAR, PLAN):
        pdf = renderer.render(RAW / name, out, specs)
        with pdfplumber.open(pdf) as opened:
            pages = len(opened.pages)
        runs[name] = (*_run(RAW / name, specs), *_run(pdf, specs), pages)
    return runs


def _differences(text: tuple[Finding, ...], pdf: tuple[Finding, ...]) -> list[str]:
    expected, found = Counter(map(_key, text)), Counter(map(_key, pdf))
    return ([f"text only: {k}" for k in (expected - found).elements()]
            + [f"PDF only: {k}" for k in (found - expected).elements()])


@pytest.mark.parametrize("name", [PAR, PLAN])
def test_pdf_and_text_give_the_same_findings(renditions, name):
    _, text_findings, _, pdf_findings, _ = renditions[name]
    assert any(f.status == "fail" for f in text_findings), "the text path finds nothing: nothing compared"
    assert _differences(text_findings, pdf_findings) == []


@pytest.mark.parametrize("name", [PAR, PLAN])
def test_the_pdf_has_the_spec_tables_rows_and_kinds_of_the_text(renditions, name):
    text_document, _, pdf_document, _, _ = renditions[name]
    pdf_tables = {t.key: t for t in pdf_document.tables}
    for table in text_document.tables:
        assert table.key in pdf_tables, table.key
        ours = pdf_tables[table.key]
        assert [c.key for c in ours.columns] == [c.key for c in table.columns], table.key
        assert ours.values[["row", "kind"]].values.tolist() == table.values[["row", "kind"]].values.tolist()


@pytest.mark.parametrize("name", [PAR, PLAN])
def test_the_pdf_findings_point_to_its_real_pages(renditions, name):
    _, _, pdf_document, pdf_findings, pages = renditions[name]
    on_tables = [f for f in pdf_findings if f.location.table_key in {t.key for t in pdf_document.tables}]
    assert on_tables
    assert all(isinstance(f.location.page, int) and 1 <= f.location.page <= pages for f in on_tables)


def test_the_par_summary_table_comes_before_the_body_one(renditions):
    _, _, pdf_document, _, _ = renditions[PAR]
    # The summary's copy of the cost table comes before the body's, as in the text.
    summary, body = pdf_document.table("T10_cost_summary"), pdf_document.table("T10_cost")
    assert summary.provenance.page < body.provenance.page


def test_the_plan_pdf_is_its_own_table_not_the_extractor_columns(renditions):
    """The columns the cutter derives (block number, bold flag) are not printed in the rendition;
    the plan's tables span the pages their rows stand on."""
    text_document, _, pdf_document, _, pages = renditions[PLAN]
    derived = {c.label for t in text_document.tables for c in t.columns if c.key in {"block", "bold"}}
    assert derived
    assert not any(label in pdf_document.text for label in derived)
    activities = pdf_document.table("activities")
    assert len(activities.provenance.pages) > 1
    assert activities.provenance.method == "pdf-tsv"
    assert pages > len(activities.provenance.pages)


def test_the_parity_catches_a_row_the_text_path_loses(monkeypatch, tmp_path):
    """The rendition is drawn from the text, not from the text extractor's rows: rendered while
    the text path loses a row, the PDF still has it, and the two paths disagree."""
    import extractors.text_document as text_document

    cut = text_document.cut_numbered

    def losing_a_row(body, spec):
        found = cut(body, spec)
        return replace(found, rows=[row for row in found.rows if row.label != "13"]) if spec.key == "T2" else found

    monkeypatch.setattr(text_document, "cut_numbered", losing_a_row)
    specs, _ = load_specs(RAW)
    pdf = _renderer().render(RAW / PAR, tmp_path, specs)
    text_document_read, lossy = _run(RAW / PAR, specs)
    pdf_document, pdf_findings = _run(pdf, specs)
    assert "13" not in list(text_document_read.table("T2").values["row"])
    assert "13" in list(pdf_document.table("T2").values["row"])
    assert _differences(lossy, pdf_findings)


def test_renditions_are_never_written_into_raw(tmp_path):
    before = sorted(p.name for p in RAW.iterdir())
    renderer = _renderer()
    assert renderer.RENDITIONS.parent == Path(__file__).parent
    renderer.main([str(RAW / PLAN), "--out", str(tmp_path)])
    assert (tmp_path / "itie-mali-plan-actions-2021.pdf").exists()
    assert sorted(p.name for p in RAW.iterdir()) == before
