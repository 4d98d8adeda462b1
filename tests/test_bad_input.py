"""A raw/ folder full of bad input beside the good documents: the run completes, says each
problem once on stderr and in results.json, and the good documents come out unchanged."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from fpdf import FPDF
from test_exit_status import small_raw
from test_pdf_build import encrypted, image_only, ruled_table

from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[1]
GOOD = [("par-kangaba-karan-noungani-2017.txt", "par.yaml"), ("itie-mali-plan-actions-2021.txt", "plan.yaml")]
MAX_PAGES = 3

# file -> what its stderr line and finding must say (besides the file name)
BAD = {
    "vide.txt": "vide",
    "tronque.pdf": "truncated",
    "chiffre.pdf": "encrypted",
    "scan.pdf": "scann",
    "notes-1252.txt": "Windows-1252",
    "image.txt": "binaire",
    "long.pdf": "--max-pages",
    "casse.yaml": "ligne 4",
    "colonne.yaml": "montant_total",
    "orpheline.yaml": "aucun document",
}


def _good_documents(raw: Path) -> list[str]:
    names = []
    for document, spec in GOOD:
        if (ROOT / "raw" / document).exists():
            shutil.copy(ROOT / "raw" / document, raw)
            shutil.copy(ROOT / "raw" / spec, raw)
            names.append(document)
    return names


def _pages(path: Path, count: int) -> Path:
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_font("helvetica", size=10)
    for number in range(1, count + 1):
        pdf.add_page()
        pdf.cell(0, 16, f"Page {number} : texte courant sans tableau.")
    pdf.output(str(path))
    return path


def _bad_input(raw: Path, scratch: Path) -> None:
    (raw / "vide.txt").write_bytes(b"")
    whole = ruled_table(scratch / "whole.pdf").read_bytes()
    (raw / "tronque.pdf").write_bytes(whole[: len(whole) // 2])
    encrypted(raw / "chiffre.pdf")
    image_only(raw / "scan.pdf", scratch)
    (raw / "notes-1252.txt").write_bytes("Résumé : données élémentaires, coût ½ ha — fin.\n".encode("cp1252"))
    (raw / "image.txt").write_bytes(bytes(range(256)) * 64)
    _pages(raw / "long.pdf", MAX_PAGES + 2)
    (raw / "casse.yaml").write_text('kind: x\ndocuments: ["x-*.txt"]\ntables:\n  - key: T1: faux\n    caption: x\n', encoding="utf-8")
    (raw / "colonne.yaml").write_text(
        'kind: x\ndocuments: ["notes-*.txt"]\n'
        "tables:\n  - key: T1\n    caption: 'Tableau 1'\n    columns: [{key: montant, label: Montant, type: money}]\n"
        "checks:\n  arithmetic: [{table: T1, column: montant_total, formula: 'montant * 2'}]\n",
        encoding="utf-8")
    (raw / "orpheline.yaml").write_text(
        'kind: x\ndocuments: ["rien-*.pdf"]\ntables:\n  - {key: T1, caption: "Tableau 1", columns: []}\n',
        encoding="utf-8")


def _run(raw: Path, out: Path) -> tuple[int, dict, list[str]]:
    """The CLI in this process (module-scoped, so stderr is captured by hand)."""
    stderr, stdout = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(stdout):
        status = main(["run", str(raw), "--out", str(out), "--max-pages", str(MAX_PAGES)])
    assert stdout.getvalue() == ""
    return status, json.loads((out / "results.json").read_text(encoding="utf-8")), stderr.getvalue().splitlines()


def _without_time(results: dict, names: list[str]) -> dict:
    return {
        "documents": [d for d in results["documents"] if d["name"] in names],
        "results": [r for r in results["results"] if r["document"] in names],
    }


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict:
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr("extractors.pdf.reading.ocr_available", lambda: False)
    good_raw = tmp_path_factory.mktemp("good")
    names = _good_documents(good_raw)
    bad_raw = tmp_path_factory.mktemp("bad")
    _good_documents(bad_raw)
    _bad_input(bad_raw, tmp_path_factory.mktemp("scratch"))
    try:
        good = _run(good_raw, tmp_path_factory.mktemp("good-out"))
        bad = _run(bad_raw, tmp_path_factory.mktemp("bad-out"))
    finally:
        monkeypatch.undo()
    return {"names": names, "good": good, "bad": bad}


def test_the_run_completes(runs):
    assert runs["good"][0] == 0
    assert runs["bad"][0] == 0


def test_good_documents_come_out_as_without_the_bad_ones(runs):
    names = runs["names"]
    assert names
    assert _without_time(runs["bad"][1], names) == _without_time(runs["good"][1], names)


@pytest.mark.parametrize("name", BAD)
def test_each_problem_is_one_line_on_stderr(runs, name):
    lines = [line for line in runs["bad"][2] if name in line]
    assert len(lines) == 1, runs["bad"][2]
    assert BAD[name] in lines[0]


@pytest.mark.parametrize("name", BAD)
def test_each_problem_is_a_finding_naming_the_file(runs, name):
    findings = [r for r in runs["bad"][1]["results"] if r["document"] == name and r["status"] == "fail"]
    assert len(findings) == 1, findings
    assert BAD[name] in findings[0]["message_fr"] + findings[0]["message_en"]


def test_yaml_error_gives_its_line(runs):
    [finding] = [r for r in runs["bad"][1]["results"] if r["document"] == "casse.yaml"]
    assert finding["location"]["row"] == 4


def test_no_other_line_on_stderr(runs):
    lines = runs["bad"][2]
    assert len(lines) == len(BAD) + 1, lines
    assert lines[-1].startswith("itie-reconcile:")
    assert [line for line in runs["good"][2]] == [runs["good"][2][-1]]


def test_unreadable_documents_are_listed_as_such(runs):
    status = {d["name"]: d["status"] for d in runs["bad"][1]["documents"]}
    for name in ("vide.txt", "tronque.pdf", "chiffre.pdf", "image.txt", "long.pdf"):
        assert status[name] == "unreadable"
    assert status["notes-1252.txt"] == "ok"


def _snapshot(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _leftovers(out: Path) -> list[Path]:
    return [p for p in out.rglob(".*") if p.name.endswith(".tmp") or p.name.startswith(".data_docs.")]


@pytest.mark.parametrize("failing", ["pipeline.outputs.render_report", "pipeline.outputs.table_frame",
                                     "pipeline.outputs.discrepancies_frame"])
def test_a_run_failing_while_writing_leaves_the_previous_outputs_whole(tmp_path, monkeypatch, failing):
    raw = small_raw(tmp_path / "raw", stated_total="400 500")
    out = tmp_path / "out"
    assert main(["run", str(raw), "--out", str(out)]) == 0
    before = _snapshot(out)
    assert "results.json" in before and "tables/note-2020.txt/T1.csv" in before
    small_raw(raw)                                   # the next run would change every file

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disque plein")

    monkeypatch.setattr(failing, fail)
    with pytest.raises(RuntimeError):
        main(["run", str(raw), "--out", str(out)])
    assert _snapshot(out) == before
    assert _leftovers(out) == []


KILLED_RUN = """
import os, signal, sys
from pipeline.cli import main

out = os.path.abspath(sys.argv[2])
real_replace, moved = os.replace, []

def replace(source, target):
    if str(target).startswith(out) and not str(target).endswith("data_docs"):
        moved.append(target)
        if len(moved) == int(sys.argv[3]):
            os.kill(os.getpid(), signal.SIGKILL)
    real_replace(source, target)

os.replace = replace
main(["run", sys.argv[1], "--out", out])
"""


def test_a_run_killed_while_moving_files_leaves_each_file_whole_and_the_report_old(tmp_path):
    raw = small_raw(tmp_path / "raw", stated_total="400 500")
    out = tmp_path / "out"
    assert main(["run", str(raw), "--out", str(out)]) == 0
    before = _snapshot(out)
    small_raw(raw)
    killed = subprocess.run([sys.executable, "-c", KILLED_RUN, str(raw), str(out), "2"],
                            capture_output=True, text=True, cwd=ROOT, timeout=300, check=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    after = _snapshot(out)
    assert after["report.html"] == before["report.html"]          # moved last: still the previous one
    json.loads(after["results.json"])                             # old or new, but whole
    assert _leftovers(out)                                        # the killed run's temporaries ...
    assert main(["run", str(raw), "--out", str(out)]) == 0
    assert _leftovers(out) == []                                  # ... are swept by the next run
    assert json.loads((out / "results.json").read_text(encoding="utf-8"))["results"][0]["status"] == "pass"


def test_a_fault_inside_one_document_stays_with_it(tmp_path, monkeypatch, capsys):
    raw = small_raw(tmp_path / "raw")
    (raw / "note-2021.txt").write_text((raw / "note-2020.txt").read_text(encoding="utf-8"), encoding="utf-8")
    import pipeline.run

    real_reconcile = pipeline.run.reconcile

    def reconcile(document, *args):
        if document.name == "note-2021.txt":
            raise ZeroDivisionError("division by zero")
        return real_reconcile(document, *args)

    monkeypatch.setattr(pipeline.run, "reconcile", reconcile)
    assert main(["run", str(raw), "--out", str(tmp_path / "out")]) == 0
    results = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    status = {d["name"]: d["status"] for d in results["documents"]}
    assert status == {"note-2020.txt": "ok", "note-2021.txt": "unreadable"}
    [line] = [line for line in capsys.readouterr().err.splitlines() if "note-2021.txt" in line]
    assert "ZeroDivisionError" in line


def test_stderr_lines_follow_the_language(tmp_path, capsys):
    raw = small_raw(tmp_path / "raw")
    (raw / "ancien.txt").write_bytes("Relevé de décembre.\n".encode("cp1252"))
    assert main(["run", str(raw), "--out", str(tmp_path / "out"), "--lang", "en"]) == 0
    [line] = [line for line in capsys.readouterr().err.splitlines() if "ancien.txt" in line]
    assert "not UTF-8" in line
