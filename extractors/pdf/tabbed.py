"""A PDF's pages as the tab-separated text a dump of its tables would hold, for `layout: tsv`.

A spec reads such tables from a dump with one line per row, one tab per cell boundary,
a blank line per page break and bold as `<b>` markup (`extractors.tsv`). The same text
is rebuilt here from the words of each page, so that the same cutter reads the PDF:

- words stand on one line when their tops agree; a line joins the row above when the
  space between them is no wider than the spacing inside a wrapped cell (`ROW_GAP`),
  and a visibly empty line between two lines is a blank line (`BLANK_GAP`);
- a line is cut into cell texts where words stand further apart than words do
  (`CELL_GAP`); the page's columns are where the cells of its lines holding two cells or
  more start, x positions within `COLUMN_TOLERANCE` being one column;
- each row gets one field per column of its page, empty cells kept as empty fields, so
  that a flag or a figure stays in its column;
- bold words are put back in `<b>…</b>` when the spec reads bold as meaningful.

Sizes are in font sizes of the words concerned, so that a table set small reads as one
set large.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import median

from pdfplumber.page import Page

from extractors.spec import TableSpec

X_TOLERANCE = 1.5         # points between two characters of one word (pdfplumber's default is 3)
LINE_TOLERANCE = 0.3      # font sizes between the tops of words on one line
ROW_GAP = 0.35            # font sizes of space between two lines of one row, at most
BLANK_GAP = 1.2           # font sizes of space between two lines that leaves a blank line
CELL_GAP = 0.6            # font sizes between two words of different cells, at least
COLUMN_TOLERANCE = 2.0    # points between the starts of cells of one column
_BOLD_FONT = re.compile(r"bold|black|heavy", re.IGNORECASE)
_BOLD_MARKUP = "<b>"


@dataclass(frozen=True)
class _Cell:
    """Consecutive words of one line standing close enough to be one cell's text."""

    x0: float
    words: tuple[tuple[str, bool], ...]     # (text, bold)


@dataclass(frozen=True)
class _Line:
    top: float
    bottom: float
    size: float
    cells: tuple[_Cell, ...]


def reads_bold(tables: Iterable[TableSpec]) -> bool:
    """Whether a tsv table of the spec gives bold a meaning: a flag column, a kind rule, or
    an anchor written with the markup."""
    for table in tables:
        options = table.options or {}
        anchors = [table.header, table.end, *((options.get("join") or {}).get(k) for k in ("header", "end"))]
        if (options.get("bold_column") or any(rule.get("bold") is not None for rule in options.get("kinds", ()))
                or any(_BOLD_MARKUP in (anchor or "") for anchor in anchors)):
            return True
    return False


def _lines(page: Page) -> list[_Line]:
    """The page's words in lines, top to bottom, each line cut into cells."""
    words = sorted(page.extract_words(x_tolerance=X_TOLERANCE, extra_attrs=["fontname", "size"]),
                   key=lambda w: (w["top"], w["x0"]))
    groups: list[list[dict]] = []
    for word in words:
        if groups and abs(word["top"] - groups[-1][0]["top"]) <= LINE_TOLERANCE * word["size"]:
            groups[-1].append(word)
        else:
            groups.append([word])
    return [_line(sorted(group, key=lambda w: w["x0"])) for group in groups]


def _line(words: list[dict]) -> _Line:
    size = median(w["size"] for w in words)
    cells: list[list[dict]] = []
    for word in words:
        if cells and word["x0"] - cells[-1][-1]["x1"] <= CELL_GAP * size:
            cells[-1].append(word)
        else:
            cells.append([word])
    return _Line(
        top=min(w["top"] for w in words), bottom=max(w["bottom"] for w in words), size=size,
        cells=tuple(_Cell(cell[0]["x0"], tuple((w["text"], bool(_BOLD_FONT.search(w["fontname"]))) for w in cell))
                    for cell in cells),
    )


def _column_starts(lines: list[_Line]) -> list[float]:
    """Where the page's columns start: the cell starts of lines with several cells, clustered."""
    starts = sorted(cell.x0 for line in lines if len(line.cells) > 1 for cell in line.cells)
    columns: list[float] = []
    previous = None
    for x in starts:
        if previous is None or x - previous > COLUMN_TOLERANCE:
            columns.append(x - COLUMN_TOLERANCE)
        previous = x
    return columns


def _field(words: list[tuple[str, bool]], bold: bool) -> str:
    """A cell's words, escaped as markup, bold runs in <b>…</b> when asked."""
    parts: list[str] = []
    run: list[str] = []
    for index, (text, strong) in enumerate(words):
        run.append(html.escape(text, quote=False))
        following = words[index + 1][1] if index + 1 < len(words) else None
        if following != strong:
            joined = " ".join(run)
            parts.append(f"<b>{joined}</b>" if bold and strong else joined)
            run = []
    return " ".join(parts)


def page_text(page: Page, bold: bool) -> list[str]:
    """The page's rows as tab-separated lines, '' for a blank line."""
    lines = _lines(page)
    starts = _column_starts(lines)
    width = max(1, len(starts))
    rows: list[list[list[tuple[str, bool]]]] = []
    text: list[str] = []
    previous: _Line | None = None
    for line in lines:
        gap = line.top - previous.bottom if previous else None
        if gap is None or gap > ROW_GAP * line.size:
            if rows:
                text.append("\t".join(_field(words, bold) for words in rows[-1]))
            if gap is not None and gap > BLANK_GAP * line.size:
                text.append("")
            rows.append([[] for _ in range(width)])
        for cell in line.cells:
            rows[-1][max(0, bisect_right(starts, cell.x0) - 1)].extend(cell.words)
        previous = line
    if rows:
        text.append("\t".join(_field(words, bold) for words in rows[-1]))
    return text


@dataclass(frozen=True)
class TabText:
    """The rebuilt text and the offset where each page starts in it."""

    text: str
    page_starts: tuple[tuple[int, int], ...]    # (offset, page number), in order

    def pages(self, span: tuple[int, int]) -> tuple[int, ...]:
        """The pages a span of the text stands on."""
        start, stop = span
        return tuple(number for index, (offset, number) in enumerate(self.page_starts)
                     if offset < max(stop, start + 1)
                     and (index + 1 == len(self.page_starts) or self.page_starts[index + 1][0] > start))


def joined_pages(pages: Iterable[tuple[int, list[str]]]) -> TabText:
    """(page number, its lines) in order -> one text, pages separated by a blank line (a page
    break, as in a dump)."""
    parts: list[str] = []
    starts: list[tuple[int, int]] = []
    offset = 0
    for number, lines in pages:
        starts.append((offset, number))
        chunk = "".join(f"{line}\n" for line in lines) + "\n"
        parts.append(chunk)
        offset += len(chunk)
    return TabText("".join(parts), tuple(starts))
