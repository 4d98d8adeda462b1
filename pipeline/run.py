"""One run over raw/: every document read, reconciled and checked; nothing stops the others.

This is the only place that decides what is read; extractors, reconcilers and
expectations only see what they are handed.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from expectations.suites import run_suites, suites_for
from extractors.readers import ReadOptions, read
from extractors.table import ExtractedDocument
from extractors.text_document import DocumentError
from pipeline.declarations import check_declarations, is_summary_data
from pipeline.discover import Assignment, discover
from pipeline.specs import Spec, SpecError, load_specs
from reconcilers.cells import locate_in_sheet
from reconcilers.document import Reconciliation, reconcile
from reconcilers.entity_columns import Source
from reconcilers.finding import Finding, Location
from reconcilers.prose_figures import figures_across_documents
from reconcilers.summary_data.checks import DeclarationResult
from reconcilers.summary_data.totals import Materiality


@dataclass(frozen=True)
class Limits:
    """What one document may cost; past a limit the document is reported, not read."""

    max_bytes: int = 200 * 1024 * 1024
    max_pages: int = 500
    max_seconds: float = 300.0


class OutOfTime(BaseException):
    """A document's time is up. A BaseException, so that no extractor's broad `except Exception`
    mistakes it for a damaged file."""


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise OutOfTime in the block after `seconds` (SIGALRM, so only in the main thread; elsewhere,
    or with seconds <= 0, the block runs unbounded). Pure-Python loops and regex matching are
    interrupted; a call blocked inside a C library is stopped when it returns."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise OutOfTime

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class DocumentRun:
    """One document's outcome: its reconciliation, or why it could not be read."""

    name: str
    kind: str
    spec: str | None
    status: str                                  # ok | unreadable (refused, out of time, or failed)
    reconciliation: Reconciliation | None
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class RunResult:
    generated_at: str
    documents: tuple[DocumentRun, ...]
    findings: tuple[Finding, ...]                # every finding of the run, documents' and specs'
    data_docs: Path | None = None
    specs: tuple[str, ...] = field(default=())
    declarations: tuple[DeclarationResult, ...] = ()   # EITI Summary Data declarations found among the documents


def read_document(path: Path, spec: Spec | None, limits: Limits) -> ExtractedDocument:
    """The reader that fits the file; raises DocumentError (one line) when it cannot be read."""
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise DocumentError(f"{path.name}: {size} octets, au-delà de la limite --max-bytes de {limits.max_bytes} "
                            f"/ over the --max-bytes limit")
    return read(path, spec.document if spec else None, ReadOptions(max_pages=limits.max_pages))


def run(raw_dir: Path, data_docs_dir: Path | None, limits: Limits = Limits(),
        materiality: Materiality = Materiality()) -> RunResult:
    specs, spec_errors = load_specs(raw_dir)
    assignments, idle_specs = discover(raw_dir, specs)
    findings: list[Finding] = [_spec_error(e) for e in spec_errors] + [_idle_spec(s) for s in idle_specs]
    documents: list[DocumentRun] = []
    suites = []
    for assignment in assignments:
        outcome = _run_document(assignment, limits)
        documents.append(outcome)
        findings += outcome.findings
        if outcome.reconciliation is not None and not is_summary_data(outcome.reconciliation.document):
            suites += suites_for(outcome.reconciliation)
    findings += figures_across_documents([Source(d.name, list(d.reconciliation.interpreted), d.reconciliation.document)
                                          for d in documents if d.reconciliation is not None])
    expectation_findings = run_suites(suites, data_docs_dir)
    findings += expectation_findings
    documents = [_with_expectations(d, expectation_findings) for d in documents]
    findings = _in_sheets(findings, documents)
    declarations, loose = check_declarations(
        (d.reconciliation.document for d in documents if d.reconciliation is not None), materiality)
    findings += loose + [f for declaration in declarations for f in declaration.findings]
    return RunResult(
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        documents=tuple(documents), findings=tuple(_unique_ids(findings)),
        data_docs=data_docs_dir, specs=tuple(s.path.name for s in specs), declarations=tuple(declarations),
    )


def _run_document(assignment: Assignment, limits: Limits) -> DocumentRun:
    """Read and reconcile one document within its time; whatever goes wrong stays with this document."""
    spec = assignment.spec
    name = assignment.path.name
    try:
        with time_budget(limits.max_seconds):
            document = read_document(assignment.path, spec, limits)
            reconciliation = reconcile(document, spec.document if spec else None, spec.checks if spec else None)
    except OutOfTime:
        reason = (f"{name}: lecture arrêtée après {limits.max_seconds:g} s (limite --max-seconds) "
                  f"/ stopped after {limits.max_seconds:g} s (--max-seconds limit)")
    except (DocumentError, OSError) as error:
        reason = " ".join(str(error).split())
    except Exception as error:  # noqa: BLE001 - a fault in one document must not lose the others
        reason = (f"{name}: erreur interne, document ignoré / internal error, document skipped "
                  f"({type(error).__name__}: {' '.join(str(error).split())})")
    else:
        return DocumentRun(name, document.kind, spec.path.name if spec else None, "ok", reconciliation,
                           reconciliation.findings)
    finding = Finding(
        document=name, check="document", status="fail", severity="error", subject=name, field="",
        location=Location(text=reason), message_fr=reason, message_en=reason,
    )
    return DocumentRun(name, spec.document.kind if spec else "generic", spec.path.name if spec else None,
                       "unreadable", None, (finding,))


def _with_expectations(document: DocumentRun, findings: list[Finding]) -> DocumentRun:
    mine = tuple(f for f in findings if f.document == document.name)
    return DocumentRun(document.name, document.kind, document.spec, document.status,
                       document.reconciliation, tuple(_in_sheets(document.findings + mine, [document])))


def _in_sheets(findings: Iterable[Finding], documents: list[DocumentRun]) -> list[Finding]:
    """Findings on spreadsheet tables pointed at their sheet and cell."""
    tables = {d.name: d.reconciliation.document.tables for d in documents if d.reconciliation is not None}
    return [locate_in_sheet(f, tables.get(f.document, ())) for f in findings]


def _spec_error(error: SpecError) -> Finding:
    return Finding(
        document=error.file, check="document", status="fail", severity="error", subject=error.file, field="spec",
        location=Location(row=error.line, text=error.reason), message_fr=str(error), message_en=str(error),
    )


def _idle_spec(spec: Spec) -> Finding:
    globs = ", ".join(spec.document.documents)
    return Finding(
        document=spec.path.name, check="document", status="fail", severity="warning", subject=spec.path.name,
        field="documents", expected=list(spec.document.documents), observed=[],
        message_fr=f"{spec.path.name} : aucun document de raw/ ne correspond à {globs}.",
        message_en=f"{spec.path.name}: no document in raw/ matches {globs}.",
    )


def _unique_ids(findings: list[Finding]) -> list[Finding]:
    """Ids must be unique; a repeated one (the same check twice on one subject) gets a suffix."""
    seen: dict[str, int] = {}
    unique = []
    for finding in findings:
        count = seen.get(finding.id, 0)
        seen[finding.id] = count + 1
        if count:
            finding = replace(finding, key=f"{finding.key}-{count + 1}")
        unique.append(finding)
    return unique


def notices(result: RunResult) -> list[Finding]:
    """What the user must hear without opening the report, one line each: the files and specs
    that could not be used, or only in part (a problem of the whole document, not of a cell)."""
    return [
        f for f in result.findings
        if f.status == "fail" and (f.check == "document" or (f.check == "extraction" and f.location.table is None))
    ]
