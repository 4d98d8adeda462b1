"""Captions: the "Tableau 5 : …" line standing just above a table on its page."""

from __future__ import annotations

import re

from extractors.captions import CAPTION
from extractors.captions import _is_table_of_contents as is_table_of_contents
from extractors.pdf.grids import BBox

REACH = 80.0   # points above a table within which its caption may stand


def lines_above(lines: list[dict], bbox: BBox) -> list[str]:
    """Text lines just above the box and overlapping it horizontally, nearest first."""
    x0, top, x1, _ = bbox
    near = [
        line for line in lines
        if top - REACH <= line["top"] and line["bottom"] <= top + 2
        and line["x0"] < x1 and line["x1"] > x0
    ]
    return [line["text"].strip() for line in sorted(near, key=lambda line: -line["bottom"])]


def find_caption(candidates: list[str], pattern: re.Pattern[str] = CAPTION) -> str:
    """The nearest candidate line that reads as a caption, or ""."""
    return next((text for text in candidates if pattern.search(text)), "")


def captions_in(text: str) -> tuple[tuple[str, str, int], ...]:
    """(number, title, offset) of every caption paragraph in the prose, lists of tables excluded
    (an entry there is followed by a dot leader, as the text path tells them)."""
    found = []
    offset = 0
    for line in text.splitlines(keepends=True):
        match = CAPTION.match(line)
        if match and not is_table_of_contents(line, match.start("title")):
            found.append((match.group("number"), match.group("title").strip(), offset + match.start("word")))
        offset += len(line)
    return tuple(found)
