"""Property tests of the row splitter, and a fuzz of the text extractor over mutated documents.

The splitter: every row of a generated numbered table comes back with its cells, or a
problem carries its text; a free-text last cell never swallows the rows after it silently.
The extractor: whatever is done to a real document (characters changed, figures changed,
rows or lines dropped or doubled, a free-text tail added to a row, a total reworded),
nothing escapes but a DocumentError, every table of the spec is extracted or reported,
every cell that does not parse is a problem naming it, and no row is lost silently: every
entity a table listed before the mutation whose name is still in the table's text is the
entity of one of its rows or quoted by one of its problems.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.conservation import account_table
from extractors.flattened import cut_numbered
from extractors.frame import build_table
from extractors.spec import ColumnSpec, DocumentSpec, TableSpec, TotalRowSpec
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


# A free-text last cell ("8 pieds de manguiers", then anything): it must not take the rows after it.
TREES = ColumnSpec("trees", "Autres biens", "count", optional=True, pattern=r"{number}\s+pieds\b.*")
TAILED = (ColumnSpec("pap", "PAP", "name", entity="pap"), *COLUMNS[1:], TREES)
TAILED_SPEC = TableSpec("T", r"Tableau\s*1\s*:", columns=TAILED, end="Fin du tableau",
                        total=TotalRowSpec(label=r"TOTAL\s+(?P<amount>{number})"))
TOTAL_LABELS = st.sampled_from(["TOTAL", "Total général", "TOTAL DES BIENS", "Montant total"])
TAILED_ROW = st.tuples(NAME, AREA, AMOUNT, st.one_of(st.just(""), st.integers(1, 99).map(lambda n: f"{n} pieds de manguiers")))


def _read(tmp_path: Path, text: str, spec: TableSpec) -> ExtractedDocument:
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    return extract_text_document(path, DocumentSpec("s.yaml", "test", ("*.txt",), (spec,)))


def _quoted(table, text: str) -> bool:
    return any(text in " ".join(p.text.split()) for p in table.problems)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(TAILED_ROW, min_size=2, max_size=15), TOTAL_LABELS, st.integers(0, 10**7))
def test_a_free_text_last_cell_never_swallows_later_rows_silently(tmp_path, rows, label, total):
    """Every row comes back with its name, or a problem quotes it; the total is read or quoted."""
    body = " ".join(f"{n} {name} {area} {amount}{' ' + trees if trees else ''}"
                    for n, (name, area, amount, trees) in enumerate(rows, 1))
    total_line = f"{label} {_grouped(total)}"
    document = _read(tmp_path, f"Tableau 1 : Biens N° Nom Surface Montant {body} {total_line} Fin du tableau.",
                     TAILED_SPEC)
    [table] = document.tables
    accounting = account_table(table, document.text)
    assert not accounting.unaccounted
    assert set(accounting.unplaced) <= {"TOTAL"}, accounting.unplaced     # no text counted twice
    names = dict(zip(table.values["row"], table.cells["pap"]))
    for n, (name, area, _, _) in enumerate(rows, 1):
        assert names.get(str(n)) == name or _quoted(table, f"{n} {name} {area}"), (n, name, table.cells.values.tolist())
    assert "TOTAL" in names or _quoted(table, total_line), (total_line, table.cells.values.tolist())


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


_AFTER_AREA = re.compile(r"(?<=ha |m2 )\d{1,3}\s+[A-ZÀ-Ý]")
_TOTAL_LABEL = re.compile(r"\bTOTAL\b\S*\s+\S+")
TAILS = st.sampled_from(["8 pieds de manguiers", "3 pieds", "12 pieds de manguiers et clôture"])


def _tail(text: str, data: st.DataObject) -> str:
    """A free-text last cell ("8 pieds de manguiers") added to a row that ends with an area."""
    starts = list(_AFTER_AREA.finditer(text))
    if not starts:
        return text
    start = starts[data.draw(st.integers(0, len(starts) - 1))].start()
    return f"{text[:start]}{data.draw(TAILS)} {text[start:]}"


def _reword_total(text: str, data: st.DataObject) -> str:
    """A total line's label written otherwise ("TOTAL BIENS" -> "Total des biens")."""
    labels = list(_TOTAL_LABEL.finditer(text))
    if not labels:
        return text
    label = labels[data.draw(st.integers(0, len(labels) - 1))]
    return text[:label.start()] + data.draw(st.sampled_from(["Total des biens", "Total général", "Montant total"])) + text[label.end():]


MUTATIONS = [_change_characters, _change_figure, _rows, _lines, _tail, _reword_total]


def _entities(document: ExtractedDocument) -> dict[str, list[tuple[str, str]]]:
    """table key -> (entity column, name) of every item row of a table that names an entity."""
    found = {}
    for table in document.tables:
        keys = [c.key for c in table.columns if c.entity]
        if keys and table.provenance.span:
            items = table.cells[table.cells["kind"] == "item"]
            found[table.key] = [(keys[0], name) for name in items[keys[0]] if name]
    return found


def _no_row_lost_silently(document: ExtractedDocument, before: dict[str, list[tuple[str, str]]]) -> None:
    """Each entity listed before the mutation, still in the table's text: a row's entity, or quoted."""
    for table in document.tables:
        if table.key not in before or not table.provenance.span:
            continue
        start, end = table.provenance.span
        span = " ".join(document.text[start:end].split())
        for column, name in before[table.key]:
            if not re.search(rf"(?<!\S){re.escape(name)}(?!\S)", span):
                continue                # the mutation took its text out of the table
            held = set(table.cells.loc[table.cells["kind"] == "item", column])
            assert name in held or _quoted(table, name), (table.key, name, table.cells.values.tolist())


def _check(document: ExtractedDocument, spec_tables: tuple) -> None:
    extracted = {t.key: t for t in document.tables}
    reported = {p.table for p in document.problems}
    for table_spec in spec_tables:
        assert table_spec.key in extracted or table_spec.key in reported, table_spec.key
    for table in document.tables:
        assert not account_table(table, document.text).unaccounted, table.key
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
    path.write_text(original, encoding="utf-8")
    before = _entities(extract_text_document(path, spec))

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
        _no_row_lost_silently(document, before)

    mutate_and_read()
