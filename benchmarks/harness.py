"""What every benchmark shares: the machine it ran on (written beside its results: figures mean
little without it), a command timed in its own process, the digest of a run's results.

    .venv/bin/python -m benchmarks.harness [--out benchmarks/results/machine.json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

LIBRARIES = ("pdfplumber", "pdfminer.six", "camelot-py", "pypdfium2", "playa-pdf", "great_expectations",
             "pandas", "numpy", "rapidfuzz", "tqdm", "openpyxl")


def _meminfo_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _commit() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def describe() -> dict:
    """Cores, memory, CPU, Python, library versions, commit, and the load when measured (the
    machine is shared: a load above the core count means the times are inflated)."""
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "memory_gib": _meminfo_gib(),
        "cpu": _cpu_model(),
        "load_average": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "libraries": versions,
        "commit": _commit(),
    }


def timed(argv: list[str]) -> dict:
    """Run a command in a new process (imports included, as a user runs it): wall seconds, CPU
    seconds of it and its workers (the machine is shared: CPU time is what load does not inflate),
    and the peak memory of the biggest of those processes. Measured by a fresh `harness --measure`
    process, so that each command's peak is its own (a process's children peak only grows)."""
    done = subprocess.run([sys.executable, "-m", "benchmarks.harness", "--measure", "--", *argv],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.splitlines()[-1])


def _measure(argv: list[str]) -> dict:
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr[-2000:]}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"wall_seconds": round(wall, 2), "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_rss_mb": round(usage.ru_maxrss / 1024)}


def results_digest(results_json: Path) -> str:
    """sha256 of a run's results.json without its date: equal digests, identical findings."""
    results = json.loads(results_json.read_text(encoding="utf-8"))
    results.pop("generated_at", None)
    return hashlib.sha256(json.dumps(results, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def write(report: dict, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/machine.json"))
    argv = sys.argv[1:] if argv is None else argv
    if argv[:2] == ["--measure", "--"]:            # `timed`'s own process: COMMAND... follows
        print(json.dumps(_measure(argv[2:])))
        return 0
    args = parser.parse_args(argv)
    machine = describe()
    write(machine, args.out)
    print(json.dumps(machine), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
