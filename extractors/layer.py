"""The one grid-to-table step for a grid no spec describes, whatever reader found it.

A reader hands a `SourceGrid` (cells as printed, with their provenance); this layer
- keeps the lines printed above the header (caption, thresholds, legend) and the notes below
  the last row of figures as the table's `context`, not as rows;
- merges a header printed over several lines into one label per column;
- joins a record whose label wraps over several lines around its vertically centred figures
  (`Acme Mining` / figures / `Corporation`) into one logical row, and says so in `merges`;
- types each column with the one quantity model (the column's number convention read from
  the cells that can only be read one way, its unit from its header), parses every cell through
  the shared builder (`extractors.frame`), and keeps each cell's source beside the values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import pandas as pd

from extractors.captions import CAPTION
from extractors.frame import RawRow, build_table
from extractors.grid import (
    guess_kind,
    header_labels,
    is_context_line,
    is_figure,
    row_kind,
    row_label,
    table_parts,
)
from extractors.panels import stack_panels
from extractors.quality import table_quality
from extractors.quantity import (
    QuantityError,
    number_convention,
    parse_quantity,
    unit_in_label,
)
from extractors.source import GridCell, SourceGrid
from extractors.spec import ColumnSpec
from extractors.table import ROW_KIND, ROW_LABEL, ExtractedTable, Provenance

Row = list[GridCell]
# A line under a table that annotates it rather than being a row: source, note, footnote mark.
_NOTE = re.compile(r"^\s*(?:sources?\b|notes?\b|nb\b|n\.b\.|\*|[¹²³⁴⁵⁶⁷⁸⁹]|\(\w\)\s|\d\)\s|lecture\b)", re.IGNORECASE)


@dataclass
class _Record:
    """A logical row: its cells, and the grid rows (0-based, within the body) it was joined from."""

    cells: Row
    rows: list[int]


def _shape(row: Row) -> str:
    """label (first cell only, not a `name: value` line), bare (figures without a label), full,
    other (no label, words only), or empty."""
    label = bool(row and row[0].text)
    rest = [cell.text for cell in row[1:] if cell.text]
    if label and rest:
        return "full"
    if label:
        return "other" if is_context_line([row[0].text]) else "label"
    if not rest:
        return "empty"
    return "bare" if any(is_figure(text) for text in rest) else "other"


def _centre(row: Row) -> float | None:
    boxes = [cell.source.bbox for cell in row if cell.text and cell.source.bbox]
    return sum((box[1] + box[3]) / 2 for box in boxes) / len(boxes) if boxes else None


def _nearer_above(rows: list[Row], index: int) -> bool:
    """Whether row `index` stands nearer the row above it than the row below (True without positions)."""
    here = _centre(rows[index])
    above = _centre(rows[index - 1])
    below = _centre(rows[index + 1]) if index + 1 < len(rows) else None
    if here is None or above is None or below is None:
        return True
    return abs(here - above) < abs(below - here)


def _joined(first: GridCell, second: GridCell) -> GridCell:
    """Two pieces of one cell: text joined, box covering both."""
    text = " ".join(part for part in (first.text, second.text) if part)
    a, b = first.source.bbox, second.source.bbox
    if a and b and first.source.page == second.source.page:
        box = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
        return GridCell(text, replace(first.source, bbox=box))
    return GridCell(text, first.source if first.text else second.source)


def _join(record: _Record, row: Row, index: int) -> _Record:
    return _Record([_joined(a, b) for a, b in zip(record.cells, row, strict=True)], [*record.rows, index])


def logical_rows(body: list[Row]) -> list[_Record]:
    """Body rows as records: a label printed alone on the line(s) above and below a row of figures
    with no label is that row's label (the figures are vertically centred on a wrapped label).

    A label line below the figures joins them only when it is not itself followed by a row of
    bare figures (then it starts the next record) and, where positions are known, stands nearer
    the figures above than the row below.
    """
    shapes = [_shape(row) for row in body]
    records: list[_Record] = []
    index = 0
    while index < len(body):
        if shapes[index] == "label" and index + 1 < len(body) and shapes[index + 1] == "bare":
            record = _join(_Record(body[index], [index]), body[index + 1], index + 1)
            index += 2
            follows_bare = index + 1 < len(body) and shapes[index + 1] == "bare"
            if index < len(body) and shapes[index] == "label" and not follows_bare and _nearer_above(body, index):
                record = _join(record, body[index], index)
                index += 1
            records.append(record)
            continue
        if shapes[index] != "empty":
            records.append(_Record(body[index], [index]))
        index += 1
    return records


def _trailing_notes(records: list[_Record]) -> int:
    """How many records at the end are notes under the table: lines printed in the first column
    alone that read as a source, a note or a footnote."""
    count = 0
    while count < len(records):
        cells = records[-1 - count].cells
        if any(cell.text for cell in cells[1:]) or not (cells and _NOTE.match(cells[0].text)):
            break
        count += 1
    return count


def _where(cell: GridCell, row: int) -> str:
    page = cell.source.page
    line = cell.source.line
    return f"p. {page}" if page is not None else (f"ligne {line}" if line is not None else f"rang {row + 1}")


def _merge_notes(records: list[_Record], body: list[Row], header: int) -> list[str]:
    notes = []
    if header > 1:
        notes.append(f"en-tête : {header} lignes réunies en un libellé par colonne / "
                     f"header: {header} lines merged into one label per column")
    for record in records:
        if len(record.rows) > 1:
            first = record.rows[0]
            pieces = " + ".join(f"« {body[r][0].text} »" if body[r][0].text else "chiffres / figures"
                                for r in record.rows)
            notes.append(f"{_where(body[first][0], first)} : lignes {first + 1}-{record.rows[-1] + 1} du corps "
                         f"réunies ({pieces}) en « {record.cells[0].text} », libellé sur plusieurs lignes "
                         f"autour de chiffres centrés (déduit de la disposition) / body rows {first + 1}-"
                         f"{record.rows[-1] + 1} joined into one record, label wrapped around vertically "
                         f"centred figures (inferred from the layout)")
    return notes


def _written_unit(texts: list[str], kind: str, convention: str | None) -> str | None:
    """The one unit the column's figures are written in (`$` on every amount), else None."""
    written = set()
    for text in texts:
        if text:
            quantity = parse_quantity(text, kind, None, convention)
            if not quantity.missing:
                written.add(quantity.written_unit.lower())
    return written.pop() if len(written) == 1 and "" not in written else None


def _fits(texts: list[str], kind: str, unit: str, convention: str | None) -> bool:
    """Whether every cell reads as `kind` with `unit` as the unit of its bare figures."""
    try:
        for text in texts:
            if text:
                parse_quantity(text, kind, unit, convention)
    except QuantityError:
        return False
    return True


def _columns(labels: list[str], body: list[list[str]], width: int, context: list[str],
             document_convention: str | None) -> tuple[ColumnSpec, ...]:
    """Each column typed by its cells, read with the column's convention (else the table's, else the
    document's), its unit printed in its header when the cells print none."""
    table_convention = number_convention([text for row in body for text in row] + context) or document_convention
    columns = []
    for c in range(width):
        texts = [row[c] for row in body]
        convention = number_convention(texts) or table_convention
        label = labels[c] or f"c{c}"
        kind = guess_kind(texts, convention)
        unit = unit_in_label(labels[c]) if kind != "text" else None
        if unit and not _fits(texts, kind, unit, convention):
            kind = "money" if _fits(texts, "money", unit, convention) else kind   # "($ in millions)" over bare figures
        if unit and not _fits(texts, kind, unit, convention):
            unit = None
        unit = unit or (_written_unit(texts, kind, convention) if kind != "text" else None)
        columns.append(ColumnSpec(key=f"c{c}", label=label, type=kind, optional=True, unit=unit,
                                  convention=convention))
    return tuple(columns)


def _captioned(provenance: Provenance, lines: list[str]) -> Provenance:
    """A table with no caption named by the caption printed inside its grid (a panel's own
    caption above its header), when there is one."""
    caption = next((line for line in lines if CAPTION.match(line)), None)
    if provenance.caption or caption is None:
        return provenance
    return replace(provenance, caption=caption, title=caption)


def table_from_grid(grid: SourceGrid, key: str, provenance: Provenance, *, header: int | None = None,
                    convention: str | None = None) -> ExtractedTable:
    """An ExtractedTable of the logical rows of `grid` below its header (found, with the context
    lines above it, when `header` is None); `convention` ("en" in an English document) reads the
    figures neither their column nor their table tells how to read (`61,206`)."""
    width = max((len(row) for row in grid.rows), default=0)
    square = [list(row) + [GridCell("")] * (width - len(row)) for row in grid.rows]
    texts = [[cell.text for cell in row] for row in square]
    context_rows, header = table_parts(texts) if header is None else (0, header)
    context = [*grid.context, *(" ".join(t for t in row if t) for row in texts[:context_rows])]
    merges = list(grid.merges)
    stacked = stack_panels(square, context_rows, header)
    if stacked:
        square, context_rows = stacked.rows, 0
        texts = [[cell.text for cell in row] for row in square]
        context = [*grid.context, *stacked.context]
        merges += stacked.merges
        width = len(square[0])
        provenance = _captioned(provenance, stacked.context)
    top = context_rows + header
    body = square[top:]
    records = logical_rows(body)
    notes = _trailing_notes(records)
    if notes:
        context += [" ".join(cell.text for cell in record.cells if cell.text) for record in records[-notes:]]
        records = records[:-notes]
    labels = header_labels(texts[context_rows:top], header) if header else [""] * width
    record_texts = [[cell.text for cell in record.cells] for record in records]
    columns = _columns(labels, record_texts, width, context, convention)
    rows = []
    for cells in record_texts:
        kind = row_kind(cells)
        rows.append(RawRow(label=row_label(cells, kind), kind=kind,
                           cells={column.key: text for column, text in zip(columns, cells, strict=True)}))
    table = build_table(key, provenance, columns, rows)
    sources = pd.DataFrame(
        [[None, None, *(cell.source for cell in record.cells)] for record in records],
        columns=[ROW_LABEL, ROW_KIND, *(c.key for c in columns)],
    )
    quantity_cells = sum(1 for row in rows for c in columns if c.is_quantity and row.cells.get(c.key))
    failed = sum(1 for problem in table.problems if problem.text)
    quality = table_quality(record_texts, quantity_cells, quantity_cells - failed)
    return replace(table, sources=sources, context=tuple(line for line in context if line),
                   merges=(*merges, *_merge_notes(records, body, header)),
                   provenance=replace(table.provenance, quality=quality))
