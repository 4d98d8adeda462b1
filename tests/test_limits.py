"""Limits per document: bytes, pages and seconds; past one the document is reported and the
run goes on with the others."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest
from test_exit_status import small_raw

from pipeline.cli import main
from pipeline.run import Limits, OutOfTime, time_budget

# A column pattern that backtracks exponentially on a row it cannot match: the regex engine
# would run for ages; the document's time budget stops it.
RUNAWAY_SPEC = r"""kind: lent
documents: ["lent-*.txt"]
tables:
  - key: T1
    caption: 'Tableau\s*1\s*:'
    columns:
      - {key: label, label: "Libellé", type: text, pattern: '(?:\w+\s?)+!'}
      - {key: amount, label: "Montant", type: money}
"""


def _results(out: Path) -> dict:
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


def test_a_document_over_its_time_is_stopped_and_reported(tmp_path, capsys):
    raw = small_raw(tmp_path / "raw")
    (raw / "lent.yaml").write_text(RUNAWAY_SPEC, encoding="utf-8")
    (raw / "lent-1.txt").write_text("Tableau 1 : liste\n1 " + "mot " * 40 + "12\n", encoding="utf-8")
    assert main(["run", str(raw), "--out", str(tmp_path / "out"), "--max-seconds", "1"]) == 0
    results = _results(tmp_path / "out")
    status = {d["name"]: d["status"] for d in results["documents"]}
    assert status == {"lent-1.txt": "unreadable", "note-2020.txt": "ok"}
    [finding] = [r for r in results["results"] if r["document"] == "lent-1.txt"]
    assert "--max-seconds" in finding["message_fr"]
    [line] = [line for line in capsys.readouterr().err.splitlines() if "lent-1.txt" in line]
    assert "1 s" in line
    assert signal.getsignal(signal.SIGALRM) is signal.SIG_DFL      # the budget's handler is gone
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)      # and no alarm is left to fire


def test_time_budget_leaves_a_quick_block_alone():
    with time_budget(30):
        total = sum(range(1000))
    assert total == 499500
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_time_budget_is_not_an_exception_a_broad_handler_swallows():
    with pytest.raises(OutOfTime), time_budget(0.05):
        while True:
            try:
                sum(range(10_000))
            except Exception:  # noqa: BLE001, S110 - an extractor guarding against damaged files
                pass


def test_a_file_over_max_bytes_is_refused_with_the_limit(tmp_path, capsys):
    raw = small_raw(tmp_path / "raw")
    (raw / "gros.txt").write_text("Tableau 1 : rien\n" * 100, encoding="utf-8")
    assert main(["run", str(raw), "--out", str(tmp_path / "out"), "--max-bytes", "1000"]) == 0
    [finding] = [r for r in _results(tmp_path / "out")["results"] if r["document"] == "gros.txt"]
    assert "--max-bytes" in finding["message_en"] and "1000" in finding["message_en"]
    assert sum("gros.txt" in line for line in capsys.readouterr().err.splitlines()) == 1


def test_defaults_are_generous_and_shown_in_help(capsys):
    limits = Limits()
    assert limits.max_pages >= 500 and limits.max_seconds >= 300 and limits.max_bytes >= 100 * 1024 * 1024
    assert main(["run", "--help"]) == 0
    help_text = capsys.readouterr().out
    for flag in ("--max-pages", "--max-bytes", "--max-seconds"):
        assert flag in help_text


def test_pdf_pages_past_the_limit_are_released(tmp_path, monkeypatch):
    """Memory holds a bounded number of parsed pages (benchmarks/long_pdf.py measures it on 2 000)."""
    from test_pdf_build import long_table

    from extractors.pdf import document

    monkeypatch.setattr(document, "PARSED_PAGES_KEPT", 1)
    with document.open_pdf(long_table(tmp_path / "long.pdf")) as pdf:
        first_pass, used = [], []
        for page in pdf.pages[:2]:
            first_pass.append(len(page.chars))
            used.append(page)
            assert hasattr(page, "_objects")                   # parsed while in use ...
        assert not hasattr(used[0], "_objects")                # ... released once past the limit
        assert hasattr(used[1], "_objects")                    # the last one kept
        assert [len(page.chars) for page in pdf.pages[:2]] == first_pass         # parsed again on demand
        assert first_pass[0] > 0
