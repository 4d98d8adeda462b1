"""Linking the same person across tables despite spelling: "Aminata Diallo" ~ "AminaDiallo".

Built like rapidfuzz itself: `fold` normalises, a scorer compares two names, and
`link_entities` (the process layer) assigns each table's names to entities one-to-one.

Why `joined_ratio` at 85: names in these tables lose their spaces ("SeydouCoulibaly"),
which sinks token scorers on raw names (a lost space alone drops token_sort_ratio to about 45);
comparing the folded names with spaces removed keeps true variants (a lost syllable, a lost
space, g/k, a dropped accent) at 90 and above, while different people sharing a surname or a
first name stay below 80 (tests/test_names.py holds both sides on the PAR's own names).
Jaro-Winkler over-rewards a shared first name.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

Scorer = Callable[[str, str], float]
_JOINED = re.compile(r"(?<=[a-zà-ÿ])(?=[A-ZÀ-Ý])")


def split_joined(name: str) -> str:
    """Put back the space lost between two capitalised names: "AminaDiallo" -> "Amina Diallo"."""
    return " ".join(_JOINED.sub(" ", name).split())


@lru_cache(maxsize=1 << 16)
def fold(name: str) -> str:
    """Lower case, no accents, joined names split, single spaces: the form names are compared in."""
    decomposed = unicodedata.normalize("NFKD", split_joined(name))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", plain.lower()).split())


@dataclass(frozen=True)
class KeyedScorer:
    """A scorer that is the best rapidfuzz `score` between the keys of two names (0..100).

    Why keys: a name's folded forms are computed once (the cached `keys`), and `link_entities`
    scores a whole table's keys against every key already linked with `process.cdist`, in C,
    rather than folding and scoring each pair in Python (a run of thousands of names made
    millions of pairs). Called on two names, it gives the same score as that matrix."""

    keys: Callable[[str], tuple[str, ...]]
    score: Callable[..., float] = fuzz.ratio
    # For a `score` that is not one rapidfuzz scorer: (queries, choices, cutoff) -> the matrix of
    # their scores, exact at or above the cutoff (any lower value below it).
    matrix: Callable[[list[str], list[str], float], np.ndarray] | None = None

    def __call__(self, a: str, b: str) -> float:
        return max(self.score(x, y) for x in self.keys(a) for y in self.keys(b))


def as_is(name: str) -> tuple[str]:
    """The name itself, for a scorer that reads names whole."""
    return (name,)


@lru_cache(maxsize=1 << 16)
def joined_key(name: str) -> tuple[str]:
    """The folded name with spaces removed: the form `joined_ratio` compares."""
    return (fold(name).replace(" ", ""),)


@lru_cache(maxsize=1 << 16)
def folded_key(name: str) -> tuple[str]:
    """The folded name: the form `token_sort` compares."""
    return (fold(name),)


# rapidfuzz ratio on the folded names with spaces removed (0..100).
joined_ratio = KeyedScorer(joined_key, fuzz.ratio)
# rapidfuzz token_sort_ratio on folded names: robust to word order, not to lost spaces.
token_sort = KeyedScorer(folded_key, fuzz.token_sort_ratio)


SCORERS: dict[str, Scorer] = {"joined_ratio": joined_ratio, "token_sort": token_sort}


@dataclass(frozen=True)
class Mention:
    """One name as a table spells it."""

    table: str       # table key
    row: int         # row index in the table's frames
    spelling: str


@dataclass(frozen=True)
class Entity:
    """One person (or body) across tables: every spelling, each with its score to the canonical name."""

    canonical: str
    mentions: tuple[tuple[Mention, float], ...]

    def tables(self) -> set[str]:
        return {mention.table for mention, _ in self.mentions}


@dataclass(frozen=True)
class NearMiss:
    """A name left unlinked although it resembles an entity: shown so that a reviewer can judge."""

    mention: Mention
    entity: str
    score: float


def link_entities(
    mentions_by_table: Sequence[Sequence[Mention]], threshold: float, scorer: Scorer = joined_ratio,
    near_miss_margin: float = 15.0,
) -> tuple[list[Entity], list[NearMiss]]:
    """Assign each table's names to entities, best scores first, one-to-one within a table.

    A pair scoring under both the threshold and the near-miss bar plays no part, so with a
    `KeyedScorer` only the pairs above that bar are scored in Python (`_Linked`)."""
    groups: list[list[tuple[Mention, float]]] = []
    near: list[NearMiss] = []
    bar = min(threshold, threshold - near_miss_margin)
    linked = _Linked(scorer, bar) if isinstance(scorer, KeyedScorer) and bar > 0 else None
    for mentions in mentions_by_table:
        if linked is not None:
            scored = linked.pairs(mentions)
        else:
            scored = [(max(scorer(m.spelling, other.spelling) for other, _ in group), g, i)
                      for i, m in enumerate(mentions) for g, group in enumerate(groups)]
        pairs = sorted(scored, reverse=True)
        taken_groups: set[int] = set()
        placed: dict[int, int] = {}
        for score, group_index, mention_index in pairs:
            if score < threshold:
                break
            if group_index in taken_groups or mention_index in placed:
                continue
            taken_groups.add(group_index)
            placed[mention_index] = group_index
        best_of: dict[int, tuple[float, int]] = {}
        for score, group_index, mention_index in pairs:     # sorted best first: the first seen is the best
            best_of.setdefault(mention_index, (score, group_index))
        for index, mention in enumerate(mentions):
            if index in placed:
                groups[placed[index]].append((mention, 0.0))
            else:
                best = best_of.get(index)
                if best and best[0] >= threshold - near_miss_margin:
                    near.append(NearMiss(mention, _canonical(groups[best[1]]), best[0]))
                groups.append([(mention, 0.0)])
            if linked is not None:
                linked.add(mention.spelling, placed.get(index, len(groups) - 1))
    entities = []
    for group in groups:
        canonical = _canonical(group)
        entities.append(Entity(canonical, tuple((m, round(scorer(canonical, m.spelling), 1)) for m, _ in group)))
    return entities, near


_CELLS_PER_BLOCK = 1 << 22      # 32 MB of float64 scores at a time


class _Linked:
    """The keys of the names already assigned to entities, and which entities each belongs to:
    a table's names are scored against all of them at once by `process.cdist` (each distinct
    key once, in float64 as the scorer returns it), and only the pairs at or above `bar` kept."""

    def __init__(self, scorer: KeyedScorer, bar: float) -> None:
        self.scorer = scorer
        self.bar = bar
        self.groups_of: dict[str, list[int]] = {}

    def add(self, spelling: str, group: int) -> None:
        for key in self.scorer.keys(spelling):
            holders = self.groups_of.setdefault(key, [])
            if group not in holders:
                holders.append(group)

    def pairs(self, mentions: Sequence[Mention]) -> list[tuple[float, int, int]]:
        """(best score, group, mention) for every mention and group scoring at or above the bar."""
        keys_of = [self.scorer.keys(m.spelling) for m in mentions]
        queries = list(dict.fromkeys(key for keys in keys_of for key in keys))
        choices = list(self.groups_of)
        if not queries or not choices:
            return []
        best: dict[str, dict[int, float]] = {query: {} for query in queries}    # key -> group -> best score
        step = max(1, _CELLS_PER_BLOCK // len(choices))
        for start in range(0, len(queries), step):
            block = queries[start:start + step]
            if self.scorer.matrix is not None:
                matrix = self.scorer.matrix(block, choices, self.bar)
            else:
                matrix = process.cdist(block, choices, scorer=self.scorer.score, processor=None, score_cutoff=self.bar,
                                       dtype=np.float64, workers=-1 if len(block) * len(choices) >= 1 << 20 else 1)
            for row, column in zip(*np.nonzero(matrix >= self.bar), strict=True):
                score = float(matrix[row, column])
                scores = best[block[row]]
                for group in self.groups_of[choices[column]]:
                    if score > scores.get(group, -1.0):
                        scores[group] = score
        return [(score, group, index) for index, keys in enumerate(keys_of)
                for group, score in _best_of(best[key] for key in keys).items()]


def _best_of(scores: Iterable[dict[int, float]]) -> dict[int, float]:
    """group -> the best of its scores over a name's keys."""
    merged: dict[int, float] = {}
    for by_group in scores:
        for group, score in by_group.items():
            if score > merged.get(group, -1.0):
                merged[group] = score
    return merged


def _canonical(group: Sequence[tuple[Mention, float]]) -> str:
    """The most frequent spelling (ties go to the spelling seen first) as printed, but for a space
    lost before a capitalised word that another spelling of the same entity prints after a space
    ("FirstSurname" beside "First Surname"): a capital inside a word may be the name's own
    ("McName"), so a space is put back only where the document shows it."""
    counts = Counter(mention.spelling for mention, _ in group)
    best = max(counts.values())
    spelling = next(mention.spelling for mention, _ in group if counts[mention.spelling] == best)
    spaced = {word for mention, _ in group for word in mention.spelling.split()[1:]}

    def space(at: re.Match[str]) -> str:
        word = re.match(r"\w+", spelling[at.start():])
        return " " if word and word.group() in spaced else ""
    return _JOINED.sub(space, spelling)
