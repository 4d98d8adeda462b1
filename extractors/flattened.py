"""Tables flattened onto one run of text, as PDF-to-text tools leave them.

A numbered table ("1 Awa Diarra Kayes 5 ha 4500 4.55 ha 2 Seydou …") is cut
into rows at its row numbers; where a number could also be a value, the cut that lets
every row match the row grammar (built from the spec's columns) wins. A cell never holds
what looks like the start of a later row or a total label: a free-text last cell
("<n> pieds de <arbres>", a pattern ending in `.*`) would otherwise swallow the rows after it.
When the spec's total does not match, the rows are still cut by their numbers and the
total is read generically (found by its label, its figures given to the columns their unit
and magnitude fit), and a note says so with the raw text. A labelled table
("Sous total (1) 12 902 000 …") is cut at the row labels the spec lists.

Every cut also returns its context: the text printed in the table that is no cell (the
header before the first row, the words of a total's label, page numbers), so that the
span's every character can be accounted for (extractors/conservation.py).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

from extractors.figure_runs import settle_figure_runs
from extractors.frame import RawRow
from extractors.grid import TOTAL_LABEL
from extractors.quantity import (
    NUMBER_PATTERN,
    QUANTITY_PATTERN,
    WHOLE_NUMBER_GUARD,
    QuantityError,
    parse_quantity,
)
from extractors.spec import ColumnSpec, TableSpec

_PLACEHOLDERS = {"{quantity}": QUANTITY_PATTERN, "{number}": NUMBER_PATTERN}
_DEFAULT_PATTERNS = {
    "name": r"[A-ZÀ-Ý][\w’'.-]*(?:\s+[A-ZÀ-Ý][\w’'.-]*)*?",
    "text": r".+?",
    "flag": r"[xX]",
}
# Page numbers printed at the foot of a page land inside the flattened text; after a
# figure an arabic page number cannot be told from a thousands group, so only roman ones.
_TRAILING_PAGE_MARKS = r"(?:(?:\s+[ivxl]{1,6})+|(?<=[^\d\s])(?:\s+\d{1,3})+)?"
_ROMAN_PAGE_MARK = r"(?:\s+[ivxl]{1,6})??"
_TOKEN_NUMBER = re.compile(r"(?<!\S)(\d+)(?!\S)")
_MAX_STEPS = 20_000
# What starts a row of a numbered table: its number, then a capitalised word.
# A header holding this many figures holds a row whose number was not read ("0,00 <Nom> <chiffres>").
_ROW_LIKE_FIGURES = 3
ROW_START = re.compile(r"(?<!\S)(\d{1,3})\s+[A-ZÀ-Ý][\w’'-]")
# The same with the capitalised word that may open it ("Montant total", "Grand total").
_TOTAL_PHRASE = re.compile(rf"(?<!\S)(?:[A-ZÀ-Ý][\w’'-]*\s+)?{TOTAL_LABEL.pattern}")
_EQUAL_FIGURES = re.compile(r"\s+(?:soit|ou|=)\s+")
# Beside a labelled row's cells: a figure of three digits or more is a value no column read.
_FIGURE = re.compile(r"(?<![\w,.])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d])|(?<![\w,.])\d{3,}(?![\d])")


@dataclass(frozen=True)
class CutNote:
    """Something the cut did not read as the spec says, with its raw text."""

    label: str                        # the row it concerns ("" for the table)
    text: str
    reason_fr: str
    reason_en: str


@dataclass(frozen=True)
class RowCut:
    """The rows cut from a table body, the text that would not fit the grammar, the text that
    is no cell (header, total label words, page numbers) and what was read otherwise."""

    rows: list[RawRow]
    unparsed: list[tuple[str, str]]   # (row label, raw text)
    context: tuple[str, ...] = ()
    notes: tuple[CutNote, ...] = ()


def expand(pattern: str, *, whole_numbers: bool = False) -> str:
    """A spec's regex with `{quantity}` and `{number}` replaced by the shared grammar;
    `whole_numbers` for running text, where a figure never stops before a thousands group."""
    guard = WHOLE_NUMBER_GUARD if whole_numbers else ""
    for placeholder, grammar in _PLACEHOLDERS.items():
        pattern = pattern.replace(placeholder, f"(?:{grammar}){guard}")
    return pattern


def column_pattern(column: ColumnSpec) -> str:
    if column.pattern:
        return expand(column.pattern)
    if column.is_quantity:
        return QUANTITY_PATTERN
    return _DEFAULT_PATTERNS.get(column.type, r".+?")


def row_grammar(columns: tuple[ColumnSpec, ...], *, whole_numbers: bool = False) -> str:
    """The row's cells in order. `whole_numbers`: a figure never stops before a thousands group
    (for rows where free text, not another figure, follows the last cell)."""
    parts = []
    for column in columns:
        if column.leading or column.in_label:
            continue
        pattern = column_pattern(column)
        if whole_numbers and column.is_quantity:
            pattern = rf"(?:{pattern}){WHOLE_NUMBER_GUARD}"
        group = f"(?P<{column.key}>{pattern})"
        parts.append(rf"(?:\s+{group})?" if column.optional else rf"\s+{group}")
    return "".join(parts)


def _leading_grammar(columns: tuple[ColumnSpec, ...]) -> str | None:
    leading = [c for c in columns if c.leading]
    return column_pattern(leading[0]) if leading else None


def _total_grammar(spec: TableSpec) -> str:
    """The closing total row, its groups renamed `total__<column>` so they never clash."""
    if spec.total is None:
        return ""
    body = re.sub(r"\(\?P<(\w+)>", r"(?P<total__\1>", expand(spec.total.label))
    return rf"\s+{body}"


def cut_numbered(body: str, spec: TableSpec) -> RowCut:
    """Cut a numbered table's body into rows, trying every row-number split until all rows fit.

    First with the spec's closing total; failing that, the last row may be followed by text
    the spec does not describe (a reworded total, a note), read generically or reported."""
    text = " ".join(body.split())
    leading = _leading_grammar(spec.columns)
    lead_tail = rf"(?:\s+(?P<lead__next>{leading}))?" if leading else ""
    row = row_grammar(spec.columns)
    middle = re.compile(rf"(?P<number>\d+){row}{_ROMAN_PAGE_MARK}{lead_tail}")
    # The last row carries the total when the table has one; page numbers after it are
    # skipped only when nothing else lets the row fit.
    closings = [_total_grammar(spec), ""] if spec.total is not None else [""]
    last_forms = [re.compile(rf"(?P<number>\d+){row}{lead_tail}{closing}{pages}")
                  for closing in closings for pages in ("", _TRAILING_PAGE_MARKS)]
    cells = [c.key for c in spec.columns if not (c.leading or c.in_label)]
    starts = list(_TOKEN_NUMBER.finditer(text))
    steps = 0

    def allowed(previous: int | None, number: int) -> bool:
        if previous is None:
            return number == 1 if spec.numbering == "sequential" else True
        return number == previous + 1 if spec.numbering == "sequential" else number > previous

    def fits(match: re.Match[str] | None, number: int) -> bool:
        return match is not None and _swallowed(match, cells, number) is None

    def closing_match(position: int, number: int, open_tail: bool) -> tuple[re.Match[str], str] | None:
        for form in last_forms:
            match = form.fullmatch(text, position)
            if fits(match, number):
                return match, ""
        if not open_tail:
            return None
        label = _TOTAL_PHRASE.search(text, position)
        bare = TOTAL_LABEL.search(text, position)
        ends = (list(dict.fromkeys((label.start() - 1, bare.start() - 1))) if label and bare
                else [m.start() for m in re.finditer(r"\s", text)][::-1])
        for end in ends:
            if end <= position:
                break
            match = middle.fullmatch(text, position, end)
            tail = text[end:].strip()
            if fits(match, number) and not any(int(m.group(1)) > number for m in ROW_START.finditer(tail)):
                return match, tail
        return None

    def search(open_tail: bool) -> tuple[tuple[re.Match[str], ...], str, int] | None:
        nonlocal steps
        steps = 0

        @cache
        def solve(index: int) -> tuple[tuple[re.Match[str], ...], str] | None:
            """The rows from starts[index] to the end, preferring more rows over a longer last row."""
            nonlocal steps
            steps += 1
            if steps > _MAX_STEPS:
                return None
            start = starts[index]
            number = int(start.group(1))
            for following in range(index + 1, len(starts)):
                candidate = starts[following]
                if not allowed(number, int(candidate.group(1))):
                    continue
                match = middle.fullmatch(text, start.start(), candidate.start() - 1)
                if fits(match, number):
                    rest = solve(following)
                    if rest is not None:
                        return (match, *rest[0]), rest[1]
            final = closing_match(start.start(), number, open_tail)
            return ((final[0],), final[1]) if final else None

        for index, start in enumerate(starts):
            if allowed(None, int(start.group(1))):
                solution = solve(index)
                if solution:
                    return solution[0], solution[1], start.start()
        return None

    found = search(open_tail=False) or search(open_tail=True)
    if not found:
        return _cut_greedily(text, spec)
    matches, tail, first = found
    first_lead = _trailing_lead(text[:first], leading)
    header = text[:first].strip()
    header = header[: len(header) - len(first_lead)].strip() if first_lead else header
    cut = _rows_from_matches(matches, spec, first_lead)
    rows, context, notes = cut.rows, list(cut.context), list(cut.notes)
    if ROW_START.search(header) or len(_figures(header)) >= _ROW_LIKE_FIGURES:
        notes.append(CutNote("", header, "texte avant la première ligne du tableau qui ressemble à une ligne",
                             "text before the table's first row that looks like a row"))
    else:
        context.append(header)
    if tail:
        total, tail_context, note = read_total_generically(tail, spec, rows, matches[-1].group("number"))
        rows = [*rows, total] if total else rows
        context.extend(tail_context)
        notes.append(note)
    patterns = {c.key: column_pattern(c) for c in spec.columns}
    return RowCut(rows=settle_figure_runs(rows, spec.columns, patterns), unparsed=cut.unparsed,
                  context=tuple(c for c in context if c), notes=tuple(notes))


def _swallowed(match: re.Match[str], keys: list[str], number: int) -> str | None:
    """The text of a cell of row `number` that holds the start of a later row or a total label."""
    for key in keys:
        cell = match.group(key) or ""
        if TOTAL_LABEL.search(cell) or any(int(m.group(1)) > number for m in ROW_START.finditer(cell)):
            return cell
    return None


def _uncovered(match: re.Match[str]) -> list[str]:
    """The text a match consumed outside its named groups: page marks, a total's label words."""
    covered = sorted(match.span(name) for name, value in match.groupdict().items() if value)
    pieces, position = [], match.start()
    for start, end in covered:
        if start > position:
            pieces.append(match.string[position:start])
        position = max(position, end)
    pieces.append(match.string[position:match.end()])
    return [" ".join(piece.split()) for piece in pieces if piece.strip()]


def read_total_generically(
    tail: str, spec: TableSpec, rows: list[RawRow], after: str,
) -> tuple[RawRow | None, list[str], CutNote]:
    """Text after the last row that the spec's total does not describe. Starting with a total
    label, it is read as the total: each figure (with what it equals, "<n> m2 soit <n> ha")
    goes to a quantity column its unit fits, in column order, the assignment closest to the
    magnitude of the columns' sums; what was assumed is said. Otherwise it is reported."""
    if not _TOTAL_PHRASE.match(tail):
        return None, [], CutNote(after, tail, f"texte après la dernière ligne ({after}) non lu",
                                 f"text after the last row ({after}) not read")
    figures = _figures(tail)
    columns = [c for c in spec.columns if c.is_quantity and not (c.leading or c.in_label)]
    assignment = _assign(figures, columns, rows)
    cells = {column.key: text for column, (text, _, _) in assignment}
    context, position = [], 0
    for text, start, end in figures:
        if text not in cells.values():
            continue
        context.append(tail[position:start])
        position = end
    context.append(tail[position:])
    said_fr = ", ".join(f"{c.label} = {text}" for c, (text, _, _) in assignment) or "aucun chiffre rattaché"
    said_en = ", ".join(f"{c.label} = {text}" for c, (text, _, _) in assignment) or "no figure assigned"
    note = CutNote(
        "TOTAL", tail,
        "ligne de total dont le libellé ne suit pas la spec : lue par défaut, chiffres rattachés aux colonnes "
        f"par unité et ordre de grandeur ({said_fr})",
        f"total row whose label does not follow the spec: read generically, figures given to columns by unit "
        f"and magnitude ({said_en})",
    )
    total = RawRow(label="TOTAL", kind="total", cells=cells) if cells else None
    return total, [" ".join(c.split()) for c in context if c.strip()], note


def _figures(text: str) -> list[tuple[str, int, int]]:
    """(text, start, end) of each quantity, an equivalent ("soit <n> ha") kept with the one before."""
    grammar = re.compile(rf"(?<![\w,.])(?:{QUANTITY_PATTERN})(?!\s\d{{3}}(?![\d,.]))(?![\w])")
    found: list[tuple[str, int, int]] = []
    for match in grammar.finditer(text):
        if found and _EQUAL_FIGURES.fullmatch(text[found[-1][2]:match.start()]):
            start = found[-1][1]
            found[-1] = (text[start:match.end()], start, match.end())
            continue
        found.append((match.group(0), match.start(), match.end()))
    return found


def _assign(
    figures: list[tuple[str, int, int]], columns: list[ColumnSpec], rows: list[RawRow],
) -> list[tuple[ColumnSpec, tuple[str, int, int]]]:
    """Figures to columns in order, each where its unit fits, nearest the magnitude of the column's sum."""
    sums = {c.key: _column_sum(c, rows) for c in columns}

    def distance(column: ColumnSpec, figure: str) -> float | None:
        try:
            value = parse_quantity(figure, column.type, column.unit).value
        except QuantityError:
            return None
        expected = sums[column.key]
        return abs(math.log10(1 + value) - math.log10(1 + expected))

    @cache
    def best(f: int, c: int) -> tuple[float, tuple[tuple[int, int], ...]]:
        """Least distance placing figures[f:] on columns[c:], a figure left out costing 10."""
        if f == len(figures):
            return 0.0, ()
        options = [(10.0 + best(f + 1, c)[0], best(f + 1, c)[1])]
        for k in range(c, len(columns)):
            cost = distance(columns[k], figures[f][0])
            if cost is not None:
                rest = best(f + 1, k + 1)
                options.append((cost + rest[0], ((f, k), *rest[1])))
        return min(options, key=lambda option: option[0])

    return [(columns[k], figures[f]) for f, k in best(0, 0)[1]]


def _column_sum(column: ColumnSpec, rows: list[RawRow]) -> float:
    total = 0.0
    for row in rows:
        try:
            total += parse_quantity(row.cells.get(column.key, ""), column.type, column.unit).value
        except QuantityError:
            continue
    return total


def _trailing_lead(prefix: str, leading: str | None) -> str:
    if not leading:
        return ""
    match = re.search(rf"(?P<lead>{leading})\s*$", prefix.strip())
    return match.group("lead") if match else ""


def _rows_from_matches(matches: tuple[re.Match[str], ...], spec: TableSpec, first_lead: str) -> RowCut:
    leading = [c.key for c in spec.columns if c.leading]
    rows: list[RawRow] = []
    lead = first_lead
    total_cells: dict[str, str] = {}
    context: list[str] = []
    for match in matches:
        context.extend(_uncovered(match))
        groups = match.groupdict()
        cells = {c.key: (groups.get(c.key) or "") for c in spec.columns if not c.leading}
        if leading:
            cells[leading[0]] = lead
        rows.append(RawRow(label=groups["number"], kind="item", cells=cells))
        lead = groups.get("lead__next") or ""
        total_cells |= _total_cells(match)
    if total_cells:
        rows.append(RawRow(label="TOTAL", kind="total", cells=total_cells))
    return RowCut(rows=rows, unparsed=[], context=tuple(context))


def _total_cells(match: re.Match[str]) -> dict[str, str]:
    """The cells a spec'd total row fills, a column printed in two places joined."""
    cells: dict[str, str] = {}
    for name, value in match.groupdict().items():
        if name.startswith("total__") and value:
            key = name.removeprefix("total__").split("__")[0]
            cells[key] = f"{cells.get(key, '')} {value}".strip()
    return cells


def _cut_greedily(text: str, spec: TableSpec) -> RowCut:
    """No split fits every row: keep the rows that fit, report the text of the others; a total
    after the last row is read generically, as when only the total does not fit."""
    grammar = re.compile(rf"(?P<number>\d+){row_grammar(spec.columns)}")
    rows: list[RawRow] = []
    unparsed: list[tuple[str, str]] = []
    notes: list[CutNote] = []
    context: list[str] = []
    total = next((m for m in reversed(list(_TOTAL_PHRASE.finditer(text)))
                  if not ROW_START.search(text, m.end())), None)
    tail = text[total.start():] if total else ""
    text = text[:total.start()] if total else text
    pieces = [piece.strip() for piece in re.split(r"(?<!\S)(?=\d+\s+[A-ZÀ-Ý])", text) if piece.strip()]
    for piece in pieces:
        head = piece.split()[0]
        if not head.isdigit():
            unparsed.append(("", piece))
            continue
        match = grammar.fullmatch(piece)
        if match:
            cells = {c.key: (match.group(c.key) or "") for c in spec.columns if not c.leading}
            rows.append(RawRow(label=head, kind="item", cells=cells))
        else:
            unparsed.append((head, piece))
    stated = re.fullmatch(_total_grammar(spec), f" {tail}") if tail and spec.total is not None else None
    if stated:
        rows.append(RawRow(label="TOTAL", kind="total", cells=_total_cells(stated)))
        context += _uncovered(stated)
    elif tail:
        row, tail_context, note = read_total_generically(tail, spec, rows, rows[-1].label if rows else "")
        rows += [row] if row else []
        context += tail_context
        notes.append(note)
    return RowCut(rows=rows, unparsed=unparsed, context=tuple(context), notes=tuple(notes))


def cut_labelled(body: str, spec: TableSpec) -> RowCut:
    """Cut a labelled table at its rows' labels, in the order the spec lists them."""
    text = " ".join(body.split())
    grammar = re.compile(rf"^(?P<before>.*?){row_grammar(spec.columns, whole_numbers=True)}(?:\s+(?P<after>.*))?$")
    found: list[tuple[int, int, re.Match[str]]] = []
    missing: list[tuple[str, str]] = []
    position = 0
    for row in spec.rows:
        label = re.compile(expand(row.label)).search(text, position)
        if not label:
            missing.append((row.key, ""))
            continue
        found.append((label.start(), label.end(), label))
        position = label.end()
    rows: list[RawRow] = []
    unparsed = list(missing)
    context = [text[: found[0][0]].strip()] if found else []
    notes: list[CutNote] = []
    located = [r for r in spec.rows if r.key not in {m[0] for m in missing}]
    for index, (row, (start, end, label)) in enumerate(zip(located, found)):
        stop = found[index + 1][0] if index + 1 < len(found) else len(text)
        segment = " " + text[end:stop].strip()
        match = grammar.match(segment)
        cells = {key: value for key, value in label.groupdict().items() if value}
        if match:
            cells.update({c.key: match.group(c.key) for c in spec.columns
                          if not (c.leading or c.in_label) and match.group(c.key)})
            for beside in (match.group("before"), match.group("after")):
                _keep_beside(" ".join((beside or "").split()), row.key, context, notes)
        else:
            unparsed.append((row.key, label.group(0) + segment))
        rows.append(RawRow(label=row.key, kind=row.kind, cells=cells, printed=label.group(0)))
    return RowCut(rows=rows, unparsed=unparsed, context=tuple(context), notes=tuple(notes))


def _keep_beside(text: str, row: str, context: list[str], notes: list[CutNote]) -> None:
    """Words printed beside a labelled row's cells (a description, a section title) are context;
    a figure there is a value no column read, said with its text."""
    if not text:
        return
    if _FIGURE.search(text):
        notes.append(CutNote(row, text, "chiffre imprimé dans la ligne hors de ses colonnes",
                             "figure printed in the row outside its columns"))
    else:
        context.append(text)
