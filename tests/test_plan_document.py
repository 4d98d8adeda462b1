"""The ITIE-Mali 2021 action plan, end to end: the figures checked by hand must come out."""

from pathlib import Path

import pytest

from extractors.text_document import extract_text_document
from pipeline.specs import load_spec
from reconcilers.document import reconcile

RAW = Path(__file__).resolve().parent.parent / "raw"
DOCUMENT = RAW / "itie-mali-plan-actions-2021.txt"


@pytest.fixture(scope="module")
def run():
    spec = load_spec(RAW / "plan.yaml")
    assert spec.serves(DOCUMENT.name) and spec.serves("itie-mali-plan-actions-2022.pdf")
    document = extract_text_document(DOCUMENT, spec.document)
    return document, reconcile(document, spec.document, spec.checks)


def _find(result, check, subject, key=None):
    found = [f for f in result.findings if f.check == check and f.subject == subject and (key is None or f.key == key)]
    assert len(found) == 1, (check, subject, key, found)
    return found[0]


def test_budget_blocks_and_their_sub_totals_add_up(run):
    document, result = run
    budget = document.table("budget")
    assert budget.items().groupby("block").size().to_dict() == {1: 5, 2: 14, 3: 11, 4: 4, 5: 7}
    blocks = result.frames["budget_blocks"]
    assert list(blocks["stated"]) == pytest.approx([59, 198.79, 61.5, 27.1, 128.2])
    assert list(blocks["computed"]) == pytest.approx([59, 198.79, 61.5, 27.1, 128.2])
    for block in range(1, 6):
        assert _find(result, "sum_total", f"Sous-total bloc {block}").status == "pass"


def test_the_lines_fall_short_of_the_grand_total_by_39_12(run):
    _, result = run
    # The 41 lines and the 5 sub-totals agree (474,59): the gap is one finding, with both readings.
    finding = _find(result, "sum_total", "TOTAL GENERAL", "lines")
    assert not [f for f in result.findings if f.key == "subtotals"]
    assert (finding.status, finding.observed) == ("fail", 513.71)
    assert finding.expected == pytest.approx(474.59)
    assert finding.difference == pytest.approx(39.12)
    assert "écart +39,12 MFCFA" in finding.message_fr and "difference +39.12 MFCFA" in finding.message_en
    assert "somme des 41 lignes, égale à celle des 5 sous-totaux" in finding.message_fr
    assert _find(result, "sum_total", "TOTAL GENERAL", "sources").status == "pass"


def test_the_whole_gap_sits_in_etat(run):
    _, result = run
    frame = result.frames["budget_by_source"].set_index("source")
    assert frame["computed"].to_dict() == pytest.approx({"ETAT": 244.10, "PGSM/BM": 204, "UEMOA": 4.39, "PAD": 22.1})
    assert frame["gap"].to_dict() == pytest.approx({"ETAT": 39.12, "PGSM/BM": 0, "UEMOA": 0, "PAD": 0})
    etat = _find(result, "sum_total", "ETAT", "by_source")
    assert (etat.status, etat.observed) == ("fail", 283.22) and etat.expected == pytest.approx(244.10)
    assert {f.subject for f in result.findings if f.key == "by_source" and f.status == "pass"} == {"PGSM/BM", "UEMOA", "PAD"}
    gap = _find(result, "sum_total", "TOTAL GENERAL", "gap_by_source")
    assert "ETAT 39,12 MFCFA" in gap.message_fr


def test_two_stated_percentages_are_wrong_under_round_half_up(run):
    _, result = run
    status = {f.subject: f.status for f in result.findings if f.check == "percentage"}
    assert status == {"ETAT": "fail", "PGSM/BM": "fail", "UEMOA": "pass", "PAD": "pass", "Total": "pass"}
    etat, pgsm = _find(result, "percentage", "ETAT"), _find(result, "percentage", "PGSM/BM")
    assert (etat.expected, etat.observed) == (pytest.approx(55.13, abs=0.005), 56)
    assert (pgsm.expected, pgsm.observed) == (pytest.approx(39.71, abs=0.005), 39)
    assert "demi vers le haut" in pgsm.message_fr and "half up" in pgsm.message_en


def test_source_spellings_umoa_and_etat(run):
    _, result = run
    umoa, etat_lower = _find(result, "source_name", "UMOA"), _find(result, "source_name", "Etat")
    assert (umoa.status, umoa.expected, umoa.severity) == ("fail", "UEMOA", "warning")
    assert (etat_lower.expected, etat_lower.severity) == ("ETAT", "info")
    assert _find(result, "source_name", "ETAT").status == "pass"
    frame = result.frames["budget_by_source"].set_index("source")
    assert set(frame.at["UEMOA", "spellings"].split(" | ")) == {"UEMOA", "UMOA"}
    assert set(frame.at["ETAT", "spellings"].split(" | ")) == {"Etat", "ETAT"}


def test_acronyms_missing_from_the_legend(run):
    _, result = run
    undefined = {f.subject for f in result.findings if f.check == "acronym" and f.severity == "warning"}
    assert {"DNGM", "UEMOA", "PGSM/BM", "BM"} <= undefined
    assert "ETAT" not in {f.subject for f in result.findings if f.check == "acronym"}
    variant = _find(result, "acronym", "C/ADHOC")
    assert variant.status == "fail" and "Comission/Adhoc" in variant.observed
    assert _find(result, "acronym", "CCA").status == "pass"


def test_activities_per_axis_and_what_aligns(run):
    document, result = run
    activities = document.table("activities")
    assert activities.items().groupby("block").size().to_dict() == {1: 2, 2: 7, 3: 5, 4: 14, 5: 11, 6: 6, 7: 7}
    alignment = {f.subject: (f.status, f.expected, f.observed) for f in result.findings if f.check == "alignment"}
    assert alignment == {
        "axe 4 ↔ bloc 2": ("pass", 14, 14), "axe 5 ↔ bloc 3": ("pass", 11, 11), "axe 7 ↔ bloc 5": ("pass", 7, 7),
        "axe 1, 2, 3 ↔ bloc 1": ("fail", 14, 5), "axe 6 ↔ bloc 4": ("fail", 6, 4),
    }
    tied = result.frames["budget_alignment"].set_index("activity_row")
    assert tied.at["4.4", "line_row"] == "B2.4" and tied.at["4.4", "amount"] == 45
    assert tied.loc["3.1"].isna()["line_row"]


def test_coverage_and_extraction_problems_are_reported(run):
    document, result = run
    no_amount = {f.subject for f in result.findings if f.check == "coverage" and f.key == "amount"}
    assert {"B1.2", "B2.5", "B2.6", "B5.7"} <= no_amount
    b25 = _find(result, "coverage", "B2.5", "amount")
    assert "activité 4.5" in b25.message_fr
    assert _find(result, "coverage", "Plan d’actions (budget)", "source").status == "pass"
    problems = {(p.row, p.text) for p in document.table("activities").problems}
    assert ("6.5", "La formation est organisée") in problems
    assert len({f.id for f in result.findings}) == len(result.findings)
