"""The tsv cutter on small tab-separated tables: anchors, markup, row kinds, blocks, joins."""

import pytest

from extractors.spec import ColumnSpec, TableSpec
from extractors.text_document import CUTTERS, TableNotFound
from extractors.tsv import clean, cut_tsv_table

LINES = (
    ColumnSpec("who", "Responsable"),
    ColumnSpec("amount", "Budget", "money_millions", unit="MFCFA"),
    ColumnSpec("source", "Source"),
    ColumnSpec("block", "Bloc", "number", optional=True),
    ColumnSpec("bold", "Gras", "flag"),
)
BUDGET_OPTIONS = {
    "kinds": [{"kind": "total", "only": ["amount"], "last": True}, {"kind": "subtotal", "only": ["amount"]}],
    "block_column": "block", "bold_column": "bold",
    "labels": {"item": "B{block}.{n}", "subtotal": "ST{block}", "total": "TOTAL"},
}
BUDGET = "TITRE\nDEBUT\nCP\t1.5\tEtat\t\nSP\t2\tPAD\t\n\t3.5\t\t\n\nCC\t<b>4</b>\tEtat\n\t<b>4</b>\n\t7.5\nFIN\n"


def _spec(**kwargs) -> TableSpec:
    defaults = {"key": "B", "caption": "TITRE", "title": "Budget", "header": "DEBUT\n", "end": "FIN",
                "layout": "tsv", "columns": LINES, "options": BUDGET_OPTIONS}
    return TableSpec(**{**defaults, **kwargs})


def test_the_cutter_is_registered_for_the_tsv_layout():
    assert CUTTERS["tsv"] is cut_tsv_table


def test_bare_amounts_close_blocks_and_the_last_one_is_the_grand_total():
    table = cut_tsv_table(BUDGET, _spec(), "doc.txt")
    assert list(table.values["row"]) == ["B1.1", "B1.2", "ST1", "B2.1", "ST2", "TOTAL"]
    assert list(table.values["kind"]) == ["item", "item", "subtotal", "item", "subtotal", "total"]
    assert list(table.values["amount"]) == [1.5, 2.0, 3.5, 4.0, 4.0, 7.5]
    assert list(table.values["block"].fillna(0)) == [1, 1, 1, 2, 2, 0]
    assert table.provenance.method == "tsv"


def test_bold_markup_is_stripped_from_the_cell_and_kept_as_a_flag():
    table = cut_tsv_table(BUDGET, _spec(), "doc.txt")
    assert list(table.cells["amount"])[3] == "4"
    assert list(table.values["bold"]) == [False, False, False, True, True, False]


def test_markup_and_entities_leave_the_text_only():
    assert clean('<p style="text-align: center;"><b>4.Priorités</b></p>') == "4.Priorités"
    assert clean("<u>Am&eacute;liorer</u>  le\tcadre") == "Améliorer le cadre"


def test_a_missing_anchor_raises_table_not_found():
    with pytest.raises(TableNotFound) as missing:
        cut_tsv_table(BUDGET.replace("DEBUT", "AUTRE"), _spec(), "doc.txt")
    assert missing.value.problem.table == "B"


def test_an_unreadable_amount_becomes_a_cell_problem_with_its_text():
    table = cut_tsv_table(BUDGET.replace("SP\t2\t", "SP\tdeux\t"), _spec(), "doc.txt")
    [problem] = table.problems
    assert (problem.row, problem.column, problem.text) == ("B1.2", "Budget", "deux")


ACTIVITIES = (
    ColumnSpec("number", "N°"), ColumnSpec("axis", "Axe"), ColumnSpec("activity", "Activité"),
    ColumnSpec("result", "Résultat"), ColumnSpec("block", "Bloc", "number", optional=True),
)
ACTIVITY_OPTIONS = {
    "short_rows": "right", "kinds": [{"kind": "subtotal", "match": "(?i)^sous total"}],
    "block_column": "block", "span_block": ["axis"], "required": ["number", "activity"],
    "continuation": {"after_break": True, "empty": ["number"], "lowercase": "activity"},
    "labels": {"item": ["{number}", "{block}.{n}"]},
}
PLAN = (
    "TITRE\nN°\tAxe\tActivité\tRésultat\n"
    "1.1\t1.Cadre\tAdopter un arrêté\tArrêté adopté\n"
    "1.2\t\tPublier\t\n"
    "\t\t<b>Sous Total Axe 1</b>\t\n"
    "\tfragment\t\t\n"
    "\n"
    "\t\tÉlaborer le plan\tLe plan est\n"
    "\n"
    "2.Priorités\tdans les délais\télaboré\n"
    "\tDiffuser\tDiffusé\n"
    "\t\t<b>sous Total Axe 2</b>\n"
    "3.1\t\tRecruter\tFait\tperdu\n"
    "FIN\n"
)


def _activities() -> TableSpec:
    return TableSpec("A", "TITRE", title="Activités", header="N°[^\n]*\n", end="FIN", layout="tsv",
                     columns=ACTIVITIES, options=ACTIVITY_OPTIONS)


def test_short_rows_lost_their_leading_cells_and_a_lowercase_row_after_a_break_continues_the_row_before():
    table = cut_tsv_table(PLAN, _activities(), "doc.txt")
    items = table.items()
    assert list(items["row"]) == ["1.1", "1.2", "2.1", "2.2", "3.1"]
    assert items["activity"].iloc[2] == "Élaborer le plan dans les délais"
    assert items["result"].iloc[2] == "Le plan est élaboré"
    assert items["activity"].iloc[3] == "Diffuser"


def test_a_spanning_cell_fills_its_block_and_sub_totals_are_found_by_their_text_anywhere():
    table = cut_tsv_table(PLAN, _activities(), "doc.txt")
    assert list(table.values["kind"]) == ["item", "item", "subtotal", "item", "item", "subtotal", "item"]
    assert list(table.items()["axis"]) == ["1.Cadre", "1.Cadre", "2.Priorités", "2.Priorités", ""]
    assert list(table.values["row"])[5] == "sous Total Axe 2"


def test_stray_fragments_and_text_beyond_the_last_column_are_problems_not_rows():
    table = cut_tsv_table(PLAN, _activities(), "doc.txt")
    texts = {(p.row, p.text) for p in table.problems}
    assert (None, "fragment") in texts
    assert ("3.1", "perdu") in texts


def test_two_halves_are_joined_by_order_and_a_count_mismatch_is_said():
    text = "TITRE\nNOMS\n\tA\t\n\tB\t\n\tTotal\t\nCHIFFRES\n<b>40%</b>\t<b>4</b>\n60%\t6\n100%\t10\n\nfin"
    columns = (ColumnSpec("name", "Nom", "name"), ColumnSpec("percent", "Part", "percent"),
               ColumnSpec("amount", "Montant", "money_millions", unit="MFCFA"))
    options = {"positions": {"percent": 0, "amount": 1},
               "join": {"header": "NOMS\n", "end": "CHIFFRES", "positions": {"name": 1}},
               "kinds": [{"kind": "total", "column": "name", "match": "^Total$"}], "labels": {"item": "{name}", "total": "{name}"}}
    spec = TableSpec("S", "TITRE", header="CHIFFRES\n", end=r"\n\s*\n", layout="tsv", columns=columns, options=options)
    table = cut_tsv_table(text, spec, "doc.txt")
    assert list(table.values["row"]) == ["A", "B", "Total"]
    assert list(table.values["kind"]) == ["item", "item", "total"]
    assert list(table.values["percent"]) == [40.0, 60.0, 100.0]
    assert not table.problems
    shorter = cut_tsv_table(text.replace("\tB\t\n", ""), spec, "doc.txt")
    assert any("(3 et 2)" in p.reason_fr for p in shorter.problems)


def test_an_unknown_option_is_an_error():
    with pytest.raises(ValueError, match="blocks"):
        cut_tsv_table(BUDGET, _spec(options={**BUDGET_OPTIONS, "blocks": "x"}), "doc.txt")
