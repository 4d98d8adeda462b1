"""All the checks of one document: the registered checks (`reconcilers.registry`), in their order."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from extractors.spec import DocumentSpec
from extractors.table import ExtractedDocument
from reconcilers.finding import Finding
from reconcilers.registry import ChecksSpec, run_checks


@dataclass(frozen=True)
class Reconciliation:
    """A document's findings and the frames the expectations and the report read."""

    document: ExtractedDocument
    findings: tuple[Finding, ...]
    frames: dict[str, pd.DataFrame] = field(default_factory=dict, hash=False)


def reconcile(document: ExtractedDocument, spec: DocumentSpec | None, checks: ChecksSpec | None) -> Reconciliation:
    findings, frames = run_checks(document, spec, checks if spec is not None else None)
    return Reconciliation(document, tuple(findings), frames)
