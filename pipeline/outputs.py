"""Writing what a run found: results.json, discrepancies.csv/.xlsx, the tables, the report.

Each file is written beside its final name, and all are moved into place together once every
one is written, so a run that fails or is killed part-way leaves every previous output whole;
the hidden temporary files a killed run leaves behind, the next run sweeps away.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from extractors.table import ExtractedTable
from pipeline.report import render_report
from pipeline.run import RunResult

DISCREPANCY_COLUMNS = ["id", "document", "check", "severity", "tables", "subject", "field", "expected",
                       "observed", "difference", "unit", "page", "sheet", "cell", "table", "row", "column", "text",
                       "message_fr", "message_en"]


STAGED_DOCS_PREFIX = ".data_docs."


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path next to `target`, moved onto it only when the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def results_document(result: RunResult) -> dict[str, Any]:
    """The contract of ARCHITECTURE.md: documents, then every check run, passed or failed."""
    return {
        "generated_at": result.generated_at,
        "documents": [
            {"name": d.name, "kind": d.kind, "spec": d.spec,
             "tables": len(d.reconciliation.document.tables) if d.reconciliation else 0, "status": d.status}
            for d in result.documents
        ],
        "results": [f.as_dict() for f in result.findings],
    }


def discrepancies_frame(result: RunResult) -> pd.DataFrame:
    rows = []
    for finding in result.findings:
        if finding.status != "fail":
            continue
        data = finding.as_dict()
        location = data.pop("location")
        rows.append({**data, **location, "tables": ", ".join(data["tables"]),
                     "expected": _cell(data["expected"]), "observed": _cell(data["observed"])})
    return pd.DataFrame(rows, columns=DISCREPANCY_COLUMNS)


def _cell(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value


def table_frame(table: ExtractedTable) -> pd.DataFrame:
    """The table as parsed, each figure beside the text it was read from."""
    frame = table.values.copy()
    for column in table.columns:
        if column.is_quantity:
            position = frame.columns.get_loc(column.key) + 1
            frame.insert(position, f"{column.key}_texte", table.cells[column.key])
    return frame


def safe_name(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name)


def write_outputs(result: RunResult, out_dir: Path, lang: str) -> None:
    """Every file is written to its temporary first, and they are moved into place together at the
    end (the report last): a failure on the way replaces nothing."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        def staged(target: Path) -> Path:
            return stack.enter_context(atomic_path(target))

        staged(out_dir / "report.html").write_text(render_report(result, lang), encoding="utf-8")
        staged(out_dir / "results.json").write_text(
            json.dumps(results_document(result), ensure_ascii=False, indent=2, default=str), encoding="utf-8")
        discrepancies = discrepancies_frame(result)
        discrepancies.to_csv(staged(out_dir / "discrepancies.csv"), index=False)
        with pd.ExcelWriter(staged(out_dir / "discrepancies.xlsx"), engine="openpyxl") as writer:
            discrepancies.to_excel(writer, index=False, sheet_name="écarts")
        for run in result.documents:
            if run.reconciliation is None:
                continue
            folder = out_dir / "tables" / safe_name(run.name)
            for table in run.reconciliation.document.tables:
                table_frame(table).to_csv(staged(folder / f"{safe_name(table.key)}.csv"), index=False)


def sweep_leftovers(out_dir: Path) -> None:
    """Remove the temporary files and staged folders a killed run left (never a finished output)."""
    for temporary in out_dir.rglob(".*.tmp"):
        if temporary.is_file():
            temporary.unlink(missing_ok=True)
    for staged in out_dir.glob(f"{STAGED_DOCS_PREFIX}*"):
        shutil.rmtree(staged, ignore_errors=True)


def replace_directory(staged: Path, target: Path) -> None:
    """Swap a freshly built folder (the Data Docs) in for the old one."""
    old = target.with_name(f"{STAGED_DOCS_PREFIX}old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(staged, target)
    shutil.rmtree(old, ignore_errors=True)
