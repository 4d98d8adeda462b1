"""Small tables built in memory for the reconciler tests."""

from extractors.frame import RawRow, build_table
from extractors.spec import ColumnSpec
from extractors.table import ExtractedTable, Provenance


def make_table(key: str, columns: list[ColumnSpec], rows: list[tuple[str, str, dict[str, str]]],
               title: str | None = None, document: str = "doc.txt") -> ExtractedTable:
    """rows: (label, kind, {column: raw text})."""
    provenance = Provenance(document=document, title=title or key, pages=(1,))
    return build_table(key, provenance, tuple(columns), [RawRow(label, kind, cells) for label, kind, cells in rows])


NAME = ColumnSpec("pap", "PAP", "name", entity="pap")
AREA = ColumnSpec("surface", "Surface", "area", unit="m2")
TOTAL_AREA = ColumnSpec("total", "Total", "area", unit="m2")
REMAINING = ColumnSpec("remaining", "Reste", "area", unit="m2")
COUNT = ColumnSpec("trees", "Pieds", "count", optional=True)
RATE = ColumnSpec("rate", "Taux", "money")
AMOUNT = ColumnSpec("amount", "Montant", "money")
