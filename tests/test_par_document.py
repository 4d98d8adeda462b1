"""The whole run on the PAR: every discrepancy a reviewer finds by hand, and nothing else.

The list, with why each finding is right, is tests/par_expected_findings.yaml.
"""

import json
import shutil
from pathlib import Path

import pytest
import yaml

from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = yaml.safe_load((Path(__file__).parent / "par_expected_findings.yaml").read_text(encoding="utf-8"))
PAR = "par-kangaba-karan-noungani-2017.txt"


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    shutil.copy(ROOT / "raw" / PAR, raw)
    shutil.copy(ROOT / "raw" / "par.yaml", raw)
    out = tmp_path_factory.mktemp("outputs")
    assert main(["run", str(raw), "--out", str(out)]) == 0
    return json.loads((out / "results.json").read_text(encoding="utf-8")), out


def _matches(result, entry, status):
    if result["check"] != entry["check"] or result["status"] != status:
        return False
    if entry["subject"] not in result["subject"] or entry.get("field", "") not in result["field"]:
        return False
    if "tables" in entry and not set(entry["tables"]) <= set(result["tables"]):
        return False
    for key in ("expected", "observed"):
        if key in entry:
            value = result[key]
            if isinstance(entry[key], str) or isinstance(value, (str, list)):
                if entry[key] != value:
                    return False
            elif value is None or abs(value - entry[key]) > 1e-6:
                return False
    return True


@pytest.mark.parametrize("entry", EXPECTED["fail"], ids=lambda e: f"{e['check']}:{e['subject']}")
def test_each_known_discrepancy_is_reported(results, entry):
    found = [r for r in results[0]["results"] if _matches(r, entry, "fail")]
    assert len(found) == entry.get("count", 1), entry["why"]
    for result in found:
        assert result["message_fr"] and result["message_en"]
        assert result["location"]["table"] or result["location"]["text"]


@pytest.mark.parametrize("entry", EXPECTED["pass"], ids=lambda e: f"{e['check']}:{e['subject']}")
def test_each_verified_figure_is_listed_as_passed(results, entry):
    found = [r for r in results[0]["results"] if _matches(r, entry, "pass")]
    assert len(found) == entry.get("count", 1), entry["why"]


def test_no_unexplained_discrepancy(results):
    explained = EXPECTED["fail"]
    for result in results[0]["results"]:
        if result["status"] != "fail" or result["check"] in EXPECTED["also_reported"]:
            continue
        assert any(_matches(result, e, "fail") for e in explained), result["message_en"]


@pytest.mark.parametrize("link", EXPECTED["links"], ids=lambda link: link["entity"])
def test_name_variants_are_linked_with_their_scores(results, link):
    [entity] = [r for r in results[0]["results"] if r["check"] == "name_match" and r["subject"] == link["entity"]]
    scores = {m["spelling"]: m["score"] for m in entity["observed"]}
    for spelling, score in link["spellings"].items():
        assert scores[spelling] == pytest.approx(score, abs=0.05)


def test_every_pap_is_in_every_complete_table(results):
    assert not [r for r in results[0]["results"] if r["check"] == "coverage" and r["status"] == "fail"]


def test_outputs_of_the_run(results):
    data, out = results
    assert data["documents"] == [{"name": PAR, "kind": "par", "spec": "par.yaml", "tables": 11, "status": "ok"}]
    ids = [r["id"] for r in data["results"]]
    assert len(ids) == len(set(ids))
    assert {"expectation"} <= {r["check"] for r in data["results"]}
    for name in ("report.html", "discrepancies.csv", "discrepancies.xlsx", "data_docs/index.html"):
        assert (out / name).is_file(), name
    assert sorted(p.name for p in (out / "tables" / PAR).iterdir()) == sorted(
        f"{k}.csv" for k in ("T1", "T2", "T3", "T4", "T5", "T6", "T7", "T9", "T10_recap", "T10_cost_summary", "T10_cost"))
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "16 282 200 FCFA" in report and "Madou Kanté" in report
