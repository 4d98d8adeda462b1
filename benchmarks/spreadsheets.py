"""What the spreadsheet reader yields on the real corpora, checked against the files themselves.

USEITI 2015 workbook: every sheet, its blocks, and every number stored in the workbook read
back from the extracted table equal to the stored value (openpyxl's own reading). EITI Summary
Data CSVs: every file's rows and cells equal to pandas' reading of the same file (all as text).
A generated workbook of 20 000 rows x 10 columns (half of them with a formula) gives the cost
of a large sheet. Times are wall clock and CPU on this machine, one run.

    .venv/bin/python -m benchmarks.spreadsheets ../shared/corpus --out benchmarks/results
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import tempfile
import time
from pathlib import Path

import openpyxl
import pandas as pd

from extractors.quantity import parse_quantity
from extractors.source import CellSource
from extractors.spreadsheet import extract_spreadsheet

WORKBOOK = Path("useiti-2015") / "reconciliation_2015-12-10.xlsx"
DECLARATIONS = Path("eiti-summary-data") / "data" / "declarations"


def _read_back(text: str) -> float:
    """The value a cell's text gives back through the project's quantity parser (a percent as a fraction)."""
    if text.endswith("%"):
        return parse_quantity(text, "percent").value / 100
    return parse_quantity(text, "number").value


def workbook_figures(path: Path) -> dict:
    started = time.perf_counter()
    document = extract_spreadsheet(path)
    seconds = time.perf_counter() - started
    stored = openpyxl.load_workbook(path, data_only=True)
    numbers = equal = 0
    for table in document.tables:
        for column in table.columns:
            for source, text in zip(table.sources[column.key], table.cells[column.key], strict=True):
                if not isinstance(source, CellSource) or source.stored != "number":
                    continue
                numbers += 1
                value = stored[source.sheet][source.cell].value
                equal += math.isclose(_read_back(text), value, rel_tol=1e-15, abs_tol=0.0)
    sheets = stored.sheetnames
    return {
        "file": path.name, "seconds": round(seconds, 3), "sheets": len(sheets), "sheet_names": sheets,
        "tables": [{"title": t.provenance.title, "area": t.provenance.area, "rows": len(t.cells),
                    "columns": len(t.columns), "context_lines": len(t.context)} for t in document.tables],
        "document_problems": [f"{p.sheet}: {p.reason_en}" for p in document.problems],
        "table_problems": [f"{p.sheet}!{p.cell}: {p.reason_en}" for t in document.tables for p in t.problems],
        "stored_numbers": numbers, "read_back_equal": equal,
    }


def csv_figures(folder: Path) -> dict:
    files = sorted(folder.glob("part*/*.csv"))
    seconds = 0.0
    tables = rows = cells = rows_equal = cells_equal = 0
    per_part: dict[str, int] = {}
    for path in files:
        started = time.perf_counter()
        document = extract_spreadsheet(path)
        seconds += time.perf_counter() - started
        truth = pd.read_csv(path, dtype=str, keep_default_na=False)
        tables += len(document.tables)
        table = document.tables[0]
        rows += len(table.cells)
        per_part[path.parent.name] = per_part.get(path.parent.name, 0) + len(table.cells)
        rows_equal += len(table.cells) == len(truth)
        keys = [c.key for c in table.columns][: len(truth.columns)]
        ours = table.cells[keys].to_numpy()
        theirs = truth.apply(lambda column: column.map(lambda text: " ".join(text.split()))).to_numpy()
        cells += theirs.size
        if ours.shape == theirs.shape:
            cells_equal += int((ours == theirs).sum())
    return {
        "files": len(files), "seconds": round(seconds, 3), "tables": tables, "rows": rows, "rows_per_part": per_part,
        "files_with_pandas_row_count": rows_equal, "cells": cells, "cells_equal_to_pandas": cells_equal,
    }


def large_workbook(rows: int = 20_000) -> dict:
    """A sheet of `rows` records: two label columns, four typed figures, four formulas over them."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "large.xlsx"
        workbook = openpyxl.Workbook()            # saved with its dimension, as Excel does
        sheet = workbook.active
        sheet.title = "Paiements"
        sheet.append(["Société", "Flux", "A", "B", "C", "D", "A-B", "C-D", "A+C", "B+D"])
        for r in range(2, rows + 2):
            sheet.append([f"Société {r % 500}", f"Flux {r % 12}", r * 1.5, r * 1.25, r, r / 4,
                          f"=C{r}-D{r}", f"=E{r}-F{r}", f"=C{r}+E{r}", f"=D{r}+F{r}"])
        workbook.save(path)
        wall, cpu = time.perf_counter(), time.process_time()
        document = extract_spreadsheet(path)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    table = document.tables[0]
    return {"rows": len(table.cells), "cells": len(table.cells) * len(table.columns), "seconds": round(wall, 2),
            "cpu_seconds": round(cpu, 2),
            "process_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    args = parser.parse_args(argv)
    results = {"workbook": workbook_figures(args.corpus / WORKBOOK),
               "summary_data_csv": csv_figures(args.corpus / DECLARATIONS),
               "large_generated_workbook": large_workbook()}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "spreadsheets.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
