"""Totals of one part against the lines of another, per agency, company or revenue stream.

Both sides are lists of `Entry` (a name, a figure, its currency, its cell); each side is grouped by
name, the names linked across sides with the project's name matcher (`reconcilers.names`), the
sums compared in one currency, and each gap judged by the declaration's materiality rule.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from reconcilers.finding import Location
from reconcilers.names import KeyedScorer, Mention, as_is, fold, link_entities
from reconcilers.summary_data.template import name_words

NAME_THRESHOLD = 85.0
_ACRONYM = re.compile(r"\(\s*([A-Z][A-Za-z&.\-]{1,11})\s*\)")      # "(MEM)", "(KRG)": an acronym, not "(Customs Department)"


@dataclass(frozen=True)
class Materiality:
    """A gap is material when it exceeds both `margin_pct` % of the stated total and `floor`
    (in the declaration's currency): rounding stays quiet, large gaps always speak."""

    margin_pct: float = 0.5
    floor: float = 1000.0

    def tolerance(self, stated: float, floor: float | None = None) -> float:
        return max(self.floor if floor is None else floor, abs(stated) * self.margin_pct / 100)


@dataclass(frozen=True)
class Currencies:
    """The declaration's currency and the Part 1 rate (1 USD = `rate` declared currency)."""

    declared: str
    source: str                        # where `declared` came from: part1 | part1-national | part4
    rate: float | None = None

    def convert(self, value: float, source: str, target: str) -> float | None:
        if source == target:
            return value
        if self.rate is None or self.rate <= 0:
            return None
        if source == "USD" and target == self.declared:
            return value * self.rate
        if source == self.declared and target == "USD":
            return value / self.rate
        return None


@dataclass(frozen=True)
class Entry:
    """One figure of one side: whose it is, the value (NaN when blank), its currency ("" when the
    part states none), its cell."""

    name: str
    value: float
    currency: str
    locate: Callable[[], Location]          # the cell, found only when a finding shows it

    @property
    def location(self) -> Location:
        return self.locate()


@dataclass(frozen=True)
class Comparison:
    """One subject across the two sides, compared in `currency`."""

    subject: str
    spellings: tuple[str, ...]
    stated: float | None               # the left side (a Part 3 total, Part 4 sum per stream)
    lines: float | None                # the right side's sum
    line_count: int                    # lines with a figure
    currency: str
    status: str                        # agrees | differs | no_lines | no_total | not_listed | not_comparable | empty
    tolerance: float
    note_fr: str = ""
    note_en: str = ""
    location: Location | None = None
    evidence: tuple[Location, ...] = ()
    blank_lines: int = 0               # lines of the right side with no figure

    @property
    def difference(self) -> float | None:
        if self.stated is None or self.lines is None:
            return None
        return self.stated - self.lines


@lru_cache(maxsize=65536)
def core_name(name: str) -> str:
    """A name as compared: folded, brackets and legal forms out, "Others"/"Autres" as one word."""
    legal, others = name_words()
    folded = fold(_ACRONYM.sub(" ", name))
    if folded in others:
        return "others"
    words = [w for w in folded.split() if w not in legal]
    return " ".join(words) or folded


def _acronyms(name: str) -> set[str]:
    return {fold(a) for a in _ACRONYM.findall(name)}


@lru_cache(maxsize=1 << 20)
def _body_pair(a: str, b: str) -> float:
    """0..100: the same body despite brackets, accents, case, legal form, a catch-all in another language."""
    core_a, core_b = core_name(a), core_name(b)
    if core_a == core_b:
        return 100.0
    if _acronyms(a) & ({core_b} | _acronyms(b)) or _acronyms(b) & {core_a}:
        return 95.0
    return fuzz.token_sort_ratio(core_a, core_b)


def _body_matrix(queries: list[str], choices: list[str], cutoff: float) -> np.ndarray:
    """`_body_pair` of every query against every choice at once (the linking of 29 declarations made
    160 000 pairs in Python): token_sort_ratio over the core names by `process.cdist`, then the
    cases that override it, found by looking up cores and acronyms (an acronym naming the other: 95;
    the same core: 100)."""
    query_cores, choice_cores = [core_name(q) for q in queries], [core_name(c) for c in choices]
    matrix = process.cdist(query_cores, choice_cores, scorer=fuzz.token_sort_ratio, processor=None,
                           score_cutoff=cutoff, dtype=np.float64)
    by_core: dict[str, list[int]] = defaultdict(list)
    by_acronym: dict[str, list[int]] = defaultdict(list)
    for j, (choice, core) in enumerate(zip(choices, choice_cores, strict=True)):
        by_core[core].append(j)
        for acronym in _acronyms(choice):
            by_acronym[acronym].append(j)
    for i, (query, core) in enumerate(zip(queries, query_cores, strict=True)):
        named = [j for acronym in _acronyms(query) for j in by_core.get(acronym, []) + by_acronym.get(acronym, [])]
        matrix[i, named + by_acronym.get(core, [])] = 95.0
        matrix[i, by_core.get(core, [])] = 100.0
    return matrix


# 0..100: the same body despite brackets, accents, case, legal form, a catch-all in another language.
body_score = KeyedScorer(as_is, _body_pair, _body_matrix)


def _grouped(entries: list[Entry]) -> dict[str, list[Entry]]:
    groups: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        groups[entry.name].append(entry)
    return groups


def compare(
    left: list[Entry], right: list[Entry], currencies: Currencies, materiality: Materiality,
) -> list[Comparison]:
    """Every subject of either side, linked by name, with its status."""
    left_groups, right_groups = _grouped(left), _grouped(right)
    left_names, right_names = list(left_groups), list(right_groups)
    entities, _ = link_entities(
        [[Mention("left", i, n) for i, n in enumerate(left_names)],
         [Mention("right", i, n) for i, n in enumerate(right_names)]],
        NAME_THRESHOLD, scorer=body_score,
    )
    results = []
    for entity in entities:
        lefts = [left_groups[m.spelling] for m, _ in entity.mentions if m.table == "left"]
        rights = [right_groups[m.spelling] for m, _ in entity.mentions if m.table == "right"]
        spellings = tuple(dict.fromkeys(m.spelling for m, _ in entity.mentions))
        subject = lefts[0][0].name if lefts else spellings[0]
        results.append(_compare_one(subject, spellings, [e for g in lefts for e in g],
                                    [e for g in rights for e in g], currencies, materiality))
    return results


def _compare_one(
    subject: str, spellings: tuple[str, ...], lefts: list[Entry], rights: list[Entry],
    currencies: Currencies, materiality: Materiality,
) -> Comparison:
    left_figures = [e for e in lefts if not math.isnan(e.value)]
    right_figures = [e for e in rights if not math.isnan(e.value)]
    stated_currencies = {e.currency for e in left_figures + right_figures if e.currency}
    currency = next(iter(stated_currencies)) if len(stated_currencies) == 1 else currencies.declared
    location = lefts[0].location if lefts else (rights[0].location if rights else None)
    evidence = tuple(e.location for e in right_figures[:30])
    base = dict(subject=subject, spellings=spellings, currency=currency, location=location, evidence=evidence,
                line_count=len(right_figures), blank_lines=len(rights) - len(right_figures))
    stated = _sum(left_figures, currency, currencies)
    lines = _sum(right_figures, currency, currencies)
    floor = currencies.convert(materiality.floor, currencies.declared, currency)
    if not lefts:
        return Comparison(**base, stated=None, lines=lines, status="not_listed" if right_figures else "empty",
                          tolerance=0.0)
    if not left_figures:
        return Comparison(**base, stated=None, lines=lines if right_figures else None,
                          status="no_total" if right_figures else "empty", tolerance=0.0)
    if stated is None or (right_figures and lines is None):
        return Comparison(**base, stated=stated, lines=lines, status="not_comparable", tolerance=0.0,
                          note_fr=f"devises {', '.join(sorted(stated_currencies))} sans taux de conversion",
                          note_en=f"currencies {', '.join(sorted(stated_currencies))} without a conversion rate")
    tolerance = materiality.tolerance(stated, floor)
    if not right_figures:
        status = "agrees" if abs(stated) <= tolerance else "no_lines"
        return Comparison(**base, stated=stated, lines=None, status=status, tolerance=tolerance)
    status = "agrees" if abs(stated - lines) <= tolerance else "differs"
    note_fr = note_en = ""
    if currency != currencies.declared and not any(e.currency for e in left_figures):
        note_fr = f"total pris en {currency}, la devise de ses lignes ; la déclaration est en {currencies.declared}"
        note_en = f"total taken in {currency}, its lines' currency; the declaration is in {currencies.declared}"
    if len(stated_currencies) > 1:
        raw = sum(e.value for e in right_figures)
        note_fr = (f"lignes en {', '.join(sorted(stated_currencies))} converties en {currency} au taux de la "
                   f"partie 1 (1 USD = {currencies.rate:g} {currencies.declared})")
        note_en = (f"lines in {', '.join(sorted(stated_currencies))} converted to {currency} at the Part 1 rate "
                   f"(1 USD = {currencies.rate:g} {currencies.declared})")
        if status == "differs" and abs(stated - raw) <= tolerance:
            note_fr += " ; le total déclaré est la somme des montants non convertis (devises additionnées)"
            note_en += "; the stated total is the sum of the unconverted amounts (currencies added together)"
    return Comparison(**base, stated=stated, lines=lines, status=status, tolerance=tolerance,
                      note_fr=note_fr, note_en=note_en)


def _sum(entries: list[Entry], currency: str, currencies: Currencies) -> float | None:
    """The entries' sum in `currency` (an entry with no currency is taken as already in it); None when
    one cannot be converted."""
    total = 0.0
    for entry in entries:
        value = currencies.convert(entry.value, entry.currency or currency, currency)
        if value is None:
            return None
        total += value
    return total
