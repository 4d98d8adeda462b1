"""Tables flattened onto one run of text, as PDF-to-text tools leave them.

A numbered table ("1 Awa Diarra Kayes 5 ha 4500 4.55 ha 2 Seydou …") is cut
into rows at its row numbers; where a number could also be a value, the cut that lets
every row match the row grammar (built from the spec's columns) wins. A labelled table
("Sous total (1) 12 902 000 …") is cut at the row labels the spec lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from extractors.figure_runs import settle_figure_runs
from extractors.frame import RawRow
from extractors.quantity import NUMBER_PATTERN, QUANTITY_PATTERN, WHOLE_NUMBER_GUARD
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


@dataclass(frozen=True)
class RowCut:
    """The rows cut from a table body, and the text that would not fit the grammar."""

    rows: list[RawRow]
    unparsed: list[tuple[str, str]]   # (row label, raw text)
    pages: tuple[str, ...] = ()       # page numbers printed inside the table body


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


def _row_grammar(columns: tuple[ColumnSpec, ...], *, whole_numbers: bool = False) -> str:
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
    """Cut a numbered table's body into rows, trying every row-number split until all rows fit."""
    text = " ".join(body.split())
    leading = _leading_grammar(spec.columns)
    lead_tail = rf"(?:\s+(?P<lead__next>{leading}))?" if leading else ""
    row = _row_grammar(spec.columns)
    middle = re.compile(rf"(?P<number>\d+){row}{_ROMAN_PAGE_MARK}{lead_tail}")
    # The last row carries the total when the table has one; page numbers after it are
    # skipped only when nothing else lets the row fit.
    closings = [_total_grammar(spec), ""] if spec.total is not None else [""]
    last_forms = [re.compile(rf"(?P<number>\d+){row}{lead_tail}{closing}{pages}")
                  for closing in closings for pages in ("", _TRAILING_PAGE_MARKS)]
    starts = list(_TOKEN_NUMBER.finditer(text))
    first_lead = ""
    steps = 0

    def allowed(previous: int | None, number: int) -> bool:
        if previous is None:
            return number == 1 if spec.numbering == "sequential" else True
        return number == previous + 1 if spec.numbering == "sequential" else number > previous

    def closing_match(position: int) -> re.Match[str] | None:
        for form in last_forms:
            match = form.fullmatch(text, position)
            if match:
                return match
        return None

    @cache
    def solve(index: int) -> tuple[re.Match[str], ...] | None:
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
            if match:
                rest = solve(following)
                if rest is not None:
                    return (match, *rest)
        final = closing_match(start.start())
        return (final,) if final else None

    solution: tuple[re.Match[str], ...] | None = None
    for index, start in enumerate(starts):
        if allowed(None, int(start.group(1))):
            solution = solve(index)
            if solution:
                first_lead = _trailing_lead(text[: start.start()], leading)
                break
    if not solution:
        return _cut_greedily(text, spec)
    cut = _rows_from_matches(solution, spec, first_lead)
    patterns = {c.key: column_pattern(c) for c in spec.columns}
    return RowCut(rows=settle_figure_runs(cut.rows, spec.columns, patterns), unparsed=cut.unparsed)


def _has_total(match: re.Match[str]) -> bool:
    return any(name.startswith("total__") and value for name, value in match.groupdict().items())


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
    for match in matches:
        groups = match.groupdict()
        cells = {c.key: (groups.get(c.key) or "") for c in spec.columns if not c.leading}
        if leading:
            cells[leading[0]] = lead
        rows.append(RawRow(label=groups["number"], kind="item", cells=cells))
        lead = groups.get("lead__next") or ""
        for name, value in groups.items():
            if name.startswith("total__") and value:
                key = name.removeprefix("total__").split("__")[0]
                total_cells[key] = f"{total_cells.get(key, '')} {value}".strip()
    if total_cells:
        rows.append(RawRow(label="TOTAL", kind="total", cells=total_cells))
    return RowCut(rows=rows, unparsed=[])


def _cut_greedily(text: str, spec: TableSpec) -> RowCut:
    """No split fits every row: keep the rows that fit, report the text of the others."""
    row = _row_grammar(spec.columns)
    grammar = re.compile(rf"(?P<number>\d+){row}")
    rows: list[RawRow] = []
    unparsed: list[tuple[str, str]] = []
    pieces = re.split(r"(?<!\S)(?=\d+\s+[A-ZÀ-Ý])", text)
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
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
    return RowCut(rows=rows, unparsed=unparsed)


def cut_labelled(body: str, spec: TableSpec) -> RowCut:
    """Cut a labelled table at its rows' labels, in the order the spec lists them."""
    text = " ".join(body.split())
    grammar = re.compile(rf"^(?P<before>.*?){_row_grammar(spec.columns, whole_numbers=True)}(?:\s+(?P<after>.*))?$")
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
    located = [r for r in spec.rows if r.key not in {m[0] for m in missing}]
    for index, (row, (start, end, label)) in enumerate(zip(located, found)):
        stop = found[index + 1][0] if index + 1 < len(found) else len(text)
        segment = " " + text[end:stop].strip()
        match = grammar.match(segment)
        cells = {key: value for key, value in label.groupdict().items() if value}
        if match:
            cells.update({c.key: match.group(c.key) for c in spec.columns
                          if not (c.leading or c.in_label) and match.group(c.key)})
        else:
            unparsed.append((row.key, label.group(0) + segment))
        rows.append(RawRow(label=row.key, kind=row.kind, cells=cells, printed=label.group(0)))
    return RowCut(rows=rows, unparsed=unparsed)
