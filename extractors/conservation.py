"""Nothing lost silently: every character of a table's source span ends in one place.

A table read from text has a span (from its caption to its end). Each printed character of
that span must end in a cell, the caption, a context line (header, the words of a total's
label, page numbers printed inside the body) or a problem that quotes it. `account` measures
this: it consumes each piece from the span and returns what no piece holds. The extractor
turns what is left into problems; the tests check the invariant on generated and mutated
documents.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from extractors.table import ROW_LABEL, CellProblem, ExtractedTable

_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Accounting:
    """What a span holds that no piece accounts for, and the pieces the span does not hold."""

    unaccounted: tuple[str, ...]    # runs of the span's text, as printed
    unplaced: tuple[str, ...]       # pieces not found (a value filled down, or text counted twice)

    @property
    def lost_characters(self) -> int:
        return sum(len("".join(run.split())) for run in self.unaccounted)


def printed(text: str) -> str:
    """The span as a reader sees it: markup and entities dropped."""
    return html.unescape(_TAG.sub(" ", text))


def account(span: str, pieces: Iterable[str], quotes: Iterable[str] = ()) -> Accounting:
    """Consume each piece's printed characters (spaces ignored) from the span, longest first so
    that a short figure cannot take the digits of a longer one, then what the quotes (problems'
    texts, which may repeat a cell) still find; return the runs left over."""
    positions = [i for i, ch in enumerate(span) if not ch.isspace()]
    free = "".join(span[i] for i in positions)
    starts = {d for d, i in enumerate(positions) if i == 0 or span[i - 1].isspace()}
    ends = {d + 1 for d, i in enumerate(positions) if i + 1 == len(span) or span[i + 1].isspace()}
    unplaced = []

    def consume(needle: str, whole_words: bool, inside: bool = False) -> bool:
        """Take the first occurrence standing on word boundaries; unless `whole_words`, else the
        first touching one (a cell glued to its neighbour, "1050m2"), inside a word only when
        `inside` (a quote of what was left over)."""
        nonlocal free
        found, position, glued, within = -1, 0, -1, -1
        while (position := free.find(needle, position)) >= 0:
            bounds = (position in starts) + (position + len(needle) in ends)
            if bounds == 2:
                found = position
                break
            if bounds == 1 and glued < 0:
                glued = position
            within = position if within < 0 else within
            position += 1
        if found < 0 and not whole_words:
            found = glued if glued >= 0 or not inside else within
        if found >= 0:
            free = free[:found] + "\0" * len(needle) + free[found + len(needle):]
        return found >= 0

    # A cell joined from text printed in two places (a total's wrapped figure, a continued
    # row) is looked for word by word once the whole pieces are placed.
    split = []
    for piece in sorted((p for p in pieces if p and p.strip()), key=lambda p: -len("".join(p.split()))):
        if not consume("".join(piece.split()), whole_words=False):
            split.append(piece)
    for piece in split:
        words = sorted(piece.split(), key=len, reverse=True)
        if not all([consume(word, whole_words=True) for word in words]):
            unplaced.append(piece)
    for quote in quotes:
        needle = "".join(quote.split())
        # A quote of a run left over (the extractor's own report of it) takes that very run.
        run = next(((a, b) for a, b in _runs(free) if free[a:b] == needle), None)
        if run:
            free = free[:run[0]] + "\0" * len(needle) + free[run[1]:]
        elif not consume(needle, whole_words=False, inside=True):
            for word in quote.split():
                consume(word, whole_words=True)
    texts = [" ".join(span[positions[a]:positions[b - 1] + 1].split()) for a, b in _runs(free)]
    return Accounting(tuple(texts), tuple(unplaced))


def _runs(free: str) -> list[tuple[int, int]]:
    """(start, end) of each stretch of characters no piece took."""
    return [match.span() for match in re.finditer(r"[^\0]+", free)]


def table_pieces(table: ExtractedTable) -> list[str]:
    """Everything a table says it read: caption, context, row labels as printed, cells."""
    pieces = [table.provenance.caption, *table.context]
    keys = [k for k in (ROW_LABEL, *(c.key for c in table.columns)) if k not in table.unprinted]
    for _, row in table.cells.iterrows():
        pieces.extend(str(row[key]) for key in keys if not pd.isna(row[key]))
    return pieces


def account_table(table: ExtractedTable, text: str) -> Accounting:
    """The accounting of a table against the document text it was read from (its span)."""
    if table.provenance.span is None:
        return Accounting((), ())
    start, end = table.provenance.span
    return account(printed(text[start:end]), table_pieces(table), [p.text for p in table.problems])


def unaccounted_problems(table: ExtractedTable, text: str) -> list[CellProblem]:
    """The span's text that no cell, header, context line or problem holds: said, never dropped."""
    return [
        CellProblem(
            document=table.provenance.document, table=table.key, title=table.provenance.title, row=None,
            column=None, text=run, page=table.provenance.page,
            reason_fr="texte du tableau lu ni comme cellule, ni comme en-tête ou contexte",
            reason_en="text of the table read as no cell, header or context",
        )
        for run in account_table(table, text).unaccounted
    ]
