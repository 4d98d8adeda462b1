"""Tying activities to budget lines when a plan prints them in two halves that do not share rows.

The left half groups activities by axis (closed by "Sous Total Axe N"), the right half
groups budget lines in blocks (closed by a bare sub-total), and nothing on a line says
which activity it funds. An axis and a block are tied only where the document allows it:
same number of rows, in order. The ties that cover the most rows win (a longest common
subsequence over the groups, weighted by their row counts); every axis or block left
over is said in an `alignment` finding with its counts, never silently assigned.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from extractors.table import ROW_LABEL, ExtractedTable
from reconcilers.cells import cell_location
from reconcilers.finding import Finding, Location
from reconcilers.parts import Template

MESSAGES: dict[str, Template] = {
    "tied": Template("{left} {p} ({count} lignes) et {right} {q} ({count} lignes) : "
                     "même nombre de lignes, dans l’ordre ; rattachés ligne à ligne.",
                     "{left} {p} ({count} rows) and {right} {q} ({count} rows): same row count, in order; tied row by row."),
    "untied": Template("{left} et {right} : le document ne permet pas de rattacher ces montants à ces activités "
                       "(nombres de lignes différents) ; aucun rattachement fait.",
                       "{left} and {right}: the document does not allow tying these amounts to these activities "
                       "(row counts differ); none tied."),
    "groups": Template("{word} {groups} ({total} lignes)", "{word} {groups} ({total} rows)"),
    "no_group": Template("aucun {word}", "no {word}"),
}


@dataclass(frozen=True)
class Groups:
    """A table's item rows grouped by their block number, and what the document calls a group."""

    table: ExtractedTable
    block: str                       # the column holding the block number
    word_fr: str
    word_en: str
    plural_fr: str = ""
    plural_en: str = ""

    def rows(self) -> dict[int, list[int]]:
        """Block number -> item row indexes, in order."""
        found: dict[int, list[int]] = {}
        items = self.table.items()
        for index, block in items[self.block].items():
            if not pd.isna(block):
                found.setdefault(int(block), []).append(int(index))
        return found


@dataclass(frozen=True)
class Alignment:
    """Tied groups (left block, right block), and the stretches left between them."""

    pairs: tuple[tuple[int, int], ...]
    stretches: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]


def align(left: dict[int, list[int]], right: dict[int, list[int]]) -> Alignment:
    """The order-keeping ties between groups of equal row counts that cover the most rows.

    Between two ties (and before the first, after the last) groups are left over on both
    sides or on neither: each group is closed by its own sub-total, so a group with no
    counterpart at all is less likely than a counterpart whose rows are missing.
    """
    a, b = sorted(left), sorted(right)
    start, end = (-1, -1), (len(a), len(b))
    candidates = [(i, j) for i in range(len(a)) for j in range(len(b))
                  if len(left[a[i]]) and len(left[a[i]]) == len(right[b[j]])]
    best: dict[tuple[int, int], tuple[int, tuple[tuple[int, int], ...]]] = {start: (0, ())}
    for tie in candidates + [end]:
        weight = len(left[a[tie[0]]]) if tie != end else 0
        options = [(score + weight, chain + ((tie,) if tie != end else ()))
                   for previous, (score, chain) in best.items() if _may_follow(previous, tie)]
        if options:
            best[tie] = max(options, key=lambda option: option[0])
    chain = best.get(end, (0, ()))[1]
    pairs = tuple((a[i], b[j]) for i, j in chain)
    stretches = []
    for (i0, j0), (i1, j1) in zip((start,) + chain, chain + (end,)):
        lefts, rights = tuple(a[i0 + 1:i1]), tuple(b[j0 + 1:j1])
        if lefts or rights:
            stretches.append((lefts, rights))
    return Alignment(pairs, tuple(stretches))


def _may_follow(previous: tuple[int, int], tie: tuple[int, int]) -> bool:
    skipped_left, skipped_right = tie[0] - previous[0] - 1, tie[1] - previous[1] - 1
    return skipped_left >= 0 and skipped_right >= 0 and (skipped_left > 0) == (skipped_right > 0)


def row_pairs(alignment: Alignment, left: Groups, right: Groups) -> list[tuple[int, int]]:
    """(left row, right row) for every row of the tied groups, in order."""
    left_rows, right_rows = left.rows(), right.rows()
    return [pair for p, q in alignment.pairs for pair in zip(left_rows[p], right_rows[q])]


def alignment_findings(alignment: Alignment, left: Groups, right: Groups) -> list[Finding]:
    """A pass for each tie; a failure for each stretch whose rows cannot be tied, with the counts."""
    left_rows, right_rows = left.rows(), right.rows()
    document = left.table.provenance.document
    tables = (left.table.provenance.title, right.table.provenance.title)
    findings = []
    for p, q in alignment.pairs:
        count = len(left_rows[p])
        findings.append(Finding(
            document=document, check="alignment", status="pass", severity="info",
            subject=f"{left.word_fr} {p} ↔ {right.word_fr} {q}", field="lignes", expected=count, observed=count,
            unit="count", tables=tables, location=_group_location(left, left_rows[p]),
            evidence=(_group_location(right, right_rows[q]),),
            **MESSAGES["tied"].message(
                {"left": left.word_fr.capitalize(), "p": p, "right": right.word_fr, "q": q, "count": count},
                {"left": left.word_en.capitalize(), "p": p, "right": right.word_en, "q": q, "count": count}),
        ))
    for lefts, rights in alignment.stretches:
        counts_l = [len(left_rows[g]) for g in lefts]
        counts_r = [len(right_rows[g]) for g in rights]
        findings.append(Finding(
            document=document, check="alignment", status="fail", severity="warning",
            subject=f"{_names(left.word_fr, lefts)} ↔ {_names(right.word_fr, rights)}", field="lignes",
            expected=sum(counts_l), observed=sum(counts_r), unit="count", tables=tables,
            location=_group_location(left, [r for g in lefts for r in left_rows[g]]) if lefts else Location(),
            evidence=(_group_location(right, [r for g in rights for r in right_rows[g]]),) if rights else (),
            **MESSAGES["untied"].message(
                {"left": _counted(left.word_fr, left.plural_fr, lefts, counts_l, "fr"),
                 "right": _counted(right.word_fr, right.plural_fr, rights, counts_r, "fr")},
                {"left": _counted(left.word_en, left.plural_en, lefts, counts_l, "en"),
                 "right": _counted(right.word_en, right.plural_en, rights, counts_r, "en")}),
        ))
    return findings


def _names(word: str, groups: tuple[int, ...]) -> str:
    return f"{word} " + ", ".join(str(g) for g in groups) if groups else f"aucun {word}"


def _counted(word: str, plural: str, groups: tuple[int, ...], counts: list[int], lang: str) -> str:
    """"axes 2, 3 (4 + 5 = 9 lignes)", or "aucun axe"."""
    fr_or_en = 0 if lang == "fr" else 1
    if not groups:
        return MESSAGES["no_group"].render({"word": word})[fr_or_en]
    plural = (plural or f"{word}s") if len(groups) > 1 else word
    total = " + ".join(str(c) for c in counts) + (f" = {sum(counts)}" if len(counts) > 1 else "")
    return MESSAGES["groups"].render({"word": plural, "groups": ", ".join(str(g) for g in groups), "total": total})[fr_or_en]


def _group_location(groups: Groups, rows: list[int]) -> Location:
    """The group's rows, from the first to the last label, as one location."""
    if not rows:
        return Location(table=groups.table.provenance.title, table_key=groups.table.key)
    first = cell_location(groups.table, rows[0], None)
    last = groups.table.cells.at[rows[-1], ROW_LABEL]
    return Location(page=first.page, table=first.table, row=f"{first.row} – {last}", table_key=groups.table.key)


def alignment_frame(alignment: Alignment, left: Groups, right: Groups, left_text: str,
                    right_amount: str) -> pd.DataFrame:
    """One row per activity: its group, and the budget line tied to it where there is one."""
    tied = dict(row_pairs(alignment, left, right))
    rows = []
    for block, indexes in sorted(left.rows().items()):
        for index in indexes:
            line = tied.get(index)
            rows.append({
                "activity_row": left.table.cells.at[index, ROW_LABEL], "group": block,
                "activity": left.table.values.at[index, left_text],
                "line_row": None if line is None else right.table.cells.at[line, ROW_LABEL],
                "line_group": None if line is None else int(right.table.values.at[line, right.block]),
                "amount": None if line is None else right.table.values.at[line, right_amount],
            })
    return pd.DataFrame(rows, columns=["activity_row", "group", "activity", "line_row", "line_group", "amount"])
