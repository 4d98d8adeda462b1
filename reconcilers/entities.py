"""Findings about entities: who is linked to whom across tables, and who is missing where."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from extractors.quantity import format_number
from extractors.table import ExtractedTable
from reconcilers.cells import cell_location
from reconcilers.checks import EntityRule
from reconcilers.finding import Finding, Location
from reconcilers.names import Entity, Mention, NearMiss, link_entities
from reconcilers.parts import (
    COVERAGE,
    NAME_MATCH,
    Check,
    CheckContext,
    Reference,
    Template,
    validated,
)

MESSAGES: dict[str, Template] = {
    "near_miss": Template("« {spelling} » ressemble à « {entity} » (score {score}) mais reste sous le seuil de "
                          "{threshold} : traités comme deux personnes.",
                          "“{spelling}” resembles “{entity}” (score {score}) but stays below the threshold of "
                          "{threshold}: kept as two people."),
    "mention": Template("{table} : « {spelling} » ({score})", "{table}: “{spelling}” ({score})"),
    "one_spelling": Template("une seule graphie", "one spelling"),
    "spellings": Template("{n} graphies", "{n} spellings"),
    "linked": Template("{entity} — {spread} reliées : {mentions}.", "{entity} — {spread} linked: {mentions}."),
    "missing": Template("{entity} figure dans {seen} mais pas dans {table}.", "{entity} appears in {seen} but not in {table}."),
}


@dataclass(frozen=True)
class EntityIndex:
    """Which entity each (table, row) names, for the checks that compare an entity's values."""

    kind: str
    entities: tuple[Entity, ...]
    by_row: Mapping[tuple[str, int], str]        # (table key, row index) -> canonical name
    near_misses: tuple[NearMiss, ...] = ()

    def rows_of(self, table: str) -> dict[str, int]:
        """canonical name -> row index in that table."""
        return {name: row for (key, row), name in self.by_row.items() if key == table}


def link_table_entities(tables: Mapping[str, ExtractedTable], rule: EntityRule) -> EntityIndex:
    order = [t for t in rule.complete + rule.partial if t in tables]
    mentions = []
    for key in order:
        table = tables[key]
        items = table.items()
        mentions.append([Mention(key, int(i), str(items.at[i, rule.column])) for i in items.index
                         if str(items.at[i, rule.column]).strip()])
    entities, near = link_entities(mentions, rule.threshold)
    by_row = {(m.table, m.row): entity.canonical for entity in entities for m, _ in entity.mentions}
    return EntityIndex(rule.kind, tuple(entities), by_row, tuple(near))


def entity_findings(
    index: EntityIndex, tables: Mapping[str, ExtractedTable], rule: EntityRule, document: str,
) -> list[Finding]:
    findings: list[Finding] = []
    for entity in index.entities:
        findings.append(_link_finding(entity, tables, rule, document))
        for key in rule.complete:
            if key in tables and key not in entity.tables():
                findings.append(_missing_finding(entity, tables[key], rule, document))
    for miss in index.near_misses:
        table = tables[miss.mention.table]
        fr, en = MESSAGES["near_miss"].render(
            {"spelling": miss.mention.spelling, "entity": miss.entity, "score": format_number(miss.score, "fr", 1),
             "threshold": f"{rule.threshold:g}"},
            {"spelling": miss.mention.spelling, "entity": miss.entity, "score": f"{miss.score:.1f}",
             "threshold": f"{rule.threshold:g}"})
        findings.append(Finding(
            document=document, check="name_match", status="pass", severity="info",
            subject=miss.mention.spelling, field=rule.column, expected=miss.entity,
            observed=miss.mention.spelling, unit="score", tables=(table.provenance.title,),
            location=cell_location(table, miss.mention.row, rule.column),
            message_fr=fr, message_en=en,
            key=f"near-{miss.entity}",
        ))
    return findings


def _link_finding(entity: Entity, tables: Mapping[str, ExtractedTable], rule: EntityRule, document: str) -> Finding:
    variants = sorted({m.spelling for m, _ in entity.mentions})
    lines_fr, lines_en, evidence = [], [], []
    for mention, score in entity.mentions:
        table = tables[mention.table]
        fr, en = MESSAGES["mention"].render(
            {"table": table.provenance.title, "spelling": mention.spelling, "score": format_number(score, "fr", 1)},
            {"table": table.provenance.title, "spelling": mention.spelling, "score": f"{score:.1f}"})
        lines_fr.append(fr)
        lines_en.append(en)
        evidence.append(cell_location(table, mention.row, rule.column))
    spread = MESSAGES["one_spelling" if len(variants) == 1 else "spellings"].render({"n": len(variants)})
    fr, en = MESSAGES["linked"].render({"entity": entity.canonical, "spread": spread[0], "mentions": " ; ".join(lines_fr)},
                                       {"entity": entity.canonical, "spread": spread[1], "mentions": "; ".join(lines_en)})
    return Finding(
        document=document, check="name_match", status="pass", severity="info",
        subject=entity.canonical, field=rule.column, expected=entity.canonical,
        observed=[{"table": tables[m.table].provenance.title, "spelling": m.spelling, "score": s}
                  for m, s in entity.mentions],
        unit="score", tables=tuple(dict.fromkeys(tables[m.table].provenance.title for m, _ in entity.mentions)),
        location=evidence[0], evidence=tuple(evidence[1:]),
        message_fr=fr, message_en=en,
        key=rule.kind,
    )


def _missing_finding(entity: Entity, table: ExtractedTable, rule: EntityRule, document: str) -> Finding:
    seen = ", ".join(sorted({m.table for m, _ in entity.mentions}))
    fr, en = MESSAGES["missing"].render({"entity": entity.canonical, "seen": seen, "table": table.provenance.title})
    return Finding(
        document=document, check="coverage", status="fail", severity="error",
        subject=entity.canonical, field=rule.column, expected=entity.canonical, observed=None,
        tables=(table.provenance.title,),
        location=Location(page=table.provenance.page, table=table.provenance.title,
                          column=table.column(rule.column).label, table_key=table.key),
        message_fr=fr, message_en=en,
        key=f"missing-{table.key}",
    )


def entity_frame(index: EntityIndex, tables: Mapping[str, ExtractedTable]) -> pd.DataFrame:
    """One row per mention: the report's name-reconciliation view and a GX input."""
    rows = [
        {"kind": index.kind, "entity": entity.canonical, "table": mention.table,
         "title": tables[mention.table].provenance.title,
         "row": str(tables[mention.table].cells.at[mention.row, "row"]),
         "spelling": mention.spelling, "score": score}
        for entity in index.entities for mention, score in entity.mentions
    ]
    return pd.DataFrame(rows, columns=["kind", "entity", "table", "title", "row", "spelling", "score"])


class EntitiesCheck(Check):
    """`checks.entities`: people (or sources) named in several tables, linked by their spelling.
    The links are left on the context for the checks that compare an entity's values."""

    name = "entities"
    schema = dict[str, EntityRule]
    emits = (NAME_MATCH, COVERAGE)
    messages = MESSAGES

    def parse(self, value: Any, path: tuple[str | int, ...]) -> tuple[EntityRule, ...]:
        """`{pap: {column: …}}`: the kind is the key the rule is listed under."""
        if isinstance(value, Mapping):
            value = {kind: {**rule, "kind": kind} if isinstance(rule, Mapping) else rule for kind, rule in value.items()}
        return tuple(validated(self.schema, value, path).values())

    def references(self, config: tuple[EntityRule, ...]) -> list[Reference]:
        return [Reference((rule.kind,), t, rule.column) for rule in config for t in rule.complete + rule.partial]

    def run(self, context: CheckContext, config: tuple[EntityRule, ...]) -> list[Finding]:
        findings: list[Finding] = []
        for rule in config:
            index = link_table_entities(context.tables, rule)
            context.links[rule.kind] = index
            findings += entity_findings(index, context.tables, rule, context.document.name)
            context.frames[f"entities_{rule.kind}"] = entity_frame(index, context.tables)
        return findings
