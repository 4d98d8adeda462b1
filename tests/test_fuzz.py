"""Property tests of the row splitter, and a fuzz of the text extractor over mutated documents.

The splitter: every row of a generated numbered table comes back with its cells, or a
problem carries its text. The extractor: whatever is done to a real document (characters
changed, figures changed, rows or lines dropped or doubled), nothing escapes but a
DocumentError, every table of the spec is extracted or reported, and every cell that does
not parse is a problem naming it.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.flattened import cut_numbered
from extractors.frame import build_table
from extractors.spec import ColumnSpec, TableSpec
from extractors.table import ExtractedDocument, Provenance
from extractors.text_document import DocumentError, extract_text_document
from pipeline.specs import load_spec

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [("par-kangaba-karan-noungani-2017.txt", "par.yaml"), ("itie-mali-plan-actions-2021.txt", "plan.yaml")]

COLUMNS = (
    ColumnSpec("pap", "PAP", "name"),
    ColumnSpec("surface", "Surface", "area", unit="m2"),
    ColumnSpec("amount", "Montant", "money"),
)
SPEC = TableSpec("T", r"Tableau\s*1\s*:", columns=COLUMNS)
PROVENANCE = Provenance(document="t.txt", title="Tableau 1", pages=(), method="text-numbered", reason="")

WORD = st.from_regex(r"[A-ZÉ][a-zéèïô]{1,9}", fullmatch=True)
NAME = st.lists(WORD, min_size=1, max_size=3).map(" ".join)


def _grouped(value: int) -> str:
    """1234567 -> '1 234 567', as French documents print figures."""
    return f"{value:,}".replace(",", " ")


AREA = st.builds(lambda value, grouped, glued: f"{_grouped(value) if grouped else value}{'' if glued else ' '}m2",
                 st.integers(1, 999_999), st.booleans(), st.booleans())
AMOUNT = st.integers(0, 99_999_999).map(_grouped)
ROW = st.tuples(NAME, AREA, AMOUNT)


def _body(rows: list[tuple[str, str, str]]) -> str:
    return " ".join(f"{number} {name} {area} {amount}" for number, (name, area, amount) in enumerate(rows, 1))


@settings(max_examples=150, deadline=None)
@given(st.lists(ROW, min_size=1, max_size=25))
def test_every_generated_row_comes_back_with_its_cells(rows):
    cut = cut_numbered(_body(rows), SPEC)
    assert cut.unparsed == []
    assert [r.label for r in cut.rows] == [str(n) for n in range(1, len(rows) + 1)]
    for row, (name, area, amount) in zip(cut.rows, rows):
        assert row.cells == {"pap": name, "surface": area, "amount": amount}


@settings(max_examples=150, deadline=None)
@given(st.lists(ROW, min_size=2, max_size=15), st.data())
def test_a_row_that_cannot_fit_is_a_problem_naming_it(rows, data):
    """The broken row is left unparsed with its text, or cut otherwise and then a cell of it does
    not parse (`2 Aa 1 100 m2 x x`: `x x` reads as roman page marks, `100 m2` is no amount)."""
    broken = data.draw(st.integers(0, len(rows) - 1))
    name, area, _ = rows[broken]
    rows[broken] = (name, area, data.draw(st.sampled_from(["néant", "?", "N/A", "-", "x x"])))
    cut = cut_numbered(_body(rows), SPEC)
    text = f"{broken + 1} {name} {area} {rows[broken][2]}"
    table = build_table("T", PROVENANCE, COLUMNS, cut.rows)
    assert (any(text in raw for _, raw in cut.unparsed)
            or any(p.row == str(broken + 1) for p in table.problems)), (cut.unparsed, cut.rows)
    parsed = {r.label: r.cells for r in cut.rows}
    for number, (other_name, other_area, other_amount) in enumerate(rows, 1):
        if number != broken + 1:
            assert parsed[str(number)] == {"pap": other_name, "surface": other_area, "amount": other_amount}


@settings(max_examples=150, deadline=None)
@given(st.text(st.characters(codec="utf-8", categories=("L", "N", "Zs", "P")), max_size=300))
def test_any_text_is_cut_or_left_unparsed_never_raises(body):
    cut = cut_numbered(body, SPEC)
    for row in cut.rows:
        assert set(row.cells) <= {c.key for c in COLUMNS}


# --- fuzz of the text extractor on both documents -------------------------------------------

_FIGURE = re.compile(r"\d+(?:[ .,]\d+)*")
_ROW_START = re.compile(r"(?<!\S)\d{1,3}\s+[A-ZÀ-Ý]")
JUNK = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=6)


def _change_characters(text: str, data: st.DataObject) -> str:
    start = data.draw(st.integers(0, len(text) - 1))
    length = data.draw(st.integers(1, 5))
    return text[:start] + data.draw(JUNK) + text[start + length:]


def _change_figure(text: str, data: st.DataObject) -> str:
    figures = list(_FIGURE.finditer(text))
    figure = figures[data.draw(st.integers(0, len(figures) - 1))]
    value = data.draw(st.integers(0, 10**9))
    printed = data.draw(st.sampled_from([str(value), _grouped(value), f"{value / 100:.2f}".replace(".", ",")]))
    return text[:figure.start()] + printed + text[figure.end():]


def _drop_or_double(text: str, data: st.DataObject, starts: list[int]) -> str:
    if len(starts) < 2:
        return text
    index = data.draw(st.integers(0, len(starts) - 2))
    start, end = starts[index], starts[index + 1]
    piece = text[start:end]
    return text[:start] + (piece * 2 if data.draw(st.booleans()) else "") + text[end:]


def _rows(text: str, data: st.DataObject) -> str:
    return _drop_or_double(text, data, [m.start() for m in _ROW_START.finditer(text)])


def _lines(text: str, data: st.DataObject) -> str:
    return _drop_or_double(text, data, [0] + [m.end() for m in re.finditer("\n", text)])


MUTATIONS = [_change_characters, _change_figure, _rows, _lines]


def _check(document: ExtractedDocument, spec_tables: tuple) -> None:
    extracted = {t.key: t for t in document.tables}
    reported = {p.table for p in document.problems}
    for table_spec in spec_tables:
        assert table_spec.key in extracted or table_spec.key in reported, table_spec.key
    for table in document.tables:
        problems = {(p.row, p.column) for p in table.problems}
        assert len(table.values) or table.problems, f"{table.key}: nothing read and nothing reported"
        for column in table.columns:
            if not column.is_quantity:
                continue
            for label, text, value in zip(table.cells["row"], table.cells[column.key], table.values[column.key]):
                if text and isinstance(value, float) and math.isnan(value):
                    assert (label, column.label) in problems, (table.key, label, column.key, text)


@pytest.mark.parametrize(("name", "spec_name"), DOCUMENTS)
def test_mutated_documents_parse_or_say_what_they_could_not(name, spec_name, tmp_path):
    if not (ROOT / "raw" / name).exists():
        pytest.skip(f"{name} is not in raw/")
    spec = load_spec(ROOT / "raw" / spec_name).document
    original = (ROOT / "raw" / name).read_text(encoding="utf-8")
    path = tmp_path / name

    @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=4), st.data())
    def mutate_and_read(mutations, data):
        text = original
        for mutation in mutations:
            text = mutation(text, data) or " "
        path.write_text(text, encoding="utf-8")
        try:
            document = extract_text_document(path, spec)
        except DocumentError:
            return                      # refused whole (e.g. now looks binary): a finding of the run
        _check(document, spec.tables)

    mutate_and_read()
