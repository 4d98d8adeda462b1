"""The discrepancy report: one self-contained HTML file, French by default, English on demand."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from extractors.quantity import format_quantity
from extractors.table import ROW_KIND, ROW_LABEL, ExtractedTable
from pipeline.run import DocumentRun, RunResult
from reconcilers.finding import Finding, Location

LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "title": "Rapport d’écarts ITIE", "generated": "Produit le", "document": "Document",
        "verdict": "Verdict", "clean": "conforme", "review": "à revoir", "blocking": "bloquant",
        "errors": "erreurs", "warnings": "avertissements", "infos": "informations",
        "failed": "Écarts", "passed": "Contrôles vérifiés", "expected": "Attendu", "observed": "Lu",
        "difference": "Écart", "where": "Où", "evidence": "Texte", "tables": "Tableaux extraits",
        "names": "Rapprochement des noms", "entity": "Entité", "missing": "absent",
        "downloads": "Téléchargements", "data_docs": "Data Docs Great Expectations",
        "page": "p.", "row": "ligne", "column": "colonne", "none": "Aucun écart.",
        "findings_for_cell": "Constats sur cette cellule", "unreadable": "illisible",
        "spec": "spec", "no_spec": "sans spec (extraction générique)",
    },
    "en": {
        "title": "ITIE discrepancy report", "generated": "Generated on", "document": "Document",
        "verdict": "Verdict", "clean": "clean", "review": "to review", "blocking": "blocking",
        "errors": "errors", "warnings": "warnings", "infos": "notes",
        "failed": "Discrepancies", "passed": "Checks that hold", "expected": "Expected", "observed": "Stated",
        "difference": "Difference", "where": "Where", "evidence": "Text", "tables": "Extracted tables",
        "names": "Name reconciliation", "entity": "Entity", "missing": "missing",
        "downloads": "Downloads", "data_docs": "Great Expectations Data Docs",
        "page": "p.", "row": "row", "column": "column", "none": "No discrepancy.",
        "findings_for_cell": "Findings on this cell", "unreadable": "unreadable",
        "spec": "spec", "no_spec": "no spec (generic extraction)",
    },
}

CHECK_NAMES: dict[str, dict[str, str]] = {
    "fr": {
        "document": "Lecture du document", "extraction": "Cellules illisibles", "sum_total": "Totaux et sous-totaux",
        "row_arithmetic": "Calculs par ligne", "percentage": "Pourcentages", "cross_table": "Concordance entre tableaux",
        "twin_table": "Résumé exécutif / corps du rapport", "name_match": "Noms rapprochés", "coverage": "Présence dans les tableaux",
        "claim": "Chiffres cités dans le texte", "unit_equivalence": "Doubles écritures (m² / ha)",
        "numbering": "Numérotation des tableaux", "expectation": "Great Expectations", "alignment": "Alignement budget / activités",
        "source_name": "Sources de financement", "acronym": "Sigles",
    },
    "en": {
        "document": "Reading the document", "extraction": "Unreadable cells", "sum_total": "Totals and sub-totals",
        "row_arithmetic": "Row arithmetic", "percentage": "Percentages", "cross_table": "Agreement between tables",
        "twin_table": "Executive summary / body", "name_match": "Names linked", "coverage": "Presence in tables",
        "claim": "Figures quoted in the text", "unit_equivalence": "Figures written twice (m² / ha)",
        "numbering": "Table numbering", "expectation": "Great Expectations", "alignment": "Budget / activity alignment",
        "source_name": "Funding sources", "acronym": "Acronyms",
    },
}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def _slug(*parts: object) -> str:
    text = "-".join(str(p) for p in parts if p is not None)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def cell_anchor(document: str, table_key: str | None, row: object, column: str | None) -> str:
    return "cell-" + _slug(document, table_key, row, column)


@dataclass
class FindingView:
    finding: Finding
    anchor: str
    message: str
    expected: str
    observed: str
    difference: str
    where: str
    cell_links: list[str] = field(default_factory=list)


@dataclass
class TableView:
    key: str
    title: str
    caption: str
    method: str
    columns: list[tuple[str, str]]              # key, label
    rows: list[list[dict[str, Any]]]


@dataclass
class DocumentView:
    name: str
    anchor: str
    spec: str | None
    verdict: str
    counts: dict[str, int]
    by_check: list[tuple[str, list[FindingView]]]
    passed: list[tuple[str, list[FindingView]]]
    tables: list[TableView]
    names: list[dict[str, Any]]
    name_tables: list[str]


def _show(value: Any, unit: str, lang: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_quantity(float(value), unit, lang)
    if isinstance(value, list):
        return ", ".join(str(v.get("spelling", v)) if isinstance(v, dict) else str(v) for v in value)
    return str(value)


def _where(location: Location, labels: dict[str, str]) -> str:
    parts = []
    if location.page is not None:
        parts.append(f"{labels['page']} {location.page}")
    if location.table:
        parts.append(str(location.table))
    if location.row is not None:
        parts.append(f"{labels['row']} {location.row}")
    if location.column:
        parts.append(f"{labels['column']} « {location.column} »")
    return ", ".join(parts)


def _finding_view(document: str, finding: Finding, lang: str, labels: dict[str, str]) -> FindingView:
    difference = finding.difference
    links = [
        cell_anchor(document, loc.table_key, loc.row, loc.column)
        for loc in (finding.location, *finding.evidence) if loc.table_key and loc.row is not None and loc.column
    ]
    return FindingView(
        finding=finding, anchor="finding-" + _slug(finding.id),
        message=finding.message_fr if lang == "fr" else finding.message_en,
        expected=_show(finding.expected, finding.unit, lang), observed=_show(finding.observed, finding.unit, lang),
        difference="" if difference is None or abs(difference) < 1e-9 else _show(difference, finding.unit, lang),
        where=_where(finding.location, labels), cell_links=links,
    )


def _verdict(run: DocumentRun) -> str:
    failed = [f for f in run.findings if f.status == "fail"]
    if run.status != "ok" or any(f.severity == "error" for f in failed):
        return "blocking"
    if any(f.severity == "warning" for f in failed):
        return "review"
    return "clean"


def _table_view(document: str, table: ExtractedTable, by_cell: dict[str, list[FindingView]]) -> TableView:
    columns = [(c.key, c.label) for c in table.columns]
    rows = []
    for index in table.cells.index:
        label = table.cells.at[index, ROW_LABEL]
        cells = [{"text": str(label), "anchor": None, "findings": [], "kind": table.cells.at[index, ROW_KIND]}]
        for key, column_label in columns:
            anchor = cell_anchor(document, table.key, label, column_label)
            cells.append({"text": str(table.cells.at[index, key]), "anchor": anchor,
                          "findings": by_cell.get(anchor, []), "kind": table.cells.at[index, ROW_KIND]})
        rows.append(cells)
    return TableView(table.key, table.provenance.title, table.provenance.caption, table.provenance.method, columns, rows)


def _document_view(run: DocumentRun, lang: str) -> DocumentView:
    labels = LABELS[lang]
    names = CHECK_NAMES[lang]
    views = [_finding_view(run.name, f, lang, labels) for f in run.findings]
    failed = sorted((v for v in views if v.finding.status == "fail"),
                    key=lambda v: (SEVERITY_ORDER[v.finding.severity], v.finding.check))
    groups: dict[str, list[FindingView]] = defaultdict(list)
    for view in failed:
        groups[view.finding.check].append(view)
    passed: dict[str, list[FindingView]] = defaultdict(list)
    for view in views:
        if view.finding.status == "pass":
            passed[view.finding.check].append(view)
    by_cell: dict[str, list[FindingView]] = defaultdict(list)
    for view in failed:
        for anchor in dict.fromkeys(view.cell_links):
            by_cell[anchor].append(view)
    tables = [_table_view(run.name, t, by_cell) for t in run.reconciliation.document.tables] if run.reconciliation else []
    counts = Counter(f.severity for f in run.findings if f.status == "fail")
    names_rows, name_tables = _names(run)
    return DocumentView(
        name=run.name, anchor="doc-" + _slug(run.name), spec=run.spec, verdict=_verdict(run),
        counts={s: counts.get(s, 0) for s in ("error", "warning", "info")},
        by_check=[(names.get(c, c), v) for c, v in groups.items()],
        passed=[(names.get(c, c), v) for c, v in passed.items()], tables=tables,
        names=names_rows, name_tables=name_tables,
    )


def _names(run: DocumentRun) -> tuple[list[dict[str, Any]], list[str]]:
    if run.reconciliation is None:
        return [], []
    rows, tables = [], []
    for name, frame in run.reconciliation.frames.items():
        if not name.startswith("entities_"):
            continue
        tables = list(dict.fromkeys(frame["title"]))
        for entity, mentions in frame.groupby("entity", sort=False):
            spellings = {title: (spelling, score) for title, spelling, score in
                         zip(mentions["title"], mentions["spelling"], mentions["score"])}
            rows.append({"entity": entity, "spellings": spellings})
    return rows, tables


def render_report(result: RunResult, lang: str = "fr") -> str:
    environment = Environment(loader=PackageLoader("pipeline", "templates"),
                              autoescape=select_autoescape(["html", "j2"]))
    template = environment.get_template("report.html.j2")
    return template.render(
        lang=lang, labels=LABELS[lang], generated_at=result.generated_at,
        documents=[_document_view(d, lang) for d in result.documents],
        run_findings=[_finding_view("", f, lang, LABELS[lang]) for f in result.findings
                      if f.document not in {d.name for d in result.documents}],
        format_score=lambda s: format_quantity(float(s), "", lang),
    )
