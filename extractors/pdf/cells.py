"""Cell text as a reader means it, and which leading rows of a grid are its header.

PDF tables wrap long cells over several lines and hyphenate words at the wrap;
a cell is one value, so the wraps are undone before anything compares or parses it.
"""

from __future__ import annotations

import re

from extractors.grid import Grid

# A word cut at a line end: a lower-case letter, a hyphen, the break, a lower-case letter.
_HYPHENATED = re.compile(r"(?P<before>\w*[a-zà-ÿ])-\s*\n\s*(?=[a-zà-ÿ])")
# Compounds whose hyphen is the word's own ("sous-total", "non-respect"): it stays.
_COMPOUND_PREFIXES = {"sous", "non", "demi", "semi", "mi", "ex", "vice", "co", "auto", "anti",
                      "contre", "entre", "arrière", "avant", "après", "grand", "grande", "peut", "est"}
_SPACES = re.compile(r"\s+")


def _unhyphenate(match: re.Match[str]) -> str:
    before = match.group("before")
    return f"{before}-" if before.lower() in _COMPOUND_PREFIXES else before


def clean_cell(text: str | None) -> str:
    """One line of text: hyphenation at line ends undone, other line breaks become spaces."""
    if not text:
        return ""
    joined = _HYPHENATED.sub(_unhyphenate, text.replace("\r", "\n").replace("\u00ad\n", ""))
    return _SPACES.sub(" ", joined).strip()


def clean_grid(grid: Grid) -> tuple[Grid, list[int]]:
    """Every cell cleaned, rows padded to one width, wholly empty rows and columns dropped.

    Returns the grid and the indices of the columns kept, so that column positions
    measured on the page can follow.
    """
    width = max((len(row) for row in grid), default=0)
    rows = [[clean_cell(cell) for cell in row] + [""] * (width - len(row)) for row in grid]
    rows = [row for row in rows if any(row)]
    keep = [c for c in range(width) if any(row[c] for row in rows)]
    return [[row[c] for c in keep] for row in rows], keep
