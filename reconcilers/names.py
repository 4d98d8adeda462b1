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
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

Scorer = Callable[[str, str], float]
_JOINED = re.compile(r"(?<=[a-zà-ÿ])(?=[A-ZÀ-Ý])")


def split_joined(name: str) -> str:
    """Put back the space lost between two capitalised names: "AminaDiallo" -> "Amina Diallo"."""
    return " ".join(_JOINED.sub(" ", name).split())


def fold(name: str) -> str:
    """Lower case, no accents, joined names split, single spaces: the form names are compared in."""
    decomposed = unicodedata.normalize("NFKD", split_joined(name))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", plain.lower()).split())


def joined_ratio(a: str, b: str) -> float:
    """rapidfuzz ratio on the folded names with spaces removed (0..100)."""
    return fuzz.ratio(fold(a).replace(" ", ""), fold(b).replace(" ", ""))


def token_sort(a: str, b: str) -> float:
    """rapidfuzz token_sort_ratio on folded names: robust to word order, not to lost spaces."""
    return fuzz.token_sort_ratio(fold(a), fold(b))


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
    """Assign each table's names to entities, best scores first, one-to-one within a table."""
    groups: list[list[tuple[Mention, float]]] = []
    near: list[NearMiss] = []
    for mentions in mentions_by_table:
        pairs = sorted(
            ((max(scorer(m.spelling, other.spelling) for other, _ in group), g, i)
             for i, m in enumerate(mentions) for g, group in enumerate(groups)),
            reverse=True,
        )
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
                continue
            best = best_of.get(index)
            if best and best[0] >= threshold - near_miss_margin:
                near.append(NearMiss(mention, _canonical(groups[best[1]]), best[0]))
            groups.append([(mention, 0.0)])
    entities = []
    for group in groups:
        canonical = _canonical(group)
        entities.append(Entity(canonical, tuple((m, round(scorer(canonical, m.spelling), 1)) for m, _ in group)))
    return entities, near


def _canonical(group: Sequence[tuple[Mention, float]]) -> str:
    """The most frequent spelling (ties go to the spelling seen first) as printed, but for a space
    lost before a capitalised word that another spelling of the same entity prints after a space
    ("MadouKanté" beside "Mamadou Kanté"): a capital inside a word may be the name's own
    ("Freeport-McMoRan"), so a space is put back only where the document shows it."""
    counts = Counter(mention.spelling for mention, _ in group)
    best = max(counts.values())
    spelling = next(mention.spelling for mention, _ in group if counts[mention.spelling] == best)
    spaced = {word for mention, _ in group for word in mention.spelling.split()[1:]}

    def space(at: re.Match[str]) -> str:
        word = re.match(r"\w+", spelling[at.start():])
        return " " if word and word.group() in spaced else ""
    return _JOINED.sub(space, spelling)
