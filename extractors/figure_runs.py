"""Runs of figures that read several ways: "2 250 200 450 000" is 2 250 | 200 | 450 000, or
2 | 250 | 200 450 000. The row grammar alone cannot tell; the table can: the reading whose
figures best match the magnitude of their column in the other rows wins. Ties keep the
grammar's reading, so nothing changes where the text is not ambiguous.
"""

from __future__ import annotations

import math
import re
from itertools import combinations, pairwise
from statistics import median

from extractors.frame import RawRow
from extractors.quantity import QuantityError, parse_quantity
from extractors.spec import ColumnSpec

_MAX_TOKENS = 16


def settle_figure_runs(rows: list[RawRow], columns: tuple[ColumnSpec, ...], patterns: dict[str, str]) -> list[RawRow]:
    """Re-read each run of adjacent figure cells the way that fits its columns best."""
    runs = _figure_runs(columns)
    if not runs:
        return rows
    scales = _column_scales(rows, columns)
    settled = []
    for row in rows:
        cells = dict(row.cells)
        if row.kind == "item":
            for run in runs:
                cells.update(_best_reading(run, cells, columns, patterns, scales))
        settled.append(RawRow(label=row.label, kind=row.kind, cells=cells, printed=row.printed))
    return settled


def _figure_runs(columns: tuple[ColumnSpec, ...]) -> list[list[ColumnSpec]]:
    """Consecutive required figure columns: where one figure's digits could belong to the next."""
    runs, current = [], []
    for column in columns:
        if column.leading or column.in_label:
            continue
        if column.is_quantity and not column.optional and not column.pattern:
            current.append(column)
            continue
        if len(current) > 1:
            runs.append(current)
        current = []
    if len(current) > 1:
        runs.append(current)
    return runs


def _magnitude(column: ColumnSpec, text: str) -> float | None:
    try:
        value = parse_quantity(text, column.type, column.unit).value
    except QuantityError:
        return None
    return math.log10(value) if value > 0 else None


def _column_scales(rows: list[RawRow], columns: tuple[ColumnSpec, ...]) -> dict[str, float]:
    scales = {}
    for column in columns:
        if not column.is_quantity:
            continue
        seen = [m for row in rows if row.kind == "item"
                if (m := _magnitude(column, row.cells.get(column.key, ""))) is not None]
        if seen:
            scales[column.key] = median(seen)
    return scales


def _best_reading(
    run: list[ColumnSpec], cells: dict[str, str], columns: tuple[ColumnSpec, ...],
    patterns: dict[str, str], scales: dict[str, float],
) -> dict[str, str]:
    texts = [cells.get(c.key, "") for c in run]
    tokens = " ".join(texts).split()
    if not all(texts) or len(tokens) > _MAX_TOKENS:
        return {}
    current = _distance(run, texts, scales)
    best, best_distance = texts, current
    for cuts in combinations(range(1, len(tokens)), len(run) - 1):
        bounds = (0, *cuts, len(tokens))
        reading = [" ".join(tokens[a:b]) for a, b in pairwise(bounds)]
        if not all(re.fullmatch(patterns[c.key], text) for c, text in zip(run, reading)):
            continue
        distance = _distance(run, reading, scales)
        if distance < best_distance - 1e-9:
            best, best_distance = reading, distance
    return {c.key: text for c, text in zip(run, best)}


def _distance(run: list[ColumnSpec], reading: list[str], scales: dict[str, float]) -> float:
    total = 0.0
    for column, text in zip(run, reading):
        magnitude = _magnitude(column, text)
        if magnitude is not None and column.key in scales:
            total += abs(magnitude - scales[column.key])
    return total
