"""Text dumps with no spec: each run of tab-separated lines is a table.

A dump of a landscape table keeps its cells apart with tabs; without a spec nothing says
what the columns mean, but the grid is still there to extract, type and check. Tables
flattened into the prose (no tabs) need a spec to be cut: their captions are reported so
that nothing is passed over in silence.
"""

from __future__ import annotations

from extractors.layer import table_from_grid
from extractors.quantity import is_english
from extractors.source import CellSource, GridCell, SourceGrid
from extractors.table import CellProblem, ExtractedTable, Provenance
from extractors.tsv import clean

_MIN_ROWS = 2        # one line with tabs is a line, not a table


def tab_blocks(text: str) -> list[tuple[int, list[list[str]]]]:
    """(line number, grid) of every run of at least two consecutive lines holding a tab."""
    blocks: list[tuple[int, list[list[str]]]] = []
    current: list[list[str]] = []
    start = 0
    for number, line in enumerate([*text.splitlines(), ""], 1):
        if "\t" in line:
            if not current:
                start = number
            cells = [clean(cell) for cell in line.split("\t")]
            while cells and not cells[-1]:
                cells.pop()
            current.append(cells)
            continue
        if len(current) >= _MIN_ROWS:
            blocks.append((start, current))
        current = []
    return blocks


def tab_block_tables(text: str, document: str) -> list[ExtractedTable]:
    convention = "en" if is_english(text) else None     # how `61,206` reads where its column does not tell
    tables = []
    for index, (line, grid) in enumerate(tab_blocks(text), 1):
        title = f"Tableau {index} (ligne {line})"
        source = SourceGrid(
            document=document, title=title, method="text-tabs",
            rows=tuple(tuple(GridCell(text, CellSource(line=line + r)) for text in row) for r, row in enumerate(grid)),
        )
        provenance = Provenance(document=document, title=title, method="text-tabs",
                                reason="lignes séparées par des tabulations, sans spec")
        tables.append(table_from_grid(source, f"T{index}", provenance, convention=convention))
    return tables


def uncut_caption_problems(captions: tuple[tuple[str, str, int], ...], document: str) -> list[CellProblem]:
    """Captions of tables flattened into the prose: without a spec they cannot be cut."""
    return [
        CellProblem(
            document=document, table="", title=f"Tableau {number}", row=None, column=None, text=title,
            reason_fr="tableau aplati dans le texte : une spec est nécessaire pour le découper",
            reason_en="table flattened into the text: a spec is needed to cut it", severity="info",
        )
        for number, title, _ in captions
    ]
