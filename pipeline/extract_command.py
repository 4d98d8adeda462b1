"""`itie-reconcile extract`: every table of the given files to CSV, with a JSON index, no spec needed.

One bad file is a line on stderr, not the end of the run: the others are still
written. The exit status follows ARCHITECTURE.md (0 done, 2 nothing readable).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from extractors.readers import read
from extractors.table import ExtractedDocument, ExtractedTable

EXIT_OK = 0
EXIT_NOTHING_READABLE = 2


def _read(path: Path) -> ExtractedDocument | None:
    """The document's tables, or None (said on stderr) when it cannot be read."""
    try:
        return read(path, None)
    except (ValueError, OSError) as error:
        print(f"{path.name}: {error}" if path.name not in str(error) else str(error), file=sys.stderr)
        return None


def _table_entry(number: int, table: ExtractedTable) -> dict:
    p = table.provenance
    return {
        "n": number,
        "csv": f"{number}.csv",
        "key": table.key,
        "title": p.title,
        "pages": list(p.pages),
        "bbox": list(p.bbox) if p.bbox else None,
        "bbox_units": "points from the page's top-left corner (x0, top, x1, bottom)",
        "reader": Path(p.document).suffix.lstrip(".").lower(),
        "method": p.method,
        "reason": p.reason,
        "quality": p.quality,
        "caption": p.caption or None,
        "sheet": p.sheet,
        "area": p.area,
        "context": list(table.context),
        "merges": list(table.merges),
        "columns": [{"key": c.key, "label": c.label, "type": c.type} for c in table.columns],
        "rows": len(table.cells),
    }


def write_document(document: ExtractedDocument, folder: Path) -> None:
    """`<n>.csv` per table (header: column labels; body: cell text as printed) and `tables.json`."""
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    for number, table in enumerate(document.tables, start=1):
        frame = table.cells[[c.key for c in table.columns]]
        frame.columns = [c.label for c in table.columns]
        frame.to_csv(folder / f"{number}.csv", index=False)
        entries.append(_table_entry(number, table))
    index = {
        "document": document.name,
        "tables": entries,
        "problems": [{"page": p.page, "sheet": p.sheet, "cell": p.cell, "reason_fr": p.reason_fr,
                      "reason_en": p.reason_en} for p in document.problems],
    }
    (folder / "tables.json").write_text(json.dumps(index, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def extract_files(paths: list[Path], out_dir: Path) -> int:
    """Write every table of every readable file under `out_dir/<file name>/`; the exit status."""
    readable = 0
    for path in paths:
        path = Path(path)
        if not path.is_file():
            print(f"{path}: no such file", file=sys.stderr)
            continue
        document = _read(path)
        if document is None:
            continue
        write_document(document, Path(out_dir) / path.name)
        readable += 1
    return EXIT_OK if readable else EXIT_NOTHING_READABLE
