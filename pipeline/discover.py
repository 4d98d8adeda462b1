"""What is in raw/: the documents to read, the spec that serves each, and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from extractors.readers import is_readable
from pipeline.specs import Spec


@dataclass(frozen=True)
class Assignment:
    """A document and the spec that serves it (None: generic extraction only)."""

    path: Path
    spec: Spec | None


def discover(raw_dir: Path, specs: list[Spec]) -> tuple[list[Assignment], list[Spec]]:
    """Documents in path order, subfolders included (per-part folders of Summary Data CSVs), each with
    the first spec whose globs match it; and the specs that match no document (worth a line)."""
    documents = sorted(p for p in raw_dir.rglob("*") if p.is_file() and is_readable(p)
                       and not any(part.startswith(".") for part in p.relative_to(raw_dir).parts))
    assignments = [Assignment(path, next((s for s in specs if s.serves(path.name)), None)) for path in documents]
    used = {a.spec.path for a in assignments if a.spec}
    return assignments, [s for s in specs if s.path not in used]
