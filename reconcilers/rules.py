"""A rule that ties the cells of one table, whether a spec states it or inference found it.

Checks, Great Expectations suites and the report all read rules in this one shape, so that a
spec'd rule and an inferred rule are verified, expected and shown the same way; an inferred
rule carries its support so a reviewer sees what was assumed ("holds on 52 of 53 rows").
"""

from __future__ import annotations

from dataclasses import dataclass

RULE_SOURCES = ("spec", "inferred")


@dataclass(frozen=True)
class Support:
    """On how many of the rows it was tried on an inferred rule holds."""

    holds: int
    rows: int
    over: str = "rows"                       # rows; columns for a total checked column by column;
                                             # subtotals for a total tied by the sub-totals above it

    def __bool__(self) -> bool:
        """A support measured on no row yet (a classification rule before its rows are read) says nothing."""
        return self.rows > 0

    def text(self, lang: str) -> str:
        if lang == "fr":
            noun = "colonne" if self.over == "columns" else "ligne"
            if self.over == "subtotals":
                return f"tirée de {self.holds} sous-totaux vérifiés"
            return f"vérifiée sur {self.holds} {noun}{'s' if self.holds > 1 else ''} sur {self.rows}"
        if self.over == "subtotals":
            return f"drawn from {self.holds} verified sub-totals"
        return f"holds on {self.holds} of {self.rows} {self.over}"


@dataclass(frozen=True)
class TableRule:
    """`target` must equal what `formula` computes from `operands`, within the printed rounding.

    For a row relation, `target` and `operands` are column keys and `formula` a pandas
    expression over them ("government - company"); for a total, `target` is the total row's
    label, `operands` the labels of the rows it adds up and `formula` "sum".
    """

    table: str                               # the table's key
    check: str                               # the registered check that verifies it: sum_total, row_arithmetic, …
    target: str
    operands: tuple[str, ...]
    formula: str
    text_fr: str                             # "Écart = État − Société"
    text_en: str
    source: str = "spec"                     # spec | inferred
    support: Support | None = None           # inferred rules only
    columns: tuple[str, ...] = ()            # for a total: the columns it is checked on
    target_row: int | None = None            # for a total: the index of its row in the table
    operand_rows: tuple[tuple[str, int], ...] = ()   # for a total: (table key, row index) it adds up
    key: str = ""                            # tells two rules of one target apart in finding ids
                                             # (a total tied to each of its breakdowns)

    def __post_init__(self) -> None:
        if self.source not in RULE_SOURCES:
            raise ValueError(f"unknown rule source {self.source!r}")
        if self.source == "inferred" and self.support is None:
            raise ValueError("an inferred rule carries its support")

    def as_dict(self) -> dict[str, object]:
        """The `rule` entry of results.json."""
        support = [self.support.holds, self.support.rows] if self.support else None
        return {"source": self.source, "text": self.text_fr, "text_en": self.text_en, "support": support}
