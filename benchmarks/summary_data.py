"""Time and peak memory of `itie-reconcile run` over 1, 10 and all 29 EITI Summary Data country-years.

Each size is a folder of per-part subfolders (as the corpus is laid out) holding the CSVs of the
first N country-years, run by the command in its own child process with `--jobs 1` and with
`--jobs 2`, so that peak RSS (`ru_maxrss`) is that of one run (the parent, and its biggest worker).
A country-year is taken from its Part 4 file name (the year its period ends); Part 1 files go with
it by their `End Date`, as the run itself groups them. Beside the whole run, the two run-level
stages (entities and figures across documents; the declaration checks) are timed, with the number
of names linked across documents, so that their growth with the run shows; the digest of
results.json must not depend on `--jobs`.

Run from the repository root (a few minutes on 2 cores):

    .venv/bin/python -m benchmarks.summary_data ../shared/corpus/eiti-summary-data/data/declarations \
        --out benchmarks/results/summary_data.json
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from benchmarks.harness import describe, results_digest, write

SIZES = (1, 10, 29)
JOBS = (1, 2)

CHILD = """
import json, resource, sys, time
imported = time.perf_counter()
import pipeline.run
from pipeline.cli import main
from reconcilers.entity_columns import link_sources

stages = {}
def timed(name, function, names=None):
    def wrapper(*args):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function(*args)
        stages[name] = {"wall_seconds": round(time.perf_counter() - wall, 2), "cpu_seconds": round(time.process_time() - cpu, 2)}
        if names:
            stages[name]["names_linked"] = sum(len(e.mentions) for e in link_sources(args[0]))
        return result
    return wrapper
pipeline.run.figures_across_documents = timed("across_documents", pipeline.run.figures_across_documents, True)
pipeline.run.check_declarations = timed("declarations", pipeline.run.check_declarations)
start, cpu = time.perf_counter(), time.process_time()
imported = start - imported
status = main(["run", sys.argv[1], "--out", sys.argv[2], "--quiet", "--jobs", sys.argv[3]])
workers = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"status": status, "seconds": round(time.perf_counter() - start, 1), "import_seconds": round(imported, 1),
                  "cpu_seconds": round(time.process_time() - cpu + workers.ru_utime + workers.ru_stime, 1),
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                  "peak_rss_worker_mb": round(workers.ru_maxrss / 1024, 1), "stages": stages}))
"""


def country_years(corpus: Path) -> list[str]:
    """`Afghanistan_2018`, …: one per Part 4 file, in name order."""
    return sorted(re.sub(r"^declaration_part4_government_revenues_", "", p.stem) for p in corpus.glob("part4/*.csv"))


def _part1_key(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as handle:
        row = next(csv.DictReader(handle))
    year = re.search(r"(?:19|20)\d\d", row["End Date"])
    return f"{row['Country or area name']}_{year.group(0) if year else ''}"


def stage(corpus: Path, keys: list[str], target: Path) -> int:
    """Copy the parts of these country-years into target/<part>/; the number of files copied."""
    wanted = set(keys)
    copied = 0
    for path in corpus.glob("*/*.csv"):
        key = _part1_key(path) if path.parent.name == "part1" else re.sub(r"^declaration_part\w+?_(?=[A-Z])", "", path.stem)
        if key in wanted:
            (target / path.parent.name).mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target / path.parent.name / path.name)
            copied += 1
    return copied


def summary(results: dict) -> dict:
    """What the run found on the agencies (Part 3b against Part 4) and on Part 5."""
    agencies = [r for r in results["results"] if r["check"] == "agency_total"]
    statuses = Counter((r["status"], r["severity"]) for r in agencies)
    gaps = sorted((r for r in agencies if r["status"] == "fail" and r["difference"] is not None),
                  key=lambda r: -abs(r["difference"]) / max(abs(r["expected"] or 0), abs(r["observed"] or 0), 1))
    systemic = [r for r in results["results"] if r.get("field") == "systemic"]
    return {
        "agency_results": len(agencies),
        "agencies_agreeing": statuses[("pass", "error")],
        "agencies_differing_beyond_materiality": statuses[("fail", "error")],
        "agencies_total_without_lines_or_lines_without_total": statuses[("fail", "warning")],
        "agencies_listed_with_nothing": statuses[("fail", "info")],
        "systemic_part5_findings": len(systemic),
        "results": len(results["results"]),
        "largest_relative_gaps": [
            {"declaration": r["document"], "agency": r["subject"], "stated": r["observed"],
             "sum_of_lines": r["expected"], "difference": r["difference"], "unit": r["unit"]}
            for r in gaps[:8]],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/summary_data.json"))
    arguments = parser.parse_args()
    keys = country_years(arguments.corpus)
    runs = []
    for size in SIZES:
        with tempfile.TemporaryDirectory() as work:
            raw = Path(work) / "raw"
            files = stage(arguments.corpus, keys[:size], raw)
            for jobs in JOBS:
                out = Path(work) / f"out-{jobs}"
                child = subprocess.run([sys.executable, "-c", CHILD, str(raw), str(out), str(jobs)],
                                       capture_output=True, text=True, check=True)
                measured = json.loads(child.stdout.strip().splitlines()[-1])
                results = json.loads((out / "results.json").read_text(encoding="utf-8"))
                declarations = sorted({r["document"] for r in results["results"] if r["check"] == "agency_total"})
                runs.append({"country_years": size, "files": files, "jobs": jobs, "declarations": len(declarations),
                             "seconds_per_country_year": round(measured["seconds"] / size, 2), **measured,
                             "results_digest": results_digest(out / "results.json"),
                             **(summary(results) if size == SIZES[-1] and jobs == JOBS[-1] else {})})
                print(json.dumps(runs[-1], ensure_ascii=False)[:400], file=sys.stderr)
    write({"machine": describe(), "corpus": str(arguments.corpus), "runs": runs}, arguments.out)


if __name__ == "__main__":
    main()
