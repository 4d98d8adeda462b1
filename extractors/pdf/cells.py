"""Cell text as a reader means it, and which leading rows of a grid are its header.

PDF tables wrap long cells over several lines and hyphenate words at the wrap;
a cell is one value, so the wraps are undone before anything compares or parses it.
"""

from __future__ import annotations

import re

from extractors.quantity import QuantityError, parse_quantity

Grid = list[list[str]]

# A word cut at a line end: a lower-case letter, a hyphen, the break, a lower-case letter.
_HYPHENATED = re.compile(r"(?P<before>\w*[a-zà-ÿ])-\s*\n\s*(?=[a-zà-ÿ])")
# Compounds whose hyphen is the word's own ("sous-total", "non-respect"): it stays.
_COMPOUND_PREFIXES = {"sous", "non", "demi", "semi", "mi", "ex", "vice", "co", "auto", "anti",
                      "contre", "entre", "arrière", "avant", "après", "grand", "grande", "peut", "est"}
_SPACES = re.compile(r"\s+")
_YEAR = re.compile(r"(?:19|20)\d\d")
MAX_HEADER_ROWS = 3


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


def is_number(text: str) -> bool:
    """Whether a cell reads as a figure with the project's one quantity grammar."""
    for kind in ("number", "area", "money", "percent"):
        try:
            parse_quantity(text, kind)
            return True
        except QuantityError:
            continue
    return False


def _is_header_like(row: list[str]) -> bool:
    """No figure outside the first cell, or only years over an empty corner (`| 2005 | 2010`)."""
    figures = [cell for cell in row[1:] if cell and is_number(cell)]
    if not figures:
        return True
    return not row[0] and all(_YEAR.fullmatch(cell) for cell in figures)


def header_rows(grid: Grid) -> int:
    """How many leading rows form the header: those before the first row of figures.

    A table of words only (an action plan) has no row of figures: its first row is
    the header. A one-row grid has no header.
    """
    if len(grid) < 2:
        return 0
    count = 0
    for row in grid[: MAX_HEADER_ROWS + 1]:
        if not _is_header_like(row):
            break
        count += 1
    if count > MAX_HEADER_ROWS or count == len(grid):
        return 1
    return count


def header_labels(grid: Grid, rows: int) -> list[str]:
    """One label per column: the header rows' texts top to bottom.

    Above the last header row a group label ("2005" over Number | Percent) is printed
    once and spans the empty cells to its right, so it is carried over them.
    """
    width = len(grid[0]) if grid else 0
    labels: list[list[str]] = [[] for _ in range(width)]
    for index, row in enumerate(grid[:rows]):
        spans = index < rows - 1
        current = ""
        for c, cell in enumerate(row):
            current = cell or (current if spans else "")
            if current and (not labels[c] or labels[c][-1] != current):
                labels[c].append(current)
    return [" ".join(parts) for parts in labels]
