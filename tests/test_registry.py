"""The registry of checks: it knows every kind of finding, each check emits only what it
declares, its French and English templates agree, and spec'd rules go through the check that
verifies their kind."""

from __future__ import annotations

import string
from dataclasses import replace
from pathlib import Path

import pytest

from extractors.readers import read
from pipeline.specs import load_spec
from reconcilers.arithmetic import ArithmeticCheck, as_table_rule
from reconcilers.finding import CHECKS
from reconcilers.parts import DECLARATION_KINDS, CheckContext, verify
from reconcilers.registry import CONFIGURABLE, KINDS, REGISTRY, kind_label, verifier
from reconcilers.rules import Support
from reconcilers.spec_rules import total_rules
from reconcilers.totals import TotalsCheck, check_totals

RAW = Path(__file__).resolve().parents[1] / "raw"
SEEDS = [("par-kangaba-karan-noungani-2017.txt", "par.yaml"), ("itie-mali-plan-actions-2021.txt", "plan.yaml")]


def test_the_registry_knows_every_check_name_of_results_json():
    assert set(KINDS) == set(CHECKS)
    per_document = {kind.name for check in REGISTRY for kind in check.emits}
    per_declaration = {kind.name for kind in DECLARATION_KINDS}
    assert per_document | per_declaration | {"document", "expectation"} == set(CHECKS)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_report_names_each_kind_from_the_registry(lang):
    labels = [kind_label(name, lang) for name in CHECKS]
    assert all(label and label != name for label, name in zip(labels, CHECKS, strict=True))
    assert len(set(labels)) == len(labels)
    assert kind_label("sum_total", lang) == {"fr": "Totaux et sous-totaux", "en": "Totals and sub-totals"}[lang]


def test_the_spec_keys_are_the_configurable_checks():
    assert list(CONFIGURABLE) == ["totals", "arithmetic", "shares", "entities", "per_entity", "declared_losses",
                                  "agreements", "twins", "claims", "budget"]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("check", [c for c in REGISTRY if c.messages], ids=lambda c: c.name)
def test_french_and_english_templates_take_the_same_fields(check):
    for key, template in check.messages.items():
        assert _fields(template.fr) == _fields(template.en), key


@pytest.fixture(scope="module")
def seeds() -> list[CheckContext]:
    contexts = []
    for document, spec_name in SEEDS:
        if not (RAW / document).exists():
            pytest.skip("seed documents absent")
        spec = load_spec(RAW / spec_name)
        extracted = read(RAW / document, spec.document)
        contexts.append(CheckContext(extracted, {t.key: t for t in extracted.tables}, spec.document,
                                     spec.checks.configs))
    return contexts


def test_each_check_emits_only_the_kinds_it_declares(seeds):
    emitted: dict[str, set[str]] = {}
    for context in seeds:
        for check in REGISTRY:
            if check.schema is None or check.name in context.configs:
                found = check.run(context, context.configs.get(check.name))
                emitted.setdefault(check.name, set()).update(f.check for f in found)
    for check in REGISTRY:
        assert emitted[check.name] <= {kind.name for kind in check.emits}, check.name
    assert {"sum_total", "coverage", "percentage", "source_name", "acronym", "alignment"} <= emitted["budget"]
    assert emitted["totals"] == {"sum_total"} and emitted["claims"] == {"claim"}


def test_spec_rules_go_through_the_check_that_verifies_their_kind(seeds):
    par = seeds[0]
    recap = par.tables["T10_recap"]
    rules = total_rules(recap, par.spec.table("T10_recap"))
    assert [(r.target, r.operands, r.source) for r in rules] == [
        ("land_subtotal", ("land",), "spec"), ("trees_subtotal", ("trees",), "spec"),
        ("total", ("land_subtotal", "trees_subtotal"), "spec")]
    assert isinstance(verifier(rules[0]), TotalsCheck)
    verified = [f for rule in rules for f in verify(rule, par)]
    assert [(f.id, f.status) for f in verified] == [(f.id, f.status) for f in check_totals(recap, par.spec.table("T10_recap"))]
    assert {f.rule.source for f in verified} == {"spec"}
    arithmetic = as_table_rule(par.configs["arithmetic"][0])
    assert isinstance(verifier(arithmetic), ArithmeticCheck)
    assert [f.status for f in verify(arithmetic, par)].count("fail") >= 1


def test_spec_and_inferred_totals_take_one_verification(seeds):
    """The same total, stated by the spec or found by inference, verified by one function: same
    figures, same verdict; only the words and the severity say where the rule came from."""
    par = seeds[0]
    recap = par.tables["T10_recap"]
    [spec_rule] = [r for r in total_rules(recap, par.spec.table("T10_recap")) if r.target == "total"]
    inferred = replace(spec_rule, source="inferred", support=Support(2, 2, "columns"))
    spec_findings, inferred_findings = verify(spec_rule, par), verify(inferred, par)
    assert [(f.expected, f.observed, f.status) for f in spec_findings] == \
        [(f.expected, f.observed, f.status) for f in inferred_findings]
    assert {f.severity for f in spec_findings} == {"error"} and {f.severity for f in inferred_findings} == {"warning"}