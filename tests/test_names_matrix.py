"""Linking scored by matrix (`KeyedScorer`, rapidfuzz `process.cdist`) decides exactly as the pair-by-pair
loop it replaced, on the real names of the EITI Summary Data declarations and spelling variants of them.

Skipped when `../shared/corpus/eiti-summary-data` is absent.
"""

import csv
import random
from pathlib import Path

import pytest

from reconcilers.entity_columns import COMPANY_THRESHOLD, company_ratio
from reconcilers.names import (
    KeyedScorer,
    Mention,
    joined_ratio,
    link_entities,
    token_sort,
)
from reconcilers.summary_data.totals import (
    NAME_THRESHOLD,
    _body_matrix,
    _body_pair,
    body_score,
)

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "eiti-summary-data" / "data" / "declarations"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared corpus absent")


def _names(*columns: tuple[str, str]) -> list[str]:
    """Every distinct name of these (part, column)s, in file order."""
    names: dict[str, None] = {}
    for part, column in columns:
        for path in sorted((CORPUS / part).glob("*.csv")):
            with path.open(encoding="utf-8", newline="") as handle:
                for row in csv.DictReader(handle):
                    if row.get(column, "").strip():
                        names[row[column].strip()] = None
    return list(names)


COMPANIES = (("part3a", "Full company name"),)
AGENCIES = (("part4", "Government entity"), ("part3b", "Full name of agency"))


def _variant(name: str, draw: random.Random) -> str:
    """The kinds of spelling the linking must see through (and some it must not)."""
    roll = draw.random()
    if roll < 0.15:
        return name.replace(" ", "", 1)
    if roll < 0.3:
        return f"{name} Inc."
    if roll < 0.4:
        return name.upper()
    if roll < 0.5 and len(name) > 4:
        cut = draw.randrange(len(name))
        return name[:cut] + name[cut + 1:]
    if roll < 0.6:
        return f"{name} ({''.join(word[0] for word in name.split())})"
    return name


def _tables(names: list[str], seed: int, tables: int = 4, size: int = 60) -> list[list[Mention]]:
    draw = random.Random(seed)
    pool = draw.sample(names, min(len(names), 2 * size))
    return [[Mention(f"t{t}", i, _variant(draw.choice(pool), draw)) for i in range(size)] for t in range(tables)]


@pytest.mark.parametrize(("scorer", "threshold", "columns"), [
    (company_ratio, COMPANY_THRESHOLD, COMPANIES),
    (joined_ratio, 85.0, COMPANIES),
    (token_sort, 85.0, COMPANIES),
    (body_score, NAME_THRESHOLD, AGENCIES),
])
@pytest.mark.parametrize("seed", [1, 2])
def test_matrix_linking_is_the_pairwise_linking(scorer: KeyedScorer, threshold: float,
                                                columns: tuple[tuple[str, str], ...], seed: int) -> None:
    names = _names(*columns)
    assert len(names) >= 80
    tables = _tables(names, seed)
    by_matrix = link_entities(tables, threshold, scorer)
    pair_by_pair = link_entities(tables, threshold, lambda a, b: scorer(a, b))    # a plain function: no matrix
    assert by_matrix == pair_by_pair
    entities, near = by_matrix
    assert any(len(entity.mentions) > 1 for entity in entities) and near      # links and near misses were decided


def test_body_matrix_is_body_score_pair_by_pair() -> None:
    agencies = _names(*AGENCIES)
    assert any("(" in name for name in agencies)                                # acronyms take part
    matrix = _body_matrix(agencies, agencies, 70.0)
    for i, a in enumerate(agencies):
        for j, b in enumerate(agencies):
            score = _body_pair(a, b)
            assert matrix[i, j] == score if score >= 70.0 else matrix[i, j] < 70.0
