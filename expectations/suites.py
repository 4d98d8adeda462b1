"""Great Expectations suites over the reconciled frames, and their results as findings.

Suites are declared as data (`SuiteSpec`: a frame and its expectations) from what the
tables say of themselves — which columns are figures, which name an entity — so any
document with a spec gets them. Running them is one ephemeral GX context per run, one
checkpoint per suite, so that Data Docs get a page per table.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from extractors.table import ROW_KIND, ROW_LABEL, ExtractedTable
from reconcilers.document import Reconciliation
from reconcilers.finding import Finding, Location


@dataclass(frozen=True)
class ExpectationSpec:
    """One expectation: its GX class name, its arguments, and what it means to a reader."""

    kind: str                       # GX expectation class, e.g. "ExpectColumnValuesToNotBeNull"
    column: str
    kwargs: tuple[tuple[str, Any], ...] = ()
    meaning_fr: str = ""
    meaning_en: str = ""


@dataclass(frozen=True)
class SuiteSpec:
    """A frame to validate and the expectations it must meet."""

    name: str
    document: str
    table_key: str
    title: str
    frame: pd.DataFrame
    labels: tuple[str, ...]          # printed row label of each frame row, for locations
    expectations: tuple[ExpectationSpec, ...]


def table_suite(table: ExtractedTable) -> SuiteSpec:
    """Every figure cell of an item row is read and not negative; an entity is named once."""
    items = table.items().reset_index(drop=True)
    labels = tuple(str(x) for x in table.cells.loc[table.values[ROW_KIND] == "item", ROW_LABEL])
    expectations: list[ExpectationSpec] = []
    frame = pd.DataFrame({ROW_LABEL: list(labels)})
    for column in table.columns:
        if column.is_quantity:
            frame[column.key] = pd.to_numeric(items[column.key], errors="coerce").to_numpy()
            if not column.optional:
                expectations.append(ExpectationSpec(
                    "ExpectColumnValuesToNotBeNull", column.key,
                    meaning_fr=f"chaque ligne a une valeur lisible en « {column.label} »",
                    meaning_en=f"every row has a readable “{column.label}”"))
            expectations.append(ExpectationSpec(
                "ExpectColumnValuesToBeBetween", column.key, (("min_value", 0),),
                meaning_fr=f"« {column.label} » n’est jamais négatif",
                meaning_en=f"“{column.label}” is never negative"))
        elif column.entity:
            frame[column.key] = items[column.key].astype(str).to_numpy()
            expectations.append(ExpectationSpec(
                "ExpectColumnValuesToBeUnique", column.key,
                meaning_fr=f"chaque {column.entity.upper()} n’apparaît qu’une fois dans le tableau",
                meaning_en=f"each {column.entity.upper()} appears once in the table"))
    return SuiteSpec(
        name=_suite_name(table.provenance.document, table.key), document=table.provenance.document,
        table_key=table.key, title=table.provenance.title, frame=frame, labels=labels,
        expectations=tuple(expectations),
    )


def entity_suite(document: str, kind: str, frame: pd.DataFrame, threshold: float) -> SuiteSpec:
    """Every linked spelling scores at or above the matching threshold."""
    return SuiteSpec(
        name=_suite_name(document, f"entities-{kind}"), document=document, table_key="", title=f"Entités ({kind})",
        frame=frame.reset_index(drop=True), labels=tuple(frame["spelling"].astype(str)),
        expectations=(ExpectationSpec(
            "ExpectColumnValuesToBeBetween", "score", (("min_value", threshold), ("max_value", 100)),
            meaning_fr=f"chaque graphie reliée a un score d’au moins {threshold:g}",
            meaning_en=f"every linked spelling scores at least {threshold:g}"),),
    )


def suites_for(reconciliation: Reconciliation, thresholds: dict[str, float]) -> list[SuiteSpec]:
    suites = [table_suite(t) for t in reconciliation.document.tables if len(t.values)]
    for name, frame in reconciliation.frames.items():
        if name.startswith("entities_") and len(frame):
            kind = name.removeprefix("entities_")
            suites.append(entity_suite(reconciliation.document.name, kind, frame, thresholds.get(kind, 0.0)))
    return suites


def _suite_name(document: str, key: str) -> str:
    """Unique per file: a PDF and its text dump side by side in raw/ get a suite each."""
    return re.sub(r"[^A-Za-z0-9_-]+", "_", f"{Path(document).name}-{key}")


def run_suites(suites: Iterable[SuiteSpec], data_docs_dir: Path | None) -> list[Finding]:
    """Validate every suite in one ephemeral context; build Data Docs into `data_docs_dir`."""
    suites = list(suites)
    if not suites:
        return []
    gx, gxe, update_docs, progress_bars = _import_gx()
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = progress_bars(globally=False)
    actions = []
    if data_docs_dir is not None:
        context.update_data_docs_site("local_site", {
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(data_docs_dir.resolve())},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        })
        actions = [update_docs(name="data_docs")]
    source = context.data_sources.add_pandas("itie_reconcile")
    findings: list[Finding] = []
    for suite_spec in suites:
        asset = source.add_dataframe_asset(suite_spec.name)
        batch = asset.add_batch_definition_whole_dataframe(f"{suite_spec.name}-all")
        suite = context.suites.add(gx.ExpectationSuite(name=suite_spec.name))
        for index, spec in enumerate(suite_spec.expectations):
            expectation = getattr(gxe, spec.kind)(column=spec.column, meta={"index": index}, **dict(spec.kwargs))
            suite.add_expectation(expectation)
        validation = context.validation_definitions.add(
            gx.ValidationDefinition(data=batch, suite=suite, name=suite_spec.name))
        checkpoint = context.checkpoints.add(gx.Checkpoint(
            name=f"checkpoint-{suite_spec.name}", validation_definitions=[validation],
            actions=actions, result_format="COMPLETE"))
        outcome = checkpoint.run(batch_parameters={"dataframe": suite_spec.frame})
        for result in outcome.run_results.values():
            for item in result.results:
                findings.append(_finding(suite_spec, item))
    return findings


def _import_gx():
    """GX is slow to import and chatty: imported only when suites run, its warnings kept quiet."""
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import great_expectations as gx
        import great_expectations.expectations as gxe
        from great_expectations.checkpoint import UpdateDataDocsAction
        from great_expectations.data_context.types.base import ProgressBarsConfig
    return gx, gxe, UpdateDataDocsAction, ProgressBarsConfig


def _finding(suite: SuiteSpec, item: Any) -> Finding:
    config = item.expectation_config
    spec = suite.expectations[int(config.meta["index"])]
    failing = [suite.labels[i] for i in (item.result.get("unexpected_index_list") or []) if i < len(suite.labels)]
    values = item.result.get("partial_unexpected_list") or []
    passed = bool(item.success)
    rows_fr = f" ; lignes en défaut : {', '.join(failing)}" if failing else ""
    rows_en = f"; failing rows: {', '.join(failing)}" if failing else ""
    return Finding(
        document=suite.document, check="expectation", status="pass" if passed else "fail",
        severity="info" if passed else "warning", subject=suite.title, field=spec.column,
        expected=spec.kind, observed=[str(v) for v in values] if values else None,
        tables=(suite.title,),
        location=Location(table=suite.title, row=failing[0] if failing else None, column=spec.column,
                          table_key=suite.table_key or None),
        message_fr=f"{suite.title} : {spec.meaning_fr} ({spec.kind}) — " + ("vérifié" if passed else "non respecté") + rows_fr + ".",
        message_en=f"{suite.title}: {spec.meaning_en} ({spec.kind}) — " + ("holds" if passed else "does not hold") + rows_en + ".",
        key=f"{suite.table_key or suite.name}-{spec.kind}",
    )
