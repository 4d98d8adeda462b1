"""Tables broken over a page break, joined back into one.

A table continues on the next page when it is the last one on its page, the next
page's first table has as many columns and either no caption of its own or the same
caption marked as continued ("TABLE C-1: … (continued)", "Tableau 5 (suite)"), and either
repeats the header (dropped when joined, with the lines above it) or has its columns at the
same places. A repeated header is recognised on its merged labels, since a header wrapped
over several lines may wrap differently on the next page ("Total Reported by / Government
Entity" against "Total Reported / by Government Entity").
"""

from __future__ import annotations

import re

from extractors.grid import label_key
from extractors.pdf.grids import PdfGrid

COLUMN_TOLERANCE = 6.0  # points
_CONTINUED = re.compile(r"\((?:continued|cont\.?|suite)\)|\bsuite\b|\bcontinued\b", re.IGNORECASE)


def header_repeated(previous: PdfGrid, following: PdfGrid) -> bool:
    rows = previous.header_rows
    if rows > 0 and following.grid[:rows] == previous.grid[:rows]:
        return True
    labels = previous.header_labels()
    return bool(labels) and [label_key(label) for label in labels] == [
        label_key(label) for label in following.header_labels()]


def columns_line_up(previous: PdfGrid, following: PdfGrid) -> bool:
    if not previous.columns or len(previous.columns) != len(following.columns):
        return False
    return all(
        abs(a0 - b0) <= COLUMN_TOLERANCE and abs(a1 - b1) <= COLUMN_TOLERANCE
        for (a0, a1), (b0, b1) in zip(previous.columns, following.columns)
    )


def caption_continued(previous: PdfGrid, following: PdfGrid) -> bool:
    """The following table's caption is the previous one's, marked as continued (compared on
    letters and digits: "AGENCY— Bonuses" and "AGENCY—Bonuses" are one caption)."""
    if not previous.caption or not _CONTINUED.search(following.caption):
        return False
    return label_key(_CONTINUED.sub("", following.caption)) == label_key(_CONTINUED.sub("", previous.caption))


def continues(previous: PdfGrid, following: PdfGrid) -> str | None:
    """Why `following` continues `previous`, or None when it is a table of its own.

    Grids come in reading order, so two neighbours on consecutive pages are the last
    table of one page and the first of the next.
    """
    if following.pages[0] != previous.pages[-1] + 1 or following.width != previous.width:
        return None
    if following.caption:
        return "caption continued" if caption_continued(previous, following) else None
    if header_repeated(previous, following):
        return "header repeated"
    if columns_line_up(previous, following):
        return "columns line up"
    return None


def _body(grid: PdfGrid, previous: PdfGrid, why: str) -> tuple[int, list[list[str]]]:
    """Where the continuation's rows start, and its rows: its caption, lines above and repeated header dropped."""
    if why == "columns line up":
        return 0, grid.grid
    context, header = grid.parts
    if header or context:
        start = context + header
    else:
        start = previous.header_rows if why == "header repeated" else 0
    return start, grid.grid[start:]


_WHY_FR = {"caption continued": "légende marquée « suite »", "header repeated": "en-tête répété",
           "columns line up": "colonnes alignées"}


def _join_note(grid: PdfGrid, why: str, dropped: int) -> str:
    """What the table layer reports of a continuation joined: page, reason, lines dropped."""
    fr = f", {dropped} ligne(s) de légende et d'en-tête retirée(s)" if dropped else ""
    en = f", {dropped} caption and header line(s) dropped" if dropped else ""
    return f"p. {grid.pages[0]} : suite du tableau jointe ({_WHY_FR.get(why, why)}){fr} / continuation joined ({why}){en}"


def stitch(grids: list[PdfGrid]) -> list[PdfGrid]:
    """Grids in reading order, continuations joined onto the table they continue."""
    result: list[PdfGrid] = []
    for grid in grids:
        if result:
            previous = result[-1]
            why = continues(previous, grid)
            if why:
                start, body = _body(grid, previous, why)
                result[-1] = previous.but(
                    grid=previous.grid + body,
                    pages=previous.pages + grid.pages,
                    reason=f"{previous.reason}; continued on page {grid.pages[0]} ({why})",
                    boxes=previous.boxes + grid.boxes,
                    rows_at=previous.rows_at + grid.rows_at[start:] if previous.rows_at else (),
                    weights=previous.weights + grid.weights[start:] if previous.weights else (),
                    joins=(*previous.joins, _join_note(grid, why, start)),
                )
                continue
        result.append(grid)
    return result
