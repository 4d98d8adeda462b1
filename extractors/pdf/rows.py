"""The rows of a spec'd grid labelled as the text path labels them.

A numbered table's rows keep their printed number; the row after the last number is
the closing total when the spec declares one (its label "TOTAL", as in the text
path); a row with no label continues the row above (a cell wrapped onto a row of
its own by a parser that found no rule between them). A labelled table's rows are
found by the spec's label regexes, in the spec's order, and take the RowSpec's key
and kind; what a label regex captures (a rate printed in the label) fills its column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.flattened import expand
from extractors.frame import RawRow
from extractors.grid import Grid, row_kind, row_label
from extractors.pdf.columns import Layout
from extractors.spec import RowSpec, TableSpec

_ROW_NUMBER = re.compile(r"\d+")
TOTAL_LABEL = "TOTAL"


@dataclass
class RowsRead:
    """The rows, and the rows that could not be placed: (label, raw text), text empty when missing."""

    rows: list[RawRow] = field(default_factory=list)
    unparsed: list[tuple[str, str]] = field(default_factory=list)


def _cells(layout: Layout, row: list[str]) -> dict[str, str]:
    return {column.key: text for column, text in zip(layout.columns, row) if column is not None and text}


def _label_text(layout: Layout, row: list[str]) -> str:
    return " ".join(row[layout.label].split()) if layout.label is not None else ""


def _continue(previous: RawRow, cells: dict[str, str]) -> RawRow:
    """The row above with a wrapped remainder of its cells appended."""
    joined = dict(previous.cells)
    for key, text in cells.items():
        joined[key] = f"{joined.get(key, '')} {text}".strip()
    return RawRow(previous.label, previous.kind, joined, previous.printed)


def numbered_rows(body: Grid, layout: Layout, spec: TableSpec) -> RowsRead:
    """Numbered rows, sub-totals as printed, the closing total, and wrapped rows joined back."""
    labels = [_label_text(layout, row) for row in body]
    numbered = [i for i, label in enumerate(labels) if _ROW_NUMBER.fullmatch(label)]
    last = numbered[-1] if numbered else -1
    read = RowsRead()
    for index, (row, label) in enumerate(zip(body, labels)):
        cells = _cells(layout, row)
        kind = row_kind(row)
        if _ROW_NUMBER.fullmatch(label):
            read.rows.append(RawRow(label, "item", cells))
        elif kind == "subtotal":
            read.rows.append(RawRow(label or row_label(row, kind), kind, cells))
        elif index > last and (kind == "total" or spec.total is not None) and not (
                read.rows and read.rows[-1].kind == "total" and not label):
            read.rows.append(RawRow(TOTAL_LABEL, "total", cells))
        elif read.rows and not label:
            read.rows[-1] = _continue(read.rows[-1], cells)
        else:
            read.rows.append(RawRow(label or row_label(row, kind), kind, cells))
    return read


def _find_row(text: str, candidates: list[RowSpec]) -> tuple[RowSpec, re.Match[str]] | None:
    for row_spec in candidates:
        match = re.search(expand(row_spec.label), text)
        if match:
            return row_spec, match
    return None


def labelled_rows(body: Grid, layout: Layout, spec: TableSpec) -> RowsRead:
    """The spec's rows found by their label regexes, in order; unlisted rows without a figure
    continue the row above (a wrapped label), those with one are reported."""
    in_label = {column.key for column in spec.columns if column.in_label}
    quantities = {column.key for column in spec.columns if column.is_quantity}
    read = RowsRead()
    position = 0
    for row in body:
        cells = _cells(layout, row)
        label = _label_text(layout, row)
        found = _find_row(label, list(spec.rows[position:])) if label else None
        found = found or _find_row(" ".join(" ".join(row).split()), list(spec.rows[position:]))
        if found:
            row_spec, match = found
            position = spec.rows.index(row_spec) + 1
            captured = {key: value for key, value in match.groupdict().items() if value}
            kept = {key: text for key, text in cells.items() if key not in in_label or key not in captured}
            read.rows.append(RawRow(row_spec.key, row_spec.kind, {**captured, **kept}, printed=match.group(0)))
        elif read.rows and not quantities & cells.keys():
            read.rows[-1] = _continue(read.rows[-1], {k: v for k, v in cells.items() if k not in in_label})
        else:
            read.unparsed.append((label, " | ".join(cell for cell in row if cell)))
    located = {row.label for row in read.rows}
    read.unparsed += [(row_spec.key, "") for row_spec in spec.rows if row_spec.key not in located]
    return read
