"""Reading the YAML specs in raw/: which documents each serves, its tables and its checks.

Every key is validated when the spec loads — the tables' (columns, rows, total, layout
options) against the records of `extractors.spec` and the layout's options schema, the
checks' against the schemas of the registered checks — so that a misspelt key is a spec
error with its file and line, never a fault in the middle of a document. A spec that cannot
be used is reported and skipped; the documents it would have served are then processed
without a spec.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from extractors.flattened import expand
from extractors.spec import (
    COLUMN_TYPES,
    LAYOUTS,
    ROW_KINDS,
    ColumnSpec,
    DocumentSpec,
    TableSpec,
)
from extractors.tsv import TsvOptions
from reconcilers.arithmetic import operands
from reconcilers.checks import ArithmeticRule, ClaimRule, ShareRule, TwinRule
from reconcilers.parts import SpecValueError, dotted, validated
from reconcilers.registry import ChecksSpec, parse_checks


class SpecError(ValueError):
    """A spec that cannot be used; the message is one line naming the file (and line), and the
    file and line are kept apart so the finding can point at them."""

    def __init__(self, file: str, reason: str, line: int | None = None) -> None:
        self.file = file
        self.line = line
        self.reason = " ".join(str(reason).split())
        where = f"{file}, ligne {line}" if line else file
        super().__init__(f"{where}: {self.reason}")


@dataclass(frozen=True)
class Spec:
    """A whole spec: its tables for the extractors, its checks for the reconcilers."""

    document: DocumentSpec
    checks: ChecksSpec
    path: Path

    def serves(self, file_name: str) -> bool:
        return any(fnmatch.fnmatch(file_name, pattern) for pattern in self.document.documents)


class _Lines(dict):
    """A YAML mapping that remembers the line of each of its keys."""

    lines: dict[Any, int]


class _ItemLines(list):
    """A YAML sequence that remembers the line of each of its items."""

    lines: list[int]


class _LineLoader(yaml.SafeLoader):
    """Safe YAML whose mappings and sequences know their lines, so that an error found once the
    YAML is read (a misspelt key, a wrong type) can still be given its line."""


def _mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Lines:
    mapping = _Lines(loader.construct_mapping(node, deep=True))
    mapping.lines = {loader.construct_object(key, deep=True): key.start_mark.line + 1 for key, _ in node.value}
    return mapping


def _sequence(loader: _LineLoader, node: yaml.SequenceNode) -> _ItemLines:
    sequence = _ItemLines(loader.construct_sequence(node, deep=True))
    sequence.lines = [item.start_mark.line + 1 for item in node.value]
    return sequence


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def line_of(data: Any, path: tuple[str | int, ...]) -> int | None:
    """The line of the deepest key or item of `path` the YAML has (a misspelt key's own line)."""
    line = None
    for part in path:
        if isinstance(data, _Lines) and part in data.lines:
            line = data.lines[part]
        elif isinstance(data, _ItemLines) and isinstance(part, int) and 0 <= part < len(data.lines):
            line = data.lines[part]
        else:
            break
        data = data[part]
    return line


def load_spec(path: Path) -> Spec:
    """Parse and validate one spec file, or raise SpecError (with the line where it has one)."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506 - a SafeLoader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise SpecError(path.name, f"YAML invalide / invalid YAML: {error.problem or error.context}",
                        mark.line + 1 if mark else None) from error
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise SpecError(path.name, f"illisible / unreadable: {error}") from error
    if not isinstance(data, dict):
        raise SpecError(path.name, "une spec est un dictionnaire YAML / a spec is a YAML mapping")
    unknown = set(data) - SPEC_KEYS
    if unknown:
        key = sorted(unknown, key=str)[0]
        raise SpecError(path.name, f"{key}: clé inconnue / unknown key (known: {', '.join(sorted(SPEC_KEYS))})",
                        line_of(data, (key,)))
    try:
        validated(dict[str, ColumnSpec], data.get("columns") or {}, ("columns",))
        document = DocumentSpec(
            name=path.name,
            kind=str(data.get("kind", path.stem)),
            documents=validated(tuple[str, ...], _required(data, "documents", path), ("documents",)),
            tables=tuple(_table(entry, ("tables", i)) for i, entry in enumerate(data.get("tables") or ())),
        )
        checks = implied_checks(document, parse_checks(data.get("checks") or {}))
        checks.validate(document)
        _validate_patterns(document)
    except SpecValueError as error:
        raise SpecError(path.name, error.reason, line_of(data, error.path)) from error
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise SpecError(path.name, str(error)) from error
    return Spec(document=document, checks=checks, path=path)


SPEC_KEYS = {"kind", "documents", "tables", "checks", "columns"}   # columns: shared definitions, for YAML anchors
LAYOUT_OPTIONS: dict[str, Any] = {"tsv": TsvOptions}   # the `options:` each layout reads; others take none


def _required(data: dict[str, Any], key: str, path: Path) -> Any:
    if not data.get(key):
        raise SpecError(path.name, f"clé « {key} » manquante / missing key '{key}'")
    return data[key]


def _table(entry: Any, where: tuple[str | int, ...]) -> TableSpec:
    """One entry of `tables:`, every key of it, of its columns, rows, total and layout options
    checked against its schema."""
    table: TableSpec = validated(TableSpec, entry, where)
    if "layout" not in entry and (table.rows or table.options or not table.caption):
        # A table described by its rows' labels is cut at them; one with layout options, or anchored
        # by its header alone (a flattened table needs its caption), is tab-separated.
        table = replace(table, layout="labelled" if table.rows else "tsv")
    if not table.caption and (table.layout != "tsv" or not table.header):
        _refuse(where + ("caption",), "clé manquante / missing key", ())
    for number, column in enumerate(table.columns):
        if column.type not in COLUMN_TYPES:
            _refuse(where + ("columns", number, "type"), f"type inconnu / unknown type {column.type!r}", COLUMN_TYPES)
    if table.layout not in LAYOUTS:
        _refuse(where + ("layout",), f"mise en page inconnue / unknown layout {table.layout!r}", LAYOUTS)
    if table.options:
        schema = LAYOUT_OPTIONS.get(table.layout)
        if schema is None:
            _refuse(where + ("options",), f"la mise en page {table.layout} ne prend pas d’options "
                    f"/ layout {table.layout} takes no options", ())
        options = validated(schema, table.options, where + ("options",))
        table = replace(table, columns=table.columns + _made_up_columns(options, table))
    for number, row in enumerate(table.rows):
        if row.kind not in ROW_KINDS:
            _refuse(where + ("rows", number, "kind"), f"genre inconnu / unknown kind {row.kind!r}", ROW_KINDS)
    return table


def implied_checks(document: DocumentSpec, checks: ChecksSpec) -> ChecksSpec:
    """The checks the tables' own description already asks for, where the spec does not say them:
    a table whose spec names its total or its sub-totals' rows, or a tab-separated table of figures
    whose total row is told by its label, has them recomputed (`totals`); a
    row stated as a share of another (`share_of`) has its rate checked (`shares`); two tables of
    the same columns and rows are one table printed twice, the first the summary (`twins`), and the
    body's copy holds the summary's row arithmetic; a formula says itself in its columns' labels."""
    configs = dict(checks.configs)
    tables = document.tables
    if "totals" not in configs:
        configs["totals"] = tuple(t.key for t in tables if t.total or any(r.sum_of for r in t.rows) or _totalled(t))
    if "shares" not in configs:
        configs["shares"] = tuple(rule for t in tables for rule in _shares(t))
    if "twins" not in configs:
        configs["twins"] = _twins(tables)
    arithmetic = list(configs.get("arithmetic", ()))
    for twin in configs["twins"]:
        arithmetic += [replace(rule, table=twin.body) for rule in configs.get("arithmetic", ())
                       if rule.table == twin.summary and not any(
                           (r.table, r.column) == (twin.body, rule.column) for r in arithmetic)]
    if arithmetic:
        configs["arithmetic"] = tuple(_labelled(rule, document.table(rule.table)) if rule.table in
                                      {t.key for t in tables} else rule for rule in arithmetic)
    losses = list(configs.get("declared_losses", ()))
    body = {twin.summary: twin.body for twin in configs["twins"]}
    for twin in configs["twins"]:
        losses += [replace(rule, table=twin.body, requires=tuple(replace(ref, table=body.get(ref.table, ref.table))
                                                                  for ref in rule.requires))
                   for rule in configs.get("declared_losses", ()) if rule.table == twin.summary and not any(
                       (r.table, r.keyword) == (twin.body, rule.keyword) for r in losses)]
    if losses:
        configs["declared_losses"] = tuple(losses)
    if "claims" in configs:
        keys = {t.key: t for t in tables}
        configs["claims"] = tuple(_claim_typed(rule, keys) for rule in configs["claims"])
    return ChecksSpec({name: config for name, config in configs.items() if config})


def _claim_typed(rule: ClaimRule, tables: dict[str, TableSpec]) -> ClaimRule:
    """A claim compared with a column is of that column's type and unit (a count of rows is a
    count); one compared with no table is checked against its own other occurrences."""
    if rule.consistent is None:
        rule = replace(rule, consistent=not rule.compare)
    if rule.type or not rule.compare:
        return rule
    ref = next(iter(rule.compare.values()))
    if ref.aggregate in ("count", "count_zero"):
        return replace(rule, type="count")
    table = tables.get(ref.table)
    column = next((c for c in table.columns if c.key == ref.column), None) if table else None
    if column is None or not column.is_quantity:
        return rule                      # the claims check's validation names what is missing
    return replace(rule, type=column.type, unit=rule.unit or column.unit)


def _totalled(table: TableSpec) -> bool:
    """A tab-separated table of figures whose total row is told by its label ("Total") has it
    recomputed; one cut into blocks, or whose spec gives its own row kinds, is read block by block
    by the check that asks for them."""
    made_up = {table.options.get("block_column"), table.options.get("bold_column")}
    return (table.layout == "tsv" and not table.options.get("kinds") and not table.options.get("block_column")
            and any(c.is_quantity for c in table.columns if c.key not in made_up))


def _shares(table: TableSpec) -> list[ShareRule]:
    """A `share_of` row's rate read in the table's one percent column, its amount in its one other figure column."""
    rates = [c.key for c in table.columns if c.type == "percent"]
    amounts = [c.key for c in table.columns if c.is_quantity and c.type != "percent"]
    if len(rates) != 1 or len(amounts) != 1:
        return []
    return [ShareRule(table.key, row.key, rates[0], amounts[0]) for row in table.rows if row.share_of]


def _twins(tables: tuple[TableSpec, ...]) -> tuple[TwinRule, ...]:
    """Each table paired with the first earlier unpaired table of the same columns and rows."""
    def shape(table: TableSpec) -> tuple:
        return table.layout, tuple(c.key for c in table.columns), tuple(r.key for r in table.rows)
    pairs: list[TwinRule] = []
    paired: set[str] = set()
    for position, body in enumerate(tables):
        summary = next((t for t in tables[:position] if t.key not in paired and shape(t) == shape(body)), None)
        if summary is not None and body.key not in paired:
            pairs.append(TwinRule(summary.key, body.key))
            paired |= {summary.key, body.key}
    return tuple(pairs)


_SIGNS = {"-": "−", "*": "×"}


def _labelled(rule: ArithmeticRule, table: TableSpec) -> ArithmeticRule:
    """A formula with no label said in its columns' labels: "Surface restante = Total parcelle − Surface affectée"."""
    if rule.label_fr:
        return rule
    labels = {c.key: c.label for c in table.columns}
    try:
        keys = operands(rule.formula)
    except SyntaxError:
        return rule                      # the arithmetic check's own validation says it
    said = re.sub(r"\s*([-*])\s*", lambda m: f" {_SIGNS[m.group(1)]} ", rule.formula)
    if keys:
        said = re.sub(r"\b(" + "|".join(map(re.escape, keys)) + r")\b", lambda m: labels.get(m.group(1), m.group(1)), said)
    text = f"{labels.get(rule.column, rule.column)} = {said}"
    return replace(rule, label_fr=text, label_en=rule.label_en or text)


def _made_up_columns(options: TsvOptions, table: TableSpec) -> tuple[ColumnSpec, ...]:
    """The columns the cutter fills itself (each row's block number, its bold flag), where the
    options name them and the spec does not describe them."""
    keys = {c.key for c in table.columns}
    made: list[ColumnSpec] = []
    if options.block_column and options.block_column not in keys:
        made.append(ColumnSpec(options.block_column, "Bloc", "number", optional=True))
    if options.bold_column and options.bold_column not in keys:
        made.append(ColumnSpec(options.bold_column, "En gras", "flag"))
    return tuple(made)


def _refuse(path: tuple[str | int, ...], reason: str, allowed: tuple[str, ...]) -> None:
    one_of = f" (one of {', '.join(allowed)})" if allowed else ""
    raise SpecValueError(path, f"{dotted(path)}: {reason}{one_of}")


def _patterns(table: TableSpec) -> list[tuple[tuple[str | int, ...], str | None]]:
    """Every regex of a table, with where it is written under `tables[i]`."""
    found: list[tuple[tuple[str | int, ...], str | None]] = [
        (("caption",), table.caption), (("header",), table.header), (("end",), table.end),
        (("total", "label"), table.total.label if table.total else None)]
    found += [(("columns", j, "pattern"), c.pattern) for j, c in enumerate(table.columns)]
    found += [(("rows", k, "label"), r.label) for k, r in enumerate(table.rows)]
    if table.layout == "tsv" and table.options:
        options = TsvOptions.of(table)
        found += [(("options", "kinds", k, "match"), rule.match) for k, rule in enumerate(options.kinds)]
        if options.join:
            found += [(("options", "join", key), getattr(options.join, key)) for key in ("header", "end")]
    return found


def _validate_patterns(document: DocumentSpec) -> None:
    """A regex that does not compile is the spec's fault: said now, not as a crash mid-document."""
    for i, table in enumerate(document.tables):
        for where, pattern in _patterns(table):
            if not pattern:
                continue
            try:
                re.compile(expand(str(pattern)))
            except re.error as error:
                path = ("tables", i) + where
                raise SpecValueError(path, f"{dotted(path)}: regex invalide / invalid regex {pattern!r} ({error})") from error


def load_specs(raw_dir: Path) -> tuple[list[Spec], list[SpecError]]:
    """All usable specs of a folder, and the errors of those that are not."""
    specs: list[Spec] = []
    errors: list[SpecError] = []
    for path in sorted(raw_dir.glob("*.yaml")) + sorted(raw_dir.glob("*.yml")):
        try:
            specs.append(load_spec(path))
        except SpecError as error:
            errors.append(error)
    return specs, errors
