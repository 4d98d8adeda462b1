"""The two seed documents (the text dumps of raw/) run warm by the command, as `make reconcile`.

One run first (compiled bytecode, disk cache), then `--repeat` timed runs with the default
`--jobs` and one with `--jobs 1`; the results of both must be the same (digest of results.json).

    .venv/bin/python -m benchmarks.seeds [--raw raw] [--repeat 3] [--out benchmarks/results/seeds.json]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from benchmarks.harness import describe, results_digest, timed, write


def command(raw: Path, out: Path, *flags: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", "run", str(raw), "--out", str(out), "--quiet", *flags]


def measure(raw: Path, repeat: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="itie-bench-") as scratch:
        out = Path(scratch)
        timed(command(raw, out / "warm-up"))
        runs = [timed(command(raw, out / "jobs-default")) for _ in range(repeat)]
        one_job = timed(command(raw, out / "jobs-1", "--jobs", "1"))
        digests = {"jobs_default": results_digest(out / "jobs-default" / "results.json"),
                   "jobs_1": results_digest(out / "jobs-1" / "results.json")}
    walls = [r["wall_seconds"] for r in runs]
    return {
        "raw": str(raw),
        "documents": sorted(p.name for p in raw.iterdir() if p.suffix in (".pdf", ".txt")),
        "runs": runs,
        "wall_seconds_min": min(walls),
        "wall_seconds_median": statistics.median(walls),
        "jobs_1": one_job,
        "results_digest": digests["jobs_default"],
        "jobs_1_identical": digests["jobs_default"] == digests["jobs_1"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=Path("raw"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/seeds.json"))
    args = parser.parse_args(argv)
    report = {"machine": describe(), "seeds": measure(args.raw, args.repeat)}
    write(report, args.out)
    print(f"seeds: {report['seeds']['wall_seconds_min']} s warm (min of {args.repeat}), "
          f"jobs 1 {report['seeds']['jobs_1']['wall_seconds']} s, identical={report['seeds']['jobs_1_identical']}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
