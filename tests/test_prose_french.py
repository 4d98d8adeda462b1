"""Figures quoted in French prose tied, with no spec'd claim, to the table figure that holds them:
measured on the seed documents (the PAR's prose, and the plan's tables with a sentence quoting them)."""

from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from extractors.readers import read
from pipeline.specs import load_spec
from reconcilers.claims import claimed_spans
from reconcilers.meaning import interpret_document
from reconcilers.prose_figures import quoted_in_french

RAW = Path(__file__).resolve().parents[1] / "raw"
PAR = RAW / "par-kangaba-karan-noungani-2017.txt"
PLAN = RAW / "itie-mali-plan-actions-2021.txt"
pytestmark = pytest.mark.skipif(not PAR.exists() or not PLAN.exists(), reason="seed documents absent")


@pytest.fixture(scope="module")
def par():
    spec = load_spec(RAW / "par.yaml")
    document = read(PAR, spec.document)
    return document, interpret_document(document), claimed_spans(spec.checks.configs["claims"], document.text)


def _ties(findings):
    return Counter((f.tables[0], f.subject, f.field, f.observed, f.status) for f in findings)


def test_the_totals_and_the_rate_the_par_quotes_are_tied_to_their_tables(par):
    document, tables, said = par
    assert _ties(quoted_in_french(document, tables, said)) == {
        # "… ne totalisant que 4,07ha", three times
        ("Tableau 2", "TOTAL", "Surface affectée", 40700.0, "pass"): 3,
        # "le fonds prévisionnel maximal … est de 8 140 000 FCFA" (3), "… s’élèvent à 8140 000FCFA" (2)
        ("Tableau 6", "TOTAL", "Total (FCFA)", 8140000.0, "pass"): 5,
        # "La compensation totale à prévoir pour les arbres est de 2 262 000 (FCFA)", twice
        ("Tableau 7", "TOTAL", "Total (FCFA)", 2262000.0, "pass"): 2,
        # "2 000 000 FCFA/ha (soit 200 FCFA/m2)", three times: the rate every row of Tableau 6 applies
        ("Tableau 6", "Tableau 6", "Coût / m2 (FCFA)", 200.0, "pass"): 6,
    }


def test_a_figure_the_spec_claims_check_is_not_read_twice(par):
    document, tables, said = par
    for finding in quoted_in_french(document, tables, said):
        offset = int(finding.key.rsplit("-", 1)[1])
        assert not any(start <= offset < end for start, end in said)


def test_a_bound_is_no_reading(par):
    document, tables, _ = par
    found = quoted_in_french(document, tables)
    # "La totalité des pertes en terre n’atteignent pas 5 ha", "une parcelle agricole de moins de 5 ha":
    # bounds, not figures of a table; left to the spec's claims.
    assert all(f.status == "pass" for f in found)
    assert 50000.0 not in {f.expected for f in found}


def test_a_misquoted_total_is_a_warning_with_both_figures(par):
    document, tables, said = par
    quoted = "pour les arbres est de 2 262 000 FCFA"
    assert document.text.count(quoted) == 1
    changed = replace(document, text=document.text.replace(quoted, quoted.replace("2 262 000", "2 226 000")))
    [warning] = [f for f in quoted_in_french(changed, tables, said) if f.status == "fail"]
    assert (warning.severity, warning.tables, warning.subject) == ("warning", ("Tableau 7",), "TOTAL")
    assert (warning.expected, warning.observed) == (2226000.0, 2262000.0)
    assert "2 226 000" in warning.message_fr and "2 262 000" in warning.message_fr


def test_a_share_and_a_gap_are_read_as_a_reviewer_would():
    spec = load_spec(RAW / "plan.yaml")
    document = read(PLAN, spec.document)
    tables = interpret_document(document)
    assert quoted_in_french(document, tables) == []        # the plan's dump has no prose figure
    prose = ("\n\nL’État finance 283,22 millions de FCFA, soit 55,13 % du budget ; PGSM/BM 204 millions, soit 56 %. "
             "Le total général du budget présente un écart de 39,12 millions avec la somme de ses lignes.\n")
    found = quoted_in_french(replace(document, text=document.text + prose), tables)
    # 283,22 / 513,71 = 55,13 %; 204 / 513,71 = 39,71 %, so "56 %" is no share of a source: silent.
    # 513,71 stated, 474,59 for the budget lines: a gap of 39,12 millions.
    assert [(f.tables[0], f.subject, f.status, round(f.observed, 2)) for f in found] == [
        ("Total par source de financement", "ETAT", "pass", 55.13),
        ("Plan d’actions (budget)", "TOTAL GENERAL", "pass", 39120000.0)]
