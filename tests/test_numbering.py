"""Numbering findings stay quiet where a real report is right: a sentence citing a table is no
caption, a caption repeated on its continuation page is the same table, and a first column of
measures is no row numbering. The action plan's real duplicate (row 5.9) is held elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.readers import read
from reconcilers.extraction import caption_findings, duplicate_row_findings

ICDAR = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "icdar2013-us"
needs_corpus = pytest.mark.skipif(not ICDAR.is_dir(), reason="../shared/corpus is absent")


@needs_corpus
@pytest.mark.parametrize("name", ["us-018.pdf", "us-024.pdf", "us-027.pdf", "us-030.pdf", "us-031a.pdf"])
def test_cited_and_continued_captions_are_not_two_tables(name):
    document = read(ICDAR / name, None)
    assert len(document.captions) >= 2          # the citation or the continued caption is seen …
    assert caption_findings(document) == []     # … and not taken for a second table of that number


@needs_corpus
def test_a_column_of_measures_is_not_a_row_numbering():
    document = read(ICDAR / "us-019.pdf", None)
    labels = [list(t.cells["row"]) for t in document.tables]
    assert any(label.count("1.7") == 2 for label in labels)     # 1.7 printed twice in a first column …
    assert [f for t in document.tables for f in duplicate_row_findings(t)] == []   # … of rates, not numbers
