"""Spreadsheet formulas against the blocks they total: a total typed by hand among formulas, a
figure typed where its column computes, a `SUM` whose range stops short of its block or runs
into a sub-total.

Only what is unambiguous is said (the published detectors that keep a useful precision stay
silent on anything else): a range is compared only when the rows above its total are plain
items of the same column, a typed figure only when its neighbours are formulas by a clear
majority, and a range left short only when what it leaves out holds a figure.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, replace

import pandas as pd
from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter

from extractors.quantity import format_number
from extractors.source import CellSource
from extractors.table import ROW_KIND, ROW_LABEL, ExtractedTable
from reconcilers.cells import cell_location
from reconcilers.finding import Finding

CHECK = "formula"
_TOTAL_KINDS = ("total", "subtotal")
_SUM = re.compile(
    r"^=\s*(?:SUM\(|SUBTOTAL\(\s*(?:9|109)\s*,)\s*\$?([A-Z]{1,3})\$?(\d+)\s*:\s*\$?([A-Z]{1,3})\$?(\d+)\s*\)\s*$",
    re.IGNORECASE,
)
_REF = re.compile(r"(\$?)([A-Z]{1,3})(\$?)(\d+)")
_RELATIVE = re.compile(r"R(\[-?\d+\]|\d+)C(\[-?\d+\]|\d+)")
_MIN_FORMULA_PEERS = 2          # a total typed among at least this many formula totals
_MIN_COLUMN_FORMULAS = 3        # a figure typed in a column computed by at least this many formulas
_TYPED_SHARE = 0.2              # ... and holding at most this share of typed figures


@dataclass(frozen=True)
class _Cell:
    """A table cell with its place in the sheet."""

    index: int
    key: str
    source: CellSource
    row: int
    column: int

    @property
    def typed(self) -> bool:
        """A figure typed in, not computed."""
        return self.source.formula is None and self.source.stored == "number"


def check_formulas(table: ExtractedTable) -> list[Finding]:
    """Every formula check of one table; nothing for a table whose cells carry no formula."""
    if table.sources is None or not any(
            getattr(source, "formula", None) for column in table.columns for source in table.sources[column.key]):
        return []
    cells = _cells(table)
    return (_errors(table, cells) + _sum_ranges(table, cells) + _typed_totals(table, cells)
            + _typed_among_formulas(table, cells))


def _cells(table: ExtractedTable) -> dict[tuple[int, str], _Cell]:
    """The cells whose source is a spreadsheet address of their own (not a merged copy)."""
    if table.sources is None:
        return {}
    found = {}
    seen: set[str] = set()
    for key in (c.key for c in table.columns):
        for index, source in table.sources[key].items():
            if not isinstance(source, CellSource) or not source.cell or source.cell in seen:
                continue
            seen.add(source.cell)
            row, column = coordinate_to_tuple(source.cell)
            found[(int(index), key)] = _Cell(int(index), key, source, row, column)
    return found


def _value(table: ExtractedTable, cell: _Cell) -> float:
    value = pd.to_numeric(pd.Series([table.values.at[cell.index, cell.key]]), errors="coerce").iloc[0]
    return float(value)


def _block_above(table: ExtractedTable, index: int) -> list[int]:
    """The item rows directly above row `index`, up to the previous total or the header."""
    kinds = table.values[ROW_KIND]
    rows: list[int] = []
    for above in range(index - 1, -1, -1):
        if kinds.iloc[above] != "item":
            break
        rows.append(above)
    return rows[::-1]


def _location(table: ExtractedTable, cell: _Cell):
    return replace(cell_location(table, cell.index, cell.key), text=cell.source.formula or table.cells.at[cell.index, cell.key])


def _finding(table: ExtractedTable, cell: _Cell, status: str, severity: str, expected: object, observed: object,
             fr: str, en: str, evidence: tuple = (), what: str = "") -> Finding:
    return Finding(
        document=table.provenance.document, check=CHECK, status=status, severity=severity,
        subject=str(table.cells.at[cell.index, ROW_LABEL]), field=table.column(cell.key).label,
        expected=expected, observed=observed, tables=(table.provenance.title,),
        location=_location(table, cell), evidence=evidence, message_fr=fr, message_en=en,
        key=f"{table.key}-{cell.source.cell}-{what}",
    )


def _amount(value: float, lang: str) -> str:
    return format_number(value, lang)


def _errors(table: ExtractedTable, cells: dict[tuple[int, str], _Cell]) -> list[Finding]:
    """A formula whose stored result is an error (`#REF!`, `#DIV/0!`): the figure it should give is missing."""
    findings = []
    for cell in cells.values():
        if cell.source.formula and cell.source.stored == "error":
            result = table.cells.at[cell.index, cell.key]
            where = f"{table.cells.at[cell.index, ROW_LABEL]} — {table.column(cell.key).label}"
            findings.append(_finding(
                table, cell, "fail", "error", None, result,
                f"{where} : {cell.source.cell} {cell.source.formula} donne l'erreur {result}.",
                f"{where}: {cell.source.cell} {cell.source.formula} gives the error {result}.", what="error"))
    return findings


def _sum_ranges(table: ExtractedTable, cells: dict[tuple[int, str], _Cell]) -> list[Finding]:
    """A total's `SUM` against the block of items above it in its column: the same rows (pass),
    rows of the block left out that hold a figure, or a sub-total inside the range counted twice."""
    findings = []
    kinds = table.values[ROW_KIND]
    by_row = {(cell.row, cell.column): cell for cell in cells.values()}
    for cell in cells.values():
        match = _SUM.match(cell.source.formula or "")
        if not match or kinds.iloc[cell.index] not in _TOTAL_KINDS:
            continue
        first_col, first, last_col, last = match.group(1).upper(), int(match.group(2)), match.group(3).upper(), int(match.group(4))
        letter = get_column_letter(cell.column)
        block = [cells.get((i, cell.key)) for i in _block_above(table, cell.index)]
        if first_col != letter or last_col != letter or not block or None in block:
            continue
        top, bottom = block[0].row, block[-1].row
        stated = f"{letter}{first}:{letter}{last}"
        expected = f"{letter}{top}:{letter}{bottom}"
        left_out = [b for b in block if not first <= b.row <= last and not math.isnan(_value(table, b))]
        counted_twice = [c for r in range(first, last + 1) if (c := by_row.get((r, cell.column))) is not None
                         and kinds.iloc[c.index] in _TOTAL_KINDS and c is not cell
                         and (c.source.formula or not math.isnan(_value(table, c)))]
        where = f"{table.cells.at[cell.index, ROW_LABEL]} — {table.column(cell.key).label}"
        if stated == expected:
            findings.append(_finding(
                table, cell, "pass", "error", expected, stated,
                f"{where} : {cell.source.formula} couvre exactement son bloc {expected}.",
                f"{where}: {cell.source.formula} covers exactly its block {expected}.", what="range"))
        elif left_out:
            amount = math.fsum(_value(table, b) for b in left_out)
            names = ", ".join(f"{b.source.cell} ({_amount(_value(table, b), 'fr')})" for b in left_out)
            names_en = ", ".join(f"{b.source.cell} ({_amount(_value(table, b), 'en')})" for b in left_out)
            findings.append(_finding(
                table, cell, "fail", "error" if amount else "warning", expected, stated,
                f"{where} : {cell.source.formula} ne couvre pas tout son bloc {expected} ; "
                f"{names} n'est pas compté (total faussé de {_amount(amount, 'fr')}).",
                f"{where}: {cell.source.formula} does not cover its whole block {expected}; "
                f"{names_en} is left out (total off by {_amount(amount, 'en')}).",
                evidence=tuple(_location(table, b) for b in left_out), what="range"))
        elif counted_twice:
            names = ", ".join(c.source.cell or "" for c in counted_twice)
            findings.append(_finding(
                table, cell, "fail", "error", expected, stated,
                f"{where} : {cell.source.formula} déborde de son bloc {expected} et compte aussi le "
                f"sous-total {names} (compté deux fois).",
                f"{where}: {cell.source.formula} runs past its block {expected} and also adds the "
                f"sub-total {names} (counted twice).",
                evidence=tuple(_location(table, c) for c in counted_twice), what="range"))
    return findings


def _typed_totals(table: ExtractedTable, cells: dict[tuple[int, str], _Cell]) -> list[Finding]:
    """A total typed in where the other totals of its row and column are formulas."""
    findings = []
    kinds = table.values[ROW_KIND]
    totals = [c for c in cells.values() if kinds.iloc[c.index] in _TOTAL_KINDS and (c.typed or c.source.formula)]
    for cell in (c for c in totals if c.typed):
        peers = [c for c in totals if c is not cell and (c.index == cell.index or c.key == cell.key)]
        formulas = [c for c in peers if c.source.formula]
        if len(formulas) < _MIN_FORMULA_PEERS or len(formulas) <= 2 * (len(peers) - len(formulas)):
            continue
        items = [cells.get((i, cell.key)) for i in _block_above(table, cell.index)]
        parts = [_value(table, c) for c in items if c is not None]
        stated = _value(table, cell)
        expected = math.fsum(p for p in parts if not math.isnan(p)) if parts and not all(map(math.isnan, parts)) else None
        where = f"{table.cells.at[cell.index, ROW_LABEL]} — {table.column(cell.key).label}"
        shown = ", ".join(f"{c.source.cell} {c.source.formula}" for c in formulas[:3])
        off = expected is not None and abs(expected - stated) > 1e-6 * max(1.0, abs(expected))
        sums_fr = f" ; la somme des {len(parts)} lignes au-dessus donne {_amount(expected, 'fr')}" if expected is not None else ""
        sums_en = f"; the {len(parts)} rows above add up to {_amount(expected, 'en')}" if expected is not None else ""
        findings.append(_finding(
            table, cell, "fail", "error" if off else "warning", expected, stated,
            f"{where} : {cell.source.cell} est saisi à la main ({_amount(stated, 'fr')}) alors que les totaux "
            f"voisins sont des formules ({shown}){sums_fr}.",
            f"{where}: {cell.source.cell} is typed in ({_amount(stated, 'en')}) while the totals next to it "
            f"are formulas ({shown}){sums_en}.",
            evidence=tuple(_location(table, c) for c in formulas[:3]), what="typed-total"))
    return findings


def _typed_among_formulas(table: ExtractedTable, cells: dict[tuple[int, str], _Cell]) -> list[Finding]:
    """A figure typed into an item row of a column whose other rows all compute the same formula."""
    findings = []
    kinds = table.values[ROW_KIND]
    for column in table.columns:
        column_cells = [c for c in cells.values() if c.key == column.key and kinds.iloc[c.index] == "item"]
        formulas = [c for c in column_cells if c.source.formula]
        typed = [c for c in column_cells if c.typed]
        shapes = Counter(relative(c.source.formula or "", c.row, c.column) for c in formulas)
        if (len(formulas) < _MIN_COLUMN_FORMULAS or len(shapes) != 1 or not typed
                or len(typed) > _TYPED_SHARE * (len(formulas) + len(typed))):
            continue
        shape = next(iter(shapes))
        for cell in typed:
            expected = "=" + absolute(shape, cell.row, cell.column)
            stated = table.cells.at[cell.index, cell.key]
            where = f"{table.cells.at[cell.index, ROW_LABEL]} — {column.label}"
            findings.append(_finding(
                table, cell, "fail", "warning", expected, stated,
                f"{where} : {cell.source.cell} est saisi à la main ({stated}) dans une colonne dont les "
                f"{len(formulas)} autres lignes calculent {formulas[0].source.formula} (ici {expected}).",
                f"{where}: {cell.source.cell} is typed in ({stated}) in a column whose {len(formulas)} other "
                f"rows compute {formulas[0].source.formula} (here {expected}).",
                evidence=tuple(_location(table, c) for c in formulas[:3]), what="typed-in-column"))
    return findings


def relative(formula: str, row: int, column: int) -> str:
    """The formula with its references written relative to its cell (`=B5-C5` in D5 -> `RC[-2]-RC[-1]`
    as `R[0]C[-2]-R[0]C[-1]`): formulas copied down a column share one relative form."""
    def shift(match: re.Match[str]) -> str:
        col_fixed, letters, row_fixed, digits = match.groups()
        target_col = coordinate_to_tuple(f"{letters}1")[1]
        r = digits if row_fixed else f"[{int(digits) - row}]"
        c = str(target_col) if col_fixed else f"[{target_col - column}]"
        return f"R{r}C{c}"
    return _rewrite(formula, lambda ref: _REF.sub(shift, ref))


def absolute(shape: str, row: int, column: int) -> str:
    """A relative form written back in A1 references at a given cell (the inverse of `relative`)."""
    def place(match: re.Match[str]) -> str:
        r, c = match.groups()
        target_row = row + int(r[1:-1]) if r.startswith("[") else int(r)
        target_col = column + int(c[1:-1]) if c.startswith("[") else int(c)
        return f"{'' if c.startswith('[') else '$'}{get_column_letter(target_col)}{'' if r.startswith('[') else '$'}{target_row}"
    return _RELATIVE.sub(place, shape)


def _rewrite(formula: str, change) -> str:
    """The formula (without its `=`) with every range operand passed through `change`."""
    parts = []
    for token in Tokenizer(formula).items:
        if token.type == Token.OPERAND and token.subtype == Token.RANGE:
            sheet, bang, reference = token.value.rpartition("!")
            parts.append(f"{sheet}{bang}{change(reference)}")
        else:
            parts.append(token.value)
    return "".join(parts)
