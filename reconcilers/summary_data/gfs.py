"""The IMF GFS 2014 revenue classification and the EITI codes built on it, from the project's data file.

The template writes a Part 4 classification as `Label (code)`: `Royalties (1415E1)`. A code is
valid when the data file lists it; its label is consistent when it reads as the file's English or
French label for that code (folded, rapidfuzz token-sort ratio at least LABEL_SCORE).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rapidfuzz import fuzz

from reconcilers.names import fold

LABEL_SCORE = 85.0
_CODED = re.compile(r"^(?P<label>.*?)\s*\((?P<code>\d+(?:E\d*)?)\)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class GfsCode:
    code: str
    label_en: str
    label_fr: str
    parent: str
    origin: str                  # "GFSM 2014" or "EITI"


@cache
def classification() -> dict[str, GfsCode]:
    """Every code of the data file, by code."""
    text = resources.files("reconcilers").joinpath("data", "gfs_revenue.csv").read_text(encoding="utf-8")
    return {row["code"]: GfsCode(**row) for row in csv.DictReader(text.splitlines())}


def split(text: str) -> tuple[str, str | None]:
    """`Royalties (1415E1)` -> ("Royalties", "1415E1"); a text without a code -> (text, None)."""
    match = _CODED.match(text.strip())
    if not match:
        return text.strip(), None
    return match.group("label"), match.group("code").upper()


@dataclass(frozen=True)
class GfsVerdict:
    """What a classification text says and how it stands against the data file."""

    label: str
    code: str | None
    known: GfsCode | None
    score: float                 # how well the label reads as the known one (0 when unknown)

    @property
    def status(self) -> str:
        """ok | no_code | unknown_code | label_mismatch."""
        if self.code is None:
            return "no_code"
        if self.known is None:
            return "unknown_code"
        return "ok" if self.score >= LABEL_SCORE else "label_mismatch"


def judge(text: str) -> GfsVerdict:
    label, code = split(text)
    known = classification().get(code) if code else None
    score = 0.0
    if known:
        score = max(fuzz.token_sort_ratio(fold(label), fold(known.label_en)),
                    fuzz.token_sort_ratio(fold(label), fold(known.label_fr)))
    return GfsVerdict(label, code, known, score)
