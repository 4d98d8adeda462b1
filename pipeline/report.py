"""The discrepancy report: one self-contained HTML file, French by default, English on demand.

Everything here builds a view-model (plain dataclasses of already formatted, still unescaped
text) that the jinja2 template lays out; the template escapes every string, and the SVG charts
escape their own text before they are marked safe.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from extractors.quantity import format_number, format_quantity
from extractors.table import ROW_KIND, ROW_LABEL, ExtractedTable
from pipeline.charts import Pair, Panel, bar_panels, paired_bars
from pipeline.run import DocumentRun, RunResult
from reconcilers.cells import unit_of
from reconcilers.finding import CHECKS, Finding, Location
from reconcilers.registry import kind_label

LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "title": "Rapport d’écarts ITIE", "colon": "\u00a0:", "generated": "Produit le", "document": "Document",
        "verdict": "Verdict", "clean": "conforme", "review": "à revoir", "blocking": "bloquant",
        "reason_clean": "les contrôles exécutés tiennent.", "reason_warnings": "des avertissements sont à examiner.",
        "reason_nothing": "aucun contrôle n’a pu être exécuté.", "reason_errors": "des erreurs contredisent le document.",
        "reason_unreadable": "le document n’a pas pu être lu.",
        "error": "erreur", "warning": "avertissement", "info": "information",
        "errors": "erreurs", "warnings": "avertissements", "infos": "informations",
        "checks_passed": "contrôles vérifiés", "no_check": "aucun contrôle exécuté",
        "failed": "Écarts", "passed": "Contrôles vérifiés", "subject": "Objet", "field": "Grandeur",
        "expected": "Attendu", "observed": "Lu dans le document", "difference": "Écart",
        "where": "Où", "evidence": "Texte lu", "cells_read": "Cellules lues",
        "tables": "Tableaux extraits", "names": "Rapprochement des noms",
        "names_help": "Chaque ligne est une entité ; chaque colonne, sa graphie dans un tableau, "
                      "avec le score de ressemblance (100 = identique).",
        "entity": "Entité", "missing": "absent", "charts": "Graphiques",
        "chart_totals": "Totaux : valeur imprimée et valeur recalculée",
        "stated": "imprimé", "recomputed": "recalculé",
        "chart_budget": "Budget par source de financement", "chart_surfaces": "Surfaces par entité",
        "downloads": "Téléchargements", "data_docs": "Data Docs Great Expectations",
        "page": "p.", "row": "ligne", "row_header": "Ligne", "column": "colonne", "none": "Aucun écart.",
        "findings_for_cell": "Constats sur cette cellule", "evidence_for_cell": "Cellule lue par ce contrôle",
        "verified_cell": "Vérifiée par", "spec": "spec", "no_spec": "sans spec (extraction générique)",
        "run_findings": "Spécifications", "contents": "Sommaire", "parsed": "valeur lue",
        "legend": "Légende : rouge = cellule en écart ; jaune = cellule lue par un contrôle en écart ; "
                  "✓ = vérifiée.",
        "rule": "Règle", "rules": "Règles déduites (sans spec)", "inferred": "déduite", "spec_rule": "de la spec",
        "rules_help": "Ce que l’outil a supposé, avec les lignes où la règle tient ; une spec peut la remplacer.",
        "breaking": "lignes en écart",
    },
    "en": {
        "title": "ITIE discrepancy report", "colon": ":", "generated": "Generated on", "document": "Document",
        "verdict": "Verdict", "clean": "clean", "review": "to review", "blocking": "blocking",
        "reason_clean": "the checks that ran hold.", "reason_warnings": "warnings to examine.",
        "reason_nothing": "no check could run.", "reason_errors": "errors contradict the document.",
        "reason_unreadable": "the document could not be read.",
        "error": "error", "warning": "warning", "info": "note",
        "errors": "errors", "warnings": "warnings", "infos": "notes",
        "checks_passed": "checks passed", "no_check": "no check ran",
        "failed": "Discrepancies", "passed": "Checks that hold", "subject": "Subject", "field": "Quantity",
        "expected": "Expected", "observed": "Stated in the document", "difference": "Difference",
        "where": "Where", "evidence": "Text read", "cells_read": "Cells read",
        "tables": "Extracted tables", "names": "Name reconciliation",
        "names_help": "Each row is an entity; each column, its spelling in one table, "
                      "with the similarity score (100 = identical).",
        "entity": "Entity", "missing": "missing", "charts": "Charts",
        "chart_totals": "Totals: as printed and as recomputed",
        "stated": "printed", "recomputed": "recomputed",
        "chart_budget": "Budget by funding source", "chart_surfaces": "Surfaces by entity",
        "downloads": "Downloads", "data_docs": "Great Expectations Data Docs",
        "page": "p.", "row": "row", "row_header": "Row", "column": "column", "none": "No discrepancy.",
        "findings_for_cell": "Findings on this cell", "evidence_for_cell": "Cell read by this check",
        "verified_cell": "Verified by", "spec": "spec", "no_spec": "no spec (generic extraction)",
        "run_findings": "Specs", "contents": "Contents", "parsed": "value read",
        "legend": "Legend: red = cell in discrepancy; yellow = cell read by a failing check; ✓ = verified.",
        "rule": "Rule", "rules": "Inferred rules (no spec)", "inferred": "inferred", "spec_rule": "from the spec",
        "rules_help": "What the tool assumed, with the rows where the rule holds; a spec can overrule it.",
        "breaking": "rows in discrepancy",
    },
}
QUOTES = {"fr": "« {} »", "en": "“{}”"}

SEVERITIES = ("error", "warning", "info")
BUDGET_FRAMES = "budget_"      # frames the budget checks leave for the report: budget_by_source, …
EVIDENCE_SHOWN = 4             # more cells read than this are folded away


def _slug(*parts: object) -> str:
    text = "-".join(str(p) for p in parts if p is not None)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


class Anchors:
    """HTML ids unique over the whole page: two slugs that collide get a numbered suffix."""

    def __init__(self) -> None:
        self._seen: Counter[str] = Counter()

    def __call__(self, prefix: str, *parts: object) -> str:
        base = f"{prefix}-{_slug(*parts)}".rstrip("-")
        self._seen[base] += 1
        count = self._seen[base]
        return base if count == 1 else f"{base}-{count}"


@dataclass
class CellIndex:
    """Where each table and cell of a document is rendered, so a finding's location becomes a link."""

    tables: dict[str, str] = field(default_factory=dict)                    # table key -> anchor
    cells: dict[tuple[str, str, str], str] = field(default_factory=dict)    # (table key, row label, column label)
    rendered: dict[tuple[str, int, str], str] = field(default_factory=dict)  # (table key, position, column key)

    def link(self, location: Location) -> str | None:
        """The cell's anchor; the table's when the location names no rendered cell."""
        if location.table_key is None:
            return None
        cell = self.cells.get((location.table_key, str(location.row), str(location.column)))
        return cell or self.tables.get(location.table_key)

    def cell(self, location: Location) -> str | None:
        if location.table_key is None:
            return None
        return self.cells.get((location.table_key, str(location.row), str(location.column)))


@dataclass
class EvidenceView:
    where: str
    text: str
    link: str | None


@dataclass
class FindingView:
    finding: Finding
    anchor: str
    message: str
    severity: str
    check: str
    subject: str
    field: str
    expected: str
    observed: str
    difference: str
    where: str
    text: str
    link: str | None
    evidence: list[EvidenceView]
    cells: list[str]                       # anchors of the cell it points at (first) and the cells it read
    rule: str = ""                         # the rule checked, where it came from and its support


@dataclass
class CellView:
    text: str
    anchor: str | None = None
    numeric: bool = False
    title: str = ""
    findings: list[FindingView] = field(default_factory=list)   # failing checks about this cell
    read_by: list[FindingView] = field(default_factory=list)    # failing checks that read it
    verified: list[FindingView] = field(default_factory=list)   # passed checks about this cell


@dataclass
class TableView:
    key: str
    anchor: str
    title: str
    caption: str
    page: str
    method: str
    columns: list[str]
    numeric: list[bool]
    rows: list[tuple[str, list[CellView]]]           # (row kind, cells)


@dataclass
class NameCell:
    spelling: str
    score: str
    exact: bool
    link: str | None


@dataclass
class NameView:
    kind: str
    tables: list[str]
    rows: list[tuple[str, list[NameCell | None]]]    # entity, one cell per table (None: missing)


@dataclass
class ChartView:
    title: str
    svg: Markup


@dataclass
class DocumentView:
    name: str
    anchor: str
    spec: str | None
    verdict: str
    reason: str
    counts: dict[str, int]
    kinds: list[tuple[str, int]]                     # failed checks by kind, for the summary
    passed_count: int
    failed: list[tuple[str, list[FindingView]]]
    passed: list[tuple[str, list[FindingView]]]
    charts: list[ChartView]
    names: list[NameView]
    tables: list[TableView]
    rules: list[RuleView] = field(default_factory=list)


@dataclass
class RuleView:
    """An inferred rule as a reviewer reads it, with the rows that break it linked."""

    table: str
    text: str                                        # "Écart = |État − Société|, vérifiée sur 52 lignes sur 53"
    breaking: list[tuple[str, str]]                  # (row, anchor of its finding)


def show(value: Any, unit: str, lang: str) -> str:
    """An expected or observed value as a reader writes it: numbers with their unit, lists joined."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return format_quantity(float(value), unit, lang)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v.get("spelling", v)) if isinstance(v, dict) else str(v) for v in value)
    return str(value)


def signed(difference: float, unit: str, lang: str) -> str:
    """`+4 300 m²`, `-3 750 m²`: which way the document errs; empty when the figures agree."""
    if abs(difference) < 1e-9:
        return ""
    text = format_quantity(abs(difference), unit, lang)
    return ("+" if difference > 0 else "−") + text


def show_difference(finding: Finding, lang: str) -> str:
    """Observed minus expected; empty when the two agree or are not numbers."""
    difference = finding.difference
    return "" if difference is None else signed(difference, finding.unit, lang)


def where(location: Location, lang: str) -> str:
    """`p. 10, Tableau 5, ligne 3, colonne « Surface restante »`."""
    labels = LABELS[lang]
    parts = []
    if location.sheet:
        parts.append(f"{location.sheet}!{location.cell}" if location.cell else location.sheet)
    elif location.page is not None:
        parts.append(f"{labels['page']} {location.page}")
    if location.table:
        parts.append(str(location.table))
    if location.row is not None:
        parts.append(f"{labels['row']} {location.row}")
    if location.column:
        parts.append(f"{labels['column']} {QUOTES[lang].format(location.column)}")
    return ", ".join(parts)


def finding_view(finding: Finding, lang: str, anchors: Anchors, index: CellIndex) -> FindingView:
    cells = [a for a in (index.cell(loc) for loc in (finding.location, *finding.evidence)) if a]
    return FindingView(
        finding=finding, anchor=anchors("finding", finding.id),
        message=finding.message_fr if lang == "fr" else finding.message_en,
        severity=LABELS[lang][finding.severity], check=kind_label(finding.check, lang),
        subject=finding.subject, field=finding.field,
        expected=show(finding.expected, finding.unit, lang), observed=show(finding.observed, finding.unit, lang),
        difference=show_difference(finding, lang), where=where(finding.location, lang),
        text=finding.location.text or "", link=index.link(finding.location),
        evidence=[EvidenceView(where(loc, lang), loc.text or "", index.link(loc)) for loc in finding.evidence],
        cells=list(dict.fromkeys(cells)),
        rule=rule_text(finding, lang),
    )


def rule_text(finding: Finding, lang: str) -> str:
    """`Écart = |État − Société| (déduite, vérifiée sur 52 lignes sur 53)`; empty without a rule."""
    rule = finding.rule
    if rule is None:
        return ""
    labels = LABELS[lang]
    origin = labels["inferred"] if rule.source == "inferred" else labels["spec_rule"]
    support = f", {rule.support.text(lang)}" if rule.support else ""
    return f"{rule.text_fr if lang == 'fr' else rule.text_en} ({origin}{support})"


def rule_views(views: list[FindingView], lang: str) -> list[RuleView]:
    """The inferred rules a document's checks used, each once, with its breaking rows linked."""
    rules: dict[tuple[str, str], RuleView] = {}
    for view in views:
        rule = view.finding.rule
        if rule is None or rule.source != "inferred":
            continue
        table = view.finding.tables[0] if view.finding.tables else ""
        shown = rules.setdefault((table, view.rule), RuleView(table, view.rule, []))
        if view.finding.status == "fail":
            shown.breaking.append((view.subject, view.anchor))
    return list(rules.values())


def verdict(run: DocumentRun) -> tuple[str, str]:
    """(verdict, reason): blocking when unreadable or an error; to review on a warning, or when nothing
    was checked (silence is not a clean bill); clean otherwise."""
    failed = {f.severity for f in run.findings if f.status == "fail"}
    if run.status != "ok":
        return "blocking", "unreadable"
    if "error" in failed:
        return "blocking", "errors"
    if "warning" in failed:
        return "review", "warnings"
    if not run.findings:
        return "review", "nothing"
    return "clean", "clean"


def group_by_check(views: Iterable[FindingView]) -> list[tuple[str, list[FindingView]]]:
    """Findings grouped by kind of check: the kind holding the most severe finding first, ties in the
    fixed order of CHECKS, so that the page reads the same from one run to the next."""
    groups: dict[str, list[FindingView]] = defaultdict(list)
    for view in views:
        groups[view.finding.check].append(view)
    for items in groups.values():
        items.sort(key=lambda v: SEVERITIES.index(v.finding.severity))
    order = sorted(groups.items(), key=lambda item: (SEVERITIES.index(item[1][0].finding.severity),
                                                     CHECKS.index(item[0]) if item[0] in CHECKS else len(CHECKS)))
    return [(items[0].check, items) for _, items in order]


def _index_tables(run: DocumentRun, anchors: Anchors) -> CellIndex:
    index = CellIndex()
    for table in _tables(run):
        index.tables[table.key] = anchors("table", run.name, table.key)
        for position, label in zip(table.cells.index, table.cells[ROW_LABEL].tolist()):
            row = str(label)
            for column in table.columns:
                anchor = anchors("cell", run.name, table.key, row, column.label)
                index.rendered[(table.key, position, column.key)] = anchor
                index.cells.setdefault((table.key, row, column.label), anchor)   # a repeated row label: the first
    return index


def _tables(run: DocumentRun) -> tuple[ExtractedTable, ...]:
    return run.reconciliation.document.tables if run.reconciliation else ()


def _table_view(table: ExtractedTable, index: CellIndex, lang: str) -> TableView:
    numeric = [column.is_quantity for column in table.columns]
    printed = {key: table.cells[key].tolist() for key in [ROW_LABEL, ROW_KIND, *(c.key for c in table.columns)]}
    values = {c.key: table.values[c.key].tolist() for c in table.columns}   # read once: a cell at a time is slow
    rows = []
    for i, position in enumerate(table.cells.index):
        cells = [CellView(str(printed[ROW_LABEL][i]))]
        for column in table.columns:
            value = values[column.key][i]
            title = ""
            if column.is_quantity and isinstance(value, (int, float)) and math.isfinite(value):
                title = f"{LABELS[lang]['parsed']}{LABELS[lang]['colon']} {format_quantity(float(value), unit_of(table, column.key), lang)}"
            anchor = index.rendered[(table.key, position, column.key)]
            cells.append(CellView(str(printed[column.key][i]), anchor, column.is_quantity, title))
        rows.append((str(printed[ROW_KIND][i]), cells))
    return TableView(
        key=table.key, anchor=index.tables[table.key], title=table.provenance.title,
        caption=table.provenance.caption, page=", ".join(str(p) for p in table.provenance.pages),
        method=table.provenance.method, columns=[c.label for c in table.columns], numeric=numeric, rows=rows,
    )


def _mark_cells(tables: list[TableView], views: list[FindingView]) -> None:
    """Cell -> findings: the cell a finding is about, and the cells a failing check read."""
    cells = {cell.anchor: cell for table in tables for _, row in table.rows for cell in row if cell.anchor}
    for view in views:
        for position, anchor in enumerate(view.cells):
            cell = cells[anchor]
            is_subject = position == 0 and view.link == anchor
            if view.finding.status == "pass":
                if is_subject:
                    cell.verified.append(view)
            elif is_subject:
                cell.findings.append(view)
            else:
                cell.read_by.append(view)


def _names(run: DocumentRun, index: CellIndex, lang: str) -> list[NameView]:
    """Per kind of entity: its spelling in each table, side by side, with the match score."""
    if run.reconciliation is None:
        return []
    columns = {(t.key, c.entity): c.label for t in _tables(run) for c in t.columns if c.entity}
    views = []
    for name, frame in run.reconciliation.frames.items():
        if not name.startswith("entities_") or frame.empty:
            continue
        tables = dict(zip(frame["table"], frame["title"]))
        rows = []
        for entity, mentions in frame.groupby("entity", sort=False):
            found: dict[str, NameCell] = {}
            for mention in mentions.itertuples():
                location = Location(row=mention.row, column=columns.get((mention.table, mention.kind)),
                                    table_key=mention.table)
                found.setdefault(mention.table, NameCell(
                    spelling=str(mention.spelling), score=format_number(float(mention.score), lang, 1),
                    exact=str(mention.spelling) == str(entity), link=index.link(location)))
            rows.append((str(entity), [found.get(key) for key in tables]))
        views.append(NameView(kind=str(frame["kind"].iloc[0]), tables=list(tables.values()), rows=rows))
    return views


def _charts(run: DocumentRun, lang: str) -> list[ChartView]:
    labels = LABELS[lang]
    charts = []
    totals = [f for f in run.findings if f.check == "sum_total" and isinstance(f.expected, (int, float))
              and isinstance(f.observed, (int, float))]
    if totals:
        pairs = [_pair(" — ".join(p for p in (f.location.table, f.subject, f.field) if p), float(f.observed),
                       float(f.expected), f.unit, lang, f.status == "fail") for f in totals]
        charts.append(ChartView(labels["chart_totals"], paired_bars(
            pairs, labels["chart_totals"], labels["stated"], labels["recomputed"])))
    if run.reconciliation is not None:
        for name, frame in run.reconciliation.frames.items():
            if name.startswith(BUDGET_FRAMES):
                chart = _budget_chart(frame, labels, lang)
                if chart:
                    charts.append(chart)
    charts += _surface_charts(run, lang)
    return charts


def _pair(label: str, stated: float, computed: float, unit: str, lang: str, alert: bool) -> Pair:
    """A figure as printed against the same figure recomputed, with their difference when they disagree."""
    return Pair(label, stated, computed, format_quantity(stated, unit, lang), format_quantity(computed, unit, lang),
                signed(stated - computed, unit, lang), alert)


def _budget_chart(frame: pd.DataFrame, labels: dict[str, str], lang: str) -> ChartView | None:
    """Amounts per funding source, printed and recomputed, on one scale.

    The budget checks own the frame: its first text column names the source, `stated` and
    `computed` hold the amounts, `unit` their unit. A frame without them is left out.
    """
    text = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c]) and c != "unit"]
    if frame.empty or not text or not {"stated", "computed"} <= set(frame.columns):
        return None
    units = frame["unit"].astype(str) if "unit" in frame.columns else pd.Series([""] * len(frame))
    pairs = [_pair(str(source), float(stated), float(computed), unit, lang, abs(stated - computed) > 1e-9)
             for source, stated, computed, unit in zip(frame[text[0]], frame["stated"], frame["computed"], units)
             if pd.notna(stated) and pd.notna(computed)]
    if not pairs:
        return None
    title = labels["chart_budget"]
    return ChartView(title, paired_bars(pairs, title, labels["stated"], labels["recomputed"], shared=True))


def _surface_charts(run: DocumentRun, lang: str) -> list[ChartView]:
    """Area columns of the tables that name an entity, item rows only; a series already drawn is not drawn twice."""
    labels = LABELS[lang]
    seen: set[tuple[Any, ...]] = set()
    charts = []
    for table in _tables(run):
        entity = next((c for c in table.columns if c.entity), None)
        areas = [c for c in table.columns if c.type == "area"]
        if entity is None or not areas:
            continue
        items = table.values[table.values[ROW_KIND] == "item"]
        names = [str(table.cells.at[i, entity.key]) for i in items.index]
        panels = []
        for column in areas:
            values = tuple(None if pd.isna(v) else float(v) for v in items[column.key])
            series = (tuple(names), values)
            if series in seen:
                continue
            seen.add(series)
            texts = tuple("—" if v is None else format_quantity(v, "m2", lang) for v in values)
            panels.append(Panel(column.label, values, texts))
        if panels:
            title = f"{labels['chart_surfaces']} — {table.provenance.title}"
            charts.append(ChartView(title, bar_panels(names, panels, title)))
    return charts


def document_view(run: DocumentRun, lang: str, anchors: Anchors) -> DocumentView:
    index = _index_tables(run, anchors)
    views = [finding_view(f, lang, anchors, index) for f in run.findings]
    failed = [v for v in views if v.finding.status == "fail"]
    tables = [_table_view(t, index, lang) for t in _tables(run)]
    _mark_cells(tables, views)
    counts = Counter(v.finding.severity for v in failed)
    groups = group_by_check(failed)
    state, reason = verdict(run)
    return DocumentView(
        name=run.name, anchor=anchors("doc", run.name), spec=run.spec, verdict=state, reason=reason,
        counts={s: counts.get(s, 0) for s in SEVERITIES},
        kinds=[(name, len(items)) for name, items in groups],
        passed_count=len(views) - len(failed), failed=groups,
        passed=group_by_check(v for v in views if v.finding.status == "pass"),
        charts=_charts(run, lang), names=_names(run, index, lang), tables=tables,
        rules=rule_views(views, lang),
    )


def render_report(result: RunResult, lang: str = "fr") -> str:
    environment = Environment(loader=PackageLoader("pipeline", "templates"), trim_blocks=True, lstrip_blocks=True,
                              autoescape=select_autoescape(["html", "j2"]))
    template = environment.get_template("report.html.j2")
    anchors = Anchors()
    declarations = [declaration_view(r, lang, anchors) for r in result.declarations]
    parts = {piece.table.document for r in result.declarations for pieces in r.declaration.parts.values()
             for piece in pieces}
    documents = [document_view(_without_part_tables(d, parts), lang, anchors) for d in result.documents]
    names = {d.name for d in result.documents} | {r.declaration.name for r in result.declarations}
    return template.render(
        lang=lang, labels=LABELS[lang], generated_at=result.generated_at, documents=documents,
        run_findings=[finding_view(f, lang, anchors, CellIndex()) for f in result.findings if f.document not in names],
        evidence_shown=EVIDENCE_SHOWN, declarations=declarations, decl_labels=DECLARATION_LABELS[lang],
    )


def _without_part_tables(run: DocumentRun, parts: set[str]) -> DocumentRun:
    """A Summary Data part's rows are shown in its declaration's tables, not again cell by cell."""
    if run.name not in parts:
        return run
    return replace(run, reconciliation=None)


# --- EITI Summary Data declarations: one section each ------------------------------------------------------

DECLARATION_LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "declarations": "Déclarations ITIE (Summary Data)", "declaration": "Déclaration",
        "period": "Période", "currency": "Devise", "rule": "Règle de matérialité", "coverage": "Couverture",
        "coverage_text": "{reconciled} sur {total} de revenus de la partie 4 ({share}) appartiennent à des entités "
                         "dont le total concorde.",
        "agencies": "Entités de l’État : total déclaré (partie 3b) et lignes de la partie 4",
        "companies": "Entreprises : paiements déclarés (partie 3a) et lignes de la partie 5",
        "streams": "Flux de revenus : partie 4 et partie 5",
        "classifications": "Classifications GFS : partie 4 et partie 5 (flux classés selon la partie 4)",
        "name": "Nom", "stated": "Total déclaré", "lines": "Somme des lignes", "count": "Lignes",
        "difference": "Écart", "status": "Statut", "note": "Remarque", "parts": "Parties lues",
        "systemic": "Non réconcilié ligne à ligne", "chart": "Entités : total déclaré et somme des lignes",
        "findings": "Constats", "source_part1": "partie 1", "source_part1-national": "monnaie nationale (partie 1)",
        "source_part4": "devise la plus utilisée en partie 4",
        "agrees": "concordant", "differs": "écart", "no_lines": "sans montant", "no_total": "sans total",
        "not_listed": "absent de la partie 3", "not_comparable": "non comparable", "empty": "rien de déclaré",
    },
    "en": {
        "declarations": "EITI declarations (Summary Data)", "declaration": "Declaration",
        "period": "Period", "currency": "Currency", "rule": "Materiality rule", "coverage": "Coverage",
        "coverage_text": "{reconciled} of {total} of Part 4 revenue ({share}) belongs to agencies whose total agrees.",
        "agencies": "Government agencies: total reported (Part 3b) and Part 4 lines",
        "companies": "Companies: payments reported (Part 3a) and Part 5 lines",
        "streams": "Revenue streams: Part 4 and Part 5",
        "classifications": "GFS classifications: Part 4 and Part 5 (streams classified as in Part 4)",
        "name": "Name", "stated": "Stated total", "lines": "Sum of lines", "count": "Lines",
        "difference": "Difference", "status": "Status", "note": "Note", "parts": "Parts read",
        "systemic": "Not reconciled line by line", "chart": "Agencies: stated total and sum of lines",
        "findings": "Findings", "source_part1": "Part 1", "source_part1-national": "national currency (Part 1)",
        "source_part4": "most used currency of Part 4",
        "agrees": "agrees", "differs": "differs", "no_lines": "no amount", "no_total": "no total",
        "not_listed": "not in Part 3", "not_comparable": "not comparable", "empty": "nothing reported",
    },
}


@dataclass
class ComparisonRow:
    name: str
    spellings: str
    stated: str
    lines: str
    count: int
    difference: str
    status: str
    state: str                                 # css: agrees | differs | other
    note: str


@dataclass
class DeclarationView:
    name: str
    anchor: str
    verdict: str
    reason: str
    counts: dict[str, int]
    period: str
    currency: str
    rule: str
    coverage: str
    parts: list[tuple[str, str]]
    agencies: list[ComparisonRow]
    companies: list[ComparisonRow]
    streams: list[ComparisonRow]
    classifications: list[ComparisonRow]
    systemic: list[FindingView]
    chart: ChartView | None
    failed: list[tuple[str, list[FindingView]]]
    passed: list[tuple[str, list[FindingView]]]
    passed_count: int


def _comparison_rows(items: Iterable[Any], lang: str) -> list[ComparisonRow]:
    words = DECLARATION_LABELS[lang]
    rows = []
    for item in sorted(items, key=lambda c: -abs(c.difference or 0.0)):
        state = item.status if item.status in ("agrees", "differs") else "other"
        note = item.note_fr if lang == "fr" else item.note_en
        rows.append(ComparisonRow(
            name=item.subject, spellings=" / ".join(s for s in item.spellings if s != item.subject),
            stated=show(item.stated, item.currency, lang), lines=show(item.lines, item.currency, lang),
            count=item.line_count, difference="" if item.difference is None else signed(item.difference, item.currency, lang),
            status=words[item.status], state=state, note=note))
    return rows


def declaration_view(result: Any, lang: str, anchors: Anchors) -> DeclarationView:
    """One declaration's section: verdict, materiality rule, coverage, the tables of agencies, companies and
    streams, the systemic findings first, then every other finding by check."""
    from reconcilers.summary_data.template import template
    words = DECLARATION_LABELS[lang]
    declaration = result.declaration
    views = [finding_view(f, lang, anchors, CellIndex()) for f in result.findings]
    failed = [v for v in views if v.finding.status == "fail"]
    pseudo = DocumentRun(declaration.name, "eiti-summary-data", None, "ok", None, result.findings)
    state, reason = verdict(pseudo)
    counts = Counter(v.finding.severity for v in failed)
    currencies = result.currencies
    rate = f" — 1 USD = {format_number(currencies.rate, lang)} {currencies.declared}" if currencies.rate else ""
    currency = f"{currencies.declared} ({words['source_' + currencies.source]}){rate}"
    margin, floor = result.materiality.margin_pct, result.materiality.floor
    rule = (f"écart significatif au-delà de {format_number(margin, 'fr')} % du total et de "
            f"{format_quantity(floor, currencies.declared, 'fr')}" if lang == "fr" else
            f"a gap is material beyond {format_number(margin, 'en')}% of the total and "
            f"{format_quantity(floor, currencies.declared, 'en')}")
    coverage = ""
    if result.coverage is not None:
        coverage = words["coverage_text"].format(
            reconciled=format_quantity(result.revenue_reconciled, currencies.declared, lang),
            total=format_quantity(result.revenue_total, currencies.declared, lang),
            share=format_quantity(100 * result.coverage, "%", lang))
    titles = template()[1]
    parts = [(titles[p].title_fr if lang == "fr" else titles[p].title_en,
              ", ".join(dict.fromkeys(piece.table.document for piece in pieces)))
             for p, pieces in sorted(declaration.parts.items(), key=lambda kv: list(titles).index(kv[0]))]
    pairs = [_pair(c.subject, c.stated, c.lines, c.currency, lang, c.status != "agrees")
             for c in result.agencies if c.stated is not None and c.lines is not None]
    chart = ChartView(words["chart"], paired_bars(pairs, words["chart"], words["stated"], words["lines"])) if pairs else None
    systemic = [v for v in failed if v.finding.field == "systemic"]
    return DeclarationView(
        name=declaration.name, anchor=anchors("declaration", declaration.name), verdict=state, reason=reason,
        counts={s: counts.get(s, 0) for s in SEVERITIES},
        period=f"{declaration.start or '?'} – {declaration.end or '?'}", currency=currency, rule=rule,
        coverage=coverage, parts=parts, agencies=_comparison_rows(result.agencies, lang),
        companies=_comparison_rows(result.companies, lang), streams=_comparison_rows(result.streams, lang),
        classifications=_comparison_rows(result.classifications, lang),
        systemic=systemic, chart=chart, failed=group_by_check(v for v in failed if v not in systemic),
        passed=group_by_check(v for v in views if v.finding.status == "pass"),
        passed_count=len(views) - len(failed),
    )
