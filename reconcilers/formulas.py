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

from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter

from extractors.quantity import format_number
from extractors.source import CellSource
from extractors.table import ROW_KIND, ROW_LABEL, ExtractedTable
from reconcilers.cells import cell_location
from reconcilers.finding import Finding, Location
from reconcilers.parts import FORMULA, Check, CheckContext

CHECK = FORMULA.name
_TOTAL_KINDS = ("total", "subtotal")
_SUM = re.compile(
    r"^=\s*(?:SUM\(|SUBTOTAL\(\s*(?:9|109)\s*,)\s*\$?([A-Z]{1,3})\$?(\d+)\s*:\s*\$?([A-Z]{1,3})\$?(\d+)\s*\)\s*$",
    re.IGNORECASE,
)
_REF = re.compile(r"(\$?)([A-Z]{1,3})(\$?)(\d+)")
_RELATIVE = re.compile(r"R(\[-?\d+\]|\d+)C(\[-?\d+\]|\d+)")
_RECURRENT = re.compile(r"R\[-\d+\]C\[0\]")   # a formula reading its own column rows above (a running total)
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
    """The cell's number, NaN when it holds none (a marker such as DNP, a percentage kept as text)."""
    try:
        return float(table.values.at[cell.index, cell.key])
    except (TypeError, ValueError):
        return math.nan


def _block_above(table: ExtractedTable, index: int) -> list[int]:
    """The item rows directly above row `index`, up to the previous total or the header."""
    kinds = table.values[ROW_KIND]
    rows: list[int] = []
    for above in range(index - 1, -1, -1):
        if kinds.iloc[above] != "item":
            break
        rows.append(above)
    return rows[::-1]


def _location(table: ExtractedTable, cell: _Cell) -> Location:
    return replace(cell_location(table, cell.index, cell.key), text=cell.source.formula or table.cells.at[cell.index, cell.key])


def _where(table: ExtractedTable, cell: _Cell) -> str:
    """`Total — Montant`: the row and column a message is about."""
    return f"{table.cells.at[cell.index, ROW_LABEL]} — {table.column(cell.key).label}"


def _finding(table: ExtractedTable, cell: _Cell, status: str, severity: str, expected: object, observed: object,
             fr: str, en: str, what: str, read: list[_Cell] | None = None) -> Finding:
    """A finding on one cell, with the other cells the check read as its evidence."""
    return Finding(
        document=table.provenance.document, check=CHECK, status=status, severity=severity,
        subject=str(table.cells.at[cell.index, ROW_LABEL]), field=table.column(cell.key).label,
        expected=expected, observed=observed, tables=(table.provenance.title,),
        location=_location(table, cell), evidence=tuple(_location(table, c) for c in read or ()),
        message_fr=fr, message_en=en, key=f"{table.key}-{cell.source.cell}-{what}",
    )


def _errors(table: ExtractedTable, cells: dict[tuple[int, str], _Cell]) -> list[Finding]:
    """A formula whose stored result is an error (`#REF!`, `#DIV/0!`): the figure it should give is missing."""
    findings = []
    for cell in cells.values():
        if cell.source.formula and cell.source.stored == "error":
            result = table.cells.at[cell.index, cell.key]
            where = _where(table, cell)
            findings.append(_finding(
                table, cell, "fail", "error", None, result,
                f"{where} : {cell.source.cell} {cell.source.formula} donne l'erreur {result}.",
                f"{where}: {cell.source.cell} {cell.source.formula} gives the error {result}.", "error"))
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
                         and (c.source.formula or not math.isnan(_value(table, c)))
                         and not (_is_subtotal(cell) and _is_subtotal(c))]
        where = _where(table, cell)
        if stated == expected:
            findings.append(_finding(
                table, cell, "pass", "error", expected, stated,
                f"{where} : {cell.source.formula} couvre exactement son bloc {expected}.",
                f"{where}: {cell.source.formula} covers exactly its block {expected}.", "range"))
        elif left_out:
            amount = math.fsum(_value(table, b) for b in left_out)
            names = ", ".join(f"{b.source.cell} ({format_number(_value(table, b), 'fr')})" for b in left_out)
            names_en = ", ".join(f"{b.source.cell} ({format_number(_value(table, b), 'en')})" for b in left_out)
            findings.append(_finding(
                table, cell, "fail", "error" if amount else "warning", expected, stated,
                f"{where} : {cell.source.formula} ne couvre pas tout son bloc {expected} ; "
                f"{names} n'est pas compté (total faussé de {format_number(amount, 'fr')}).",
                f"{where}: {cell.source.formula} does not cover its whole block {expected}; "
                f"{names_en} is left out (total off by {format_number(amount, 'en')}).",
                "range", left_out))
        elif counted_twice:
            names = ", ".join(c.source.cell or "" for c in counted_twice)
            findings.append(_finding(
                table, cell, "fail", "error", expected, stated,
                f"{where} : {cell.source.formula} déborde de son bloc {expected} et compte aussi le "
                f"sous-total {names} (compté deux fois).",
                f"{where}: {cell.source.formula} runs past its block {expected} and also adds the "
                f"sub-total {names} (counted twice).",
                "range", counted_twice))
    return findings


def _is_subtotal(cell: _Cell) -> bool:
    """A `SUBTOTAL` formula: another `SUBTOTAL` inside its range is skipped by Excel itself."""
    return (cell.source.formula or "").upper().replace(" ", "").startswith("=SUBTOTAL(")


def _typed_totals(table: ExtractedTable, cells: dict[tuple[int, str], _Cell]) -> list[Finding]:
    """A total typed in where the other totals of its row and column are formulas (recomputed from
    its rows when it closes the first block of a column of amounts)."""
    findings = []
    kinds = table.values[ROW_KIND]
    totals = [c for c in cells.values() if kinds.iloc[c.index] in _TOTAL_KINDS and (c.typed or c.source.formula)]
    for cell in (c for c in totals if c.typed):
        peers = [c for c in totals if c is not cell and (c.index == cell.index or c.key == cell.key)]
        formulas = [c for c in peers if c.source.formula]
        if len(formulas) < _MIN_FORMULA_PEERS or len(formulas) <= 2 * (len(peers) - len(formulas)):
            continue
        stated = _value(table, cell)
        expected = _items_sum(table, cells, cell)
        where = _where(table, cell)
        shown = ", ".join(f"{c.source.cell} {c.source.formula}" for c in formulas[:3])
        off = expected is not None and abs(expected - stated) > 1e-6 * max(1.0, abs(expected))
        sums_fr = f" ; la somme des lignes au-dessus donne {format_number(expected, 'fr')}" if expected is not None else ""
        sums_en = f"; the rows above add up to {format_number(expected, 'en')}" if expected is not None else ""
        findings.append(_finding(
            table, cell, "fail", "error" if off else "warning", expected, stated,
            f"{where} : {cell.source.cell} est saisi à la main ({format_number(stated, 'fr')}) alors que les totaux "
            f"voisins sont des formules ({shown}){sums_fr}.",
            f"{where}: {cell.source.cell} is typed in ({format_number(stated, 'en')}) while the totals next to it "
            f"are formulas ({shown}){sums_en}.",
            "typed-total", formulas[:3]))
    return findings


def _items_sum(table: ExtractedTable, cells: dict[tuple[int, str], _Cell], total: _Cell) -> float | None:
    """The sum of the items above a total, when that is surely what it should be: the items run up
    to the header (no sub-total above), hold figures, and the column is not one of percentages."""
    rows = _block_above(table, total.index)
    if not rows or rows[0] != 0 or str(table.cells.at[total.index, total.key]).endswith("%"):
        return None
    parts = [_value(table, c) for i in rows if (c := cells.get((i, total.key))) is not None]
    figures = [p for p in parts if not math.isnan(p)]
    return math.fsum(figures) if figures else None


def _typed_among_formulas(table: ExtractedTable, cells: dict[tuple[int, str], _Cell]) -> list[Finding]:
    """A figure typed into an item row of a column whose other rows all compute the same formula."""
    findings = []
    kinds = table.values[ROW_KIND]
    for column in table.columns:
        column_cells = [c for c in cells.values() if c.key == column.key and kinds.iloc[c.index] == "item"]
        formulas = [c for c in column_cells if c.source.formula]
        typed = [c for c in column_cells if c.typed]
        if (len(formulas) < _MIN_COLUMN_FORMULAS or not typed
                or len(typed) > _TYPED_SHARE * (len(formulas) + len(typed))):
            continue
        shapes = Counter(relative(c.source.formula or "", c.row, c.column) for c in formulas)
        if len(shapes) != 1:
            continue
        shape = next(iter(shapes))
        recurrent = _RECURRENT.search(shape) is not None
        for cell in typed:
            if recurrent and cell.row < min(c.row for c in formulas):
                continue                     # the opening figure a running formula starts from
            expected = "=" + absolute(shape, cell.row, cell.column)
            stated = table.cells.at[cell.index, cell.key]
            where = _where(table, cell)
            findings.append(_finding(
                table, cell, "fail", "warning", expected, stated,
                f"{where} : {cell.source.cell} est saisi à la main ({stated}) dans une colonne dont les "
                f"{len(formulas)} autres lignes calculent {formulas[0].source.formula} (ici {expected}).",
                f"{where}: {cell.source.cell} is typed in ({stated}) in a column whose {len(formulas)} other "
                f"rows compute {formulas[0].source.formula} (here {expected}).",
                "typed-in-column", formulas[:3]))
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


class FormulasCheck(Check):
    """Every spreadsheet table: its formulas against the blocks they total."""

    name = FORMULA.name
    emits = (FORMULA,)

    def run(self, context: CheckContext, config: None) -> list[Finding]:
        return [f for table in context.document.tables for f in check_formulas(table)]
