"""Text dumps of PDFs: read the file, find each table of the spec by its caption, cut it out."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from statistics import median

from extractors.captions import (
    TableNotFound,
    caption_title,
    find_caption,
    list_captions,
    missing_table,
)
from extractors.conservation import unaccounted_problems
from extractors.flattened import cut_labelled, cut_numbered, expand
from extractors.frame import build_table
from extractors.spec import DocumentSpec, TableSpec
from extractors.tab_blocks import tab_block_tables, uncut_caption_problems
from extractors.table import (
    ROW_KIND,
    ROW_LABEL,
    CellProblem,
    ExtractedDocument,
    ExtractedTable,
    Provenance,
)
from extractors.tsv import cut_tsv_table

_NEXT_CAPTION = re.compile(r"Tableau\s*\d+\s*:")
_LONG_CELL = 40      # characters: shorter cells are never flagged as too long
_LONGER = 3.0        # times the median length of the column's other cells


class DocumentError(ValueError):
    """The file cannot be read as a document at all; the message is one line for the user."""


def read_text(path: Path) -> tuple[str, tuple[CellProblem, ...]]:
    """The file's text; UTF-8 first, then Windows-1252 (said in a problem), never binary."""
    data = path.read_bytes()
    if not data.strip():
        raise DocumentError(f"{path.name}: fichier vide / empty file")
    if b"\x00" in data[:4096] or _control_share(data[:4096]) > 0.05:
        raise DocumentError(f"{path.name}: contenu binaire, pas du texte / binary content, not text")
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError:
        note = CellProblem(
            document=path.name, table="", title="", row=None, column=None, text="",
            reason_fr="fichier encodé en Windows-1252 et non en UTF-8 : converti",
            reason_en="file encoded in Windows-1252, not UTF-8: converted", severity="info",
        )
        return data.decode("cp1252", errors="replace"), (note,)


def _control_share(sample: bytes) -> float:
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 13, 12))
    return controls / max(1, len(sample))


TableCutter = Callable[[str, TableSpec, str], ExtractedTable]


def extract_text_document(path: Path, spec: DocumentSpec | None) -> ExtractedDocument:
    """Every table the spec names, each with its provenance; what fails is a problem, not a crash.
    Without a spec: the tab-separated tables, and the captions of those that need a spec."""
    text, problems = read_text(path)
    captions = list_captions(text)
    if spec is None:
        return ExtractedDocument(
            name=path.name, kind="generic", text=text, tables=tuple(tab_block_tables(text, path.name)),
            problems=(*problems, *uncut_caption_problems(captions, path.name)), captions=captions,
        )
    tables: list[ExtractedTable] = []
    found: list[CellProblem] = list(problems)
    for table_spec in spec.tables:
        cutter = CUTTERS[table_spec.layout]
        try:
            tables.append(cutter(text, table_spec, path.name))
        except TableNotFound as missing:
            found.append(missing.problem)
    return ExtractedDocument(
        name=path.name, kind=spec.kind, text=text, tables=tuple(tables), problems=tuple(found), captions=captions,
    )


def cut_flattened_table(text: str, spec: TableSpec, document: str) -> ExtractedTable:
    """A table flattened into the prose: from its caption to its end anchor (or the next caption).
    Every character of that span ends in a cell, the caption, a context line or a problem."""
    caption = find_caption(text, expand(spec.caption), spec.occurrence)
    if caption is None:
        raise missing_table(document, spec, "légende du tableau introuvable", "table caption not found")
    body_start = caption.end
    if spec.header:
        header = re.compile(expand(spec.header)).search(text, body_start)
        if header:
            body_start = header.end()
    stop = re.compile(expand(spec.end)) if spec.end else _NEXT_CAPTION
    end = stop.search(text, body_start)
    body_end = end.start() if end else len(text)
    body = text[body_start:body_end]
    cut = cut_labelled(body, spec) if spec.layout == "labelled" else cut_numbered(body, spec)
    provenance = Provenance(
        document=document, title=spec.title or caption_title(caption.text) or spec.key,
        pages=(spec.page,) if spec.page is not None else (),
        method=f"text-{spec.layout}", reason="tableau aplati dans le texte, repéré par sa légende",
        caption=caption.text, span=(caption.start, body_end),
        quality=_quality(len(cut.rows), len(cut.unparsed)),
    )

    def problem(label: str, raw: str, reason_fr: str, reason_en: str) -> CellProblem:
        return CellProblem(document=document, table=spec.key, title=provenance.title, row=label or None,
                           column=None, text=raw, page=spec.page, reason_fr=reason_fr, reason_en=reason_en)

    problems = [
        problem(label, raw, "ligne illisible selon la grammaire du tableau" if raw else "ligne introuvable",
                "row does not fit the table's grammar" if raw else "row not found")
        for label, raw in cut.unparsed
    ]
    problems.extend(problem(note.label, note.text, note.reason_fr, note.reason_en) for note in cut.notes)
    table = build_table(spec.key, provenance, spec.columns, cut.rows, tuple(problems))
    header = " ".join(text[caption.end:body_start].split())
    table = replace(table, context=tuple(c for c in (header, *cut.context) if c))
    return replace(table, problems=(*table.problems, *_long_cells(table), *unaccounted_problems(table, text)))


def _long_cells(table: ExtractedTable) -> list[CellProblem]:
    """A text cell far longer than the others of its column has likely taken text that is not its own."""
    found = []
    items = table.cells[table.cells[ROW_KIND] == "item"]
    for column in table.columns:
        if column.is_quantity and not column.pattern:
            continue
        texts = [str(t) for t in items[column.key] if str(t)]
        for index, text in enumerate(texts):
            others = texts[:index] + texts[index + 1:]
            if others and len(text) >= _LONG_CELL and len(text) > _LONGER * median(map(len, others)):
                label = items.loc[items[column.key] == text, ROW_LABEL].iloc[0]
                found.append(CellProblem(
                    document=table.provenance.document, table=table.key, title=table.provenance.title,
                    row=label, column=column.label, text=text, page=table.provenance.page,
                    reason_fr="cellule bien plus longue que les autres de sa colonne : elle contient peut-être "
                              "d’autres lignes",
                    reason_en="cell far longer than the others of its column: it may hold other rows",
                ))
    return found


def _quality(parsed: int, failed: int) -> float:
    return round(parsed / (parsed + failed), 3) if parsed + failed else 0.0


CUTTERS: dict[str, TableCutter] = {
    "numbered": cut_flattened_table,
    "labelled": cut_flattened_table,
    "tsv": cut_tsv_table,
}
