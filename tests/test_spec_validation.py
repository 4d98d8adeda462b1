"""Specs checked when they load: a misspelt key anywhere in the project's own specs (a table, a
column, a row, a layout option, a check) is a spec error naming the file and the line of the
misspelt key, and the other documents of the run are processed as if that spec were absent."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from extractors.readers import read
from pipeline.run import Limits, run
from pipeline.specs import SpecError, load_spec
from reconcilers.document import reconcile

RAW = Path(__file__).resolve().parents[1] / "raw"
PAR, PLAN = "par-kangaba-karan-noungani-2017.txt", "itie-mali-plan-actions-2021.txt"

# (spec, text as written, misspelt text, what the error must say): each misspelling lands in a
# different part of the spec: top level, table, column, total, row, layout option (key and
# value), option sub-record, check name, check rule key, cell reference, budget sub-record.
MISSPELT = [
    ("par.yaml", "\nchecks:\n", "\ncheck:\n", "check: clé inconnue"),
    ("plan.yaml", 'documents:\n  - "itie-*plan*.txt"\n  - "itie-*plan*.pdf"\n', 'documents: "itie-*plan*.txt"\n',
     "documents: Input should be a valid tuple"),
    ("par.yaml", "    caption: 'Tableau\\s*4", "    captoin: 'Tableau\\s*4", "tables[1].captoin: clé inconnue"),
    ("par.yaml", "type: name, entity: pap}", "type: name, entiy: pap}", "entiy: clé inconnue"),
    ("par.yaml", "total: {label: '(?P<amount>{number})'}", "total: {lable: '(?P<amount>{number})'}", "total.lable"),
    ("par.yaml", "kind: subtotal, sum_of: [land]}", "kind: subtotal, sum_off: [land]}", "sum_off: clé inconnue"),
    ("par.yaml", "kind: subtotal, sum_of: [land]}", "kind: sub_total, sum_of: [land]}", "rows[1].kind: genre inconnu / unknown kind 'sub_total'"),
    ("plan.yaml", "      short_rows: right", "      short_row: right", "options.short_row: clé inconnue"),
    ("plan.yaml", "{key: acronym, label: \"Sigle\", type: text}", "{key: acronym, label: \"Sigle\", type: txt}",
     "columns[0].type: type inconnu / unknown type 'txt'"),
    ("par.yaml", "    page: 42\n", "    layout: tsf\n    page: 42\n", "tables[10].layout: mise en page inconnue"),
    ("plan.yaml", "      short_rows: right", "      short_rows: rigth", "options.short_rows"),
    ("plan.yaml", "{after_break: true, empty:", "{after_brake: true, empty:", "continuation.after_brake"),
    ("plan.yaml", "        positions: {name: 1}", "        positons: {name: 1}", "join.positons"),
    ("plan.yaml", "\n  budget:\n", "\n  total: [source_totals]\n  budget:\n", "checks.total: contrôle inconnu"),
    ("plan.yaml", "threshold: 80, rounding: half_up}", "threshold: 80, rounding: half_upp}", "rounding 'half_upp'"),
    ("plan.yaml", "acronyms: {columns:", "acronyms: {colums:", "acronyms.colums: clé inconnue"),
    ("par.yaml", "    - {table: T2, column: remaining, formula:", "    - {table: T2, colum: remaining, formula:",
     "arithmetic[0].colum: clé inconnue"),
    ("par.yaml", 'formula: "surface_affected * unit_rate"', 'formula: "surface_affected * unit_rat"',
     "arithmetic[1].formula: « unit_rat » n’est pas une colonne de chiffres"),
    ("par.yaml", 'formula: "surface_affected * unit_rate"', 'formula: "surface_affected * * unit_rate"',
     "arithmetic[1].formula: formule illisible"),
    ("par.yaml", "{left: T2, right: T7, entity: pap, columns: [trees]}", "{left: T2, right: T7, entity: pip, columns: [trees]}",
     "per_entity[2].entity: « pip » n’est pas une entité"),
    ("par.yaml", "compare: {min: \"min(T2.surface_affected)\"", "compare: {mini: \"min(T2.surface_affected)\"",
     "claims[1].compare.mini: le motif n’a pas de groupe"),
    ("par.yaml", "pap: {column: pap, complete:", "pap: {column: pap, complet:", "entities.pap.complet"),
    ("par.yaml", '{left: "T2[TOTAL].trees"', '{left: "T2[TOTAL]trees"', "bad cell reference"),
    ("par.yaml", "      op: lt\n      severity: warning", "      op: lower\n      severity: warning", "claims[2].op"),
    ("par.yaml", "{left: T2, right: T6, entity: pap, columns: [surface_affected]}",
     "{left: T2, right: T6, entity: pap, columns: [surface_affectee]}", "has no column 'surface_affectee'"),
    ("par.yaml", '{left: "T6[TOTAL].amount", right: "T10_recap[land].amount"',
     '{left: "T6[TOTAL].amount", right: "T11_recap[land].amount"', "agreements[3].right"),
    ("par.yaml", "    caption: 'Tableau\\s*4", "    caption: 'Tableau\\s*(4", "tables[1].caption: regex invalide"),
    ("plan.yaml", "header: 'N°\\t[^\\n]*\\n'", "header: 'N°\\t[^\\n*\\n'",
     "tables[0].header: regex invalide"),
    ("par.yaml", "      compare: {value: \"max(T2.total_parcel)\"}", "      compare: {value: \"max(T2.total_parcl)\"}",
     "claims[2].compare.value"),
]


def _copy(tmp_path: Path, spec: str, written: str, misspelt: str) -> tuple[Path, int]:
    """The spec with one misspelling, and the line it stands on."""
    text = (RAW / spec).read_text(encoding="utf-8")
    assert text.count(written) >= 1, written
    changed = text.replace(written, misspelt, 1)
    start = changed.index(misspelt) + len(misspelt) - len(misspelt.lstrip("\n"))
    path = tmp_path / spec
    path.write_text(changed, encoding="utf-8")
    return path, changed[:start].count("\n") + 1


@pytest.mark.parametrize(("spec", "written", "misspelt", "said"), MISSPELT)
def test_a_misspelling_is_a_spec_error_with_its_file_and_line(tmp_path, spec, written, misspelt, said):
    path, line = _copy(tmp_path, spec, written, misspelt)
    with pytest.raises(SpecError) as error:
        load_spec(path)
    assert (error.value.file, error.value.line) == (spec, line), str(error.value)
    assert said in error.value.reason
    assert str(error.value).startswith(f"{spec}, ligne {line}: ")


def test_the_project_specs_load_with_every_check_they_name():
    assert set(load_spec(RAW / "par.yaml").checks.configs) == {
        "totals", "arithmetic", "shares", "entities", "per_entity", "declared_losses", "agreements", "twins", "claims"}
    assert set(load_spec(RAW / "plan.yaml").checks.configs) == {"totals", "budget"}


def test_a_share_naming_a_row_without_share_of_is_said_at_load(tmp_path):
    path, _ = _copy(tmp_path, "par.yaml", "\nchecks:\n", "\nchecks:\n  shares: [{table: T10_cost, row: monitoring, "
                    "rate_column: rate, amount_column: amount}]\n")
    with pytest.raises(SpecError, match="no row 'monitoring' with share_of"):
        load_spec(path)


@pytest.mark.skipif(not (RAW / PAR).exists() or not (RAW / PLAN).exists(), reason="seed documents absent")
def test_a_misspelt_spec_leaves_the_other_documents_as_they_were(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in (PAR, PLAN, "plan.yaml"):
        shutil.copy(RAW / name, raw)
    _, line = _copy(raw, "par.yaml", "total: {label: '(?P<amount>{number})'}", "total: {lable: '(?P<amount>{number})'}")
    result = run(raw, None, Limits(max_seconds=0))
    [error] = [f for f in result.findings if f.document == "par.yaml"]
    assert (error.check, error.field, error.location.row) == ("document", "spec", line)
    documents = {d.name: d for d in result.documents}
    assert (documents[PAR].status, documents[PAR].spec) == ("ok", None)     # read without its spec, not refused
    plan = load_spec(RAW / "plan.yaml")
    alone = reconcile(read(RAW / PLAN, plan.document), plan.document, plan.checks)
    ran = [(f.id, f.status, f.expected, f.observed) for f in documents[PLAN].findings if f.check != "expectation"]
    assert ran == [(f.id, f.status, f.expected, f.observed) for f in alone.findings]


@pytest.mark.skipif(not (RAW / PLAN).exists(), reason="seed document absent")
def test_a_misspelt_layout_option_no_longer_refuses_the_document(tmp_path):
    """Issue 12: `short_rows` misspelt used to pass the loader and refuse the whole document with an
    internal error at run time; it is now a spec error with its line, and the document is read."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / PLAN, raw)
    _, line = _copy(raw, "plan.yaml", "      short_rows: right", "      short_row: right")
    result = run(raw, None, Limits(max_seconds=0))
    [error] = [f for f in result.findings if f.document == "plan.yaml"]
    assert (error.location.row, error.field) == (line, "spec") and "short_row" in error.message_fr
    [document] = result.documents
    assert (document.status, document.spec) == ("ok", None)
    assert not [f for f in result.findings if "erreur interne" in f.message_fr]
