"""ICDAR 2013 table-structure benchmark: this extractor against plain camelot and pdfplumber.

The measure is the competition's adjacency-relation score: every non-empty cell is
paired with its nearest non-empty neighbour to the right and below; a relation is
(text, neighbour text, direction) with texts normalised (NFKC, lower case, letters and
digits only). Relations are pooled per document over all its tables, so tables
found in prose cost precision and tables missed cost recall. Precision, recall and
F1 are reported per document and overall (micro-averaged over relations).

Run from the repository root:

    .venv/bin/python -m benchmarks.icdar /work/shared/corpus/icdar2013-us --out benchmarks/results
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import sys
import time
import unicodedata
import warnings
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

Grid = list[list[str]]
Relation = tuple[str, str, str]


def normalise(text: str) -> str:
    """Cell text as compared: extraction differs in spacing, case, dashes and punctuation."""
    folded = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(ch for ch in folded if ch.isalnum())


def grid_relations(grid: Grid) -> Counter[Relation]:
    """Adjacency relations of an extracted grid: each cell is its own cell, blanks skipped."""
    cells = [[normalise(text) for text in row] for row in grid]
    relations: Counter[Relation] = Counter()
    for r, row in enumerate(cells):
        for c, text in enumerate(row):
            if not text:
                continue
            right = next((t for t in row[c + 1:] if t), None)
            if right is not None:
                relations[(text, right, "h")] += 1
            below = next((cells[k][c] for k in range(r + 1, len(cells))
                          if c < len(cells[k]) and cells[k][c]), None)
            if below is not None:
                relations[(text, below, "v")] += 1
    return relations


@dataclass(frozen=True)
class TruthCell:
    """A ground-truth cell and the grid positions it spans."""

    text: str
    rows: range
    cols: range


def truth_relations(cells: list[TruthCell]) -> Counter[Relation]:
    """Adjacency relations of a ground-truth region, spanning cells seen from every row/column they cover."""
    at: dict[tuple[int, int], int] = {}
    for index, cell in enumerate(cells):
        for r in cell.rows:
            for c in cell.cols:
                at[(r, c)] = index
    if not at:
        return Counter()
    last_row = max(r for r, _ in at)
    last_col = max(c for _, c in at)
    pairs: set[tuple[int, int, str]] = set()
    for index, cell in enumerate(cells):
        if not cell.text:
            continue
        for r in cell.rows:
            for c in range(cell.cols.stop, last_col + 1):
                other = at.get((r, c))
                if other is not None and other != index and cells[other].text:
                    pairs.add((index, other, "h"))
                    break
        for c in cell.cols:
            for r in range(cell.rows.stop, last_row + 1):
                other = at.get((r, c))
                if other is not None and other != index and cells[other].text:
                    pairs.add((index, other, "v"))
                    break
    return Counter((cells[a].text, cells[b].text, d) for a, b, d in pairs)


def read_truth(structure_xml: Path) -> Counter[Relation]:
    """All ground-truth relations of one document (every region of every table)."""
    relations: Counter[Relation] = Counter()
    for region in ET.parse(structure_xml).getroot().iter("region"):
        cells = []
        for cell in region.iter("cell"):
            start_row = int(cell.get("start-row"))
            start_col = int(cell.get("start-col"))
            end_row = int(cell.get("end-row", start_row))
            end_col = int(cell.get("end-col", start_col))
            text = normalise(cell.findtext("content") or "")
            cells.append(TruthCell(text, range(start_row, end_row + 1), range(start_col, end_col + 1)))
        relations += truth_relations(cells)
    return relations


def score(truth: Counter[Relation], found: Counter[Relation]) -> tuple[int, int, int]:
    """(correct, found, expected) relation counts."""
    correct = sum((truth & found).values())
    return correct, sum(found.values()), sum(truth.values())


def prf(correct: int, found: int, expected: int) -> dict[str, float]:
    precision = correct / found if found else 0.0
    recall = correct / expected if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Baselines print warnings for every page without a table; keep the report readable."""
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        logging.disable(logging.WARNING)
        try:
            yield
        finally:
            logging.disable(logging.NOTSET)


def camelot_grids(flavor: str) -> Callable[[Path], list[Grid]]:
    def run(path: Path) -> list[Grid]:
        import camelot

        tables = camelot.read_pdf(str(path), pages="all", flavor=flavor)
        return [table.df.astype(str).values.tolist() for table in tables]

    return run


def pdfplumber_grids(path: Path) -> list[Grid]:
    import pdfplumber

    grids: list[Grid] = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                grids.append([[cell or "" for cell in row] for row in table])
    return grids


def extractor_grids(path: Path) -> list[Grid]:
    """The grids `extract_pdf` types (header rows included), stitched, before any spec."""
    from extractors.pdf import read_pdf

    return [grid.grid for grid in read_pdf(path).grids]


METHODS: dict[str, Callable[[Path], list[Grid]]] = {
    "itie-reconcile": extractor_grids,
    "camelot-lattice": camelot_grids("lattice"),
    "camelot-stream": camelot_grids("stream"),
    "pdfplumber-default": pdfplumber_grids,
}


def page_count(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def run(corpus: Path, methods: list[str]) -> dict:
    """Score every method on every document of the corpus."""
    documents = sorted(corpus.glob("*.pdf"))
    truths = {doc.name: read_truth(doc.with_name(doc.stem + "-str.xml")) for doc in documents}
    pages = {doc.name: page_count(doc) for doc in documents}
    report: dict = {"documents": len(documents), "pages": sum(pages.values()), "methods": {}}
    for name in methods:
        totals = [0, 0, 0]
        seconds = 0.0
        per_document = {}
        errors = {}
        for doc in documents:
            start = time.perf_counter()
            try:
                with quiet():
                    grids = METHODS[name](doc)
            except Exception as error:  # noqa: BLE001 - a baseline failing on one file is a result, not a crash
                grids = []
                errors[doc.name] = f"{type(error).__name__}: {error}"
            seconds += time.perf_counter() - start
            found: Counter[Relation] = Counter()
            for grid in grids:
                found += grid_relations(grid)
            counts = score(truths[doc.name], found)
            totals = [a + b for a, b in zip(totals, counts)]
            per_document[doc.name] = {**prf(*counts), "correct": counts[0], "found": counts[1],
                                      "expected": counts[2], "tables": len(grids)}
        f1s = [d["f1"] for d in per_document.values()]
        report["methods"][name] = {
            **prf(*totals),
            "mean_document_f1": round(sum(f1s) / len(f1s), 4),
            "correct": totals[0], "found": totals[1], "expected": totals[2],
            "seconds": round(seconds, 2),
            "pages_per_second": round(report["pages"] / seconds, 2),
            "seconds_per_page": round(seconds / report["pages"], 4),
            "errors": errors,
            "per_document": per_document,
        }
        summary = report["methods"][name]
        print(f"{name:20s} P={summary['precision']:.3f} R={summary['recall']:.3f} F1={summary['f1']:.3f} "
              f"docF1={summary['mean_document_f1']:.3f} {summary['pages_per_second']:.2f} pages/s "
              f"errors={len(errors)}", file=sys.stderr)
    return report


def write(report: dict, out: Path) -> None:
    """results.json (everything) and results.csv (one row per method and document)."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "icdar2013.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    lines = ["method,document,precision,recall,f1,correct,found,expected,tables"]
    for name, summary in report["methods"].items():
        for doc, d in summary["per_document"].items():
            lines.append(f"{name},{doc},{d['precision']},{d['recall']},{d['f1']},"
                         f"{d['correct']},{d['found']},{d['expected']},{d['tables']}")
        lines.append(f"{name},ALL,{summary['precision']},{summary['recall']},{summary['f1']},"
                     f"{summary['correct']},{summary['found']},{summary['expected']},")
    (out / "icdar2013.csv").write_text("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    parser.add_argument("--methods", nargs="*", default=list(METHODS), choices=list(METHODS))
    args = parser.parse_args(argv)
    report = run(args.corpus, args.methods)
    write(report, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
