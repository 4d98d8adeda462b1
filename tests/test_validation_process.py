"""Great Expectations in a process of its own (`pipeline.validation`): faster, and nothing else
may change: the same findings and Data Docs as when the run validates in its own process, the
same when that process is lost, and the modules it defers still there when asked for."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from expectations import suites
from pipeline.run import run
from pipeline.validation import ValidationProcess
from reconcilers.finding import Finding

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw"


def _outcome(data_docs: Path, validation: ValidationProcess | None = None) -> tuple[list[Finding], int]:
    result = run(RAW, data_docs, validation=validation)
    if validation is not None:
        validation.finish()
    return list(result.findings), len(list(data_docs.rglob("*.html")))


def test_the_seeds_validated_in_a_process_of_their_own_give_the_same_findings(tmp_path):
    here, pages_here = _outcome(tmp_path / "here")
    there, pages_there = _outcome(tmp_path / "there", ValidationProcess())
    expectations = [f for f in here if f.check == "expectation"]
    assert len(here) == 344 and len(expectations) == 72                       # measured on raw/ with its specs (TOTAL GENERAL gap one finding)
    assert sum(f.status == "fail" for f in expectations) == 10
    assert there == here
    assert pages_there == pages_here == 27


def test_a_lost_validation_process_leaves_the_validation_to_the_run(tmp_path):
    here, _ = _outcome(tmp_path / "here")
    validation = ValidationProcess()
    os.kill(validation._process.pid, signal.SIGKILL)
    validation._process.join()
    there, pages = _outcome(tmp_path / "there", validation)
    assert there == here and pages == 27


def test_a_failing_validation_process_leaves_the_validation_to_the_run(tmp_path, monkeypatch):
    here, _ = _outcome(tmp_path / "here")

    class Broken(suites.SuiteValidator):
        def validate(self, *args: object, **kwargs: object) -> list[Finding]:
            raise RuntimeError("GX process broken")

    monkeypatch.setattr(suites, "SuiteValidator", Broken)
    validation = ValidationProcess()               # forked with the broken validation ...
    monkeypatch.undo()                             # ... which this process no longer has
    there, pages = _outcome(tmp_path / "there", validation)
    assert there == here and pages == 27


DEFERRED = """
import sys
from pipeline.validation import Deferred, defer
defer(("scipy.stats", "altair"))
assert isinstance(sys.modules["scipy.stats"], Deferred) and isinstance(sys.modules["altair"], Deferred)
from scipy import stats
import altair as alt
assert "scipy.stats._stats_py" not in sys.modules and "altair.vegalite" not in sys.modules
assert round(stats.entropy([0.5, 0.5], [0.9, 0.1]), 4) == 0.5108
assert not isinstance(sys.modules["scipy.stats"], Deferred) and "scipy.stats._stats_py" in sys.modules
assert alt.Chart.__module__.startswith("altair.")
print("ok")
"""


def test_a_deferred_module_is_imported_when_first_used():
    done = subprocess.run([sys.executable, "-c", DEFERRED], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, check=False)
    assert done.stdout.strip() == "ok", done.stderr
