"""Each budget check on small tables built in memory."""

import pytest
from tables import make_table

from extractors.spec import ColumnSpec
from reconcilers.alignment import Groups, align, alignment_findings, row_pairs
from reconcilers.budget import (
    BudgetConfig,
    LinesConfig,
    check_block_subtotals,
    check_budget,
    check_grand_total,
    check_line_coverage,
)
from reconcilers.parts import SpecValueError, validated
from reconcilers.sources import (
    AcronymConfig,
    SourcesConfig,
    check_acronyms,
    check_percentages,
    check_source_names,
    match_sources,
    source_sums,
)

WHO = ColumnSpec("who", "Responsable")
AMOUNT = ColumnSpec("amount", "Budget", "money_millions", unit="MFCFA")
SOURCE = ColumnSpec("source", "Source", entity="source")
NOTE = ColumnSpec("note", "Observation")
BLOCK = ColumnSpec("block", "Bloc", "number", optional=True)
LINES_CFG = LinesConfig(table="B")


def _lines(rows):
    return make_table("B", [WHO, AMOUNT, SOURCE, NOTE, BLOCK], rows, title="Budget")


def _line(label, amount, source, block, who="CP", note=""):
    return (label, "item", {"who": who, "amount": amount, "source": source, "note": note, "block": str(block)})


LINES = _lines([
    _line("B1.1", "10", "Etat", 1), _line("B1.2", "5", "ETAT", 1),
    ("ST1", "subtotal", {"amount": "15", "block": "1"}),
    _line("B2.1", "2.5", "UMOA", 2), _line("B2.2", "0", "Etat", 2), _line("B2.3", "4", "PAD", 2),
    ("ST2", "subtotal", {"amount": "7.5", "block": "2"}),
    ("TOTAL", "total", {"amount": "25.5"}),
])
SOURCES = make_table("S", [ColumnSpec("name", "Source", "name"), ColumnSpec("percent", "Part", "percent"), AMOUNT], [
    ("ETAT", "item", {"name": "ETAT", "percent": "75%", "amount": "19"}),
    ("UEMOA", "item", {"name": "UEMOA", "percent": "9%", "amount": "2.5"}),
    ("PAD", "item", {"name": "PAD", "percent": "16%", "amount": "4"}),
    ("Total", "total", {"name": "Total", "percent": "100%", "amount": "25.5"}),
], title="Sources")
SOURCES_CFG = SourcesConfig(table="S")


def _by_subject(findings):
    return {f.subject: f for f in findings}


def test_a_block_sub_total_is_checked_against_its_own_lines_only():
    found = _by_subject(check_block_subtotals(LINES, LINES_CFG))
    assert found["ST1"].status == "pass" and found["ST1"].expected == 15
    assert found["ST2"].status == "fail"
    assert found["ST2"].expected == pytest.approx(6.5) and found["ST2"].observed == 7.5
    assert "écart +1 MFCFA" in found["ST2"].message_fr


def test_the_grand_total_is_checked_against_the_lines_and_against_the_sub_totals():
    by_lines, by_subtotals = check_grand_total(LINES, LINES_CFG)
    assert (by_lines.expected, by_lines.status) == (pytest.approx(21.5), "fail")
    assert (by_subtotals.expected, by_subtotals.status) == (22.5, "fail")
    assert by_lines.id != by_subtotals.id
    assert by_lines.unit == "MFCFA" and "21,5 MFCFA" in by_lines.message_fr and "21.5 MFCFA" in by_lines.message_en


def test_a_grand_total_gap_the_sub_totals_agree_on_is_said_once_with_both_readings():
    agreeing = _lines([
        _line("B1.1", "10", "Etat", 1), _line("B1.2", "5", "ETAT", 1), ("ST1", "subtotal", {"amount": "15", "block": "1"}),
        _line("B2.1", "2.5", "UMOA", 2), _line("B2.2", "4", "PAD", 2), ("ST2", "subtotal", {"amount": "6.5", "block": "2"}),
        ("TOTAL", "total", {"amount": "25.5"}),
    ])
    [gap] = check_grand_total(agreeing, LINES_CFG)
    assert (gap.expected, gap.observed, gap.status, gap.key) == (pytest.approx(21.5), 25.5, "fail", "lines")
    assert "somme des 4 lignes, égale à celle des 2 sous-totaux" in gap.message_fr
    assert "sum of the 4 lines, equal to that of the 2 sub-totals" in gap.message_en


def test_source_spellings_are_tied_to_the_totals_table_with_their_score():
    matches = match_sources(LINES, "source", SOURCES, SOURCES_CFG, {})
    assert {s: m.canonical for s, m in matches.items()} == {"Etat": "ETAT", "ETAT": "ETAT", "UMOA": "UEMOA", "PAD": "PAD"}
    assert matches["UMOA"].score == pytest.approx(88.9)
    found = _by_subject(check_source_names(matches, LINES, "source", "amount", SOURCES, SOURCES_CFG))
    assert (found["Etat"].status, found["Etat"].severity) == ("fail", "info")
    assert (found["UMOA"].status, found["UMOA"].severity, found["UMOA"].expected) == ("fail", "warning", "UEMOA")
    assert found["PAD"].status == "pass"
    assert len({f.id for f in found.values()}) == 4


def test_an_unknown_source_is_an_error_and_is_summed_with_none():
    lines = _lines([_line("B1.1", "3", "Banque", 1), _line("B1.2", "19", "Etat", 1)])
    matches = match_sources(lines, "source", SOURCES, SOURCES_CFG, {})
    assert matches["Banque"].canonical is None
    [unknown] = [f for f in check_source_names(matches, lines, "source", "amount", SOURCES, SOURCES_CFG) if f.subject == "Banque"]
    assert (unknown.status, unknown.severity) == ("fail", "error")
    sums = {s.name: s.computed for s in source_sums(matches, lines, "amount", SOURCES, SOURCES_CFG)}
    assert sums == {"ETAT": 19, "UEMOA": 0, "PAD": 0}


def test_a_source_may_be_written_out_as_the_legend_defines_it():
    lines = _lines([_line("B1.1", "4", "Partenaires au développement", 1)])
    matches = match_sources(lines, "source", SOURCES, SOURCES_CFG, {"PAD": "Partenaires au Développement"})
    assert matches["Partenaires au développement"].canonical == "PAD"


def test_percentages_are_the_rounded_share_of_the_total_and_the_rule_is_said():
    found = _by_subject(check_percentages(SOURCES, SOURCES_CFG))
    assert found["ETAT"].status == "pass"           # 74.51 % -> 75
    assert found["UEMOA"].status == "fail"          # 9.80 % -> 10, stated 9
    assert found["PAD"].status == "pass"            # 15.69 % -> 16
    assert "demi vers le haut" in found["UEMOA"].message_fr and "half up" in found["UEMOA"].message_en
    halves = make_table("H", [ColumnSpec("name", "Source", "name"), ColumnSpec("percent", "Part", "percent"), AMOUNT], [
        ("A", "item", {"name": "A", "percent": "75%", "amount": "14.9"}),
        ("Total", "total", {"name": "Total", "percent": "100%", "amount": "20"}),
    ])
    assert _by_subject(check_percentages(halves, SourcesConfig(table="H")))["A"].status == "pass"
    even = _by_subject(check_percentages(halves, SourcesConfig(table="H", rounding="half_even")))
    assert even["A"].status == "fail"               # 74.5 % rounds half to even to 74


def test_the_budget_run_sums_each_source_and_locates_the_gap():
    config = validated(BudgetConfig, {"lines": {"table": "B"}, "sources": {"table": "S"}}, ("budget",))
    result = check_budget({"B": LINES, "S": SOURCES}, config)
    by_source = [f for f in result.findings if f.check == "sum_total" and f.key == "by_source"]
    etat = next(f for f in by_source if f.subject == "ETAT")
    assert (etat.expected, etat.observed, etat.status) == (15, 19, "fail")
    assert all(f.status == "pass" for f in by_source if f.subject != "ETAT")
    frame = result.frames["budget_by_source"].set_index("source")
    assert frame.at["ETAT", "gap"] == 4 and frame.at["UEMOA", "spellings"] == "UMOA"
    gap = next(f for f in result.findings if f.key == "gap_by_source")
    assert (gap.expected, gap.observed) == (0, pytest.approx(4)) and "ETAT 4 MFCFA" in gap.message_fr
    assert len({f.id for f in result.findings}) == len(result.findings)


def test_acronyms_defined_variant_undefined_and_words_in_capitals():
    lines = _lines([
        _line("B1.1", "1", "Etat", 1, who="CP/DNGM/SP"), _line("B1.2", "1", "ETAT", 1, who="C Ad HOC"),
        _line("B1.3", "1", "UEMOA", 1, who="Comission/Adhoc", note="Non prévu par la BM"),
    ])
    legend = {"CP": "Comité de Pilotage", "SP": "Secrétariat Permanent", "C/ADHOC": "Commission ad hoc"}
    config = AcronymConfig(columns=("who", "source", "note"))
    found = _by_subject(check_acronyms(lines, config, legend, ("ETAT", "UEMOA"), "Légende"))
    assert found["CP"].status == "pass" and found["SP"].status == "pass"
    assert found["C/ADHOC"].status == "fail" and set(found["C/ADHOC"].observed) == {"C Ad HOC", "Comission/Adhoc"}
    assert {s for s, f in found.items() if f.status == "fail" and f.severity == "warning"} == {"DNGM", "UEMOA", "BM"}
    assert "ETAT" not in found                       # also written "Etat": a word, not an acronym


def _groups(table, word):
    return Groups(table, "block", word, word)


def _grouped(counts, key):
    rows = [(f"{g}.{n}", "item", {"activity": f"a{g}.{n}", "block": str(g)}) for g, c in enumerate(counts, 1) for n in range(c)]
    return make_table(key, [ColumnSpec("activity", "Activité"), BLOCK], rows)


def test_alignment_ties_equal_counts_in_order_and_names_the_rest():
    alignment = align({1: [0, 1], 2: [2], 3: [3, 4, 5]}, {1: [0, 1, 2], 2: [3, 4, 5]})
    assert alignment.pairs == ((3, 2),)
    assert alignment.stretches == (((1, 2), (1,)),)


def test_alignment_never_leaves_a_group_without_any_counterpart():
    # axis 3 and block 1 both have 5 rows, but tying them would leave axes 1 and 2 with no block at all
    alignment = align({1: [0] * 2, 2: [0] * 7, 3: [0] * 5, 4: [0] * 14}, {1: [0] * 5, 2: [0] * 14})
    assert alignment.pairs == ((4, 2),)
    assert alignment.stretches == (((1, 2, 3), (1,)),)


def test_alignment_findings_give_the_counts_and_rows_are_tied_only_in_tied_groups():
    activities, lines = _grouped([2, 3], "A"), _grouped([4, 3], "L")
    left, right = _groups(activities, "axe"), _groups(lines, "bloc")
    alignment = align(left.rows(), right.rows())
    findings = alignment_findings(alignment, left, right)
    assert [(f.status, f.expected, f.observed) for f in findings] == [("pass", 3, 3), ("fail", 2, 4)]
    assert row_pairs(alignment, left, right) == [(2, 4), (3, 5), (4, 6)]
    mismatched = align(_groups(_grouped([2, 3], "A"), "axe").rows(), _groups(_grouped([4, 2], "L"), "bloc").rows())
    [fail] = alignment_findings(mismatched, left, _groups(_grouped([4, 2], "L"), "bloc"))
    assert (fail.status, fail.expected, fail.observed) == ("fail", 5, 6)
    assert "2 + 3 = 5" in fail.message_fr and "4 + 2 = 6" in fail.message_fr


def test_coverage_lines_without_amount_and_amounts_without_source():
    lines = _lines([_line("B1.1", "3", "", 1), _line("B1.2", "0", "Etat", 1), _line("B1.3", "2", "PAD", 1)])
    found = {(f.subject, f.key): f for f in check_line_coverage(lines, LINES_CFG, None, None, {})}
    assert found[("B1.1", "source")].severity == "error"
    assert found[("B1.2", "amount")].status == "fail"
    assert set(found) == {("B1.1", "source"), ("B1.2", "amount")}
    clean = check_line_coverage(_lines([_line("B1.1", "3", "PAD", 1)]), LINES_CFG, None, None, {})
    assert {(f.key, f.status) for f in clean} == {("source", "pass"), ("amount", "pass")}


def test_a_budget_config_with_an_unknown_key_is_an_error():
    with pytest.raises(SpecValueError, match="unknown key") as error:
        validated(BudgetConfig, {"lines": {"table": "B"}, "totals": {}}, ("checks", "budget"))
    assert error.value.path == ("checks", "budget", "totals")
