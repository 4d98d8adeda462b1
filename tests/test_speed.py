"""`--jobs`, progress and the scanned-page test: what makes a run faster must not change what
it finds (times are measured in benchmarks/, never asserted here)."""

from __future__ import annotations

import json
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image
from test_exit_status import small_raw
from test_limits import RUNAWAY_SPEC
from test_pdf_build import _pdf, image_only, ruled_table, unruled_table

from extractors.pdf.document import MIN_TEXT_CHARS, is_scanned, open_pdf
from pipeline.cli import main
from pipeline.progress import document_line, shown
from pipeline.run import DocumentRun, default_jobs


def _results(out: Path) -> dict:
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    results.pop("generated_at")
    return results


@pytest.fixture(scope="module")
def mixed_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Text with a spec, PDFs ruled and unruled, a document over its time (a runaway regex: far past
    the 10 s given, which the small others stay well under even on a loaded machine)."""
    raw = small_raw(tmp_path_factory.mktemp("raw"), stated_total="400 500")
    ruled_table(raw / "ruled.pdf")
    unruled_table(raw / "unruled.pdf")
    (raw / "lent.yaml").write_text(RUNAWAY_SPEC, encoding="utf-8")
    (raw / "lent-1.txt").write_text("Tableau 1 : liste\n1 " + "mot " * 40 + "12\n", encoding="utf-8")
    return raw


def test_jobs_give_the_results_of_one_job(mixed_raw, tmp_path):
    statuses = [main(["run", str(mixed_raw), "--out", str(tmp_path / f"out-{jobs}"), "--jobs", str(jobs),
                      "--max-seconds", "10"]) for jobs in (1, 3)]
    assert statuses == [0, 0]
    one, three = _results(tmp_path / "out-1"), _results(tmp_path / "out-3")
    assert one == three
    status = {d["name"]: d["status"] for d in one["documents"]}
    assert status["lent-1.txt"] == "unreadable" and status["ruled.pdf"] == "ok"   # the alarm works in a worker
    assert [d["name"] for d in one["documents"]] == sorted(status)
    assert any(r["status"] == "fail" and r["document"] == "note-2020.txt" for r in one["results"])


def test_jobs_must_be_positive(tmp_path):
    assert main(["run", str(small_raw(tmp_path / "raw")), "--jobs", "0"]) == 2
    assert default_jobs() >= 1


def test_help_speaks_the_lang_given(capsys):
    assert main(["run", "--help", "--lang", "en"]) == 0
    english = capsys.readouterr().out
    assert main(["run", "--help"]) == 0
    french = capsys.readouterr().out
    assert "documents read in parallel" in english and "show this help" in english
    assert "documents lus en parallèle" in french and "afficher cette aide" in french
    for flag in ("--jobs", "--quiet", "--lang", "--fail-on", "--max-seconds"):
        assert flag in english and flag in french


def test_progress_is_silent_when_not_a_terminal(tmp_path, capsys):
    assert main(["run", str(small_raw(tmp_path / "raw")), "--out", str(tmp_path / "out")]) == 0
    [line] = capsys.readouterr().err.splitlines()            # the closing line only
    assert line.startswith("itie-reconcile: 1/1 documents lus")
    assert main(["run", str(tmp_path / "raw"), "--out", str(tmp_path / "out"), "--lang", "en"]) == 0
    [line] = capsys.readouterr().err.splitlines()            # … in the --lang language
    assert line.startswith("itie-reconcile: 1/1 documents read")

    class Terminal:
        def isatty(self) -> bool:
            return True

    assert not shown(quiet=True, stream=Terminal())


def test_a_document_line_says_pages_time_and_findings():
    outcome = DocumentRun("par.pdf", "par", "par.yaml", "ok", None, (), seconds=6.25, pages=38)
    assert document_line(outcome, "fr") == "par.pdf : 38 pages, 6,2 s, 0 écarts sur 0 contrôles"
    assert document_line(outcome, "en") == "par.pdf: 38 pages, 6.2 s, 0 findings out of 0 checks"
    refused = DocumentRun("x.txt", "generic", None, "unreadable", None, (), seconds=0.04)
    assert document_line(refused, "en") == "x.txt: 0.0 s, unreadable"


def _page(path: Path, words: str, picture: Path | None) -> Path:
    pdf = _pdf()
    pdf.add_page()
    if picture:
        pdf.image(str(picture), x=50, y=50, w=200)
    if words:
        pdf.set_xy(40, 400)
        pdf.cell(0, 16, words)
    pdf.output(str(path))
    return path


def test_the_scanned_page_test_agrees_with_pdfminers_count(tmp_path):
    """The pages of `open_pdf` are parsed by playa: the verdict is that of pdfplumber's own
    parse (pdfminer) on pages with and without a scan, a stamp, a figure, little or no text."""
    picture = tmp_path / "picture.png"
    Image.new("RGB", (40, 30), "white").save(picture)
    cases = {
        "scan": (image_only(tmp_path / "scan.pdf", tmp_path), True),
        "stamp": (_page(tmp_path / "stamp.pdf", "p. 12", picture), True),         # a page number on a scan
        "figure": (_page(tmp_path / "figure.pdf", "Figure 3 : carte des sites", picture), False),
        "short": (_page(tmp_path / "short.pdf", "Fin", None), False),             # little text, no image
        "blank": (_page(tmp_path / "blank.pdf", "", None), False),
        "ruled": (ruled_table(tmp_path / "ruled.pdf"), False),
    }
    for name, (path, expected) in cases.items():
        with open_pdf(path) as pdf, pdfplumber.open(path) as by_pdfminer:
            [page] = pdf.pages[:1]
            [reference] = by_pdfminer.pages[:1]
            by_pdfplumber = len(reference.chars) < MIN_TEXT_CHARS and bool(reference.images)
            assert is_scanned(page) is expected == by_pdfplumber, name


def test_a_worker_that_dies_costs_only_its_document(tmp_path, monkeypatch):
    """A worker killed under a document (here: it exits) breaks the pool; the documents it took
    down with it are read again, and only the one that kills its worker is refused."""
    import os

    import pipeline.run as run_module

    raw = small_raw(tmp_path / "raw")
    for name in ("note-2021.txt", "note-2022.txt", "note-2023.txt"):
        (raw / name).write_text((raw / "note-2020.txt").read_text(encoding="utf-8"), encoding="utf-8")
    reader = run_module.read_document

    def deadly(path, spec, limits):
        if path.name == "note-2022.txt":
            os._exit(3)
        return reader(path, spec, limits)

    monkeypatch.setattr(run_module, "read_document", deadly)    # inherited by the forked workers
    assert main(["run", str(raw), "--out", str(tmp_path / "out"), "--jobs", "2"]) == 0
    status = {d["name"]: d["status"] for d in _results(tmp_path / "out")["documents"]}
    assert status == {"note-2020.txt": "ok", "note-2021.txt": "ok", "note-2022.txt": "unreadable",
                      "note-2023.txt": "ok"}
