"""Time of the seed run, whole and its Great Expectations stage apart (suites, validations, Data Docs).

Wall and CPU seconds are both given: on a shared machine the CPU time of the process is the
steadier figure. The run is `pipeline.run.run` on `raw/` (or `--raw`), Data Docs built into a
temporary folder; the GX stage is
timed by wrapping `expectations.suites.run_suites`. Several runs in one process: the first
pays the imports, the others are warm.

Run from the repository root:

    .venv/bin/python -m benchmarks.seeds_gx [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
from pathlib import Path

import expectations.suites as gx_suites
import pipeline.run as pipeline_run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=Path("raw"))
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    stage: list[tuple[float, float]] = []
    inner = gx_suites.run_suites

    def timed(*args: object, **kwargs: object) -> object:
        start, cpu = time.perf_counter(), time.process_time()
        try:
            return inner(*args, **kwargs)
        finally:
            stage.append((time.perf_counter() - start, time.process_time() - cpu))

    gx_suites.run_suites = timed
    runs = []
    for _ in range(arguments.runs):
        with tempfile.TemporaryDirectory() as folder:
            start, cpu = time.perf_counter(), time.process_time()
            result = pipeline_run.run(arguments.raw, Path(folder) / "data_docs")
            total, total_cpu = time.perf_counter() - start, time.process_time() - cpu
            pages = len(list((Path(folder) / "data_docs").rglob("*.html")))
        expectations = [f for f in result.findings if f.check == "expectation"]
        runs.append({"run_s": round(total, 2), "run_cpu_s": round(total_cpu, 2), "gx_s": round(stage[-1][0], 2),
                     "gx_cpu_s": round(stage[-1][1], 2), "data_docs_pages": pages,
                     "expectations": len(expectations),
                     "expectations_failed": sum(f.status == "fail" for f in expectations)})
    print(json.dumps({"machine": f"{platform.machine()}, {platform.python_version()}", "runs": runs}, indent=1))


if __name__ == "__main__":
    main()
