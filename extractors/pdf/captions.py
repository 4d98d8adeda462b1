"""Captions: the "Tableau 5 : …" line standing just above a table on its page."""

from __future__ import annotations

import re

from extractors.pdf.grids import BBox

CAPTION = re.compile(
    r"^\s*(?P<word>Tableau|Table|Tab\.|Exhibit)\s*(?:n°|no\.?|N°)?\s*(?P<number>[0-9]+(?:[.\-][0-9]+)*|[IVXLC]+)\b"
    r"\s*[:.\-–—]?\s*(?P<title>.*)$",
    re.IGNORECASE,
)
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
    """(number, title, offset) of every caption line in the prose."""
    found = []
    offset = 0
    for line in text.splitlines(keepends=True):
        match = CAPTION.match(line)
        if match:
            found.append((match.group("number"), match.group("title").strip(), offset + match.start("word")))
        offset += len(line)
    return tuple(found)
