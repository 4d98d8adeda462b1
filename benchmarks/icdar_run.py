"""The 40 ICDAR 2013 US PDFs run by the command with no spec (reading, inference, checks, Great
Expectations, report), against camelot alone reading the same files, each timed the same way:
a new process, imports included. Then the run over the first 1, 10 and 40 documents, to see
whether time grows linearly with the work.

    .venv/bin/python -m benchmarks.icdar_run [CORPUS=../shared/corpus/icdar2013-us] [--out benchmarks/results/icdar_run.json]

`--camelot FLAVOR FOLDER` is the baseline itself: every PDF of FOLDER read by camelot, all pages.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from benchmarks.harness import describe, results_digest, timed, write

# camelot's flavors that read a page from its text and strokes, no rendering: the fast ones
# (the default lattice engine renders each page; it took 0.18 s/page in benchmarks/icdar.py).
CAMELOT_FLAVORS = {
    "stream": {"flavor": "stream"},
    "network": {"flavor": "network"},
    "lattice-vector": {"flavor": "lattice", "engine": "vector"},
}
SIZES = (1, 10, 40)


def read_with_camelot(flavor: str, folder: Path) -> int:
    """The baseline: camelot on every page of every PDF of the folder; the number of tables."""
    import camelot

    from benchmarks.icdar import quiet

    tables = 0
    for path in sorted(folder.glob("*.pdf")):
        with quiet():
            tables += len(camelot.read_pdf(str(path), pages="all", suppress_stdout=True, **CAMELOT_FLAVORS[flavor]))
    return tables


def subset(corpus: Path, count: int, folder: Path) -> Path:
    """A folder holding the first `count` PDFs of the corpus (links, nothing copied)."""
    folder.mkdir(parents=True)
    for path in sorted(corpus.glob("*.pdf"))[:count]:
        (folder / path.name).symlink_to(path.resolve())
    return folder


def pipeline_command(raw: Path, out: Path, *flags: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", "run", str(raw), "--out", str(out), "--quiet", *flags]


def measure(corpus: Path) -> dict:
    pages = _pages(corpus)
    report: dict = {"corpus": str(corpus), "documents": len(list(corpus.glob("*.pdf"))), "pages": pages}
    with tempfile.TemporaryDirectory(prefix="itie-bench-") as scratch:
        work = Path(scratch)
        everything = subset(corpus, 10**6, work / "all")
        camelot = {flavor: timed([sys.executable, "-m", "benchmarks.icdar_run", "--camelot", flavor, str(everything)])
                   for flavor in CAMELOT_FLAVORS}
        fastest = min(camelot, key=lambda f: camelot[f]["wall_seconds"])
        run = timed(pipeline_command(everything, work / "out-all"))
        report["camelot"] = camelot
        report["camelot_fastest"] = fastest
        report["pipeline"] = {**run, "results_digest": results_digest(work / "out-all" / "results.json")}
        report["ratio_to_camelot_fastest"] = round(run["wall_seconds"] / camelot[fastest]["wall_seconds"], 2)
        report["cpu_ratio_to_camelot_fastest"] = round(run["cpu_seconds"] / camelot[fastest]["cpu_seconds"], 2)
        scaling = {}
        for size in SIZES:
            folder = everything if size >= report["documents"] else subset(corpus, size, work / f"first-{size}")
            scaling[size] = {**(run if folder is everything else timed(pipeline_command(folder, work / f"out-{size}"))),
                             "pages": _pages(folder)}
        report["scaling"] = scaling
    return report


def _pages(folder: Path) -> int:
    from extractors.pdf.document import count_pages

    return sum(count_pages(path) for path in folder.glob("*.pdf"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=Path("../shared/corpus/icdar2013-us"))
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/icdar_run.json"))
    parser.add_argument("--camelot", nargs=2, metavar=("FLAVOR", "FOLDER"))
    args = parser.parse_args(argv)
    if args.camelot:
        flavor, folder = args.camelot
        print(f"camelot {flavor}: {read_with_camelot(flavor, Path(folder))} tables", file=sys.stderr)
        return 0
    if not args.corpus.is_dir():
        print(f"icdar_run: {args.corpus}: absent, skipped", file=sys.stderr)
        return 0
    report = {"machine": describe(), **measure(args.corpus)}
    write(report, args.out)
    print(f"icdar_run: pipeline {report['pipeline']['wall_seconds']} s, camelot {report['camelot_fastest']} "
          f"{report['camelot'][report['camelot_fastest']]['wall_seconds']} s "
          f"(x{report['ratio_to_camelot_fastest']}); scaling "
          + ", ".join(f"{n}: {s['wall_seconds']} s" for n, s in report["scaling"].items()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
