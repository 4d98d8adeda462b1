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
import re
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import charset_normalizer
from openpyxl import load_workbook
from openpyxl.packaging.relationship import get_rels_path
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from python_calamine import CalamineError
from python_calamine import load_workbook as load_calamine

from extractors.grid import guess_kind, header_rows, is_number, row_kind
from extractors.layer import table_from_grid
from extractors.source import CellSource, GridCell, SourceGrid
from extractors.spec import DocumentSpec
from extractors.table import (
    ROW_LABEL,
    CellProblem,
    ExtractedDocument,
    ExtractedTable,
    Provenance,
)
from extractors.text_document import DocumentError

Position = tuple[int, int]                  # (row, column), both 1-based as in the sheet
Area = tuple[int, int, int, int]            # first row, first column, last row, last column

CSV_DELIMITERS = ",;\t|"
_SNIFFED_LINES = 50
_CSV_ENCODINGS = ["utf_8", "utf_16", "utf_32", "cp1252", "latin_1"]
_ENCODING_NAMES = {"cp1252": "Windows-1252", "latin_1": "Latin-1 (ISO-8859-1)", "utf_16": "UTF-16", "utf_32": "UTF-32"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"            # an encrypted OOXML workbook, or an old binary .xls
_NUMBER_AS_TEXT_SHOWN = 5                  # addresses quoted in the note on numbers held as text
_FORMULA_ELEMENT = re.compile(rb"<(?:\w+:)?f[ >/]")
_SEP_LINE = re.compile(r"sep=(.)\r?\n")


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

    def notes(self) -> str:
        """What the tables of this sheet say of it in their `reason`."""
        return ", ".join(filter(None, [self.how, "feuille masquée / hidden sheet" if self.hidden else ""]))


@dataclass(frozen=True)
class Block:
    """A table region of a sheet and the lines around it that are not rows of it."""

    sheet: str
    area: Area
    rows: tuple[tuple[GridCell, ...], ...]
    context: tuple[str, ...] = ()
    merges: tuple[str, ...] = ()
    header: int | None = None                # header rows, when the block's shape says it (else the layer finds them)

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

    openpyxl streams the sheets in read-only mode (its full mode parses pivot caches, 80 % of the
    time on the USEITI workbook), a second time for the formulas when the file holds any (the
    cached values are only in the data_only reading, the formulas only in the other);
    python-calamine gives the merged ranges."""
    with path.open("rb") as handle:
        if handle.read(4) == _OLE_MAGIC:
            raise DocumentError(f"{path.name}: classeur protégé par mot de passe, ou ancien format .xls "
                                f"/ password-protected workbook, or old .xls format")
    values = formulas = None
    try:
        values = load_workbook(path, read_only=True, data_only=True)
        formulas = load_workbook(path, read_only=True, data_only=False) if _has_formulas(path) else None
        merged = _merged_ranges(path)
        sheets, problems = [], []
        for index, cached in enumerate(values.worksheets):
            typed = formulas.worksheets[index] if formulas is not None else None
            sheet, uncomputed = _xlsx_sheet(cached, typed, merged.get(cached.title, ()), _has_pivot(path, cached))
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
    """One sheet from its two readings (the formulas' is None when the file holds no formula); the
    addresses of its formulas with no stored result. Dimensions are not trusted (a file written by
    a program may state none, and openpyxl would parse the sheet once more to find them)."""
    formulas = {}
    if typed is not None:
        typed.reset_dimensions()
        formulas = {(c.row, c.column): _formula(c.value) for row in typed.iter_rows() for c in row
                    if getattr(c, "data_type", None) == "f"}
    values = {}
    cached.reset_dimensions()
    for row in cached.iter_rows():
        for cell in row:
            if cell.value is not None:
                text, kind = _value_text(cell.value, cell.number_format or "General")
                values[(cell.row, cell.column)] = (text, ERROR if cell.data_type == "e" else kind)
    cells, uncomputed = _sheet_cells(cached.title, values, formulas)
    return Sheet(cached.title, cells, merged, hidden=cached.sheet_state != "visible", pivot=pivot), uncomputed


def _sheet_cells(sheet: str, values: dict[Position, tuple[str, str]],
                 formulas: dict[Position, str | None]) -> tuple[dict[Position, GridCell], list[str]]:
    """Every cell holding a value or a formula, with its address; the formulas with no stored result."""
    cells: dict[Position, GridCell] = {}
    uncomputed = []
    for position in sorted(formulas.keys() | values.keys()):
        text, kind = values.get(position, ("", EMPTY))
        formula = formulas.get(position)
        reference = address(*position)
        if formula and kind == EMPTY:
            uncomputed.append(reference)
        cells[position] = GridCell(text, CellSource(sheet=sheet, cell=reference, formula=formula, stored=kind))
    return cells, uncomputed


def _merged_ranges(path: Path) -> dict[str, tuple[Area, ...]]:
    """Each sheet's merged ranges, 1-based (python-calamine)."""
    try:
        workbook = load_calamine(path)
        return {name: tuple((a[0] + 1, a[1] + 1, b[0] + 1, b[1] + 1)
                            for a, b in (workbook.get_sheet_by_name(name).merged_cell_ranges or ()))
                for name in workbook.sheet_names}
    except CalamineError as error:
        raise ValueError(str(error)) from error


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet of the file holds a formula (an `<f>` element): when none does, the
    second reading of every sheet is spared."""
    with zipfile.ZipFile(path) as archive:
        return any(_FORMULA_ELEMENT.search(archive.read(name)) for name in archive.namelist()
                   if name.startswith("xl/worksheets/") and name.endswith(".xml"))


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


def _ods_sheets(path: Path) -> tuple[list[Sheet], tuple[CellProblem, ...]]:
    """Every sheet's values and merged ranges (python-calamine), and its formulas (read from the
    file's content.xml: calamine gives values only); a note per sheet whose formulas have no result."""
    try:
        workbook = load_calamine(path)
        formulas = _ods_formulas(path)
        sheets, problems = [], []
        for meta in workbook.sheets_metadata:
            sheet = workbook.get_sheet_by_name(meta.name)
            top, left = sheet.start or (0, 0)
            values = {}
            for r, row in enumerate(sheet.to_python(skip_empty_area=True)):
                for c, value in enumerate(row):
                    text, kind = _value_text(None if value == "" else value)
                    if kind != EMPTY:
                        values[(top + r + 1, left + c + 1)] = (text, kind)
            cells, uncomputed = _sheet_cells(meta.name, values, formulas.get(meta.name, {}))
            merged = tuple((a[0] + 1, a[1] + 1, b[0] + 1, b[1] + 1) for a, b in (sheet.merged_cell_ranges or ()))
            sheets.append(Sheet(meta.name, cells, merged, hidden=str(meta.visible).lower().endswith("hidden")))
            if uncomputed:
                problems.append(_uncomputed(path.name, meta.name, uncomputed))
    except (CalamineError, OSError, ValueError, KeyError, zipfile.BadZipFile, ElementTree.ParseError) as error:
        raise _cannot_open(path, error) from error
    return sheets, tuple(problems)


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_REFERENCE = re.compile(r"\[([^\]]*)\]")
_ODS_NAMESPACE = re.compile(r"^[a-z]+:(?==)")


def _ods_formulas(path: Path) -> dict[str, dict[Position, str]]:
    """The formula of every cell of every sheet, written the spreadsheet way (`of:=SUM([.C2:.C6])`
    -> `=SUM(C2:C6)`). Repeated rows and columns are counted, never expanded."""
    found: dict[str, dict[Position, str]] = {}
    sheet: dict[Position, str] = {}
    row = column = next_row = 0
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as content:
        for _, element in ElementTree.iterparse(content, events=("start",)):
            tag = element.tag
            if tag == f"{_ODS_TABLE}table":
                sheet = found.setdefault(element.get(f"{_ODS_TABLE}name", ""), {})
                next_row = 1
            elif tag == f"{_ODS_TABLE}table-row":
                row, column = next_row, 1
                next_row += int(element.get(f"{_ODS_TABLE}number-rows-repeated", "1"))
            elif tag in (f"{_ODS_TABLE}table-cell", f"{_ODS_TABLE}covered-table-cell"):
                formula = element.get(f"{_ODS_TABLE}formula")
                if formula:
                    sheet[(row, column)] = excel_formula(formula)
                column += int(element.get(f"{_ODS_TABLE}number-columns-repeated", "1"))
    return found


def excel_formula(formula: str) -> str:
    """An OpenFormula (`of:=SUM([.C2:.C6];[$Feuille2.A1])`) as Excel writes it (`=SUM(C2:C6,Feuille2!A1)`)."""
    text = _ODS_NAMESPACE.sub("", formula)

    def reference(match: re.Match[str]) -> str:
        parts = []
        for part in match.group(1).split(":"):
            sheet, _, cell = part.rpartition(".")
            sheet = sheet.lstrip("$")
            parts.append(f"{sheet}!{cell}" if sheet and not parts else cell)
        return ":".join(parts)

    return _ODS_REFERENCE.sub(reference, text).replace(";", ",")


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
        counts = [len(row) for row in csv.reader(io.StringIO(sample), delimiter=delimiter) if row]
        if not counts:
            continue
        width, times = Counter(counts).most_common(1)[0]
        if width > 1:
            scores.append((times / len(counts), width, delimiter))
    return max(scores)[2] if scores else ","


def _csv_sheets(path: Path) -> tuple[list[Sheet], tuple[CellProblem, ...]]:
    """The file as one sheet named after it (its delimiter said), and its problems (encoding)."""
    text, problems = decode_csv(path)
    declared = _SEP_LINE.match(text)             # Excel's `sep=;` first line names the delimiter
    delimiter = declared.group(1) if declared else sniff_delimiter(text)
    text = text[declared.end():] if declared else text
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
    recursively. Two parts side by side filled on exactly the same rows stay one region when one
    blank column parts them or one of them is a single column (a spacer column inside a table,
    labels and their descriptions)."""
    row_runs = _runs(r for r, _ in positions)
    if len(row_runs) > 1:
        return [region for a, b in row_runs for region in _cut({p for p in positions if a <= p[0] <= b})]
    parts: list[set[Position]] = []
    previous_end = 0
    for a, b in _runs(c for _, c in positions):
        part = {p for p in positions if a <= p[1] <= b}
        if parts and _aligned(parts[-1], part, a - previous_end - 1):
            parts[-1] |= part
        else:
            parts.append(part)
        previous_end = b
    if len(parts) > 1:
        return [region for part in parts for region in _cut(part)]
    return [positions]


def _aligned(left: set[Position], right: set[Position], gap: int) -> bool:
    """Two parts side by side, `gap` blank columns apart, that read as one table."""
    single = len({c for _, c in left}) == 1 or len({c for _, c in right}) == 1
    return (single or gap == 1) and {r for r, _ in left} == {r for r, _ in right}


def _rejoined(regions: list[set[Position]], cells: dict[Position, GridCell]) -> list[set[Position]]:
    """Regions one blank row apart that are one table: a total row left under its items after a
    blank row, a header row left over its body. Both must stand within the other's columns."""
    regions = list(regions)
    joined = True
    while joined:
        joined = False
        for upper in regions:
            lower = next((r for r in regions if _one_table(upper, r, cells)), None)
            if lower is not None:
                regions = [r for r in regions if r is not upper and r is not lower] + [upper | lower]
                joined = True
                break
    return sorted(regions, key=min)


def _one_table(upper: set[Position], lower: set[Position], cells: dict[Position, GridCell]) -> bool:
    top, left, bottom, right = _bounds(upper)
    low_top, low_left, low_bottom, low_right = _bounds(lower)
    if low_top != bottom + 2:
        return False
    if low_top == low_bottom and left <= low_left and low_right <= right:
        texts = [cells[p].text for p in sorted(lower)]
        return len(texts) > 1 and row_kind(texts) in ("total", "subtotal")
    if top == bottom and low_left <= left and right <= low_right and low_bottom > low_top:
        texts = [cells[p].text for p in sorted(upper)]
        return len(texts) > 1 and not any(is_number(text) for text in texts)
    return False


def _bounds(region: set[Position]) -> Area:
    rows, columns = [r for r, _ in region], [c for _, c in region]
    return min(rows), min(columns), max(rows), max(columns)


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
    top, left, bottom, right = _bounds(region)
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
    for region in _rejoined(_cut(filled), cells):
        area, rows = _region(cells, region)
        lines = [_line(row) for row in rows]
        kept = [i for i, row in enumerate(rows) if lines[i] is None and _filled(row)]
        if not kept:
            notes.append((area, [line for line in lines if line]))
            continue
        first, last = kept[0], kept[-1]
        top, left, _, right = area
        tables.append(((top + first, left, top + last, right), [row for row in rows[first:last + 1] if _filled(row)],
                       [line for line in lines[:first] if line], [line for line in lines[last + 1:] if line]))
    if not tables:
        top, left = min(area[0] for area, _ in notes), min(area[1] for area, _ in notes)
        bottom = max(area[2] for area, _ in notes)
        # one run of lines is a one-column list under its heading; lines apart from each other are notes
        return [Block(sheet.name, (top, left, bottom, left), tuple((line,) for _, lines in notes for line in lines),
                      header=None if len(notes) == 1 else 0)]
    above: list[list[GridCell]] = [[] for _ in tables]
    below: list[list[GridCell]] = [[] for _ in tables]
    for area, lines in notes:
        index, is_above = _nearest_table(area, [table[0] for table in tables])
        (above if is_above else below)[index].extend(lines)
    return [
        Block(sheet.name, area, tuple(tuple(row) for row in rows),
              tuple(line.text.strip() for line in above[i] + leading + trailing + below[i]),
              tuple(_merge_note(merged, text) for merged, text in carried if _inside(merged, area)),
              header=1 if len(rows) == 1 and not any(is_number(cell.text) for cell in rows[0]) else None)
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
        sheets, problems = _ods_sheets(path)
        return sheets, problems, "ods"
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
            tables.append(block_table(block, path.name, f"T{len(tables) + 1}", title, method, sheet.notes()))
    text = "\n".join(line for table in tables for line in table.context)
    return ExtractedDocument(name=path.name, kind=spec.kind if spec else "generic", text=text,
                             tables=tuple(tables), problems=tuple(found))


def block_table(block: Block, document: str, key: str, title: str, method: str, notes: str = "") -> ExtractedTable:
    """One block through the shared grid-to-table layer, its problems pointed at their cells."""
    reason = f"bloc {block.reference} de la feuille « {block.sheet} »" + (f", {notes}" if notes else "")
    grid = SourceGrid(document=document, title=title, rows=block.rows, method=method, context=block.context,
                      merges=block.merges)
    provenance = Provenance(document=document, title=title, method=method, reason=reason,
                            sheet=block.sheet, area=block.reference)
    # the lines around the block are already its context: only its header is left to find
    header = header_rows(grid.texts()) if block.header is None else block.header
    table = table_from_grid(grid, key, provenance, header=header)
    located = tuple(_locate(problem, table) for problem in table.problems)
    return replace(table, problems=located + _numbers_as_text(table))


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
