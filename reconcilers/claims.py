"""Figures quoted in the prose, checked against the tables and against each other.

Each claim of the spec is a regex with named groups; every occurrence in the text is
checked: against a table figure (`compare`), against another claim (`claims`), and,
when `consistent`, against the claim's other occurrences (the executive summary and
the body often quote the same figure, not always the same way).
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from extractors.flattened import expand
from extractors.quantity import (
    BASE_UNIT,
    QuantityError,
    format_quantity,
    parse_quantity,
)
from extractors.spec import COLUMN_TYPES, DocumentSpec
from extractors.table import ExtractedTable
from reconcilers.cells import CellValue, MissingCell, resolve
from reconcilers.checks import ClaimRule
from reconcilers.finding import Finding, Location
from reconcilers.parts import (
    CLAIM,
    Check,
    CheckContext,
    Reference,
    SpecValueError,
    Template,
    dotted,
)

_MONTHS = {m: i for i, m in enumerate(
    ["janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre", "novembre", "decembre"], 1)}
_WORD_NUMBERS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
                 "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "aucun": 0, "aucune": 0}
_OPS = {"eq": operator.eq, "lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge}
_OP_WORDS = {"lt": ("<", "<"), "le": ("≤", "≤"), "gt": (">", ">"), "ge": ("≥", "≥"), "eq": ("=", "=")}
_CONTEXT = 60
MESSAGES: dict[str, Template] = {
    "not_checkable": Template("{label} : contrôle impossible ({error}).", "{label}: check not possible ({error})."),
    "states": Template("{label} : le texte annonce {claimed}, {where} donne {seen}.",
                       "{label}: the text states {claimed}, {where} gives {seen}."),
    "states_bound": Template("{label} : le texte annonce {symbol} {claimed} ; {where} donne {seen}.",
                             "{label}: the text states {symbol} {claimed}; {where} gives {seen}."),
    "rows_disagree": Template(" ({n} lignes en désaccord)", " ({n} rows disagree)"),
    "against_claim": Template("{label} : {mine} ; {other} : {theirs}{verdict}", "{label}: {mine}; {other}: {theirs}{verdict}"),
    "claims_agree": Template(".", "."),
    "claims_disagree": Template(" — les deux devraient concorder.", " — the two should agree."),
    "stated_times": Template("{label} : le document le dit {n} fois, {how}", "{label}: stated {n} times, {how}"),
    "always_same": Template("toujours de même.", "always the same."),
    "ways": Template("de {n} façons : {listed}.", "in {n} ways: {listed}."),
    "quoted": Template("« {text} »", "“{text}”"),
    "not_found": Template("{label} : phrase attendue introuvable dans le texte{detail}.",
                          "{label}: expected sentence not found in the text{detail}."),
    "unreadable": Template(" (texte illisible : « {text} »)", " (unreadable text: “{text}”)"),
}
PageLookup = Callable[[int], int | str | None]


def _no_pages(offset: int) -> None:
    """A text dump does not say on which page a passage stood."""
    return
_SLACK = 1e-6


@dataclass(frozen=True)
class Occurrence:
    """One place the prose states the claim, with each group's value."""

    start: int
    page: int | str | None
    snippet: str
    texts: dict[str, str]
    values: dict[str, float | str]
    tolerances: dict[str, float]


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text)
    return "".join(c for c in plain if not unicodedata.combining(c)).lower()


def parse_date(text: str) -> str:
    """"14 mars2017" -> "2017-03-14"."""
    match = re.fullmatch(r"(\d{1,2})\s*([a-zéû]+)\s*(\d{4})", _fold(text).strip().replace("û", "u"))
    if not match or match.group(2) not in _MONTHS:
        raise ValueError(f"date illisible « {text} »")
    return f"{match.group(3)}-{_MONTHS[match.group(2)]:02d}-{int(match.group(1)):02d}"


def _value(rule: ClaimRule, group: str, text: str) -> tuple[float | str, float]:
    if not rule.type:
        return _read_as_written(rule, group, text)
    if rule.type == "date":
        return parse_date(text), 0.0
    if rule.type == "text":
        return " ".join(_fold(text).split()), 0.0
    word = _WORD_NUMBERS.get(_fold(text).strip())
    if word is not None:
        return float(word), 0.0
    quantity = parse_quantity(text, rule.type, rule.unit)
    scale = rule.scale.get(group, 1.0)
    return quantity.value * scale, quantity.tolerance * scale


def _read_as_written(rule: ClaimRule, group: str, text: str) -> tuple[float | str, float]:
    """A claim of no stated type, compared with no table: a date if it reads as one, else a
    figure, else words."""
    for kind in ("date", "number", "text"):
        try:
            return _value(replace(rule, type=kind), group, text)
        except (QuantityError, ValueError):
            continue
    raise ValueError(text)


def find_occurrences(
    rule: ClaimRule, text: str, page_at: PageLookup = _no_pages,
) -> tuple[list[Occurrence], list[str]]:
    """Every place the prose states the claim; texts that match but cannot be read are returned apart."""
    found, unreadable = [], []
    for match in re.finditer(expand(rule.pattern, whole_numbers=True), text):
        snippet = " ".join(text[max(0, match.start() - _CONTEXT): match.end() + _CONTEXT].split())
        texts = {g: v for g, v in match.groupdict().items() if v is not None}
        try:
            parsed = {g: _value(rule, g, v) for g, v in texts.items()}
        except (QuantityError, ValueError):
            unreadable.append(snippet)
            continue
        found.append(Occurrence(match.start(), page_at(match.start()), snippet, texts,
                                {g: v for g, (v, _) in parsed.items()},
                                {g: t for g, (_, t) in parsed.items()}))
    return found, unreadable


_MONTH_NAMES = {
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
}


def _show(value: float | str, unit: str, lang: str) -> str:
    if isinstance(value, str):
        date = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
        if date:
            year, month, day = (int(x) for x in date.groups())
            return f"{day} {_MONTH_NAMES[lang][month - 1]} {year}"
        return value
    return format_quantity(value, unit, lang)


def check_claims(
    rules: tuple[ClaimRule, ...], text: str, tables: Mapping[str, ExtractedTable], document: str,
    page_at: PageLookup = _no_pages,
) -> list[Finding]:
    occurrences = {rule.key: find_occurrences(rule, text, page_at) for rule in rules}
    labels = {rule.key: (rule.label_fr, rule.label_en) for rule in rules}
    findings: list[Finding] = []
    for rule in rules:
        found, unreadable = occurrences[rule.key]
        unit = BASE_UNIT.get(rule.type, "") if rule.type not in ("date", "text") else ""
        if not found:
            findings.append(_not_found(rule, document, unreadable))
            continue
        for number, occurrence in enumerate(found, 1):
            for group, ref in rule.compare.items():
                if group in occurrence.values:
                    findings += _against_table(rule, occurrence, number, group, ref, tables, document, unit)
            for group, other_key in rule.claims.items():
                other = occurrences.get(other_key, ([], []))[0]
                if group in occurrence.values and other:
                    findings.append(_against_claim(rule, occurrence, number, group, other_key, other[0],
                                                   labels[other_key], document, unit))
        if rule.consistent and len(found) > 1:
            findings.append(_consistency(rule, found, document, unit))
    return findings


def _prose(occurrence: Occurrence) -> Location:
    return Location(page=occurrence.page, text=occurrence.snippet)


def claimed_spans(rules: Sequence[ClaimRule], text: str) -> list[tuple[int, int]]:
    """Where the spec's claims stand in the text, so that no other check reads those figures again."""
    return [match.span() for rule in rules for match in re.finditer(expand(rule.pattern, whole_numbers=True), text)]


def _against_table(
    rule: ClaimRule, occurrence: Occurrence, number: int, group: str, ref, tables, document: str, unit: str,
) -> list[Finding]:
    claimed = occurrence.values[group]
    try:
        resolved = resolve(ref, tables)
    except MissingCell as error:
        return [Finding(
            document=document, check="claim", status="fail", severity="warning", subject=rule.label_fr,
            field=group, observed=claimed, unit=unit, location=_prose(occurrence), key=f"{rule.key}-{number}",
            **MESSAGES["not_checkable"].message({"label": rule.label_fr, "error": error}, {"label": rule.label_en, "error": error}),
        )]
    values = resolved if isinstance(resolved, list) else [resolved]
    failing = [v for v in values if not _holds(rule.op, v, claimed, occurrence.tolerances.get(group, 0.0))]
    shown = failing[0] if failing else values[0]
    status = "fail" if failing else "pass"
    where = shown.location.table or f"{ref}"
    fr, en = MESSAGES["states" if rule.op == "eq" else "states_bound"].render(*(
        {"label": label, "claimed": _show(claimed, unit, lang), "where": where, "seen": _show(shown.value, unit, lang),
         "symbol": symbol}
        for lang, label, symbol in (("fr", rule.label_fr, _OP_WORDS[rule.op][0]), ("en", rule.label_en, _OP_WORDS[rule.op][1]))))
    if len(failing) > 1:
        disagree_fr, disagree_en = MESSAGES["rows_disagree"].render({"n": len(failing)})
        fr, en = fr[:-1] + disagree_fr + ".", en[:-1] + disagree_en + "."
    return [Finding(
        document=document, check="claim", status=status, severity=rule.severity if failing else "info",
        subject=rule.label_fr, field=group, expected=shown.value, observed=claimed, unit=unit,
        tables=(str(where),), location=_prose(occurrence),
        evidence=(shown.location, *shown.evidence, *(v.location for v in failing[1:])),
        message_fr=fr, message_en=en, key=f"{rule.key}-{number}",
    )]


def _holds(op: str, reference: CellValue, claimed: float | str, tolerance: float) -> bool:
    if isinstance(claimed, str):
        return _OPS[op](reference.value, claimed)
    if op == "eq":
        return abs(reference.value - claimed) <= max(tolerance, reference.tolerance) + _SLACK
    return _OPS[op](reference.value, claimed)


def _against_claim(
    rule: ClaimRule, occurrence: Occurrence, number: int, group: str, other_key: str, other: Occurrence,
    other_labels: tuple[str, str], document: str, unit: str,
) -> Finding:
    mine, theirs = occurrence.values[group], next(iter(other.values.values()))
    holds = _OPS[rule.op](theirs, mine) if rule.op != "eq" else theirs == mine
    return Finding(
        document=document, check="claim", status="pass" if holds else "fail",
        severity=rule.severity if not holds else "info", subject=rule.label_fr, field=other_key,
        expected=theirs, observed=mine, unit=unit, location=_prose(occurrence), evidence=(_prose(other),),
        **MESSAGES["against_claim"].message(*(
            {"label": label, "mine": _show(mine, unit, lang), "other": other_label, "theirs": _show(theirs, unit, lang),
             "verdict": verdict}
            for lang, label, other_label, verdict in zip(
                ("fr", "en"), (rule.label_fr, rule.label_en), other_labels,
                MESSAGES["claims_agree" if holds else "claims_disagree"].render({}), strict=True))),
        key=f"{rule.key}-{other_key}-{number}",
    )


def _consistency(rule: ClaimRule, found: list[Occurrence], document: str, unit: str) -> Finding:
    group = next(iter(found[0].values))
    values = [o.values.get(group) for o in found]
    distinct = list(dict.fromkeys(values))
    status = "pass" if len(distinct) == 1 else "fail"
    quoted = [MESSAGES["quoted"].render({"text": o.texts.get(group)}) for o in found]
    how = MESSAGES["always_same"].render({}) if status == "pass" else MESSAGES["ways"].render(
        {"n": len(distinct), "listed": " ; ".join(q[0] for q in quoted)},
        {"n": len(distinct), "listed": "; ".join(q[1] for q in quoted)})
    return Finding(
        document=document, check="claim", status=status, severity=rule.severity if status == "fail" else "info",
        subject=rule.label_fr, field="cohérence", expected=distinct[0], observed=distinct if len(distinct) > 1 else distinct[0],
        unit=unit, location=_prose(found[-1]), evidence=tuple(_prose(o) for o in found[:-1]),
        **MESSAGES["stated_times"].message({"label": rule.label_fr, "n": len(found), "how": how[0]},
                                           {"label": rule.label_en, "n": len(found), "how": how[1]}),
        key=f"{rule.key}-consistency",
    )


def _not_found(rule: ClaimRule, document: str, unreadable: list[str]) -> Finding:
    detail = MESSAGES["unreadable"].render({"text": unreadable[0]}) if unreadable else ("", "")
    return Finding(
        document=document, check="claim", status="fail", severity="warning", subject=rule.label_fr,
        field=rule.key, location=Location(text=unreadable[0] if unreadable else None),
        **MESSAGES["not_found"].message({"label": rule.label_fr, "detail": detail[0]},
                                        {"label": rule.label_en, "detail": detail[1]}),
        key=f"{rule.key}-missing",
    )


class ClaimsCheck(Check):
    """`checks.claims`: figures quoted in the prose, against the tables and each other."""

    name = "claims"
    schema = tuple[ClaimRule, ...]
    emits = (CLAIM,)
    messages = MESSAGES

    def references(self, config: tuple[ClaimRule, ...]) -> list[Reference]:
        return [Reference((i, "compare", group), ref.table, ref.column)
                for i, rule in enumerate(config) for group, ref in rule.compare.items()]

    def validate(self, config: tuple[ClaimRule, ...], spec: DocumentSpec, path: tuple[str | int, ...],
                 others: Mapping[str, Any]) -> None:
        super().validate(config, spec, path, others)
        keys = {rule.key for rule in config}
        for i, rule in enumerate(config):
            if rule.type not in COLUMN_TYPES + ("date", ""):
                raise SpecValueError(path + (i, "type"), f"{dotted(path + (i, 'type'))}: type inconnu / unknown type "
                                     f"{rule.type!r} (one of {', '.join(COLUMN_TYPES + ('date',))})")
            unknown = set(rule.claims.values()) - keys
            if unknown:
                raise SpecValueError(path + (i, "claims"), f"{dotted(path + (i, 'claims'))}: affirmation inconnue / "
                                     f"unknown claim {sorted(unknown)}")
            try:
                groups = re.compile(expand(rule.pattern, whole_numbers=True)).groupindex
            except re.error as error:
                raise SpecValueError(path + (i, "pattern"), f"{dotted(path + (i, 'pattern'))}: regex invalide / "
                                     f"invalid regex {rule.pattern!r} ({error})") from error
            for part in ("compare", "claims", "scale"):
                for group in getattr(rule, part):
                    if group not in groups:
                        where = path + (i, part, group)
                        raise SpecValueError(where, f"{dotted(where)}: le motif n’a pas de groupe « {group} » "
                                             f"/ the pattern has no group '{group}'")

    def run(self, context: CheckContext, config: tuple[ClaimRule, ...]) -> list[Finding]:
        document = context.document
        return check_claims(config, document.text, context.tables, document.name, document.page_at)
