"""Tab-separated text dumps of landscape tables (cells split by tabs, HTML markup inside).

Such a dump is a run of lines between two anchors of the spec (`header`, `end`: by default the
first blank line); each
line is a row and each tab a cell boundary. What the layout says beyond the cells is
read from the spec's `options`, never guessed here:

- `positions`: column key -> cell index (default: the spec's cell columns in order, after the
  leading cells no line of the range fills);
- `short_rows: right`: a row with fewer cells than the table lost its leading cells
  (a page whose first column is empty everywhere is dumped without it);
- `kinds`: rules that make a row a `subtotal` or `total` (by its text, by which columns
  it fills, by its bold markup, or as the last such row); by default its label says it
  ("Total", "Sous-total …"), and a row of figures alone closes a block (the last, the table);
- `block_column`: a sub-total closes a block; each row gets its block number there;
- `span_block`: columns whose one printed value spans the whole block (an axis name);
- `bold_column`: a flag column recording bold markup, which carries meaning in these tables;
- `continuation`: a row after a page break that continues the row before it;
- `required`: an item row with all these columns empty is a stray fragment;
- `labels`: templates naming the rows (`{block}`, `{n}`, `{text}` or a column key); by default
  a row is named by its first text cell;
- `join`: a second anchored range holding some columns of the same rows, in the same order
  (a table printed in two halves).

Every cell then goes through `build_table`, like the cells of any other extractor; text of the
range that ends in no cell is a problem quoting it (extractors/conservation.py).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field, replace
from typing import Literal

from pydantic import TypeAdapter

from extractors.captions import missing_table
from extractors.conservation import unaccounted_problems
from extractors.flattened import expand
from extractors.frame import RawRow, build_table
from extractors.spec import ROW_KINDS, SPEC_RECORD, TableSpec
from extractors.table import ROW_LABEL, CellProblem, ExtractedTable, Provenance

_TAG = re.compile(r"<[^>]+>")
_BOLD = re.compile(r"<(?:b|strong)\b", re.IGNORECASE)
_BREAK = re.compile(r"\n[ \t]*\n")
_FIELD = re.compile(r"\{(\w+)\}")
def _default_labels(first: list[str]) -> dict[str, tuple[str, ...]]:
    """An item is named by its first column, or by its block and place when that is empty; a
    (sub-)total by its first text."""
    return {"item": tuple(f"{{{key}}}" for key in first) + ("{block}.{n}",), "subtotal": ("{first}", "{text}"),
            "total": ("{first}", "{text}")}


_LABELLED = (("subtotal", re.compile(r"(?i)^(?:sous|sub)[ -]?total")), ("total", re.compile(r"(?i)^total\b")))


@dataclass(frozen=True)
class KindRule:
    """When a row is not an item: all the given conditions hold."""

    __pydantic_config__ = SPEC_RECORD

    kind: str
    match: str | None = None            # regex on the row's text (or on `column`'s text)
    column: str | None = None
    only: tuple[str, ...] = ()          # the row fills no column but these
    bold: bool | None = None
    last: bool = False                  # only the last row meeting the other conditions

    def __post_init__(self) -> None:
        if self.kind not in ROW_KINDS:
            raise ValueError(f"tsv kind rule: unknown kind {self.kind!r}")


@dataclass(frozen=True)
class Continuation:
    """A row after a page break that carries on the row before it, cell by cell."""

    __pydantic_config__ = SPEC_RECORD

    after_break: bool = True
    empty: tuple[str, ...] = ()         # columns that stay empty in a continuation
    lowercase: str | None = None        # column whose text starts in lower case


@dataclass(frozen=True)
class Part:
    """One anchored range of lines and where each column stands in its cells."""

    header: str | None
    end: str | None
    positions: dict[str, int] = field(hash=False)
    width: int = 0


@dataclass(frozen=True)
class JoinSpec:
    """`join:` as a spec writes it: the second half's anchors and where its columns stand."""

    __pydantic_config__ = SPEC_RECORD

    positions: dict[str, int]
    header: str | None = None
    end: str | None = None
    width: int = 0

    def part(self) -> Part:
        return Part(self.header, self.end, self.positions, self.width or max(self.positions.values()) + 1)


@dataclass(frozen=True)
class TsvOptions:
    """Every key the `options:` of a tsv table accepts, with its type. A spec is validated
    against it when it loads (pipeline.specs), so that a misspelt key is a spec error."""

    __pydantic_config__ = SPEC_RECORD

    positions: dict[str, int] | None = None
    width: int = 0
    join: JoinSpec | None = None
    short_rows: Literal["left", "right"] = "left"
    kinds: tuple[KindRule, ...] = ()
    block_column: str | None = None
    span_block: tuple[str, ...] = ()
    bold_column: str | None = None
    continuation: Continuation | None = None
    required: tuple[str, ...] = ()
    labels: dict[Literal["item", "subtotal", "total"], str | tuple[str, ...]] = field(default_factory=dict, hash=False)

    @classmethod
    def of(cls, spec: TableSpec) -> TsvOptions:
        """The table's options, typed (a ValueError naming the key for one it does not accept)."""
        return _OPTIONS.validate_python(spec.options)

    def main(self, spec: TableSpec) -> Part:
        """The first half's range and columns: the spec's cell columns in order unless `positions` says."""
        synthetic = {self.block_column, self.bold_column}
        joined = set(self.join.positions) if self.join else set()
        cell_columns = [c.key for c in spec.columns if c.key not in synthetic and c.key not in joined]
        positions = self.positions or {k: i for i, k in enumerate(cell_columns)}
        return Part(spec.header, spec.end, positions, self.width or max(positions.values()) + 1)

    def templates(self) -> dict[str, tuple[str, ...]]:
        return {kind: (t,) if isinstance(t, str) else tuple(t) for kind, t in self.labels.items()}


_OPTIONS = TypeAdapter(TsvOptions)

@dataclass
class _Row:
    """A row while it is being assembled: cells, markup, and what stood around it."""

    cells: dict[str, str]
    bold: bool
    after_break: bool
    extra: str = ""                     # text beyond the table's last column
    kind: str = "item"
    block: int | None = None
    label: str = ""


def cut_tsv_table(text: str, spec: TableSpec, document: str) -> ExtractedTable:
    """A tab-separated table between the spec's anchors, as an ExtractedTable."""
    options = TsvOptions.of(spec)
    main_part, join_part = options.main(spec), options.join.part() if options.join else None
    caption = re.compile(expand(spec.caption)).search(text)
    main = _range(text, caption.end(), main_part) if caption else None
    joined = _range(text, caption.end(), join_part) if caption and join_part else None
    if caption is None or main is None or (join_part and joined is None):
        raise missing_table(document, spec, "ancre du tableau introuvable", "table anchor not found")
    start, stop = main
    if options.positions is None:
        main_part = _past_empty_cells(main_part, text[start:stop])
    rows = _read(text[start:stop], main_part, options.short_rows)
    problems: list[CellProblem] = []
    if join_part and joined:
        rows = _joined(rows, _read(text[joined[0]:joined[1]], join_part, options.short_rows), spec, document, problems)
    if options.continuation:
        rows = _merge_continuations(rows, options.continuation)
    texts = [c.key for c in spec.columns if c.type in ("text", "name")]
    if options.kinds:
        _assign_kinds(rows, options.kinds)
    else:
        _kinds_by_label(rows, texts, [c.key for c in spec.columns if c.is_quantity])
    rows = _drop_fragments(rows, options.required, spec, document, problems)
    _assign_blocks(rows, options.span_block)
    _assign_labels(rows, options.templates() or _default_labels(texts[:1]), texts)
    for row in rows:
        if row.extra:
            problems.append(_problem(spec, document, row.label, row.extra,
                                     "texte hors des colonnes du tableau", "text beyond the table's columns"))
    provenance = Provenance(
        document=document, title=spec.title or spec.key,
        pages=(spec.page,) if spec.page is not None else (),
        method="tsv", reason="tableau en texte tabulé : une ligne par rangée, une tabulation par cellule",
        caption=" ".join(caption.group(0).split()), span=(start, stop),
        quality=round(1 - sum(1 for p in problems if p.row) / max(1, len(rows)), 3),
    )
    raw_rows = [RawRow(label=row.label, kind=row.kind, cells=_cells(row, options)) for row in rows]
    table = build_table(spec.key, provenance, spec.columns, raw_rows, tuple(problems))
    # The labels ("2.3"), block numbers and bold flags are the cutter's, not printed text.
    made_up = tuple(key for key in (ROW_LABEL, options.block_column, options.bold_column) if key)
    table = replace(table, unprinted=made_up)
    return replace(table, problems=(*table.problems, *unaccounted_problems(table, text)))


def _range(text: str, after: int, part: Part) -> tuple[int, int] | None:
    """Where a part's lines stand: after its header, before its end; None without its header."""
    start = after
    if part.header:
        header = re.compile(expand(part.header)).search(text, after)
        if header is None:
            return None
        start = header.end()
    end = (re.compile(expand(part.end)) if part.end else _BREAK).search(text, start)
    return start, end.start() if end else len(text)


def _past_empty_cells(part: Part, body: str) -> Part:
    """The columns moved past the leading cells no line fills (a dump that opens every line
    with a tab)."""
    lines = [line.rstrip("\r").split("\t") for line in body.split("\n") if line.strip()]
    skip = 0
    while lines and all(len(cells) > skip + 1 and not clean(cells[skip]) for cells in lines):
        skip += 1
    if not skip:
        return part
    return replace(part, positions={key: i + skip for key, i in part.positions.items()}, width=part.width + skip)


def _first_text(row: _Row, texts: list[str]) -> str:
    return next((row.cells[key] for key in texts if row.cells.get(key)), "")


def _kinds_by_label(rows: list[_Row], texts: list[str], figures: list[str]) -> None:
    """A row whose label is "Total" or "Sous-total …" is one; a row of figures alone, with no
    label, closes a block (the last one, the whole table)."""
    bare = []
    for row in rows:
        label = _first_text(row, texts)
        row.kind = next((kind for kind, pattern in _LABELLED if pattern.match(label)), row.kind)
        filled = {key for key, text in row.cells.items() if text}
        if row.kind == "item" and filled and filled <= set(figures):
            bare.append(row)
    for row in bare:
        row.kind = "subtotal" if row is not bare[-1] else "total"


def _read(body: str, part: Part, short_rows: str) -> list[_Row]:
    """One row per non-blank line; blank lines only mark page breaks."""
    rows: list[_Row] = []
    after_break = False
    for line in body.split("\n"):
        if not line.strip():
            after_break = bool(rows)
            continue
        raw = line.rstrip("\r").split("\t")
        if len(raw) < part.width and short_rows == "right":
            raw = [""] * (part.width - len(raw)) + raw
        cells = [clean(cell) for cell in raw]
        rows.append(_Row(
            cells={key: cells[i] if i < len(cells) else "" for key, i in part.positions.items()},
            bold=any(_BOLD.search(cell) for cell in raw),
            after_break=after_break,
            extra=" | ".join(cell for cell in cells[part.width:] if cell),
        ))
        after_break = False
    return rows


def clean(cell: str) -> str:
    """A cell's text without markup or entities, on one line."""
    return " ".join(html.unescape(_TAG.sub(" ", cell)).split())


def _joined(rows: list[_Row], others: list[_Row], spec: TableSpec, document: str,
            problems: list[CellProblem]) -> list[_Row]:
    """Two halves of the same rows, joined by order; a row without its other half is said."""
    if len(rows) != len(others):
        problems.append(_problem(
            spec, document, None, f"{len(rows)} / {len(others)}",
            f"les deux parties du tableau n’ont pas le même nombre de lignes ({len(rows)} et {len(others)})",
            f"the two parts of the table have different row counts ({len(rows)} and {len(others)})",
        ))
    joined = []
    for index in range(max(len(rows), len(others))):
        own = rows[index] if index < len(rows) else _Row({}, False, False)
        other = others[index] if index < len(others) else _Row({}, False, False)
        joined.append(_Row({**own.cells, **other.cells}, own.bold or other.bold, own.after_break,
                           " | ".join(filter(None, (own.extra, other.extra)))))
    return joined


def _merge_continuations(rows: list[_Row], rule: Continuation) -> list[_Row]:
    merged: list[_Row] = []
    for row in rows:
        first = row.cells.get(rule.lowercase, "") if rule.lowercase else ""
        continues = (
            merged and (row.after_break or not rule.after_break)
            and all(not row.cells.get(key) for key in rule.empty)
            and (not rule.lowercase or (first[:1].islower()))
        )
        if continues:
            previous = merged[-1]
            previous.cells = {k: " ".join(filter(None, (v, row.cells.get(k, "")))) for k, v in previous.cells.items()}
            previous.bold = previous.bold or row.bold
            previous.extra = " | ".join(filter(None, (previous.extra, row.extra)))
        else:
            merged.append(row)
    return merged


def _assign_kinds(rows: list[_Row], rules: tuple[KindRule, ...]) -> None:
    for rule in rules:
        hits = [row for row in rows if row.kind == "item" and _meets(row, rule)]
        for row in hits[-1:] if rule.last else hits:
            row.kind = rule.kind


def _meets(row: _Row, rule: KindRule) -> bool:
    if rule.bold is not None and row.bold != rule.bold:
        return False
    filled = {key for key, text in row.cells.items() if text}
    if rule.only and (not filled or not filled <= set(rule.only)):
        return False
    if rule.match is not None:
        texts = [row.cells.get(rule.column, "")] if rule.column else list(row.cells.values())
        return any(re.search(rule.match, text) for text in texts if text)
    return True


def _drop_fragments(rows: list[_Row], required: tuple[str, ...], spec: TableSpec, document: str,
                    problems: list[CellProblem]) -> list[_Row]:
    """An item with none of the required columns is a piece of a cell cut by a page break."""
    if not required:
        return rows
    kept = []
    for row in rows:
        if row.kind == "item" and not any(row.cells.get(key) for key in required):
            text = " | ".join(text for text in row.cells.values() if text)
            problems.append(_problem(spec, document, None, text,
                                     "fragment de cellule isolé, hors de toute ligne : ignoré",
                                     "stray cell fragment outside any row: ignored"))
            continue
        kept.append(row)
    return kept


def _assign_blocks(rows: list[_Row], span: tuple[str, ...]) -> None:
    """Block n is closed by the n-th sub-total; a spanning cell's text fills its whole block."""
    block = 1
    for row in rows:
        if row.kind == "total":
            continue
        row.block = block
        if row.kind == "subtotal":
            block += 1
    for key in span:
        first: dict[int, str] = {}
        for row in rows:
            if row.block is not None and row.kind == "item" and row.cells.get(key):
                first.setdefault(row.block, row.cells[key])
        for row in rows:
            if row.kind == "item" and row.block in first:
                row.cells[key] = first[row.block]


def _assign_labels(rows: list[_Row], templates: dict[str, tuple[str, ...]], texts: list[str]) -> None:
    position: dict[int | None, int] = {}
    for row in rows:
        if row.kind == "item":
            position[row.block] = position.get(row.block, 0) + 1
        values = {**row.cells, "block": "" if row.block is None else str(row.block),
                  "n": str(position.get(row.block, 0)), "text": " ".join(t for t in row.cells.values() if t),
                  "first": _first_text(row, texts)}
        for template in templates.get(row.kind, ("{text}",)):
            if all(values.get(name) for name in _FIELD.findall(template)):
                row.label = template.format_map(values)
                break
        if not row.label:
            row.label = values["text"] or f"{row.kind} {row.block or ''}".strip()


def _cells(row: _Row, options: TsvOptions) -> dict[str, str]:
    cells = dict(row.cells)
    if options.block_column and row.block is not None:
        cells[options.block_column] = str(row.block)
    if options.bold_column:
        cells[options.bold_column] = "x" if row.bold else ""
    return cells


def _problem(spec: TableSpec, document: str, row: str | None, text: str, reason_fr: str, reason_en: str) -> CellProblem:
    return CellProblem(document=document, table=spec.key, title=spec.title or spec.key, row=row,
                       column=None, text=text, reason_fr=reason_fr, reason_en=reason_en, page=spec.page)
