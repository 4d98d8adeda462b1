"""What validating a spec when it loads costs: milliseconds per `load_spec` of each spec in a
folder (YAML with line marks, every table and check key checked against its schema, every
reference and regex), the first load apart (it builds the schemas' validators once).

Run from the repository root:

    .venv/bin/python -m benchmarks.spec_load raw
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from pipeline.specs import load_spec

REPEATS = 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw", type=Path, nargs="?", default=Path("raw"))
    args = parser.parse_args()
    for path in sorted(args.raw.glob("*.yaml")):
        start = time.perf_counter()
        load_spec(path)
        first = time.perf_counter() - start
        start = time.perf_counter()
        for _ in range(REPEATS):
            load_spec(path)
        each = (time.perf_counter() - start) / REPEATS
        print(f"{path.name}: first {first * 1000:.0f} ms, then {each * 1000:.0f} ms per load ({REPEATS} loads)")


if __name__ == "__main__":
    main()
