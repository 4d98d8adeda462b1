"""What a person at a terminal sees during a run: a line per document as it completes and bars
over documents and pages. Silent under --quiet, in CI logs and when stderr is not a terminal
(the problems themselves are told by the command whatever this shows)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from tqdm import tqdm

from extractors.quantity import format_number
from pipeline.run import DocumentRun

WORDS = {
    "fr": {"documents": "documents", "page": "page", "pages": "pages", "unreadable": "illisible",
           "findings": "{failed} écarts sur {checks} contrôles", "sep": " : "},
    "en": {"documents": "documents", "page": "page", "pages": "pages", "unreadable": "unreadable",
           "findings": "{failed} findings out of {checks} checks", "sep": ": "},
}


def shown(quiet: bool, stream: TextIO = sys.stderr) -> bool:
    """Progress is for a person at a terminal, not for CI logs or pipes."""
    return not quiet and stream.isatty() and not os.environ.get("CI")


def document_line(outcome: DocumentRun, lang: str, pages: int | None = None) -> str:
    """`par.pdf : 38 pages, 6,2 s, 12 écarts sur 150 contrôles` (before Great Expectations);
    `pages` when the reader did not say how many it read."""
    words = WORDS[lang]
    parts = []
    pages = outcome.pages or pages
    if pages:
        parts.append(f"{pages} {words['page' if pages == 1 else 'pages']}")
    parts.append(f"{format_number(outcome.seconds, lang, 1)} s")
    if outcome.status == "ok":
        failed = sum(1 for f in outcome.findings if f.status == "fail")
        parts.append(words["findings"].format(failed=format_number(failed, lang), checks=format_number(len(outcome.findings), lang)))
    else:
        parts.append(words["unreadable"])
    return f"{outcome.name}{words['sep']}{', '.join(parts)}"


class Progress:
    """A run's listener (pipeline.run.Listener) drawing tqdm bars on stderr."""

    def __init__(self, lang: str, stream: TextIO = sys.stderr) -> None:
        self.lang = lang
        self.stream = stream
        self.bars: list[tqdm] = []
        self.pages: dict[str, int] = {}

    def started(self, paths: Sequence[Path]) -> None:
        tqdm.monitor_interval = 0          # no monitor thread: the run forks its workers after this
        words = WORDS[self.lang]
        self.pages = {p.name: _pages(p) for p in paths}
        self.bars = [
            tqdm(total=len(paths), desc=words["documents"], unit=" doc", file=self.stream, position=0, leave=False),
            tqdm(total=sum(self.pages.values()), desc=words["pages"], unit=" p.", file=self.stream, position=1,
                 leave=False),
        ]

    def finished(self, outcome: DocumentRun) -> None:
        documents, pages = self.bars
        counted = self.pages.get(outcome.name, 0)
        tqdm.write(document_line(outcome, self.lang, counted), file=self.stream)
        documents.update(1)
        pages.update(counted)

    def close(self) -> None:
        for bar in self.bars:
            bar.close()


def _pages(path: Path) -> int:
    """A PDF's page count for the bar (nothing parsed); other files count no page."""
    if path.suffix.lower() != ".pdf":
        return 0
    from extractors.pdf.document import count_pages

    try:
        return count_pages(path)
    except ValueError:
        return 0
