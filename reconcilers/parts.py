"""What a registered check is: its name, the spec keys it accepts, the findings it emits and
their words, and a run over a document's tables.

Modelled on frictionless (a check class names the errors it yields, each with its message
template) and Great Expectations 1.x (a check's configuration is a declared, typed record,
validated before anything runs; wording is kept apart from checking). `reconcilers.registry`
lists the checks; the spec parser, the run and the report all read that one list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, ClassVar, NamedTuple

import pandas as pd
from pydantic import TypeAdapter, ValidationError

from extractors.spec import DocumentSpec
from extractors.table import ExtractedDocument, ExtractedTable
from reconcilers.finding import Finding
from reconcilers.meaning import InterpretedTable, interpret_document
from reconcilers.rules import TableRule


class SpecValueError(ValueError):
    """A value of a spec that its schema refuses; `path` is where it stands in the YAML
    (("checks", "arithmetic", 0, "tabel")), so that the loader can give its line."""

    def __init__(self, path: tuple[str | int, ...], reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(reason)


def dotted(path: tuple[str | int, ...]) -> str:
    """("checks", "arithmetic", 0, "tabel") -> "checks.arithmetic[0].tabel"."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


_UNKNOWN = "clé inconnue / unknown key"
_REASONS = {
    "unexpected_keyword_argument": _UNKNOWN,
    "extra_forbidden": _UNKNOWN,
    "missing": "clé manquante / missing key",
    "missing_argument": "clé manquante / missing key",
}


def _reason(problem: Mapping[str, Any]) -> str:
    """pydantic's words for a refused value, with the value when it is a plain one."""
    if problem["type"] == "value_error":
        return str(problem["ctx"]["error"])
    shown = problem["input"]
    return f"{problem['msg']} ({shown!r})" if isinstance(shown, str | int | float | bool) else problem["msg"]


@cache
def _adapter(schema: Any) -> TypeAdapter:
    return TypeAdapter(schema)


def validated(schema: Any, value: Any, path: tuple[str | int, ...]) -> Any:
    """`value` read as `schema` (a record type, or a list or mapping of them), or a
    SpecValueError pointing at the first refused key, every refusal said."""
    try:
        return _adapter(schema).validate_python(value)
    except ValidationError as error:
        # A misspelt key is both unknown and, where it was required, missing: the unknown key
        # comes first, so that the line given is the misspelling's own.
        problems = sorted(error.errors(include_url=False), key=lambda p: _REASONS.get(p["type"], "") != _UNKNOWN)
        said = []
        for problem in problems:
            where = dotted(path + tuple(problem["loc"]))
            reason = _REASONS.get(problem["type"]) or _reason(problem)
            said.append(f"{where}: {reason}")
        raise SpecValueError(path + tuple(problems[0]["loc"]), " ; ".join(said)) from error


class Reference(NamedTuple):
    """A table (and column) a check's configuration names, and where under `checks.<name>`."""

    path: tuple[str | int, ...]
    table: str
    column: str | None


@dataclass(frozen=True)
class FindingKind:
    """A value of the `check` field of results.json, and how the report names its group."""

    name: str
    label_fr: str
    label_en: str

    def label(self, lang: str) -> str:
        return self.label_fr if lang == "fr" else self.label_en


@dataclass(frozen=True)
class Template:
    """The French and English wording of one message, with `{named}` fields."""

    fr: str
    en: str

    def render(self, fr: Mapping[str, object], en: Mapping[str, object] | None = None) -> tuple[str, str]:
        """Fields are given per language where they differ (numbers are written each one's way)."""
        return self.fr.format(**fr), self.en.format(**(fr if en is None else en))

    def message(self, fr: Mapping[str, object], en: Mapping[str, object] | None = None) -> dict[str, str]:
        """The two renderings as a finding's `message_fr` and `message_en`."""
        message_fr, message_en = self.render(fr, en)
        return {"message_fr": message_fr, "message_en": message_en}


SUM_TOTAL = FindingKind("sum_total", "Totaux et sous-totaux", "Totals and sub-totals")
ROW_ARITHMETIC = FindingKind("row_arithmetic", "Calculs par ligne", "Row arithmetic")
CROSS_TABLE = FindingKind("cross_table", "Concordance entre tableaux", "Agreement between tables")
TWIN_TABLE = FindingKind("twin_table", "Résumé exécutif / corps du rapport", "Executive summary / body")
NAME_MATCH = FindingKind("name_match", "Noms rapprochés", "Names linked")
COVERAGE = FindingKind("coverage", "Présence dans les tableaux", "Presence in tables")
PERCENTAGE = FindingKind("percentage", "Pourcentages", "Percentages")
CLAIM = FindingKind("claim", "Chiffres cités dans le texte", "Figures quoted in the text")
EXTRACTION = FindingKind("extraction", "Cellules illisibles", "Unreadable cells")
ALIGNMENT = FindingKind("alignment", "Alignement budget / activités", "Budget / activity alignment")
SOURCE_NAME = FindingKind("source_name", "Sources de financement", "Funding sources")
ACRONYM = FindingKind("acronym", "Sigles", "Acronyms")
CROSS_FOOTING = FindingKind("cross_footing", "Colonnes de total", "Total columns")
THRESHOLD = FindingKind("threshold", "Seuils de signification", "Materiality thresholds")
FORMULA = FindingKind("formula", "Formules du classeur", "Workbook formulas")
UNIT_EQUIVALENCE = FindingKind("unit_equivalence", "Doubles écritures (m² / ha)", "Figures written twice (m² / ha)")
NUMBERING = FindingKind("numbering", "Numérotation des tableaux", "Table numbering")
# Emitted outside the reconcilers: by pipeline/ (documents and specs that cannot be used) and expectations/.
DOCUMENT = FindingKind("document", "Lecture du document", "Reading the document")
EXPECTATION = FindingKind("expectation", "Great Expectations", "Great Expectations")
# Checks of the EITI Summary Data declarations, run over the parts of a declaration (reconcilers/summary_data).
DECLARATION_KINDS = (
    FindingKind("declaration_part", "Parties de la déclaration", "Parts of the declaration"),
    FindingKind("agency_total", "Entités : partie 3b / partie 4", "Agencies: Part 3b / Part 4"),
    FindingKind("company_total", "Entreprises : partie 3a / partie 5", "Companies: Part 3a / Part 5"),
    FindingKind("stream_total", "Flux : partie 4 / partie 5", "Streams: Part 4 / Part 5"),
    FindingKind("currency", "Devises", "Currencies"),
    FindingKind("gfs_code", "Codes GFS", "GFS codes"),
    FindingKind("duplicate_line", "Lignes en double", "Duplicate lines"),
    FindingKind("number_as_text", "Nombres saisis en texte", "Numbers typed as text"),
    FindingKind("required_field", "Champs obligatoires vides", "Blank required fields"),
    FindingKind("negative_value", "Valeurs négatives", "Negative values"),
    FindingKind("declared_count", "Nombres annoncés en partie 1", "Counts stated in Part 1"),
)


@dataclass
class CheckContext:
    """One document as every check sees it; entity links are made once and shared."""

    document: ExtractedDocument
    tables: Mapping[str, ExtractedTable]
    spec: DocumentSpec | None
    configs: Mapping[str, Any]                              # check name -> its parsed configuration
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)   # what the report and expectations read
    links: dict[str, Any] = field(default_factory=dict)             # entity kind -> EntityIndex
    interpreted: list[InterpretedTable] = field(default_factory=list)   # every table as inference read it, with its rules

    def interpreted_tables(self) -> list[InterpretedTable]:
        """The tables as the inference check read them (read once, here, when it has not run)."""
        if not self.interpreted:
            self.interpreted.extend(interpret_document(self.document))
        return self.interpreted


class Check:
    """A kind of check. Subclasses set the class attributes and implement `run`.

    `schema` is the type the spec value under `checks.<name>` is validated against when the
    spec loads (pydantic, unknown keys forbidden); None for a check that runs on every
    document and takes no configuration. `messages` holds the check's French and English
    templates; `verifies` names the TableRule kinds it verifies (`verify`): every rule of such a
    kind, spec'd or inferred, goes through that one method (`reconcilers.parts.verify`).
    """

    name: ClassVar[str]
    schema: ClassVar[Any] = None
    emits: ClassVar[tuple[FindingKind, ...]] = ()
    messages: ClassVar[Mapping[str, Template]] = {}
    verifies: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for kind in cls.verifies:
            if kind in VERIFIERS:
                raise TypeError(f"{cls.__name__} and {type(VERIFIERS[kind]).__name__} both verify {kind!r} rules")
            VERIFIERS[kind] = cls()

    def parse(self, value: Any, path: tuple[str | int, ...]) -> Any:
        """The spec value under `checks.<name>`, validated against `schema`, as the run takes it."""
        return validated(self.schema, value, path)

    def references(self, config: Any) -> list[Reference]:
        """The tables and columns the configuration names, each with where it is written."""
        return []

    def validate(self, config: Any, spec: DocumentSpec, path: tuple[str | int, ...],
                 others: Mapping[str, Any]) -> None:
        """Raise SpecValueError if the configuration names what the spec's tables (or the other
        checks' configurations, `others`) do not have, so that a spec mistake is said when the
        spec loads, never as a fault in the middle of a document."""
        tables = {t.key: t for t in spec.tables}
        for where, table, column in self.references(config):
            if table not in tables:
                raise SpecValueError(path + where, f"{dotted(path + where)}: un contrôle cite le tableau inconnu "
                                     f"« {table} » / a check names unknown table '{table}'")
            if column is not None and column not in {c.key for c in tables[table].columns}:
                raise SpecValueError(path + where, f"{dotted(path + where)}: le tableau {table} n’a pas de colonne "
                                     f"« {column} » / table {table} has no column '{column}'")

    def run(self, context: CheckContext, config: Any) -> list[Finding]:
        raise NotImplementedError

    def verify(self, it: InterpretedTable, rule: TableRule, context: CheckContext) -> list[Finding]:
        raise NotImplementedError(f"{self.name} verifies no rule")


VERIFIERS: dict[str, Check] = {}          # rule kind -> the check that verifies it, filled as checks are defined


def verify(rule: TableRule, context: CheckContext) -> list[Finding]:
    """The one path of every rule of a table, whatever its origin (spec or inference): the
    registered check of its kind, over the table as interpreted (figures, row roles, the table it
    continues)."""
    tables = {t.key: t for t in context.interpreted_tables()}
    if rule.table not in tables:
        return []
    return VERIFIERS[rule.check].verify(tables[rule.table], rule, context)
