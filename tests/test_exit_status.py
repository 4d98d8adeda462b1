"""Exit statuses of `itie-reconcile run`, as ARCHITECTURE.md fixes them for another team's CI:
0 the run completed, 1 a finding at or above --fail-on, 2 bad usage or no readable document."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[1]

NOTE_SPEC = r"""kind: note
documents: ["note-*.txt"]
tables:
  - key: T1
    title: "Tableau 1"
    caption: 'Tableau\s*1\s*:\s*Paiements par entreprise'
    end: 'Fin du rapport'
    columns:
      - {key: company, label: "Entreprise", type: name}
      - {key: amount, label: "Montant", type: money}
    total: {label: 'Total\s+(?P<amount>{number})'}
checks:
  totals: [T1]
"""


def small_raw(folder: Path, stated_total: str = "400 000") -> Path:
    """A one-table document and its spec: a whole run in a couple of seconds. The rows add up to
    400 000; any other stated total is an error finding."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "note-2020.txt").write_text(
        "Introduction du rapport.\nTableau 1 : Paiements par entreprise\n"
        f"1 Alpha 100 000 2 Beta 250 000 3 Gamma 50 000 Total {stated_total}\nFin du rapport.\n",
        encoding="utf-8")
    (folder / "note.yaml").write_text(NOTE_SPEC, encoding="utf-8")
    return folder


def _run(raw: Path, out: Path, *flags: str) -> int:
    return main(["run", str(raw), "--out", str(out), *flags])


def test_completed_run_is_0_whatever_it_found(tmp_path):
    raw = small_raw(tmp_path / "raw", stated_total="400 500")
    assert _run(raw, tmp_path / "out") == 0
    assert (tmp_path / "out" / "results.json").exists()


@pytest.mark.parametrize(("stated_total", "orphan_spec", "fail_on", "status"), [
    ("400 500", False, "error", 1),      # the stated total is wrong: an error
    ("400 500", False, "warning", 1),    # an error is above a warning
    ("400 000", True, "warning", 1),     # a spec that serves nothing: a warning
    ("400 000", True, "error", 0),       # ... which is below an error
    ("400 000", False, "warning", 0),    # nothing fails
    ("400 500", False, "never", 0),
])
def test_fail_on_threshold(tmp_path, stated_total, orphan_spec, fail_on, status):
    raw = small_raw(tmp_path / "raw", stated_total)
    if orphan_spec:
        (raw / "autre.yaml").write_text('documents: ["autre-*.pdf"]\n', encoding="utf-8")
    assert _run(raw, tmp_path / "out", "--fail-on", fail_on) == status


def test_info_findings_never_fail_the_run(tmp_path):
    raw = small_raw(tmp_path / "raw")
    (raw / "ancien.txt").write_bytes("Relevé de décembre, coût élevé.\n".encode("cp1252"))
    assert _run(raw, tmp_path / "out", "--fail-on", "warning") == 0


@pytest.mark.parametrize("argv", [
    [],
    ["run", "--no-such-flag"],
    ["run", "--lang", "de"],
    ["run", "--fail-on", "sometimes"],
    ["run", "--max-pages", "0"],
    ["run", "--max-seconds", "-1"],
    ["run", "--max-bytes", "beaucoup"],
    ["frobnicate"],
])
def test_bad_usage_is_2(argv, capsys):
    assert main(argv) == 2
    assert capsys.readouterr().err


def test_missing_raw_folder_is_2(tmp_path, capsys):
    assert _run(tmp_path / "absent", tmp_path / "out") == 2
    assert "absent" in capsys.readouterr().err


def test_no_readable_document_is_2(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "vide.txt").write_bytes(b"")
    (raw / "faux.pdf").write_bytes(b"%PDF-1.4 rien\n")
    assert _run(raw, tmp_path / "out") == 2
    assert (tmp_path / "out" / "results.json").exists()   # the refusals are still written down


def test_empty_raw_folder_is_2(tmp_path):
    (tmp_path / "raw").mkdir()
    assert _run(tmp_path / "raw", tmp_path / "out") == 2


def test_help_is_0(capsys):
    assert main(["run", "--help"]) == 0
    assert "--max-seconds" in capsys.readouterr().out


def test_the_installed_command_returns_the_status(tmp_path):
    """The status reaches the shell (console script and `python -m pipeline` alike)."""
    raw = small_raw(tmp_path / "raw", stated_total="400 500")
    done = subprocess.run([sys.executable, "-m", "pipeline", "run", str(raw), "--out", str(tmp_path / "out"),
                           "--fail-on", "error"], capture_output=True, text=True, cwd=ROOT, timeout=300, check=False)
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    assert done.stderr.splitlines()[-1].startswith("itie-reconcile: 1/1 documents lus")
