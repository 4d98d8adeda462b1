"""The registered checks, in the order data flows (what was read, then each table, then links
between tables, then comparisons): the spec parser reads their schemas, the run iterates them,
the report names their findings from them.

A new kind of check is a `Check` subclass (`reconcilers.parts`) added to `REGISTRY`; nothing
else needs to know it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from extractors.spec import DocumentSpec
from extractors.table import ExtractedDocument
from reconcilers.arithmetic import ArithmeticCheck
from reconcilers.budget import BudgetCheck
from reconcilers.claims import ClaimsCheck
from reconcilers.cross_table import (
    AgreementsCheck,
    DeclaredLossesCheck,
    PerEntityCheck,
    TwinsCheck,
)
from reconcilers.entities import EntitiesCheck
from reconcilers.entity_columns import EntityColumnsCheck
from reconcilers.extraction import ExtractionCheck, NumberingCheck
from reconcilers.finding import Finding
from reconcilers.formulas import FormulasCheck
from reconcilers.inference import InferenceCheck
from reconcilers.parts import (
    DECLARATION_KINDS,
    DOCUMENT,
    EXPECTATION,
    Check,
    CheckContext,
    FindingKind,
    SpecValueError,
)
from reconcilers.prose_figures import ProseFiguresCheck
from reconcilers.rules import TableRule
from reconcilers.shares import SharesCheck
from reconcilers.totals import EquivalenceCheck, TotalsCheck

REGISTRY: tuple[Check, ...] = (
    ExtractionCheck(), NumberingCheck(), EquivalenceCheck(), FormulasCheck(), InferenceCheck(),
    TotalsCheck(), ArithmeticCheck(), SharesCheck(),
    EntitiesCheck(), EntityColumnsCheck(), PerEntityCheck(), DeclaredLossesCheck(), AgreementsCheck(), TwinsCheck(),
    ClaimsCheck(), ProseFiguresCheck(), BudgetCheck(),
)
CONFIGURABLE: dict[str, Check] = {check.name: check for check in REGISTRY if check.schema is not None}
KINDS: dict[str, FindingKind] = {
    kind.name: kind for kind in [DOCUMENT] + [k for check in REGISTRY for k in check.emits] + [EXPECTATION, *DECLARATION_KINDS]
}


def kind_label(name: str, lang: str) -> str:
    """How the report names a group of findings: "Totaux et sous-totaux"."""
    return KINDS[name].label(lang) if name in KINDS else name


def verifier(rule: TableRule) -> Check:
    """The registered check that verifies rules of this kind, spec'd or inferred."""
    for check in REGISTRY:
        if rule.check in check.verifies:
            return check
    raise LookupError(f"no registered check verifies {rule.check!r} rules")


@dataclass(frozen=True)
class ChecksSpec:
    """What a spec's `checks:` asks for: check name -> its validated configuration."""

    configs: Mapping[str, Any] = field(default_factory=dict)

    def get(self, name: str) -> Any:
        """A check's configuration, or an empty one when the spec does not ask for it."""
        return self.configs.get(name, ())

    def validate(self, spec: DocumentSpec, path: tuple[str | int, ...] = ("checks",)) -> None:
        """Every table, column, row and claim the checks name exists (SpecValueError otherwise)."""
        for name, config in self.configs.items():
            CONFIGURABLE[name].validate(config, spec, path + (name,), self.configs)


def parse_checks(data: Mapping[str, Any], path: tuple[str | int, ...] = ("checks",)) -> ChecksSpec:
    """Each key of `checks:` read by the registered check of that name; an unknown key, or a key a
    check does not accept, is a SpecValueError with its path."""
    configs: dict[str, Any] = {}
    for name, value in data.items():
        if name not in CONFIGURABLE:
            raise SpecValueError(path + (name,), f"{'.'.join(map(str, path + (name,)))}: contrôle inconnu / "
                                 f"unknown check (known: {', '.join(CONFIGURABLE)})")
        if value is not None:
            configs[name] = CONFIGURABLE[name].parse(value, path + (name,))
    return ChecksSpec(configs)


def run_checks(document: ExtractedDocument, spec: DocumentSpec | None,
               checks: ChecksSpec | None) -> tuple[list[Finding], CheckContext]:
    """Every registered check over one document: the generic ones always, the configurable ones
    where the spec asks for them; with the context they filled (the frames they leave for the
    report, the tables as interpreted)."""
    context = CheckContext(document, {t.key: t for t in document.tables}, spec, checks.configs if checks else {})
    findings: list[Finding] = []
    for check in REGISTRY:
        if check.schema is None:
            findings += check.run(context, None)
        elif check.name in context.configs:
            findings += check.run(context, context.configs[check.name])
    return findings, context
