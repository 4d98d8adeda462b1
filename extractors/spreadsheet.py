"""Spreadsheets as documents: every sheet of an .xlsx/.xlsm/.ods workbook, or a .csv file, cut
into its table blocks, each block a table with every cell's sheet, address and formula.

A workbook is read as its author laid it out: tables separated by blank rows or columns,
a title or a legend on lines of their own above or under a table (kept as the table's
context, not as rows), header cells merged across the columns they label. The text of a
cell stored as a number is that number written in full (`29672103`, `0.0037`, `0.37%` for a
percent-formatted cell), so the one quantity parser reads it back exactly; a cell stored as
text keeps its text, and the sheet says which of its cells hold a number as text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

import charset_normalizer
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.packaging.relationship import get_rels_path
from openpyxl.utils.exceptions import InvalidFileException

from extractors.grid import guess_kind, is_number
from extractors.layer import table_from_grid
from extractors.source import CellSource, GridCell, SourceGrid
from extractors.spec import DocumentSpec
from extractors.table import ROW_LABEL, CellProblem, ExtractedDocument, ExtractedTable, Provenance
from extractors.text_document import DocumentError

Position = tuple[int, int]                  # (row, column), both 1-based as in the sheet
Area = tuple[int, int, int, int]            # first row, first column, last row, last column

CSV_DELIMITERS = ",;\t|"
_SNIFFED_LINES = 50
_CSV_ENCODINGS = ["utf_8", "utf_16", "utf_32", "cp1252", "latin_1"]
_ENCODING_NAMES = {"cp1252": "Windows-1252", "latin_1": "Latin-1 (ISO-8859-1)", "utf_16": "UTF-16", "utf_32": "UTF-32"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"            # an encrypted OOXML workbook, or an old binary .xls
_NUMBER_AS_TEXT_SHOWN = 5                  # addresses quoted in the note on numbers held as text


# Stored kinds of a cell (CellSource.stored): what the file holds, before any reading of its text.
NUMBER, TEXT, DATE, BOOL, ERROR, EMPTY = "number", "text", "date", "bool", "error", "empty"


@dataclass(frozen=True)
class Sheet:
    """One sheet as stored: its non-empty cells by position, and its merged ranges."""

    name: str
    cells: dict[Position, GridCell]
    merged: tuple[Area, ...] = ()
    hidden: bool = False
    pivot: bool = False                      # holds a pivot table (its cells may not be stored)
    how: str = ""                            # how it was read, when worth saying (a CSV's delimiter)


@dataclass(frozen=True)
class Block:
    """A table region of a sheet and the lines around it that are not rows of it."""

    sheet: str
    area: Area
    rows: tuple[tuple[GridCell, ...], ...]
    context: tuple[str, ...] = ()
    merges: tuple[str, ...] = ()
    header: int | None = None                # header rows, when known (0 for a sheet of lines)

    @property
    def reference(self) -> str:
        """`A1:AT47`."""
        top, left, bottom, right = self.area
        return f"{address(top, left)}:{address(bottom, right)}"


def address(row: int, column: int) -> str:
    """`C7` for row 7, column 3."""
    return f"{get_column_letter(column)}{row}"


# --- reading the file -------------------------------------------------------------------------


def number_text(value: int | float, percent: bool = False) -> str:
    """A stored number written in full, with no exponent and no rounding (`0.37%` when the cell
    is formatted as a percentage and holds 0.0037): the quantity parser reads back the same value."""
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if percent:
        number = number.scaleb(2)
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return f"{text}%" if percent else text


def _value_text(value: object, number_format: str = "General") -> tuple[str, str]:
    """(text, stored kind) of one stored value."""
    if value is None:
        return "", EMPTY
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), BOOL
    if isinstance(value, int | float):
        return number_text(value, "%" in number_format), NUMBER
    if isinstance(value, dt.datetime):
        return (value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")), DATE
    if isinstance(value, dt.date | dt.time):
        return value.isoformat(), DATE
    if isinstance(value, dt.timedelta):
        return str(value), DATE
    return str(value), TEXT


def _cannot_open(path: Path, reason: Exception | str) -> DocumentError:
    return DocumentError(f"{path.name}: classeur illisible / unreadable workbook ({reason})")


def _xlsx_sheets(path: Path) -> tuple[list[Sheet], tuple[CellProblem, ...]]:
    """Every sheet with both the cached value and the formula of each cell, and a note per sheet
    whose formulas have no stored result (a workbook saved by a program, never computed).

    openpyxl streams the sheets twice in read-only mode (the cached values are only in the
    data_only reading, the formulas only in the other; its full mode parses pivot caches, 80 %
    of the time on the USEITI workbook); python-calamine gives the merged ranges."""
    with path.open("rb") as handle:
        if handle.read(4) == _OLE_MAGIC:
            raise DocumentError(f"{path.name}: classeur protégé par mot de passe, ou ancien format .xls "
                                f"/ password-protected workbook, or old .xls format")
    values = formulas = None
    try:
        values = load_workbook(path, read_only=True, data_only=True)
        formulas = load_workbook(path, read_only=True, data_only=False)
        merged = _merged_ranges(path)
        sheets, problems = [], []
        for cached, typed in zip(values.worksheets, formulas.worksheets, strict=True):
            sheet, uncomputed = _xlsx_sheet(cached, typed, merged.get(cached.title, ()), _has_pivot(path, typed))
            sheets.append(sheet)
            if uncomputed:
                problems.append(_uncomputed(path.name, sheet.name, uncomputed))
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, SyntaxError) as error:
        raise _cannot_open(path, error) from error
    finally:
        for workbook in (values, formulas):
            if workbook is not None:
                workbook.close()
    return sheets, tuple(problems)


def _xlsx_sheet(cached, typed, merged: tuple[Area, ...], pivot: bool) -> tuple[Sheet, list[str]]:
    """One sheet from its two readings; the addresses of its formulas with no stored result."""
    found = {(c.row, c.column): _formula(c.value) for row in typed.iter_rows() for c in row
             if getattr(c, "data_type", None) == "f"}
    stored = {(c.row, c.column): c for row in cached.iter_rows() for c in row if c.value is not None}
    cells: dict[Position, GridCell] = {}
    uncomputed = []
    for position in sorted(found.keys() | stored.keys()):
        cell = stored.get(position)
        text, kind = _value_text(cell.value, cell.number_format or "General") if cell else ("", EMPTY)
        if cell is not None and cell.data_type == "e":
            kind = ERROR
        reference = address(*position)
        if found.get(position) and kind == EMPTY:
            uncomputed.append(reference)
        cells[position] = GridCell(text, CellSource(sheet=cached.title, cell=reference, formula=found.get(position),
                                                    stored=kind))
    hidden = cached.sheet_state != "visible"
    return Sheet(cached.title, cells, merged, hidden=hidden, pivot=pivot,
                 how="feuille masquée / hidden sheet" if hidden else ""), uncomputed


def _merged_ranges(path: Path) -> dict[str, tuple[Area, ...]]:
    """Each sheet's merged ranges, 1-based (python-calamine)."""
    from python_calamine import CalamineError, load_workbook as load_calamine

    try:
        workbook = load_calamine(path)
        return {name: tuple((a[0] + 1, a[1] + 1, b[0] + 1, b[1] + 1)
                            for a, b in (workbook.get_sheet_by_name(name).merged_cell_ranges or ()))
                for name in workbook.sheet_names}
    except CalamineError as error:
        raise ValueError(str(error)) from error


def _has_pivot(path: Path, sheet) -> bool:
    """Whether a read-only sheet holds a pivot table (its relations name one)."""
    target = getattr(sheet, "_worksheet_path", None)
    if not target:
        return False
    rels = get_rels_path(target)
    with zipfile.ZipFile(path) as archive:
        return rels in archive.namelist() and b"pivotTable" in archive.read(rels)


def _uncomputed(document: str, sheet: str, cells: list[str]) -> CellProblem:
    shown = ", ".join(cells[:_NUMBER_AS_TEXT_SHOWN]) + (" …" if len(cells) > _NUMBER_AS_TEXT_SHOWN else "")
    return CellProblem(
        document=document, table="", title=sheet, row=None, column=None, text=shown,
        reason_fr=f"{len(cells)} formule(s) sans résultat enregistré (classeur jamais recalculé) : seul leur texte est lu",
        reason_en=f"{len(cells)} formula(s) with no stored result (workbook never recalculated): only their text is read",
        severity="info", sheet=sheet, cell=cells[0])


def _formula(value: object) -> str | None:
    """The formula as typed (`=SUM(C2:C6)`), for plain, array and data-table formulas."""
    text = getattr(value, "text", value)
    if isinstance(text, str) and text.startswith("="):
        return text
    return None


def _ods_sheets(path: Path) -> list[Sheet]:
    """Every sheet's values (python-calamine; it reads no formula text and no number format)."""
    from python_calamine import CalamineError, load_workbook as load_calamine

    try:
        workbook = load_calamine(path)
        sheets = []
        for meta in workbook.sheets_metadata:
            sheet = workbook.get_sheet_by_name(meta.name)
            top, left = sheet.start or (0, 0)
            cells: dict[Position, GridCell] = {}
            for r, row in enumerate(sheet.to_python(skip_empty_area=True)):
                for c, value in enumerate(row):
                    text, stored = _value_text(None if value == "" else value)
                    if stored == EMPTY:
                        continue
                    position = (top + r + 1, left + c + 1)
                    cells[position] = GridCell(text, CellSource(sheet=meta.name, cell=address(*position), stored=stored))
            merged = tuple((a[0] + 1, a[1] + 1, b[0] + 1, b[1] + 1) for a, b in (sheet.merged_cell_ranges or ()))
            sheets.append(Sheet(meta.name, cells, merged, hidden=str(meta.visible).lower().endswith("hidden")))
    except (CalamineError, OSError, ValueError) as error:
        raise _cannot_open(path, error) from error
    return sheets


def decode_csv(path: Path) -> tuple[str, tuple[CellProblem, ...]]:
    """The file's text: UTF-8 (with or without BOM) first, else the encoding charset-normalizer finds
    among UTF-16/32 and the Western single-byte ones, said in an info problem."""
    data = path.read_bytes()
    if not data.strip():
        raise DocumentError(f"{path.name}: fichier vide / empty file")
    try:
        return data.decode("utf-8-sig"), ()
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data, cp_isolation=_CSV_ENCODINGS).best()
    encoding = best.encoding if best is not None else "latin_1"
    if b"\x00" in data and encoding not in ("utf_16", "utf_32"):
        raise DocumentError(f"{path.name}: contenu binaire, pas du texte / binary content, not text")
    name = _ENCODING_NAMES.get(encoding, encoding)
    note = CellProblem(document=path.name, table="", title="", row=None, column=None, text="",
                       reason_fr=f"fichier encodé en {name} et non en UTF-8 : converti",
                       reason_en=f"file encoded in {name}, not UTF-8: converted", severity="info")
    return data.decode(encoding, errors="replace").lstrip("\ufeff"), (note,)


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the same number (> 1) of fields most often,
    then into the most fields; quotes respected. `,` when nothing splits."""
    sample = "\n".join(text.splitlines()[:_SNIFFED_LINES])
    scores = []
    for delimiter in CSV_DELIMITERS:
        counts = [len(row) for row in csv.reader(io.StringIO(sample), delimiter=delimiter) if any(row)]
        if not counts:
            continue
        width, times = Counter(counts).most_common(1)[0]
        if width > 1:
            scores.append((times / len(counts), width, delimiter))
    return max(scores)[2] if scores else ","


def _csv_sheets(path: Path) -> tuple[list[Sheet], tuple[CellProblem, ...]]:
    """The file as one sheet named after it (its delimiter said), and its problems (encoding)."""
    text, problems = decode_csv(path)
    delimiter = sniff_delimiter(text)
    name = path.stem
    cells: dict[Position, GridCell] = {}
    for r, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1):
        for c, value in enumerate(row, 1):
            if value.strip():
                cells[(r, c)] = GridCell(value, CellSource(sheet=name, cell=address(r, c)))
    shown = {"\t": "tabulation / tab"}.get(delimiter, delimiter)
    return [Sheet(name, cells, how=f"séparateur « {shown} » / delimiter")], problems


# --- cutting a sheet into blocks ----------------------------------------------------------------


def _with_merged(sheet: Sheet) -> tuple[dict[Position, GridCell], list[tuple[Area, str]]]:
    """The cells with each merged range's text carried over the range (a header over its columns,
    a label down its rows); figures are not copied, so that no amount is counted twice."""
    cells = dict(sheet.cells)
    carried = []
    for top, left, bottom, right in sheet.merged:
        anchor = cells.get((top, left))
        if anchor is None or anchor.source.stored != TEXT or not anchor.text.strip():
            continue
        for r in range(top, bottom + 1):
            for c in range(left, right + 1):
                cells.setdefault((r, c), anchor)
        carried.append(((top, left, bottom, right), anchor.text.strip()))
    return cells, carried


def _runs(indexes: Iterable[int]) -> list[tuple[int, int]]:
    """Maximal runs of consecutive integers: [1, 2, 3, 5] -> [(1, 3), (5, 5)]."""
    runs: list[tuple[int, int]] = []
    for index in sorted(set(indexes)):
        if runs and index == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    return runs


def _cut(positions: set[Position]) -> list[set[Position]]:
    """The regions the filled cells form when cut at fully blank rows, then at fully blank columns,
    recursively. A single column split off beside a part filled on exactly the same rows stays with
    it (labels and their descriptions with a blank spacer column between them)."""
    row_runs = _runs(r for r, _ in positions)
    if len(row_runs) > 1:
        return [region for a, b in row_runs for region in _cut({p for p in positions if a <= p[0] <= b})]
    parts: list[set[Position]] = []
    for a, b in _runs(c for _, c in positions):
        part = {p for p in positions if a <= p[1] <= b}
        if parts and _aligned(parts[-1], part):
            parts[-1] |= part
        else:
            parts.append(part)
    if len(parts) > 1:
        return [region for part in parts for region in _cut(part)]
    return [positions]


def _aligned(left: set[Position], right: set[Position]) -> bool:
    """Two parts side by side filled on the same rows, one of them a single column."""
    single = len({c for _, c in left}) == 1 or len({c for _, c in right}) == 1
    return single and {r for r, _ in left} == {r for r, _ in right}


def _filled(row: list[GridCell]) -> list[GridCell]:
    """The row's filled cells, a merged cell once however many columns it spans."""
    return list({id(cell): cell for cell in row if cell.text.strip() or cell.source.formula}.values())


def _line(row: list[GridCell]) -> GridCell | None:
    """The row's one cell when the row is a line of words (a title, a note, a legend entry, a
    title merged across the table), None otherwise."""
    filled = _filled(row)
    if len(filled) == 1 and not filled[0].source.formula and not is_number(filled[0].text):
        return filled[0]
    return None


def _region(cells: dict[Position, GridCell], region: set[Position]) -> tuple[Area, list[list[GridCell]]]:
    """The bounding area of a region and its rows, blank where nothing is stored."""
    top, bottom = min(r for r, _ in region), max(r for r, _ in region)
    left, right = min(c for _, c in region), max(c for _, c in region)
    rows = [[cells[(r, c)] if (r, c) in region else GridCell("") for c in range(left, right + 1)]
            for r in range(top, bottom + 1)]
    return (top, left, bottom, right), rows


def sheet_blocks(sheet: Sheet) -> list[Block]:
    """The table blocks of one sheet, top to bottom then left to right, each with its context: its
    leading title lines and trailing note lines, and the regions made only of such lines (given to
    the nearest table). A sheet of lines only is one single-column block, so that nothing is lost."""
    cells, carried = _with_merged(sheet)
    filled = {p for p, cell in cells.items() if cell.text.strip() or cell.source.formula}
    if not filled:
        return []
    tables: list[tuple[Area, list[list[GridCell]], list[GridCell], list[GridCell]]] = []
    notes: list[tuple[Area, list[GridCell]]] = []
    for region in sorted(_cut(filled), key=min):
        area, rows = _region(cells, region)
        lines = [_line(row) for row in rows]
        kept = [i for i, row in enumerate(rows) if lines[i] is None and _filled(row)]
        if not kept:
            notes.append((area, [line for line in lines if line]))
            continue
        first, last = kept[0], kept[-1]
        top, left, _, right = area
        tables.append(((top + first, left, top + last, right), rows[first:last + 1],
                       [line for line in lines[:first] if line], [line for line in lines[last + 1:] if line]))
    if not tables:
        top, left = min(area[0] for area, _ in notes), min(area[1] for area, _ in notes)
        bottom = max(area[2] for area, _ in notes)
        return [Block(sheet.name, (top, left, bottom, left), tuple((line,) for _, lines in notes for line in lines),
                      header=0)]
    above: list[list[GridCell]] = [[] for _ in tables]
    below: list[list[GridCell]] = [[] for _ in tables]
    for area, lines in notes:
        index, is_above = _nearest_table(area, [table[0] for table in tables])
        (above if is_above else below)[index].extend(lines)
    return [
        Block(sheet.name, area, tuple(tuple(row) for row in rows),
              tuple(line.text.strip() for line in above[i] + leading + trailing + below[i]),
              tuple(_merge_note(merged, text) for merged, text in carried if _inside(merged, area)))
        for i, (area, rows, leading, trailing) in enumerate(tables)
    ]


def _nearest_table(note: Area, tables: list[Area]) -> tuple[int, bool]:
    """(index of the table a region of lines belongs to, whether the lines stand above it): the
    closest table by rows between them; at equal distance the table below (a title precedes)."""
    def distance(index: int) -> tuple[int, int]:
        top, _, bottom, _ = tables[index]
        if top > note[2]:
            return top - note[2], 0
        if bottom < note[0]:
            return note[0] - bottom, 1
        return 0, 1
    index = min(range(len(tables)), key=distance)
    return index, tables[index][0] > note[2]


def _inside(inner: Area, outer: Area) -> bool:
    return outer[0] <= inner[0] <= outer[2] and outer[1] <= inner[1] <= outer[3]


def _merge_note(area: Area, text: str) -> str:
    top, left, bottom, right = area
    return (f"cellule fusionnée {address(top, left)}:{address(bottom, right)} « {text} » reportée sur sa plage "
            f"/ merged cell carried over its range")


# --- the document -------------------------------------------------------------------------------


def read_sheets(path: Path) -> tuple[list[Sheet], tuple[CellProblem, ...], str]:
    """Every sheet of the file, the problems met reading it, and the method (`xlsx`, `ods`, `csv`).
    Raises DocumentError (one line naming the file) when the file cannot be read at all."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        sheets, problems = _csv_sheets(path)
        return sheets, problems, "csv"
    if path.stat().st_size == 0:
        raise DocumentError(f"{path.name}: fichier vide / empty file")
    if suffix == ".ods":
        return _ods_sheets(path), (), "ods"
    sheets, problems = _xlsx_sheets(path)
    return sheets, problems, "xlsx"


def extract_spreadsheet(path: Path, spec: DocumentSpec | None = None) -> ExtractedDocument:
    """Every block of every sheet as a table (`T1`, `T2`, … in sheet order), each cell with its
    sheet, address and formula; the lines around the tables as their context and as the prose."""
    sheets, problems, method = read_sheets(path)
    found: list[CellProblem] = list(problems)
    tables: list[ExtractedTable] = []
    for sheet in sheets:
        blocks = sheet_blocks(sheet)
        if not blocks:
            found.append(_empty_sheet(path.name, sheet))
        for block in blocks:
            title = sheet.name if len(blocks) == 1 else f"{sheet.name} ({block.reference})"
            tables.append(block_table(block, path.name, f"T{len(tables) + 1}", title, method, sheet.how))
    text = "\n".join(line for table in tables for line in table.context)
    return ExtractedDocument(name=path.name, kind=spec.kind if spec else "generic", text=text,
                             tables=tuple(tables), problems=tuple(found))


def block_table(block: Block, document: str, key: str, title: str, method: str, how: str = "") -> ExtractedTable:
    """One block through the shared grid-to-table layer, its problems pointed at their cells."""
    reason = f"bloc {block.reference} de la feuille « {block.sheet} »" + (f", {how}" if how else "")
    grid = SourceGrid(document=document, title=title, rows=block.rows, method=method, context=block.context)
    provenance = Provenance(document=document, title=title, method=method, reason=reason,
                            sheet=block.sheet, area=block.reference)
    table = table_from_grid(grid, key, provenance, header=block.header)
    located = tuple(_locate(problem, table) for problem in table.problems)
    return replace(table, merges=table.merges + block.merges, problems=located + _numbers_as_text(table))


def _locate(problem: CellProblem, table: ExtractedTable) -> CellProblem:
    """The problem with the sheet and address of its cell (its row label and printed text found)."""
    if table.sources is None or problem.sheet:
        return problem
    keys = [c.key for c in table.columns if c.label == problem.column]
    for index, row in table.cells.iterrows():
        for key in keys:
            if str(row[ROW_LABEL]) == str(problem.row) and row[key] == problem.text:
                source = table.sources.loc[index, key]
                return replace(problem, sheet=source.sheet, cell=source.cell)
    return problem


def _numbers_as_text(table: ExtractedTable) -> tuple[CellProblem, ...]:
    """One note per table naming the cells that hold a number stored as text (`58100.00%`): a figure
    the workbook will not add up, and often a value typed into the wrong format."""
    if table.sources is None:
        return ()
    found = []
    for column in table.columns:
        for source, text in zip(table.sources[column.key], table.cells[column.key], strict=True):
            if isinstance(source, CellSource) and source.stored == TEXT and text and _whole_number(text):
                found.append((source, text))
    if not found:
        return ()
    shown = ", ".join(f"{s.address()} « {t} »" for s, t in found[:_NUMBER_AS_TEXT_SHOWN])
    more = f" (+{len(found) - _NUMBER_AS_TEXT_SHOWN})" if len(found) > _NUMBER_AS_TEXT_SHOWN else ""
    first = found[0][0]
    p = table.provenance
    return (CellProblem(
        document=p.document, table=table.key, title=p.title, row=None, column=None, text=shown + more,
        reason_fr=f"{len(found)} cellule(s) contiennent un nombre enregistré comme texte",
        reason_en=f"{len(found)} cell(s) hold a number stored as text", severity="info",
        sheet=first.sheet, cell=first.cell,
    ),)


def _whole_number(text: str) -> bool:
    return guess_kind([text]) != "text"


def _empty_sheet(document: str, sheet: Sheet) -> CellProblem:
    pivot_fr = " (un tableau croisé dynamique dont les cellules ne sont pas enregistrées)" if sheet.pivot else ""
    pivot_en = " (a pivot table whose cells are not stored)" if sheet.pivot else ""
    return CellProblem(document=document, table="", title=sheet.name, row=None, column=None, text="",
                       reason_fr=f"feuille vide{pivot_fr}", reason_en=f"empty sheet{pivot_en}", severity="info",
                       sheet=sheet.name)
