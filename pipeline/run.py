"""One run over raw/: every document read, reconciled and checked; nothing stops the others.

This is the only place that decides what is read; extractors, reconcilers and
expectations only see what they are handed.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from expectations.suites import run_suites, suites_for
from extractors.table import ExtractedDocument
from extractors.text_document import DocumentError, extract_text_document
from pipeline.discover import Assignment, discover
from pipeline.specs import Spec, SpecError, load_specs
from reconcilers.document import Reconciliation, reconcile
from reconcilers.finding import Finding, Location


@dataclass(frozen=True)
class Limits:
    """What one document may cost; past a limit the document is reported, not read."""

    max_bytes: int = 200 * 1024 * 1024
    max_pages: int = 500


@dataclass(frozen=True)
class DocumentRun:
    """One document's outcome: its reconciliation, or why it could not be read."""

    name: str
    kind: str
    spec: str | None
    status: str                                  # ok | unreadable
    reconciliation: Reconciliation | None
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class RunResult:
    generated_at: str
    documents: tuple[DocumentRun, ...]
    findings: tuple[Finding, ...]                # every finding of the run, documents' and specs'
    data_docs: Path | None = None
    specs: tuple[str, ...] = field(default=())


def read_document(path: Path, spec: Spec | None, limits: Limits) -> ExtractedDocument:
    """The extractor that fits the file; raises DocumentError (one line) when it cannot be read."""
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise DocumentError(f"{path.name}: {size} octets, au-delà de la limite de {limits.max_bytes} / over the size limit")
    if path.suffix.lower() == ".pdf":
        from extractors.pdf import PdfError, extract_pdf

        try:
            return extract_pdf(path, spec.document if spec else None, max_pages=limits.max_pages)
        except PdfError as error:
            raise DocumentError(str(error)) from error
    return extract_text_document(path, spec.document if spec else None)


def run(raw_dir: Path, data_docs_dir: Path | None, limits: Limits = Limits()) -> RunResult:
    specs, spec_errors = load_specs(raw_dir)
    assignments, idle_specs = discover(raw_dir, specs)
    findings: list[Finding] = [_spec_error(e) for e in spec_errors] + [_idle_spec(s) for s in idle_specs]
    documents: list[DocumentRun] = []
    suites = []
    for assignment in assignments:
        outcome = _run_document(assignment, limits)
        documents.append(outcome)
        findings += outcome.findings
        if outcome.reconciliation is not None:
            thresholds = {r.kind: r.threshold for r in assignment.spec.checks.entities} if assignment.spec else {}
            suites += suites_for(outcome.reconciliation, thresholds)
    expectation_findings = run_suites(suites, data_docs_dir)
    findings += expectation_findings
    documents = [_with_expectations(d, expectation_findings) for d in documents]
    for finding in findings:
        if finding.check in ("document",) and finding.status == "fail":
            print(finding.message_fr, file=sys.stderr)
    return RunResult(
        generated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        documents=tuple(documents), findings=tuple(_unique_ids(findings)),
        data_docs=data_docs_dir, specs=tuple(s.path.name for s in specs),
    )


def _run_document(assignment: Assignment, limits: Limits) -> DocumentRun:
    spec = assignment.spec
    name = assignment.path.name
    try:
        document = read_document(assignment.path, spec, limits)
    except (DocumentError, OSError) as error:
        finding = Finding(
            document=name, check="document", status="fail", severity="error", subject=name, field="",
            location=Location(text=str(error)),
            message_fr=f"{error}", message_en=f"{error}",
        )
        return DocumentRun(name, spec.document.kind if spec else "generic", spec.path.name if spec else None,
                           "unreadable", None, (finding,))
    reconciliation = reconcile(document, spec.document if spec else None, spec.checks if spec else None)
    return DocumentRun(name, document.kind, spec.path.name if spec else None, "ok", reconciliation,
                       reconciliation.findings)


def _with_expectations(document: DocumentRun, findings: list[Finding]) -> DocumentRun:
    mine = tuple(f for f in findings if f.document == document.name)
    return DocumentRun(document.name, document.kind, document.spec, document.status,
                       document.reconciliation, document.findings + mine)


def _spec_error(error: SpecError) -> Finding:
    name = str(error).split(":", 1)[0].split(",", 1)[0]
    return Finding(
        document=name, check="document", status="fail", severity="error", subject=name, field="spec",
        location=Location(text=str(error)), message_fr=str(error), message_en=str(error),
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
            finding = Finding(**{**finding.__dict__, "key": f"{finding.key}-{count + 1}"})
        unique.append(finding)
    return unique
