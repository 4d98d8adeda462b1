"""A grid of cell texts with no spec: which rows are context, which its header, what each column holds.

A PDF table, a block of tab-separated lines in a text dump and a spreadsheet block all arrive
as a grid; without a spec, the lines printed above the header (title, caption, thresholds,
legend) are told apart from it, every grid column becomes a column `c0`, `c1`, … labelled by
its header, typed as a quantity when all of its cells read as one kind (placeholders such as
`DNP` allowed), and each row gets its kind (item, sub-total, total) from its first printed cell.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from extractors.captions import CAPTION
from extractors.quantity import PLACEHOLDERS, Quantity, QuantityError, parse_quantity

Grid = list[list[str]]

MAX_HEADER_ROWS = 3
MAX_PRINTED_HEADER_ROWS = 5     # a header found under context lines may wrap over this many lines
# A "name: value" line (thresholds, legend).
_KEY_VALUE = re.compile(r"\w\s*:(?:\s|$)")
_YEAR = re.compile(r"(?:19|20)\d\d")
# The one grammar of total and sub-total labels, as the corpora print them: "Sous-total", "Sous Total
# Axe 3", "sous total", "Subtotal"; "Total", "TOTAL GENERAL", "Total général", "Grand total", "TOTAL
# REVENUE", "Totaux", "Ensemble" alone (a French statistical table's total row); "All items" is left
# alone (a label). Flags are inline so that other patterns can embed these (`TOTAL_LABEL.pattern`).
_SUB = r"(?i:sous|sub)[\s\-]*"
_TOTAL_WORD = r"(?i:tota(?:l|ux))"
# Where a row's label starts (a grid's first printed cell).
_SUBTOTAL = re.compile(rf"^\s*{_SUB}(?:{_TOTAL_WORD}|(?i:totals))\b")
_TOTAL = re.compile(rf"^\s*(?:(?:(?i:grand)[\s\-]+)?{_TOTAL_WORD}\b|(?i:ensemble)\s*$)")
# Anywhere in flattened text (a row's words run together with its figures).
TOTAL_LABEL = re.compile(rf"(?<![\w-])(?:{_SUB})?{_TOTAL_WORD}(?![\w-])")
_NOT_ALNUM = re.compile(r"[\W_]+")
# Kinds tried, in order, on a column no spec describes.
_GUESSED_KINDS = ("number", "area", "money", "percent")


def is_number(text: str) -> bool:
    """Whether a cell starts with a figure of the project's one quantity grammar (words may follow)."""
    return _kind_of_all([text], whole=False) is not None


def is_placeholder(text: str) -> bool:
    """A marker printed instead of a figure (`DNP`, `N/A`, `néant`, `-`)."""
    return " ".join(text.lower().split()) in PLACEHOLDERS


@lru_cache(maxsize=16384)
def _quantity(text: str, kind: str, convention: str | None) -> Quantity | None:
    """The cell read as `kind`, or None; cached, since a table's cells are tried kind after kind
    and the same texts ($0, N/A, 0.00%) come back on every page."""
    try:
        return parse_quantity(text, kind, None, convention)
    except QuantityError:
        return None


def _kind_of_all(texts: list[str], *, whole: bool, convention: str | None = None) -> str | None:
    """The first quantity kind every text parses as (with nothing after it, when `whole`), at least
    one of them a figure rather than a placeholder."""
    for kind in _GUESSED_KINDS:
        read = [_quantity(text, kind, convention) for text in texts]
        if any(quantity is None for quantity in read):
            continue
        quantities = [quantity for quantity in read if quantity is not None]
        if all(math.isnan(quantity.value) for quantity in quantities):
            return None
        if not whole or not any(quantity.label for quantity in quantities):
            return kind
    return None


def guess_kind(texts: list[str], convention: str | None = None) -> str:
    """The first quantity kind every non-empty cell is, whole ("1.Cadre légal" is text), else "text"."""
    filled = [text for text in texts if text]
    return (_kind_of_all(filled, whole=True, convention=convention) if filled else None) or "text"


@lru_cache(maxsize=16384)
def is_figure(text: str) -> bool:
    """A figure in either convention, or a placeholder printed instead of one."""
    return bool(text) and (is_placeholder(text) or _kind_of_all([text], whole=True, convention="en") is not None
                           or _kind_of_all([text], whole=True) is not None)


def _first_data_row(grid: Grid) -> int | None:
    """The first row holding figures in at least half of the grid's figure columns (columns past the
    first whose filled cells are mostly figures or placeholders); None in a table of words."""
    width = max((len(row) for row in grid), default=0)
    figures = [[c < len(row) and is_figure(row[c]) for c in range(width)] for row in grid]
    numeric = [c for c in range(1, width)
               if sum(f[c] for f in figures) * 2 >= sum(1 for row in grid if c < len(row) and row[c])]
    if not numeric:
        return None
    needed = max(1, math.ceil(len(numeric) / 2))
    for r, row in enumerate(grid):
        if sum(figures[r][c] for c in numeric) >= needed and _is_header_like(row) is False:
            if r and row and not row[0] and grid[r - 1] and grid[r - 1][0] and not any(grid[r - 1][1:]):
                return r - 1               # a record whose label wraps above its vertically centred figures
            return r
    return None


def is_context_line(row: list[str]) -> bool:
    """A line above a header that is not part of it: a caption, or `name: value` lines (thresholds, legend).

    Such a line fills few of the row's cells; a header filling most of them is a header even when
    one of its labels reads `name:` ("Exchange rate used: 1 USD =")."""
    filled = [cell for cell in row if cell]
    if not filled or 2 * len(filled) > max(len(row), 4):
        return False
    return bool(CAPTION.match(filled[0])) or any(_KEY_VALUE.search(cell) for cell in filled)


def table_parts(grid: Grid) -> tuple[int, int]:
    """(context rows, header rows) at the top of a grid.

    Above the first row of figures stand the header and, above it, lines that belong to the page
    rather than to the table (its caption, the thresholds and legend printed over it). The header
    is what lies between the last such line and the first row of figures, up to
    MAX_PRINTED_HEADER_ROWS lines (the ones above are context). A table of words keeps the
    simple rule of `header_rows`.
    """
    first = _first_data_row(grid)
    if first is None:
        return 0, header_rows(grid)
    context = max((r + 1 for r in range(first) if is_context_line(grid[r])), default=0)
    header = min(first - context, MAX_PRINTED_HEADER_ROWS)
    return first - header, header


def _is_header_like(row: list[str]) -> bool:
    """No figure outside the first cell, or only years over an empty corner (`| 2005 | 2010`)."""
    figures = [cell for cell in row[1:] if is_figure(cell)]
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
    once and spans the empty cells to its right, so it is carried over them: over columns
    whose only header text is in the last row (a column labelled over several lines has
    blank lines of its own where a neighbour's label is vertically centred).
    """
    width = max((len(row) for row in grid[:rows]), default=0)
    square = [row + [""] * (width - len(row)) for row in grid[:rows]]
    own_label_above = [any(row[c] for row in square[:-1]) for c in range(width)]
    labels: list[list[str]] = [[] for _ in range(width)]
    for index, row in enumerate(square):
        spans = index < rows - 1
        current = ""
        for c, cell in enumerate(row):
            current = cell or (current if spans and not own_label_above[c] else "")
            if current and (not labels[c] or labels[c][-1] != current):
                labels[c].append(current)
    return [" ".join(parts) for parts in labels]


def label_key(label: str) -> str:
    """A header label compared on its letters and digits only ("Total Reported by" / "Company"
    wrapped anywhere, "In-Scope" or "In Scope")."""
    return _NOT_ALNUM.sub("", label.casefold())


def row_kind(row: list[str]) -> str:
    """item, subtotal or total, from the row's first printed cell."""
    first = next((cell for cell in row if cell), "")
    if _SUBTOTAL.match(first):
        return "subtotal"
    if _TOTAL.match(first):
        return "total"
    return "item"


def row_label(row: list[str], kind: str) -> str:
    """The label as printed: the first cell, or the TOTAL wording when it sits further right."""
    if row and row[0]:
        return row[0]
    return next((cell for cell in row if cell), "") if kind != "item" else ""
