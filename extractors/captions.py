"""Finding tables in running text by their captions ("Tableau 5 : PAP et biens …")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.spec import TableSpec
from extractors.table import CellProblem

# The number follows the word after a space or "n°", or at once when it is in digits
# ("Tableau10"), never as the word's own letters ("Tableaux suivants" is no caption).
# One caption line, as printed above a table in a PDF or on a grid's first rows.
CAPTION = re.compile(
    r"^\s*(?P<word>Tableau|Table|Tab\.|Exhibit)(?:\s*(?:n°|no\.?)\s*|\s+|(?=[0-9]))"
    r"(?P<number>[0-9]+(?:[.\-][0-9]+)*|[IVXLC]+)\b"
    r"\s*[:.\-–—]?\s*(?P<title>.*)$",
    re.IGNORECASE,
)
# A caption in a list of tables is followed by a dot leader: "Tableau 3 : … ........ 19".
_DOT_LEADER = re.compile(r"\.{6,}|…{2,}")
_ANY_CAPTION = re.compile(r"Tableau\s*(?P<number>\d+)\s*:\s*(?P<title>[^\d]{0,140}?)(?=\s+(?:N°|Nom|Villages?|Type|Nombre|Acteurs|Activit|Eléments|Elements|La |\d)|$)")


@dataclass(frozen=True)
class CaptionMatch:
    """Where a caption stands and where the table body after it begins."""

    start: int
    end: int
    text: str


def find_caption(text: str, pattern: str, occurrence: int = 1) -> CaptionMatch | None:
    """The `occurrence`-th match of `pattern` that is not an entry of a list of tables."""
    seen = 0
    for match in re.finditer(pattern, text):
        if _is_table_of_contents(text, match.end()):
            continue
        seen += 1
        if seen == occurrence:
            return CaptionMatch(match.start(), match.end(), " ".join(match.group(0).split()))
    return None


def caption_title(caption: str) -> str | None:
    """How a table is named where its caption numbers it: "Tableau 5 : PAP …" -> "Tableau 5"."""
    match = CAPTION.match(caption)
    return f"{match.group('word')} {match.group('number')}" if match else None


def list_captions(text: str) -> tuple[tuple[str, str, int], ...]:
    """Every caption in the body of the text: (number, title, offset), lists of tables excluded."""
    found = []
    for match in _ANY_CAPTION.finditer(text):
        if _is_table_of_contents(text, match.end()):
            continue
        found.append((match.group("number"), " ".join(match.group("title").split()), match.start()))
    return tuple(found)


def _is_table_of_contents(text: str, position: int) -> bool:
    return bool(_DOT_LEADER.search(text, position, position + 160))


class TableNotFound(LookupError):
    """The spec's anchor for a table is not in the document."""

    def __init__(self, problem: CellProblem) -> None:
        super().__init__(problem.reason_en)
        self.problem = problem


def missing_table(document: str, spec: TableSpec, what_fr: str, what_en: str) -> TableNotFound:
    return TableNotFound(CellProblem(
        document=document, table=spec.key, title=spec.title or spec.key, row=None, column=None,
        text=spec.caption, reason_fr=what_fr, reason_en=what_en, page=spec.page,
    ))
