"""A table printed as side-by-side panels of the same columns, read as one list.

A long list is often printed in two (or more) panels side by side to save a page, each line of
the page then holding two records. A reader sees one wide grid; this step, part of the table
layer, cuts the grid into its panels and stacks them, leftmost first, so that the table has one
column per meaning and one record per row. Panels are recognised

- by a **repeated header**: the first panel's header labels printed again further right, on the
  header's own line or lower (a panel may start lower on its page, under its own caption), in
  as many cells or squeezed into one (the reader missed the panel's inner column boundary: each
  of its cells is then cut where the panel's figure columns read from the end of the text);
- by a **list continued** into the next column: a header printed over the first column only,
  columns with no header of their own and cells of the same kind beside it, and the entries, read
  down then across, in alphabetical order (at least 90 % of neighbours, every column boundary
  included): one list wrapped into columns, not records of several fields.

Either way a panel's first column must be words (the records' labels). A record whose label
wraps over two lines around a single-line record of the other panel (`<Company A> Petroleum` /
`<Company B> Inc.` / `Corporation`) is joined first. Nothing is lost: the lines above a
panel's own header (its caption, a key of abbreviations), the repeated headers and any column
printed beside the panels (the page's prose) become the table's context lines, and every step
is said in `merges`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.grid import guess_kind, header_labels, is_figure, label_key
from extractors.quantity import number_convention
from extractors.source import GridCell

Row = list[GridCell]

MIN_LISTED = 8              # entries a continued list needs before its order says anything
MIN_IN_ORDER = 0.9          # share of neighbouring entries in order
_MAX_FIGURE_WORDS = 3       # words a figure may take at the end of a squeezed cell ("$ 1 234")
MAX_SQUEEZED = 4            # header labels a reader may have squeezed into one cell


@dataclass
class _Panel:
    """Grid columns `first`..`first + width - 1`, whose records start at row `body`; a squeezed
    panel holds in its one grid column the `fields` columns of the first panel."""

    first: int
    width: int
    body: int
    fields: int
    kinds: tuple[str, ...] = ()

    @property
    def columns(self) -> range:
        return range(self.first, self.first + self.width)


@dataclass(frozen=True)
class Stacked:
    """The grid with its panels stacked: header rows then records, and what was set aside."""

    rows: list[Row]
    header: int
    context: list[str]
    merges: list[str] = field(default_factory=list)


class _Grid:
    """The grid's texts, with what the search asks of a column below a row computed once: its kind
    and whether it holds labels; and where a cell repeats a header label, or a run of them."""

    def __init__(self, texts: list[list[str]], labels: list[str], header_top: int) -> None:
        self.texts = texts
        self.labels = labels
        self._kinds: dict[tuple[int, int], str] = {}
        self._labels: dict[tuple[int, int], bool] = {}
        self.keys = keys = [label_key(label) for label in labels]
        self.runs: dict[str, set[int]] = {}                   # a run of labels' key -> where such runs start
        for a in range(len(keys)):
            for b in range(a + 2, min(a + MAX_SQUEEZED, len(keys)) + 1):
                self.runs.setdefault("".join(keys[a:b]), set()).add(a)
        wanted = (set(keys) | set(self.runs)) - {""}
        firsts = {key[0] for key in wanted}
        self.at: dict[str, list[tuple[int, int]]] = {}        # key -> (row, column) of the cells reading it
        for r in range(header_top, len(texts)):
            for c, text in enumerate(texts[r]):
                if text[:1].casefold() in firsts and (key := label_key(text)) in wanted:
                    self.at.setdefault(key, []).append((r, c))

    def kind(self, column: int, body: int) -> str:
        """The column's kind below `body`, read with its own number convention."""
        if (column, body) not in self._kinds:
            cells = [row[column] for row in self.texts[body:]]
            self._kinds[column, body] = guess_kind(cells, number_convention(cells))
        return self._kinds[column, body]

    def kinds(self, columns: range, body: int) -> tuple[str, ...]:
        return tuple(self.kind(c, body) for c in columns)

    def holds_labels(self, column: int, body: int) -> bool:
        """Whether a column below `body` holds records' labels: words, at least 3, one figure in five
        at most (a group header carried over two columns of figures repeats, but heads no panel)."""
        if (column, body) not in self._labels:
            filled = [row[column] for row in self.texts[body:] if row[column]]
            self._labels[column, body] = len(filled) >= 3 and 5 * sum(map(is_figure, filled)) <= len(filled)
        return self._labels[column, body]

    def label_column(self, column: int, body: int) -> bool:
        return self.kind(column, body) == "text" and self.holds_labels(column, body)


def _split(text: str, kinds: tuple[str, ...]) -> list[str] | None:
    """A squeezed cell cut into the panel's columns: each figure column takes the shortest run of
    words at the end of the text that reads as a figure; None when one finds none."""
    words = text.split()
    parts: list[str] = []
    for kind in reversed(kinds[1:]):
        if kind == "text":
            return None
        cut = next((n for n in range(1, min(_MAX_FIGURE_WORDS, len(words) - 1) + 1)
                    if is_figure(" ".join(words[-n:]))), None)
        if cut is None:
            return None
        parts.insert(0, " ".join(words[-cut:]))
        words = words[:-cut]
    return [" ".join(words), *parts]


def _squeezed_fits(grid: _Grid, column: int, body: int, kinds: tuple[str, ...]) -> bool:
    """Whether most cells of a squeezed column below its header cut into the panel's columns."""
    filled = [row[column] for row in grid.texts[body:] if row[column]]
    return bool(filled) and 2 * sum(_split(text, kinds) is not None for text in filled) > len(filled)


def _repeated(grid: _Grid, top: int) -> list[_Panel]:
    """The panels found by a repeated header sequence, widest sequence first; [] when none. Only a
    sequence printed again (in the header or in a cell further down) is looked at."""
    labels, keys = grid.labels, grid.keys
    width = len(labels)
    starts = {c for c, key in enumerate(keys) if key and (keys.count(key) > 1 or any(
        column != c for _, column in grid.at.get(key, ())))}
    starts |= {start for key in grid.at for start in grid.runs.get(key, ())}
    for fields in range(width - 1, 0, -1):
        for start in sorted(starts):
            sequence = keys[start:start + fields]
            if len(sequence) < fields:
                continue
            if not all(any(ch.isalpha() for ch in label) for label in labels[start:start + fields]):
                continue
            again = any(keys[c:c + fields] == sequence for c in range(width - fields + 1) if c != start)
            elsewhere = {c for key in {sequence[0], "".join(sequence)} for _, c in grid.at.get(key, ())
                         if not start <= c < start + fields}
            if not (again or elsewhere) or not grid.label_column(start, top):
                continue
            main = _Panel(start, fields, top, fields, grid.kinds(range(start, start + fields), top))
            panels = [main, *_repeats(grid, main)]
            if len(panels) > 1:
                return sorted(panels, key=lambda panel: panel.first)
    return []


def _repeats(grid: _Grid, main: _Panel) -> list[_Panel]:
    """Other panels repeating `main`'s header: on its line(s), or lower in one row, in separate
    cells of the same kinds or squeezed into one cell."""
    labels = grid.labels
    keys = [label_key(label) for label in labels[main.first:main.first + main.fields]]
    joined = "".join(keys)
    taken = set(main.columns)
    found: list[_Panel] = []
    column = 0
    while column < len(labels):
        span = range(column, column + main.fields)
        panel = None
        if column + main.fields <= len(labels) and not taken & set(span):
            if [label_key(label) for label in labels[column:column + main.fields]] == keys:
                panel = _Panel(column, main.fields, main.body, main.fields)
            else:
                row = next((r for r, c in grid.at.get(keys[0], ()) if c == column and r >= main.body
                            and [label_key(grid.texts[r][k]) for k in span] == keys), None)
                panel = _Panel(column, main.fields, row + 1, main.fields) if row is not None else None
            if panel and (grid.kinds(panel.columns, panel.body) != main.kinds
                          or not grid.holds_labels(panel.first, panel.body)):
                panel = None
        if panel is None and main.fields > 1 and column not in taken:
            row = next((r for r, c in grid.at.get(joined, ()) if c == column), None)
            if row is not None and _squeezed_fits(grid, column, row + 1, main.kinds):
                panel = _Panel(column, 1, row + 1, main.fields, main.kinds)
        if panel:
            found.append(panel)
            taken |= set(panel.columns)
            column += panel.width
        else:
            column += 1
    return found


def _continued(grid: _Grid, top: int) -> list[_Panel]:
    """Candidate panels of a list continued into unlabelled columns (its order is checked later)."""
    labels = grid.labels
    width = len(labels)
    for fields in range(1, width // 2 + 1):
        for start in range(width - 2 * fields + 1):
            if not all(labels[start:start + fields]) or any(labels[start + fields:start + 2 * fields]):
                continue
            if not grid.label_column(start, top):
                continue
            main = _Panel(start, fields, top, fields, grid.kinds(range(start, start + fields), top))
            panels = [main]
            column = start + fields
            while (column + fields <= width and not any(labels[column:column + fields])
                   and grid.kinds(range(column, column + fields), top) == main.kinds
                   and grid.holds_labels(column, top)):
                panels.append(_Panel(column, fields, top, fields))
                column += fields
            if len(panels) > 1:
                return panels
    return []


def _joined(a: GridCell, b: GridCell) -> GridCell:
    if not a.text or not b.text:
        return a if a.text else b
    return GridCell(f"{a.text} {b.text}", a.source)


def _covers(grid: _Grid, panels: list[_Panel], top: int) -> bool:
    """Whether the panels stand side by side in one run of columns, every column beside them
    holding words only (text printed next to the panels, never figures of a record)."""
    columns = sorted(c for panel in panels for c in panel.columns)
    if columns != list(range(columns[0], columns[-1] + 1)):
        return False
    beside = [c for c in range(len(grid.labels)) if c not in columns]
    return all(grid.kind(c, top) == "text" for c in beside)


def _records(square: list[Row], panels: list[_Panel]) -> tuple[list[dict[int, Row]], int]:
    """The body lines as {panel: its cells}, empty panels left out, with a label wrapped over the
    lines above and below a single-line record of other panels joined (how many such joins): only
    between lines where every one of those panels has a record, so that panels whose lines merely
    alternate (printed at different heights) are never joined."""
    lines = []
    for r, row in enumerate(square):
        line = {p: [row[c] for c in panel.columns] for p, panel in enumerate(panels)
                if r >= panel.body and any(row[c].text for c in panel.columns)}
        if line:
            lines.append(line)
    records: list[dict[int, Row]] = []
    joins = 0
    index = 0
    while index < len(lines):
        if index + 2 < len(lines):
            above, middle, below = (set(lines[index + i]) for i in range(3))
            both = above | middle
            between = ((index == 0 or set(lines[index - 1]) >= both)
                       and (index + 3 == len(lines) or set(lines[index + 3]) >= both))
            if above == below and not above & middle and between:
                record = dict(lines[index + 1])
                for p in above:
                    record[p] = [_joined(a, b) for a, b in zip(lines[index][p], lines[index + 2][p], strict=True)]
                records.append(record)
                joins += 1
                index += 3
                continue
        records.append(lines[index])
        index += 1
    return records, joins


def _order_key(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum() or ch == " ")


def _in_order(records: list[dict[int, Row]], panels: list[_Panel]) -> tuple[int, int] | None:
    """(neighbours in order, neighbours) of the entries read down then across, when every column
    boundary is in order; None otherwise."""
    columns = [[_order_key(record[p][0].text) for record in records if p in record] for p in range(len(panels))]
    if any(not column for column in columns):
        return None
    if any(a[-1] > b[0] for a, b in zip(columns, columns[1:])):
        return None
    entries = [entry for column in columns for entry in column]
    return sum(a <= b for a, b in zip(entries, entries[1:])), len(entries) - 1


def _stack(panels: list[_Panel], records: list[dict[int, Row]]) -> list[Row]:
    """Each panel's records under the first panel's, squeezed cells cut into their columns."""
    stacked = []
    for p, panel in enumerate(panels):
        for record in records:
            if p not in record:
                continue
            cells = record[p]
            if panel.width < panel.fields:
                parts = _split(cells[0].text, panel.kinds) or [cells[0].text] + [""] * (panel.fields - 1)
                cells = [GridCell(part, cells[0].source) for part in parts]
            stacked.append(cells)
    return stacked


def _set_aside(square: list[Row], panels: list[_Panel], main: _Panel, header_rows: range) -> list[str]:
    """Line by line, the text of the grid that is no panel's header or record: the lines above a
    panel's records (its caption, a repeated header) and the columns beside the panels."""
    owner = {c: panel for panel in panels for c in panel.columns}
    lines = []
    for r, row in enumerate(square):
        kept = [cell.text for c, cell in enumerate(row) if cell.text and (
            c not in owner or (r < owner[c].body and not (owner[c] is main and r in header_rows)))]
        if kept:
            lines.append(" ".join(kept))
    return lines


def stack_panels(square: list[Row], context_rows: int, header: int) -> Stacked | None:
    """The grid (square, `context_rows` lines above a header of `header` lines) with its
    side-by-side panels stacked, or None when it is not printed in panels."""
    if not header or not square or len(square[0]) < 2:
        return None
    texts = [[cell.text for cell in row] for row in square]
    top = context_rows + header
    labels = header_labels(texts[context_rows:top], header)
    grid = _Grid(texts, labels, context_rows)
    panels = _repeated(grid, top)
    how = "repeated"
    if not panels:
        panels, how = _continued(grid, top), "continued"
    if not panels:
        return None
    main = next(panel for panel in panels if panel.width == panel.fields and panel.body == top
                and all(labels[c] for c in panel.columns))
    if not _covers(grid, panels, top):
        return None
    records, joins = _records(square, panels)
    order = _in_order(records, panels) if how == "continued" else None
    if how == "continued" and (order is None or order[1] + 1 < MIN_LISTED or order[0] < MIN_IN_ORDER * order[1]):
        return None
    header_rows = range(context_rows, top)
    rows = [[row[c] for c in main.columns] for row in square[context_rows:top]]
    set_aside = _set_aside(square, panels, main, header_rows)
    return Stacked(rows + _stack(panels, records), header, set_aside,
                   _notes(panels, labels[main.first:main.first + main.fields], how, order, joins, set_aside))


def _notes(panels: list[_Panel], sequence: list[str], how: str, order: tuple[int, int] | None, joins: int,
           set_aside: list[str]) -> list[str]:
    shown = " | ".join(sequence)
    columns = ", ".join(f"c{panel.first}" if panel.width == 1 else f"c{panel.first}-c{panel.first + panel.width - 1}"
                        for panel in sorted(panels, key=lambda panel: panel.first))
    squeezed = sum(panel.width < panel.fields for panel in panels)
    if how == "repeated":
        fr = f"en-tête « {shown} » répété"
        en = f"header “{shown}” repeated"
        if squeezed:
            fr += " (dans une seule cellule : ses cellules coupées aux chiffres de la fin)"
            en += " (in one cell: its cells cut at the figures they end with)"
    else:
        assert order is not None
        fr = f"liste continuée sous un seul en-tête « {shown} », en ordre alphabétique ({order[0]} voisins sur {order[1]})"
        en = f"list continued under one header “{shown}”, in alphabetical order ({order[0]} of {order[1]} neighbours)"
    notes = [f"{len(panels)} panneaux côte à côte ({columns}) lus comme une liste, l'un sous l'autre : {fr} / "
             f"{len(panels)} side-by-side panels ({columns}) read as one list, one under the other: {en}"]
    if joins:
        notes.append(f"{joins} libellé(s) sur deux lignes autour d'une ligne de l'autre panneau réunis / "
                     f"{joins} label(s) wrapped around a line of the other panel joined")
    if set_aside:
        notes.append(f"{len(set_aside)} ligne(s) hors des panneaux (légende, en-têtes répétés, texte à côté) "
                     f"gardées en contexte / {len(set_aside)} line(s) outside the panels (caption, repeated "
                     f"headers, text beside them) kept as context")
    return notes
