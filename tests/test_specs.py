"""Loading specs: the real ones load, broken ones are refused with the file named."""

from pathlib import Path

import pytest

from pipeline.specs import SpecError, load_spec

RAW = Path(__file__).resolve().parents[1] / "raw"


@pytest.mark.parametrize(("name", "kind", "tables", "serves"), [
    ("par.yaml", "par", 11, "par-kangaba-karan-noungani-2017.pdf"),
    ("plan.yaml", "plan", 4, "itie-mali-plan-actions-2022.txt"),
])
def test_the_project_specs_load_and_serve_their_family(name, kind, tables, serves):
    spec = load_spec(RAW / name)
    assert (spec.document.kind, len(spec.document.tables)) == (kind, tables)
    assert spec.serves(serves) and not spec.serves("rapport-itie-2020.txt")


def _spec(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return path


BASE = """documents: ["*.txt"]
tables:
  - {key: T, caption: 'Tableau 1', columns: [{key: a, label: A, type: money}]}
"""


@pytest.mark.parametrize(("checks", "message"), [
    ("checks: {arithmetic: [{table: T, column: b, formula: a}]}", "no column 'b'"),
    ("checks: {totals: [U]}", "unknown table 'U'"),
    ("checks: {budget: {lines: {tabel: T}}}", "tabel"),
    ("checks: {nonsense: 1}", "nonsense"),
])
def test_a_check_naming_what_does_not_exist_is_a_spec_error(tmp_path, checks, message):
    with pytest.raises(SpecError, match=message) as error:
        load_spec(_spec(tmp_path, BASE + checks))
    assert "s.yaml" in str(error.value)
