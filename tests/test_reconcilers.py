"""Each reconciler on small tables whose right answer is known by construction."""

import pytest

from extractors.spec import ColumnSpec, RowSpec, TableSpec
from reconcilers.arithmetic import as_table_rule, check_row_arithmetic
from reconcilers.checks import (
    AgreementRule,
    ArithmeticRule,
    CellRef,
    ClaimRule,
    DeclaredLossRule,
    EntityRule,
    PerEntityRule,
    ShareRule,
    TwinRule,
)
from reconcilers.claims import check_claims, parse_date
from reconcilers.cross_table import (
    check_agreement,
    check_declared_losses,
    check_per_entity,
    check_twins,
)
from reconcilers.entities import entity_findings, link_table_entities
from reconcilers.shares import check_share
from reconcilers.totals import check_equivalences, check_totals
from tests.tables import (
    AMOUNT,
    AREA,
    COUNT,
    NAME,
    REMAINING,
    TOTAL_AREA,
    make_table,
)


def _status(findings):
    return [(f.subject, f.status) for f in findings]


def test_closing_total_passes_when_rows_add_up_and_fails_otherwise():
    table = make_table("A", [NAME, AREA], [
        ("1", "item", {"pap": "Awa Diarra", "surface": "4 500"}),
        ("2", "item", {"pap": "Seydou Coulibaly", "surface": "1 600"}),
        ("TOTAL", "total", {"surface": "6 100 m2"}),
    ])
    assert _status(check_totals(table, TableSpec("A", ""))) == [("TOTAL", "pass")]
    wrong = make_table("A", [NAME, AREA], [
        ("1", "item", {"pap": "Awa Diarra", "surface": "4 500"}),
        ("TOTAL", "total", {"surface": "4 600"}),
    ])
    [finding] = check_totals(wrong, TableSpec("A", ""))
    assert (finding.status, finding.expected, finding.observed) == ("fail", 4500, 4600)


def test_total_within_the_rounding_of_its_written_figure_passes():
    table = make_table("A", [AREA], [
        ("1", "item", {"surface": "1 234"}), ("2", "item", {"surface": "2 000"}),
        ("TOTAL", "total", {"surface": "0,32 ha"}),          # 3 234 m² written 0,32 ha (± 50 m²)
    ])
    assert check_totals(table, TableSpec("A", ""))[0].status == "pass"


def test_labelled_subtotals_add_the_rows_the_spec_names():
    spec = TableSpec("C", "", layout="labelled", rows=(
        RowSpec("a", "A"), RowSpec("b", "B"), RowSpec("sub", "S", kind="subtotal", sum_of=("a", "b")),
    ))
    table = make_table("C", [AMOUNT], [
        ("a", "item", {"amount": "500 000"}), ("b", "item", {"amount": "200 000"}),
        ("sub", "subtotal", {"amount": "800 000"}),
    ])
    [finding] = check_totals(table, spec)
    assert (finding.status, finding.expected, finding.observed) == ("fail", 700_000, 800_000)


def test_row_arithmetic_allows_the_rounding_of_the_result_only():
    table = make_table("B", [NAME, TOTAL_AREA, AREA, REMAINING], [
        ("1", "item", {"pap": "Awa", "total": "10 ha", "surface": "2 250", "remaining": "9.77 ha"}),
        ("2", "item", {"pap": "Fanta", "total": "6 ha", "surface": "6000", "remaining": "5. 55 ha"}),
    ])
    rule = as_table_rule(ArithmeticRule("B", "remaining", "total - surface"))
    assert (rule.target, rule.operands, rule.source) == ("remaining", ("total", "surface"), "spec")
    findings = check_row_arithmetic(table, rule)
    assert _status(findings) == [("Awa", "pass"), ("Fanta", "fail")]
    assert (findings[1].expected, findings[1].observed) == (54_000, 55_500)


def test_share_flags_a_percentage_that_is_not_the_computed_share():
    columns = [ColumnSpec("rate", "Taux", "percent", optional=True, in_label=True), AMOUNT]
    spec = TableSpec("C", "", layout="labelled", rows=(
        RowSpec("base", "B"), RowSpec("extra", "I", share_of="base"),
    ))
    good = make_table("C", columns, [("base", "item", {"amount": "1 000 000"}),
                                     ("extra", "item", {"rate": "2%", "amount": "20 000"})])
    bad = make_table("C", columns, [("base", "item", {"amount": "1 000 000"}),
                                    ("extra", "item", {"rate": "2%", "amount": "100 000"})])
    rule = ShareRule("C", "extra", "rate", "amount")
    assert check_share(good, spec, rule)[0].status == "pass"
    finding = check_share(bad, spec, rule)[0]
    assert finding.status == "fail" and finding.observed == pytest.approx(10)
    assert "20 000 FCFA" in finding.message_fr


def _people(key, names, values=None, column=AREA):
    rows = []
    for i, name in enumerate(names, 1):
        cells = {"pap": name}
        if values:
            cells[column.key] = values[i - 1]
        rows.append((str(i), "item", cells))
    return make_table(key, [NAME, column], rows)


def test_names_link_variants_and_keep_homonyms_apart():
    tables = {
        "A": _people("A", ["Mamadou Kanté", "Karamogo Keïta", "Moussa Keïta", "Abdoulaye Traoré"]),
        "B": _people("B", ["MadouKanté", "Karamoko Keita", "Massamakeita", "Yacouba Traoré"]),
    }
    index = link_table_entities(tables, EntityRule("pap", "pap", ("A", "B"), threshold=85))
    linked = {frozenset(m.spelling for m, _ in e.mentions) for e in index.entities}
    assert frozenset({"Mamadou Kanté", "MadouKanté"}) in linked
    assert frozenset({"Karamogo Keïta", "Karamoko Keita"}) in linked
    assert frozenset({"Moussa Keïta"}) in linked and frozenset({"Massamakeita"}) in linked
    assert frozenset({"Abdoulaye Traoré"}) in linked and frozenset({"Yacouba Traoré"}) in linked
    findings = entity_findings(index, tables, EntityRule("pap", "pap", ("A", "B")), "doc.txt")
    missing = {(f.subject, f.tables[0]) for f in findings if f.check == "coverage"}
    assert ("Massamakeita", "A") in missing and ("Moussa Keïta", "B") in missing


def test_two_people_of_one_table_never_merge():
    tables = {"A": _people("A", ["Issa Traoré", "Issa Touré"]), "B": _people("B", ["Issa Traoré"])}
    index = link_table_entities(tables, EntityRule("pap", "pap", ("A", "B")))
    assert len(index.entities) == 2


def test_per_entity_values_compared_across_tables():
    tables = {"A": _people("A", ["Awa Diarra", "Seydou Coulibaly"], ["4500", "1600"]),
              "B": _people("B", ["Awa Diarra", "Seydou Coulibaly"], ["4500", "1500"])}
    index = link_table_entities(tables, EntityRule("pap", "pap", ("A", "B")))
    findings = check_per_entity(PerEntityRule("A", "B", "pap", ("surface",)), tables, index)
    assert _status(findings) == [("Awa Diarra", "pass"), ("Seydou Coulibaly", "fail")]


def test_a_declared_loss_without_its_compensation_line_is_flagged():
    loss = ColumnSpec("loss", "Nature", "text")
    declared = make_table("A", [NAME, loss], [("1", "item", {"pap": "Awa", "loss": "Perte de terre, manguiers"}),
                                              ("2", "item", {"pap": "Fanta", "loss": "Perte de terre et de manguiers"})])
    trees = make_table("T", [NAME, COUNT], [("1", "item", {"pap": "Fanta", "trees": "10"})])
    tables = {"A": declared, "T": trees}
    index = link_table_entities(tables, EntityRule("pap", "pap", ("A",), ("T",)))
    rule = DeclaredLossRule("A", "loss", "manguier", "pap", (CellRef("T", "trees"),))
    assert _status(check_declared_losses(rule, tables, index)) == [("Awa", "fail"), ("Fanta", "pass")]


def test_agreement_between_a_stated_figure_and_an_aggregate():
    tables = {"A": _people("A", ["Awa", "Fanta"], ["4500", "1600"]),
              "B": make_table("B", [AREA], [("TOTAL", "total", {"surface": "6 000"})])}
    [finding] = check_agreement(AgreementRule(CellRef.parse("B[TOTAL].surface"), CellRef.parse("sum(A.surface)")),
                                tables, "doc.txt")
    assert (finding.status, finding.expected, finding.observed) == ("fail", 6000, 6100)


def test_twins_compared_cell_by_cell():
    loss = ColumnSpec("loss", "Nature", "text")
    summary = make_table("S", [NAME, loss], [("1", "item", {"pap": "Awa", "loss": "Perte de terre"})])
    body = make_table("B", [NAME, loss], [("1", "item", {"pap": "Awa", "loss": "Perte de terre, clôture"})])
    [finding] = check_twins(TwinRule("S", "B"), {"S": summary, "B": body})
    assert finding.status == "fail" and finding.field == "Nature"


def test_a_figure_written_twice_must_agree_with_itself():
    table = make_table("A", [AREA], [("TOTAL", "total", {"surface": "40 700 m2 soit 4,07ha"}),
                                     ("TOTAL2", "total", {"surface": "40 700 m2 soit 5,07ha"})])
    assert [f.status for f in check_equivalences(table)] == ["pass", "fail"]


def test_claims_against_tables_and_between_occurrences():
    tables = {"A": _people("A", ["Awa", "Fanta"], ["450", "7500"])}
    text = ("pertes entre 450 et 3750 m2 par PAP. Enquête le 29 décembre 2016. "
            "Plus loin : pertes entre 450 et 3750 m2 par PAP. Enquête le 27 décembre 2016.")
    rules = (
        ClaimRule("range", r"entre\s*(?P<min>{number})\s*et\s*(?P<max>{number})\s*m2 par PAP", "Fourchette", "Range",
                  type="area", unit="m2", compare={"min": CellRef.parse("min(A.surface)"), "max": CellRef.parse("max(A.surface)")}),
        ClaimRule("survey", r"Enquête le (?P<value>\d+ \w+ \d{4})", "Enquête", "Survey", type="date", consistent=True),
    )
    findings = check_claims(rules, text, tables, "doc.txt")
    by_field = [(f.subject, f.field, f.status) for f in findings]
    assert by_field.count(("Fourchette", "min", "pass")) == 2
    assert by_field.count(("Fourchette", "max", "fail")) == 2
    assert ("Enquête", "cohérence", "fail") in by_field


def test_dates_in_french():
    assert parse_date("14 mars2017") == "2017-03-14"
    assert parse_date("29 décembre 2016") == "2016-12-29"
    with pytest.raises(ValueError):
        parse_date("32 brumaire 2016")


def test_a_row_number_printed_twice_is_reported_once():
    from reconcilers.extraction import duplicate_row_findings

    table = make_table("A", [NAME], [("5.8", "item", {"pap": "a"}), ("5.9", "item", {"pap": "b"}),
                                     ("5.9", "item", {"pap": "c"}), ("TOTAL", "total", {})])
    [finding] = duplicate_row_findings(table)
    assert (finding.location.row, finding.observed) == ("5.9", 2)


def test_labels_that_are_names_are_not_row_numbers():
    from reconcilers.extraction import duplicate_row_findings

    # A spec-less table's label column holds company names; a name on two rows (or the empty
    # label of a split row) is not a numbering error.
    table = make_table("A", [NAME], [("Apache Corporation", "item", {"pap": "a"}), ("", "item", {"pap": "b"}),
                                     ("", "item", {"pap": "c"}), ("Apache Corporation", "item", {"pap": "d"})])
    assert duplicate_row_findings(table) == []


def test_a_share_whose_rows_are_missing_is_a_finding_not_a_crash():
    columns = [ColumnSpec("rate", "Taux", "percent", optional=True, in_label=True), AMOUNT]
    spec = TableSpec("C", "", layout="labelled", rows=(RowSpec("base", "B"), RowSpec("extra", "I", share_of="base")))
    table = make_table("C", columns, [("extra", "item", {"rate": "2%", "amount": "20 000"})])
    [finding] = check_share(table, spec, ShareRule("C", "extra", "rate", "amount"))
    assert (finding.status, finding.severity) == ("fail", "warning")


def test_a_declared_loss_whose_compensation_table_was_not_extracted_still_fails_cleanly():
    loss = ColumnSpec("loss", "Nature", "text")
    tables = {"A": make_table("A", [NAME, loss], [("1", "item", {"pap": "Awa", "loss": "manguiers"})])}
    index = link_table_entities(tables, EntityRule("pap", "pap", ("A",)))
    rule = DeclaredLossRule("A", "loss", "manguier", "pap", (CellRef("T", "trees"),))
    [finding] = check_declared_losses(rule, tables, index)
    assert finding.status == "fail" and "aucun tableau extrait" in finding.message_fr
