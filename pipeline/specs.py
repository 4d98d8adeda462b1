"""Reading the YAML specs in raw/: which documents each serves, its tables and its checks.

A spec that cannot be used is reported with its file (and line, for YAML syntax) and
skipped; the documents it would have served are then processed without a spec.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import yaml

from extractors.flattened import expand
from extractors.spec import (
    COLUMN_TYPES,
    LAYOUTS,
    ColumnSpec,
    DocumentSpec,
    RowSpec,
    TableSpec,
    TotalRowSpec,
)
from reconcilers.checks import ChecksSpec, parse_checks


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


def load_spec(path: Path) -> Spec:
    """Parse and validate one spec file, or raise SpecError."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise SpecError(path.name, f"YAML invalide / invalid YAML: {error.problem or error.context}",
                        mark.line + 1 if mark else None) from error
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise SpecError(path.name, f"illisible / unreadable: {error}") from error
    if not isinstance(data, dict):
        raise SpecError(path.name, "une spec est un dictionnaire YAML / a spec is a YAML mapping")
    try:
        document = DocumentSpec(
            name=path.name,
            kind=str(data.get("kind", path.stem)),
            documents=tuple(_required(data, "documents", path)),
            tables=tuple(_table(entry, path) for entry in data.get("tables") or ()),
        )
        checks = parse_checks(data.get("checks") or {})
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise SpecError(path.name, str(error)) from error
    _validate_patterns(document, path)
    _validate_references(document, checks, path)
    return Spec(document=document, checks=checks, path=path)


def _required(data: dict[str, Any], key: str, path: Path) -> Any:
    if not data.get(key):
        raise SpecError(path.name, f"clé « {key} » manquante / missing key '{key}'")
    return data[key]


def _known(record: type, entry: dict[str, Any], what: str) -> dict[str, Any]:
    names = {f.name for f in fields(record)}
    unknown = set(entry) - names
    if unknown:
        raise ValueError(f"{what}: unknown key(s) {sorted(unknown)}")
    return entry


def _table(entry: dict[str, Any], path: Path) -> TableSpec:
    entry = dict(_known(TableSpec, entry, f"table {entry.get('key', '?')}"))
    key = entry["key"]
    columns = tuple(ColumnSpec(**_known(ColumnSpec, dict(c), f"table {key} column")) for c in entry.pop("columns", ()))
    for column in columns:
        if column.type not in COLUMN_TYPES:
            raise ValueError(f"table {key} column {column.key}: unknown type {column.type!r}")
    rows = tuple(_row(r, key) for r in entry.pop("rows", ()))
    total = entry.pop("total", None)
    layout = entry.get("layout", "numbered")
    if layout not in LAYOUTS:
        raise ValueError(f"table {key}: unknown layout {layout!r}")
    return TableSpec(
        columns=columns, rows=rows,
        total=TotalRowSpec(**_known(TotalRowSpec, dict(total), f"table {key} total")) if total else None,
        **entry,
    )


def _row(entry: dict[str, Any], table: str) -> RowSpec:
    entry = dict(_known(RowSpec, dict(entry), f"table {table} row"))
    entry["sum_of"] = tuple(entry.get("sum_of", ()))
    return RowSpec(**entry)


def _validate_patterns(document: DocumentSpec, path: Path) -> None:
    """A regex that does not compile is the spec's fault: said now, not as a crash mid-document."""
    for table in document.tables:
        patterns = [table.caption, table.header, table.end, table.total.label if table.total else None]
        patterns += [c.pattern for c in table.columns] + [r.label for r in table.rows]
        for pattern in filter(None, patterns):
            try:
                re.compile(expand(str(pattern)))
            except re.error as error:
                raise SpecError(path.name, f"table {table.key}: regex invalide / invalid regex {pattern!r} ({error})") from error


def _validate_references(document: DocumentSpec, checks: ChecksSpec, path: Path) -> None:
    """Every table and column a check names must exist in the spec."""
    tables = {t.key: t for t in document.tables}
    for table, column in checks.references():
        if table not in tables:
            raise SpecError(path.name, f"un contrôle cite le tableau inconnu « {table} » / a check names unknown table '{table}'")
        if column is not None and column not in {c.key for c in tables[table].columns}:
            raise SpecError(
                path.name, f"le tableau {table} n’a pas de colonne « {column} » / table {table} has no column '{column}'"
            )


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
