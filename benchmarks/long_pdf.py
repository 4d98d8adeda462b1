"""Time and peak memory of `extract_pdf` on long PDFs (one ruled table per page).

Each length gets its own PDF (fpdf2) and its own child process, so that peak RSS
(`ru_maxrss`) is that of one extraction and nothing else; the RSS after the imports is
taken too, so that the growth per page can be told from the fixed cost of the libraries.
If memory is released page by page, peak RSS stays flat as the page count grows.

Run from the repository root (a few minutes on 2 cores):

    .venv/bin/python -m benchmarks.long_pdf --out benchmarks/long_pdf.json
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

from fpdf import FPDF

ROWS_PER_TABLE = 12
HEADER = ("N°", "Entité", "Surface", "Montant")

# Run in a fresh interpreter: imports first, then one extraction, then what it cost.
CHILD = """
import json, resource, sys, time
from pathlib import Path
from extractors.pdf import extract_pdf

path, pages = Path(sys.argv[1]), int(sys.argv[2])
after_imports = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
document = extract_pdf(path, max_pages=pages)
seconds = time.perf_counter() - start
print(json.dumps({
    "seconds": round(seconds, 1),
    "rss_after_imports_mb": round(after_imports / 1024, 1),
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    "tables": len(document.tables),
    "rows": sum(len(t.values) for t in document.tables),
    "problems": len(document.problems),
}))
"""


def build(path: Path, pages: int) -> Path:
    """`pages` pages, each a caption, a ruled table with a total row and a line of prose."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_font("helvetica", size=9)
    for page in range(1, pages + 1):
        pdf.add_page()
        pdf.cell(0, 14, f"Tableau {page} : Paiements de la page {page}", new_x="LMARGIN", new_y="NEXT")
        rows = [(str(n), f"Entite {page}-{n}", f"{n * 10 + page} m2", f"{n * 1000 + page}") for n in range(1, ROWS_PER_TABLE + 1)]
        total = ("TOTAL", "", f"{sum(n * 10 + page for n in range(1, ROWS_PER_TABLE + 1))} m2",
                 f"{sum(n * 1000 + page for n in range(1, ROWS_PER_TABLE + 1))}")
        with pdf.table(col_widths=(40, 160, 100, 100), text_align="LEFT", line_height=14) as table:
            for row in [HEADER, *rows, total]:
                table.row(row)
        pdf.ln(8)
        pdf.multi_cell(0, 12, f"Page {page} : le total de la page est rapporte ci-dessus.")
    pdf.output(str(path))
    return path


def measure(path: Path, pages: int) -> dict:
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", CHILD, str(path), str(pages)],
                          capture_output=True, text=True, cwd=root, check=True)
    return {"pages": pages, "file_mb": round(path.stat().st_size / 1e6, 2), **json.loads(done.stdout.splitlines()[-1])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", default="250,1000,2000", help="comma-separated page counts")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/long_pdf.json"))
    arguments = parser.parse_args(argv)
    runs = []
    with tempfile.TemporaryDirectory(prefix="long-pdf-") as scratch:
        for pages in (int(p) for p in arguments.pages.split(",")):
            path = build(Path(scratch) / f"long-{pages}.pdf", pages)
            runs.append(measure(path, pages))
            print(json.dumps(runs[-1]), file=sys.stderr)
    first, last = runs[0], runs[-1]
    growth = ((last["peak_rss_mb"] - first["peak_rss_mb"]) / (last["pages"] - first["pages"]) * 1024
              if len(runs) > 1 else None)
    report = {
        "what": "extract_pdf on fpdf2 PDFs with one ruled table per page; one child process per length",
        "machine": {"python": platform.python_version(), "cpus": _cpus(), "platform": platform.platform()},
        "runs": runs,
        "peak_rss_growth_kb_per_page": round(growth, 1) if growth is not None else None,
        "seconds_per_page": round(last["seconds"] / last["pages"], 3),
    }
    arguments.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0))


if __name__ == "__main__":
    raise SystemExit(main())
