"""What a spec need not say because its tables already say it: measured on the project's specs."""

from pathlib import Path

import pytest

from extractors.readers import read
from extractors.table import ROW_KIND, ROW_LABEL
from pipeline.specs import load_spec

RAW = Path(__file__).resolve().parents[1] / "raw"
PAR = RAW / "par-kangaba-karan-noungani-2017.txt"
PLAN = RAW / "itie-mali-plan-actions-2021.txt"


def test_totals_shares_and_twins_come_from_the_tables_of_the_par_spec():
    spec = load_spec(RAW / "par.yaml")
    configs = spec.checks.configs
    # Every table whose spec names a total row or the rows a sub-total adds up.
    assert configs["totals"] == ("T2", "T5", "T6", "T7", "T10_recap", "T10_cost_summary", "T10_cost")
    # "Imprévus (2%)" is `share_of: subtotal_general` in both copies of the cost table.
    assert [(r.table, r.row, r.rate_column, r.amount_column) for r in configs["shares"]] == [
        ("T10_cost_summary", "contingencies", "rate", "amount"), ("T10_cost", "contingencies", "rate", "amount")]
    # Tables of the same columns and rows, the first the executive summary's.
    assert [(t.summary, t.body) for t in configs["twins"]] == [
        ("T1", "T4"), ("T2", "T5"), ("T3", "T9"), ("T10_cost_summary", "T10_cost")]
    assert {t.key for t in spec.document.tables if t.layout == "labelled"} == {
        "T3", "T9", "T10_recap", "T10_cost_summary", "T10_cost"}


def test_a_summary_table_rule_holds_for_its_twin_and_says_itself_in_the_column_labels():
    arithmetic = load_spec(RAW / "par.yaml").checks.configs["arithmetic"]
    rules = {(r.table, r.column): r for r in arithmetic}
    assert set(rules) == {("T2", "remaining"), ("T5", "remaining"), ("T6", "amount"), ("T7", "amount"),
                          ("T3", "amount"), ("T9", "amount")}
    assert rules["T5", "remaining"].formula == rules["T2", "remaining"].formula
    assert rules["T5", "remaining"].label_fr == "Surface restante = Total parcelle − Surface affectée"
    assert rules["T6", "amount"].label_fr == "Total (FCFA) = Surface affectée × Coût / m2 (FCFA)"


def test_a_check_the_spec_states_is_not_replaced(tmp_path):
    text = (RAW / "par.yaml").read_text(encoding="utf-8")
    path = tmp_path / "par.yaml"
    path.write_text(text.replace("\nchecks:\n", "\nchecks:\n  twins: []\n  totals: [T6]\n", 1), encoding="utf-8")
    configs = load_spec(path).checks.configs
    assert "twins" not in configs and configs["totals"] == ("T6",)
    assert {(r.table, r.column) for r in configs["arithmetic"]} == {
        ("T2", "remaining"), ("T6", "amount"), ("T7", "amount"), ("T3", "amount")}


def test_the_plan_spec_implies_nothing_it_does_not_say():
    configs = load_spec(RAW / "plan.yaml").checks.configs
    assert set(configs) == {"totals", "budget"} and configs["totals"] == ("source_totals",)


@pytest.mark.skipif(not PAR.exists(), reason="seed document absent")
def test_a_table_is_named_by_its_caption_when_the_spec_gives_no_title():
    spec = load_spec(RAW / "par.yaml")
    titles = {t.key: t.provenance.title for t in read(PAR, spec.document).tables}
    assert titles["T4"] == "Tableau 4" and titles["T9"] == "Tableau 9"
    assert titles["T10_recap"] == "Tableau 10 (récapitulatif)"     # a title the spec gives is kept


@pytest.mark.skipif(not PLAN.exists(), reason="seed document absent")
def test_the_plan_rows_are_told_and_named_by_their_labels():
    spec = load_spec(RAW / "plan.yaml")
    assert {t.key: t.layout for t in spec.document.tables} == {
        "activities": "tsv", "budget": "tsv", "source_totals": "tsv", "legend": "tsv"}
    tables = {t.key: t for t in read(PLAN, spec.document).tables}
    sources = tables["source_totals"].cells
    assert list(zip(sources[ROW_LABEL], sources[ROW_KIND], strict=True)) == [
        ("ETAT", "item"), ("PGSM/BM", "item"), ("UEMOA", "item"), ("PAD", "item"), ("Total", "total")]
    legend = tables["legend"].cells
    assert list(legend[ROW_LABEL][:3]) == ["CP:", "CS:", "PAD:"]          # past the leading tab of every line
    assert list(legend["definition"][:1]) == ["Comité de Pilotage"]
    activities = tables["activities"].cells
    subtotals = activities[activities[ROW_KIND] == "subtotal"][ROW_LABEL]
    assert list(subtotals[:2]) == ["Sous Total Axe 1", "Sous Total Axe 2"]
    assert {"1.1", "2.6", "2.7"} <= set(activities[ROW_LABEL])          # 2.7: a row printed with no number


@pytest.mark.skipif(not PLAN.exists(), reason="seed document absent")
def test_a_row_of_figures_alone_closes_a_block_of_the_budget():
    spec = load_spec(RAW / "plan.yaml")
    budget = next(t for t in read(PLAN, spec.document).tables if t.key == "budget")
    closing = budget.values[budget.values[ROW_KIND] != "item"]
    assert list(zip(closing[ROW_KIND], closing["amount"], strict=True)) == [
        ("subtotal", 59.0), ("subtotal", 198.79), ("subtotal", 61.5), ("subtotal", 27.1), ("subtotal", 128.2),
        ("total", 513.71)]
    # The budget's blocks are summed by the budget check, block by block: no second closing-total check.
    assert load_spec(RAW / "plan.yaml").checks.configs["totals"] == ("source_totals",)
