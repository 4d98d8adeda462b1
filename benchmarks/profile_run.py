"""Where a run's time goes, by stage: imports, read, reconcile, expectations (validation and Data
Docs apart), report; and the functions that cost most (cProfile).

Imports are timed apart (the command's, then Great Expectations' as the command's GX process
imports it, with the modules it defers). The run is the command itself (`pipeline.cli.main`,
`--jobs 1`, and Great Expectations validated here rather than in the process the command forks
for it, so that every stage runs in this process), its stages timed by wrapping the functions
the run calls.
The stage times come from a run without the profiler (cProfile doubles the time of Python-heavy
code); the function list from a second run under cProfile, when asked.

    .venv/bin/python -m benchmarks.profile_run [--corpus seeds=raw --corpus icdar=../shared/corpus/icdar2013-us]
        [--cprofile seeds] [--out benchmarks/results/profile.json]
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import io
import json
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stderr
from pathlib import Path

from benchmarks.harness import describe

IMPORT_START = time.perf_counter()
import expectations.suites  # noqa: E402 - timed: the import cost is one of the stages
import pipeline.cli  # noqa: E402
import pipeline.outputs  # noqa: E402
import pipeline.run  # noqa: E402
import pipeline.validation  # noqa: E402

IMPORT_SECONDS = time.perf_counter() - IMPORT_START
GX_START = time.perf_counter()
pipeline.validation.defer(pipeline.validation.UNUSED_BY_THE_SUITES)   # as the command's GX process does
try:   # imported here, timed apart: the command's GX process imports it while the run reads
    from great_expectations.data_context.data_context.abstract_data_context import (
        AbstractDataContext,
    )
except ImportError:
    AbstractDataContext = None
GX_IMPORT_SECONDS = time.perf_counter() - GX_START

# stage -> (module, attribute) of the functions whose time is that stage's
STAGES: dict[str, tuple[object, str]] = {
    "read": (pipeline.run, "read_document"),
    "reconcile": (pipeline.run, "reconcile"),
    "expectations_suites": (pipeline.run, "suites_for"),
    "expectations": (expectations.suites, "run_suites"),
    "report": (pipeline.outputs, "write_outputs"),
}
DEFAULT_CORPORA = ("seeds=raw", "icdar=../shared/corpus/icdar2013-us")


@contextmanager
def timed_stages() -> Iterator[dict[str, list[float]]]:
    """[wall, CPU] seconds spent in each stage's functions while the block runs (Data Docs apart
    when GX has them). CPU time is this process's: the stages run here (`--jobs 1`), and it is what
    the other work on a shared machine does not inflate."""
    spent: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    originals = []

    def wrap(stage: str, function: Callable) -> Callable:
        @functools.wraps(function)
        def timed(*args, **kwargs):
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[stage][0] += time.perf_counter() - wall
                spent[stage][1] += time.process_time() - cpu
        return timed

    targets = list(STAGES.items())
    if AbstractDataContext is not None:
        targets.append(("expectations_data_docs", (AbstractDataContext, "build_data_docs")))
    for stage, (owner, name) in targets:
        function = getattr(owner, name)
        originals.append((owner, name, function))
        setattr(owner, name, wrap(stage, function))
    originals.append((pipeline.cli, "ValidationProcess", pipeline.cli.ValidationProcess))
    pipeline.cli.ValidationProcess = pipeline.validation.Validation   # GX validated here, timed with the rest
    try:
        yield spent
    finally:
        for owner, name, function in originals:
            setattr(owner, name, function)


def run_once(raw: Path) -> tuple[float, float, dict]:
    """One run of the command on `raw` (outputs in a scratch folder): wall and CPU seconds, results.json."""
    with tempfile.TemporaryDirectory(prefix="itie-profile-") as scratch:
        out = Path(scratch) / "out"
        wall, cpu = time.perf_counter(), time.process_time()
        with redirect_stderr(io.StringIO()):
            status = pipeline.cli.main(["run", str(raw), "--out", str(out), "--jobs", "1", "--quiet"])
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if status not in (0, 1):
            raise SystemExit(f"run on {raw} failed with status {status}")
        return wall, cpu, json.loads((out / "results.json").read_text(encoding="utf-8"))


def profile(raw: Path) -> dict:
    """Stage times of one run of the command on `raw`."""
    with timed_stages() as spent:
        wall, cpu, results = run_once(raw)
    names = ("read", "reconcile", "expectations_suites", "expectations", "expectations_data_docs", "report")
    report = {
        "raw": str(raw),
        "documents": len(results["documents"]),
        "checks": len(results["results"]),
        "failed": sum(1 for r in results["results"] if r["status"] == "fail"),
    }
    for column, (label, total) in enumerate((("wall", wall), ("cpu", cpu))):
        stages = {stage: round(spent[stage][column], 2) for stage in names}
        accounted = sum(v for k, v in stages.items() if k != "expectations_data_docs")   # inside `expectations`
        report[f"{label}_seconds"] = round(total, 2)
        report[f"{label}_stages"] = {**stages, "other": round(total - accounted, 2)}
    return report


def top_functions(raw: Path, count: int = 25) -> list[dict]:
    """The functions with the most cumulative time in a run under cProfile (times inflated by it)."""
    profiler = cProfile.Profile()
    profiler.enable()
    run_once(raw)
    profiler.disable()
    stats = pstats.Stats(profiler)
    rows = []
    for (file, line, name), (_, calls, own, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        if "site-packages" in file:
            where = file.split("site-packages/")[1]
        elif file.startswith(str(Path.cwd())):
            where = str(Path(file).relative_to(Path.cwd()))
        else:
            continue                          # builtins and the standard library's plumbing
        rows.append({"function": f"{where}:{line}({name})", "calls": calls, "own_seconds": round(own, 3),
                     "cumulative_seconds": round(cumulative, 3)})
    rows.sort(key=lambda r: -r["cumulative_seconds"])
    return rows[:count]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", action="append", help="name=folder (default: the seeds and the ICDAR set)")
    parser.add_argument("--cprofile", action="append", default=None,
                        help="corpus names also run under cProfile (default: seeds)")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/profile.json"))
    args = parser.parse_args(argv)
    corpora = dict(item.split("=", 1) for item in (args.corpus or DEFAULT_CORPORA))
    report: dict = {"machine": describe(), "runs": {},
                    "import_seconds": {"pipeline": round(IMPORT_SECONDS, 2),
                                       "great_expectations": round(GX_IMPORT_SECONDS, 2)}}
    for name, folder in corpora.items():
        raw = Path(folder)
        if not raw.is_dir():
            print(f"profile_run: {raw}: absent, skipped", file=sys.stderr)
            continue
        report["runs"][name] = profile(raw)
        print(f"profile_run {name}: {json.dumps(report['runs'][name])}", file=sys.stderr)
        if name in (args.cprofile if args.cprofile is not None else ["seeds"]):
            report["runs"][name]["top_functions_cprofile"] = top_functions(raw)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
