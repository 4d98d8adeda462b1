"""One run over raw/: every document read, reconciled and checked; nothing stops the others.

This is the only place that decides what is read; extractors, reconcilers and
expectations only see what they are handed.
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from expectations.suites import suites_for
from extractors.readers import ReadOptions, load_readers, read
from extractors.table import ExtractedDocument
from extractors.text_document import DocumentError
from pipeline.declarations import check_declarations, is_summary_data
from pipeline.discover import Assignment, discover
from pipeline.specs import Spec, SpecError, load_specs
from pipeline.validation import Validation
from reconcilers.cells import locate_in_sheet
from reconcilers.document import Reconciliation, reconcile
from reconcilers.entity_columns import Source
from reconcilers.finding import Finding, Location
from reconcilers.prose_figures import figures_across_documents
from reconcilers.summary_data.checks import DeclarationResult
from reconcilers.summary_data.totals import Materiality

# Imported by the run only after the documents are read (see `_import_meanwhile`), unless GX runs
# in a process of its own (`pipeline.validation`).
SLOW_IMPORTS = ("great_expectations", "great_expectations.expectations", "expectations.custom")


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
    seconds: float = 0.0                         # reading and checking it, Great Expectations apart
    pages: int | None = None                     # pages (or sheets) read, when the reader knows them


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


def default_jobs() -> int:
    """The cores this process may use: one document per core."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class Listener(Protocol):
    """Who follows a run as it goes (the command's progress display)."""

    def started(self, paths: Sequence[Path]) -> None: ...
    def finished(self, outcome: DocumentRun) -> None: ...


def run(raw_dir: Path, data_docs_dir: Path | None, limits: Limits = Limits(),
        materiality: Materiality = Materiality(), jobs: int = 1, listener: Listener | None = None,
        validation: Validation | None = None) -> RunResult:
    """Every document of `raw_dir` read and checked (`jobs` at a time, each in a worker process when
    jobs > 1), then Great Expectations over all of them (by `validation`, else here); `listener`
    hears of each document as it completes. The result does not depend on `jobs`: documents stay
    in discovery order."""
    specs, spec_errors = load_specs(raw_dir)
    assignments, idle_specs = discover(raw_dir, specs)
    findings: list[Finding] = [_spec_error(e) for e in spec_errors] + [_idle_spec(s) for s in idle_specs]
    if listener is not None:
        listener.started([a.path for a in assignments])
    outcomes: dict[int, DocumentRun] = {}
    meanwhile = SLOW_IMPORTS if validation is None else ()
    validation = validation or Validation()
    for index, outcome in _run_documents(assignments, limits, jobs, meanwhile):
        outcomes[index] = outcome
        if _needs_suites(outcome):
            validation.add(index, suites_for(outcome.reconciliation))
        else:
            validation.passed_over()
        if listener is not None:
            listener.finished(outcome)
    documents = [outcomes[index] for index in range(len(assignments))]
    for outcome in documents:
        findings += outcome.findings
    across = figures_across_documents([Source(d.name, list(d.reconciliation.interpreted), d.reconciliation.document)
                                       for d in documents if d.reconciliation is not None])
    expectation_findings = validation.findings(data_docs_dir)
    findings += across + expectation_findings
    documents = [_with_run_findings(d, across + expectation_findings) for d in documents]
    findings = _in_sheets(findings, documents)
    declarations, loose = check_declarations(
        (d.reconciliation.document for d in documents if d.reconciliation is not None), materiality)
    findings += loose + [f for declaration in declarations for f in declaration.findings]
    return RunResult(
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        documents=tuple(documents), findings=tuple(_unique_ids(findings)),
        data_docs=data_docs_dir, specs=tuple(s.path.name for s in specs), declarations=tuple(declarations),
    )


def _run_documents(assignments: Sequence[Assignment], limits: Limits, jobs: int, meanwhile: Sequence[str] = (),
                   ) -> Iterator[tuple[int, DocumentRun]]:
    """(index, outcome) of every document, in the order they complete; `meanwhile` imported while
    worker processes read them."""
    if jobs <= 1 or len(assignments) <= 1:
        for index, assignment in enumerate(assignments):
            yield index, _run_document(assignment, limits)
        return
    load_readers(a.path for a in assignments)
    yield from _in_processes(dict(enumerate(assignments)), limits, jobs, meanwhile)


def _in_processes(assignments: dict[int, Assignment], limits: Limits, jobs: int, meanwhile: Sequence[str] = (),
                  ) -> Iterator[tuple[int, DocumentRun]]:
    """Documents read by `jobs` forked workers (the imports are the parent's: no start-up cost);
    each task runs in its worker's main thread, so the time budget's alarm works there. A worker
    that dies (killed, out of memory) breaks the pool: the documents it took down with it are run
    again one pool each, so that only the one that killed its worker is refused."""
    context = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    broken: list[int] = []
    importing = False
    with ProcessPoolExecutor(max_workers=min(jobs, len(assignments)), mp_context=context) as pool:
        futures = {pool.submit(_run_document, assignment, limits): index for index, assignment in assignments.items()}
        for future in as_completed(futures):
            index = futures[future]
            try:
                outcome = future.result()
            except BrokenProcessPool:
                broken.append(index)
                continue
            if not importing and _needs_suites(outcome):
                _import_meanwhile(meanwhile)
                importing = True
            yield index, outcome
    if len(broken) == 1 and len(assignments) == 1:
        [index] = broken
        yield index, _refused(assignments[index], f"{assignments[index].path.name}: le processus de lecture "
                                                  f"s'est arrêté / the reading process died", 0.0)
        return
    for index in sorted(broken):
        yield from _in_processes({index: assignments[index]}, limits, 1)


def _needs_suites(outcome: DocumentRun) -> bool:
    """Whether the run will validate this document with Great Expectations. A run of Summary Data
    parts validates none: importing GX for it cost 2 CPU s and 100 MB in the parent, which made
    `--jobs 2` slower than `--jobs 1` on the 167 CSVs."""
    return outcome.reconciliation is not None and not is_summary_data(outcome.reconciliation.document)


def _import_meanwhile(modules: Sequence[str]) -> None:
    """Import what the run needs after the documents (Great Expectations: 1.6 s) while the workers
    read them: this process is idle then. Started once every worker is forked (on the first
    document that needs it), so that no child inherits an import half done."""
    def load() -> None:
        for module in modules:
            with contextlib.suppress(ImportError):
                importlib.import_module(module)
    threading.Thread(target=load, name="import-meanwhile", daemon=True).start()


def _run_document(assignment: Assignment, limits: Limits) -> DocumentRun:
    """Read and reconcile one document within its time; whatever goes wrong stays with this document."""
    spec = assignment.spec
    name = assignment.path.name
    start = time.perf_counter()
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
        pages = len({label for _, label in document.page_starts}) or None
        return DocumentRun(name, document.kind, spec.path.name if spec else None, "ok", reconciliation,
                           reconciliation.findings, time.perf_counter() - start, pages)
    return _refused(assignment, reason, time.perf_counter() - start)


def _refused(assignment: Assignment, reason: str, seconds: float) -> DocumentRun:
    """The outcome of a document that could not be read: one finding saying why."""
    spec = assignment.spec
    name = assignment.path.name
    finding = Finding(
        document=name, check="document", status="fail", severity="error", subject=name, field="",
        location=Location(text=reason), message_fr=reason, message_en=reason,
    )
    return DocumentRun(name, spec.document.kind if spec else "generic", spec.path.name if spec else None,
                       "unreadable", None, (finding,), seconds)


def _with_run_findings(document: DocumentRun, findings: list[Finding]) -> DocumentRun:
    """A document's own findings with those the run made over all documents (figures compared
    across documents, expectations) that name it, so that its verdict counts them."""
    mine = tuple(f for f in findings if f.document == document.name)
    return replace(document, findings=tuple(_in_sheets(document.findings + mine, [document])))


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


def notices(findings: Iterable[Finding]) -> list[Finding]:
    """What the user must hear without opening the report, one line each: the files and specs
    that could not be used, or only in part (a problem of the whole document, not of a cell)."""
    return [
        f for f in findings
        if f.status == "fail" and (f.check == "document" or (f.check == "extraction" and f.location.table is None))
    ]
