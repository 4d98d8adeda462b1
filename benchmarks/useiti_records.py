"""Record recovery on a real reconciliation report: the 2015 USEITI Appendix C against its spreadsheet.

The publisher's spreadsheet (`reconciliation_2015-12-10.xlsx`) holds, per company and revenue
stream, the figures the report's tables C-1 … C-11 print (sheet `Data`, one row per company,
`<stream> Government` / `<stream> Company` columns) and those of table C-13 (sheet
`Taxes Reconciliation Data`). A record (company, stream) is recovered by a method when one row
of one table it extracted from that stream's pages holds the whole company name and, in two
cells of their own, the government and the company figures (`$1,234`, `($1,234)`, `DNP` as
printed). Company names wrapped over two or three lines are the hard part: a parser that
splits them loses the record.

Every method reads the same pages (a copy of the appendix's pages, written once), in one run:

    .venv/bin/python -m benchmarks.useiti_records ../shared/corpus/useiti-2015 --out benchmarks/results

Streams are tied to tables by order (the spreadsheet lists its streams in the order of the
tables C-1 … C-11; the script checks that each stream's words appear in its table's title) and
a table's pages run from its `TABLE C-n:` title to the page of the next table's title.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.icdar import normalise, quiet

Grid = list[list[str]]
PDF_NAME = "USEITI_extractive-revenue-appendix_2015-12-22.pdf"
XLSX_NAME = "reconciliation_2015-12-10.xlsx"
_TITLE = re.compile(r"^TABLE C-(?P<number>\d+):\s*(?P<title>.*)$")


@dataclass(frozen=True)
class Record:
    company: str
    stream: str
    table: int                 # the C-n number of the table that prints it
    government: str            # the figure as the report prints it: "$1,234", "($1,234)", "DNP"
    reported: str              # the company's figure, same spelling


def printed(value: object) -> str:
    """A spreadsheet value written as the report prints it."""
    if isinstance(value, str):
        return value.strip()
    number = round(float(value))
    return f"(${-number:,})" if number < 0 else f"${number:,}"


def figure_key(text: str) -> str:
    """A figure compared on its sign, digits and markers only (`( $1,234 )` = `($1,234)`)."""
    return re.sub(r"[^0-9A-Za-z()/-]", "", text).upper()


def read_records(xlsx: Path, titles: dict[int, str]) -> list[Record]:
    """Every (company, stream) record of the spreadsheet with the table that prints it."""
    import openpyxl

    book = openpyxl.load_workbook(xlsx, data_only=True, read_only=True)
    records: list[Record] = []
    for sheet, first_table in (("Data", 1), ("Taxes Reconciliation Data", None)):
        rows = list(book[sheet].iter_rows(values_only=True))
        header = [str(cell or "") for cell in rows[0]]
        streams = [label[: -len(" Government")] for label in header if label.endswith(" Government")]
        if first_table is None:
            first_table = max(titles)            # the tax reconciliation is the last table
        for offset, stream in enumerate(streams):
            table = first_table + offset
            words = set(normalise(w) for w in re.findall(r"[A-Za-z]{4,}", stream))
            if not any(w[:5] in normalise(titles.get(table, "")) for w in words):
                raise SystemExit(f"stream {stream!r} does not match table C-{table} {titles.get(table)!r}")
            government, company = header.index(f"{stream} Government"), header.index(f"{stream} Company")
            for row in rows[1:]:
                name = str(row[0] or "").strip()
                if not name or name.lower().startswith("total") or row[government] is None:
                    continue
                records.append(Record(name, stream, table, printed(row[government]), printed(row[company])))
    return records


def table_pages(pdf: Path, first: int, last: int) -> tuple[dict[int, str], dict[int, range]]:
    """Title and page range (1-based, within `first..last`) of every `TABLE C-n` of the appendix."""
    import pdfplumber

    titles: dict[int, str] = {}
    starts: dict[int, int] = {}
    with pdfplumber.open(pdf) as document:
        for page in document.pages[first - 1:last]:
            for line in (page.extract_text() or "").splitlines():
                match = _TITLE.match(line.strip())
                if match and "(continued)" not in line and int(match.group("number")) not in titles:
                    titles[int(match.group("number"))] = match.group("title")
                    starts[int(match.group("number"))] = page.page_number
            page.close()
    ordered = sorted(starts)
    # A table may end on the page where the next one starts: that page is searched for both.
    ranges = {n: range(starts[n], (starts[ordered[i + 1]] + 1 if i + 1 < len(ordered) else last + 1))
              for i, n in enumerate(ordered)}
    return titles, ranges


def copy_pages(pdf: Path, first: int, last: int, target: Path) -> None:
    """The pages `first..last` as a PDF of their own, so that every method reads the same pages."""
    import pypdfium2

    source = pypdfium2.PdfDocument(pdf)
    copy = pypdfium2.PdfDocument.new()
    copy.import_pages(source, list(range(first - 1, last)))
    copy.save(target)


PagedGrid = tuple[int, Grid]     # (page of the copy where the table starts, rows)


def _camelot(flavor: str) -> Callable[[Path], list[PagedGrid]]:
    def run(path: Path) -> list[PagedGrid]:
        import camelot

        return [(int(t.page), t.df.astype(str).values.tolist())
                for t in camelot.read_pdf(str(path), pages="all", flavor=flavor)]

    return run


def _pdfplumber(path: Path) -> list[PagedGrid]:
    import pdfplumber

    found: list[PagedGrid] = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            found += [(page.page_number, [[cell or "" for cell in row] for row in table])
                      for table in page.extract_tables()]
    return found


def _project(path: Path) -> list[PagedGrid]:
    """The tables `extract_pdf` returns with no spec: their cells as the report and the CSVs show them."""
    from extractors.pdf import extract_pdf

    document = extract_pdf(path)
    return [(int(table.provenance.pages[0]),
             table.cells[[c.key for c in table.columns]].astype(str).values.tolist())
            for table in document.tables]


METHODS: dict[str, Callable[[Path], list[PagedGrid]]] = {
    "itie-reconcile": _project,
    "camelot-lattice": _camelot("lattice"),
    "camelot-network": _camelot("network"),
    "pdfplumber-default": _pdfplumber,
}


def row_holds(row: list[str], record: Record) -> bool:
    """The row prints the whole name and both figures, each figure in a cell of its own."""
    if normalise(record.company) not in normalise(" ".join(row)):
        return False
    figures = [figure_key(cell) for cell in row]
    wanted = [figure_key(record.government), figure_key(record.reported)]
    for figure in wanted:
        if figure not in figures:
            return False
        figures.remove(figure)
    return True


def _half_match(row: list[str], record: Record) -> bool:
    """The row prints the whole name and one of the two figures: the other one differs."""
    figures = [figure_key(cell) for cell in row]
    return normalise(record.company) in normalise(" ".join(row)) and (
        figure_key(record.government) in figures or figure_key(record.reported) in figures)


def recovery(records: list[Record], grids: list[PagedGrid], pages: dict[int, range]) -> dict:
    """Share of records recovered, overall and per table; the records missed, with the row that
    prints the name and one figure when there is one (the PDF and the spreadsheet then disagree
    on the other figure: both are shown)."""
    per_table: dict[str, list[int]] = {}
    missed = []
    disagreements = 0
    for record in records:
        on_pages = pages[record.table]
        rows = [row for page, grid in grids if page in on_pages for row in grid]
        found = any(row_holds(row, record) for row in rows)
        counts = per_table.setdefault(f"C-{record.table}", [0, 0])
        counts[0] += found
        counts[1] += 1
        if not found:
            half = next((row for row in rows if _half_match(row, record)), None)
            disagreements += half is not None
            seen = " | ".join(cell for cell in half if cell) if half else "no row with the name and either figure"
            missed.append(f"C-{record.table} {record.company}: {record.government} / {record.reported} "
                          f"(spreadsheet); extracted: {seen}")
    recovered = sum(c[0] for c in per_table.values())
    return {"recovered": recovered, "records": len(records), "recovery": round(recovered / len(records), 4),
            "missed_with_one_figure_differing": disagreements,
            "per_table": {k: round(a / b, 4) for k, (a, b) in per_table.items()}, "missed": missed}


def run(corpus: Path, first: int, last: int, methods: list[str]) -> dict:
    titles, ranges = table_pages(corpus / PDF_NAME, first, last)
    records = read_records(corpus / XLSX_NAME, titles)
    pages = {n: range(r.start - first + 1, r.stop - first + 1) for n, r in ranges.items()}   # in the copy
    report: dict = {"document": PDF_NAME, "pages": f"{first}-{last}", "truth": XLSX_NAME,
                    "records": len(records), "tables": {f"C-{n}": titles[n] for n in sorted(titles)}, "methods": {}}
    with tempfile.TemporaryDirectory(prefix="useiti-") as scratch:
        copy = Path(scratch) / f"pages-{first}-{last}.pdf"
        copy_pages(corpus / PDF_NAME, first, last, copy)
        for name in methods:
            start = time.perf_counter()
            with quiet():
                grids = METHODS[name](copy)
            seconds = time.perf_counter() - start
            result = {**recovery(records, grids, pages), "tables_found": len(grids), "seconds": round(seconds, 2),
                      "seconds_per_page": round(seconds / (last - first + 1), 4)}
            report["methods"][name] = result
            print(f"{name:20s} recovery={result['recovery']:.4f} ({result['recovered']}/{result['records']}) "
                  f"{seconds:.1f} s", file=sys.stderr)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="the useiti-2015 folder of the shared corpus")
    parser.add_argument("--pages", default="41-73", help="the appendix's pages (Appendix C: 41-73)")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    parser.add_argument("--methods", nargs="*", default=list(METHODS), choices=list(METHODS))
    args = parser.parse_args(argv)
    first, last = (int(p) for p in args.pages.split("-"))
    report = run(args.corpus, first, last, args.methods)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "useiti_records.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
