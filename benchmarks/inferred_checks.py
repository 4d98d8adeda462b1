"""The checks inferred without a spec, measured on the shared corpora and the seed documents.

For each corpus, every document is read with no spec and reconciled; the inferred rules'
results are counted (totals and relations verified, findings raised, totals said not tied) and
each failing finding is listed with the judgement recorded for it in
`benchmarks/inferred_judgements.yaml` (genuine or false alarm, and why), so that precision is a
measured figure, not a claim. A failing finding with no judgement is listed as unjudged.

    .venv/bin/python -m benchmarks.inferred_checks [--corpus ../shared/corpus] [--out benchmarks/results]
    .venv/bin/python -m benchmarks.inferred_checks --judge-only    # judgements applied to the last results
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

import yaml

from extractors.readers import read
from extractors.text_document import DocumentError
from reconcilers.document import reconcile
from reconcilers.finding import Finding

ROOT = Path(__file__).resolve().parents[1]
JUDGEMENTS = Path(__file__).with_name("inferred_judgements.yaml")
TOTALS = ("sum_total", "cross_footing")
RELATIONS = ("row_arithmetic", "percentage")


def corpora(shared: Path) -> dict[str, list[Path]]:
    """The documents of each corpus, read with no spec."""
    return {
        "seeds (raw/*.txt, no spec)": sorted((ROOT / "raw").glob("*.txt")),
        "icdar2013-us": sorted((shared / "icdar2013-us").glob("*.pdf")),
        "useiti-2015": sorted((shared / "useiti-2015").glob("*.pdf")) + sorted((shared / "useiti-2015").glob("*.xlsx")),
    }


def inferred(findings: tuple[Finding, ...]) -> list[Finding]:
    """The findings of inferred rules, and the totals said not tied (notes of the totals inference)."""
    return [f for f in findings if (f.rule is not None and f.rule.source == "inferred")
            or (f.check == "sum_total" and f.severity == "info")]


def measure(paths: list[Path], judgements: dict[str, dict[str, str]]) -> dict[str, object]:
    counts: Counter[str] = Counter()
    failing: list[dict[str, object]] = []
    notes: list[dict[str, object]] = []
    started = time.perf_counter()
    checked = 0.0                             # of which reconciling (inference and checks included)
    for path in paths:
        try:
            document = read(path, None)
        except DocumentError as error:        # a corpus document the readers refuse is counted, not fatal
            counts["documents refused"] += 1
            failing.append({"id": path.name, "message": f"{type(error).__name__}: {error}", "judgement": "refused"})
            continue
        counts["documents"] += 1
        checking = time.perf_counter()
        findings = inferred(reconcile(document, None, None).findings)
        checked += time.perf_counter() - checking
        for finding in findings:
            family = ("totals" if finding.check in TOTALS else "relations" if finding.check in RELATIONS
                      else finding.check)
            if finding.status == "pass":
                counts[f"{family} verified"] += 1
            elif finding.severity == "info" and finding.id.endswith("not-summed"):
                counts["totals not summed (rates or a scale, said)"] += 1
                notes.append({"id": finding.id, "message": finding.message_en})
            elif finding.severity == "info":
                counts["totals not tied (said, not checked)"] += 1
                notes.append({"id": finding.id, "message": finding.message_en})
            else:
                counts[f"{family} findings raised"] += 1
                failing.append({"id": finding.id, "document": finding.document, "message": finding.message_en})
    return judge({"counts": dict(sorted(counts.items())), "seconds": round(time.perf_counter() - started, 1),
                  "reconcile seconds": round(checked, 1),
                  "failing": failing, "notes": notes}, judgements)


def judge(result: dict, judgements: dict[str, dict[str, str]]) -> dict:
    """The failing findings' recorded judgements applied, and the share found genuine."""
    for item in result["failing"]:
        judgement = judgements.get(item["id"], {})
        if item.get("judgement") != "refused":
            item["judgement"], item["why"] = judgement.get("judgement", "unjudged"), judgement.get("why", "")
    judged = Counter(item["judgement"] for item in result["failing"] if item.get("judgement") != "refused")
    raised = sum(judged.values())
    result.update({"findings raised": raised, "genuine": judged["genuine"], "false alarms": judged["false alarm"],
                   "unjudged": judged["unjudged"],
                   "genuine share": round(judged["genuine"] / raised, 3) if raised else None})
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--judge-only", action="store_true", help="apply the judgements to the recorded results")
    args = parser.parse_args()
    judgements = yaml.safe_load(JUDGEMENTS.read_text(encoding="utf-8")) or {}
    recorded = args.out / "inferred_checks.json"
    if args.judge_only:
        results = {name: judge(result, judgements)
                   for name, result in json.loads(recorded.read_text(encoding="utf-8")).items()}
    else:
        results = {name: measure(paths, judgements) for name, paths in corpora(args.corpus).items() if paths}
    args.out.mkdir(parents=True, exist_ok=True)
    recorded.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n",
                                                   encoding="utf-8")
    for name, result in results.items():
        print(name, json.dumps(result["counts"], ensure_ascii=False), "genuine share:", result["genuine share"],
              "false alarms:", result["false alarms"])
        for item in result["failing"]:
            print("   ", item["judgement"], "|", item["id"], "|", str(item["message"])[:160])


if __name__ == "__main__":
    main()
