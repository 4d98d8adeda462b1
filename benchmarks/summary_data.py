"""Time and peak memory of `itie-reconcile run` over 1, 10 and all 29 EITI Summary Data country-years.

Each size is a folder of per-part subfolders (as the corpus is laid out) holding the CSVs of the
first N country-years, run by the command in its own child process, so that peak RSS
(`ru_maxrss`) is that of one run. A country-year is taken from its Part 4 file name (the year
its period ends); Part 1 files go with it by their `End Date`, as the run itself groups them.

Run from the repository root (a few minutes on 2 cores):

    .venv/bin/python -m benchmarks.summary_data ../shared/corpus/eiti-summary-data/data/declarations \
        --out benchmarks/results/summary_data.json
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

SIZES = (1, 10, 29)

CHILD = """
import json, resource, sys, time
from pipeline.cli import main
start = time.perf_counter()
status = main(["run", sys.argv[1], "--out", sys.argv[2]])
print(json.dumps({"status": status, "seconds": round(time.perf_counter() - start, 1),
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))
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
            raw, out = Path(work) / "raw", Path(work) / "out"
            files = stage(arguments.corpus, keys[:size], raw)
            child = subprocess.run([sys.executable, "-c", CHILD, str(raw), str(out)],
                                   capture_output=True, text=True, check=True)
            measured = json.loads(child.stdout.strip().splitlines()[-1])
            results = json.loads((out / "results.json").read_text(encoding="utf-8"))
            declarations = sorted({r["document"] for r in results["results"] if r["check"] == "agency_total"})
            runs.append({"country_years": size, "files": files, "declarations": len(declarations),
                         "seconds_per_country_year": round(measured["seconds"] / size, 2), **measured,
                         **(summary(results) if size == SIZES[-1] else {})})
            print(json.dumps(runs[-1], ensure_ascii=False)[:400], file=sys.stderr)
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(json.dumps({
        "machine": {"python": platform.python_version(), "system": platform.platform()},
        "corpus": str(arguments.corpus), "runs": runs,
    }, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
