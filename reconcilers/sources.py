"""Who pays and who acts: funding-source names, each source's total and share, and the
acronyms naming sources and bodies, against the table of source totals and the legend.

A budget line names its source as the writer typed it ("Tresor", "TRESOR", an acronym misspelt); each
spelling is tied to a name of the source-totals table by `names.joined_ratio` (the folded,
space-free rapidfuzz ratio: case and accents never count, a dropped letter costs ~10
points), so that the lines can be summed per source and the stated totals checked.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import pandas as pd

from extractors.quantity import (
    QuantityError,
    format_number,
    format_quantity,
    parse_quantity,
)
from extractors.spec import SPEC_RECORD
from extractors.table import ROW_KIND, ROW_LABEL, ExtractedTable
from reconcilers.cells import cell_location, unit_of
from reconcilers.finding import Finding, Location
from reconcilers.names import fold, joined_ratio
from reconcilers.parts import Template
from reconcilers.totals import sum_finding

_ROUNDING = {
    "half_up": (ROUND_HALF_UP, "demi vers le haut", "half up"),
    "half_even": (ROUND_HALF_EVEN, "demi au pair", "half to even"),
}


MESSAGES: dict[str, Template] = {
    "quoted": Template("« {text} »", "“{text}”"),
    "lines_amount": Template("{n} ligne{s}, {amount}", "{n} line{s}, {amount}"),
    "source_unknown": Template(
        "Source « {spelling} » ({count}) : aucune source du tableau des totaux ne lui correspond "
        "(la plus proche : {best}, score {score} < {threshold}).",
        "Source “{spelling}” ({count}): no source of the totals table matches it "
        "(closest: {best}, score {score} < {threshold})."),
    "source_exact": Template("Source « {spelling} » ({count}) : écrite comme dans le tableau des totaux.",
                             "Source “{spelling}” ({count}): spelt as in the totals table."),
    "source_variant": Template("Source « {spelling} » ({count}) {how} de « {canonical} » (score {score}) : comptée avec {canonical}.",
                               "Source “{spelling}” ({count}) {how} of “{canonical}” (score {score}): counted with {canonical}."),
    "case_only": Template("ne diffère que par la casse ou les accents", "differs only in case or accents"),
    "variant": Template("est une variante", "is a variant"),
    "by_source_sum": Template("somme des {n} lignes financées par {by}", "sum of the {n} lines funded by {by}"),
    "source_gap": Template("{name} {gap}", "{name} {gap}"),
    "no_source_short": Template("aucune source", "no source"),
    "gap_by_source": Template(
        "Écart entre le total général et ses lignes : {gap} ; écarts par source (total annoncé − lignes) : {parts}.",
        "Gap between the grand total and its lines: {gap}; gaps by source (stated total − lines): {parts}."),
    "percentage": Template("{label} : {amount} sur {base} = {share} %, arrondi {places} ({rule}) : {rounded} % ; "
                           "annoncé {stated} %{verdict}",
                           "{label}: {amount} of {base} = {share}%, rounded {places} ({rule}): {rounded}%; "
                           "stated {stated}%{verdict}"),
    "whole_number": Template("à l’unité", "to a whole number"),
    "decimal_places": Template("à {n} décimale{s}", "to {n} decimal{s}"),
    "as_stated": Template(" — conforme.", " — as stated."),
    "not_as_stated": Template(" — non conforme.", " — does not match."),
    "uses": Template("{n} emploi{s}", "{n} use{s}"),
    "acronym_undefined": Template("Sigle « {term} » employé ({count}, écrit {written}) mais absent de la légende.",
                                  "Acronym “{term}” used ({count}, written {written}) but not defined in the legend."),
    "acronym_variant": Template("Sigle « {term} » ({meaning}) écrit autrement que dans la légende : {others} ({count}).",
                                "Acronym “{term}” ({meaning}) written differently from the legend: {others} ({count})."),
    "acronym_defined": Template("Sigle « {term} » défini dans la légende : {meaning} ({count}).",
                                "Acronym “{term}” defined in the legend: {meaning} ({count})."),
}


def _quoted(items: Iterable[str]) -> tuple[str, str]:
    """« a », « b » in French, “a”, “b” in English."""
    said = [MESSAGES["quoted"].render({"text": item}) for item in items]
    return ", ".join(fr for fr, _ in said), ", ".join(en for _, en in said)


def _plural(n: int) -> str:
    return "s" if n > 1 else ""


@dataclass(frozen=True)
class SourcesConfig:
    """The table of totals by funding source: its columns and how its percentages are rounded."""

    __pydantic_config__ = SPEC_RECORD

    table: str
    name: str = "name"
    amount: str = "amount"
    percent: str = "percent"
    threshold: float = 80.0
    rounding: str = "half_up"

    def __post_init__(self) -> None:
        if self.rounding not in _ROUNDING:
            raise ValueError(f"budget sources: unknown rounding {self.rounding!r} (one of {sorted(_ROUNDING)})")


@dataclass(frozen=True)
class LegendConfig:
    """The legend of acronyms."""

    __pydantic_config__ = SPEC_RECORD

    table: str
    acronym: str = "acronym"
    definition: str = "definition"


@dataclass(frozen=True)
class AcronymConfig:
    """Which columns name bodies or sources, and what an acronym looks like there."""

    __pydantic_config__ = SPEC_RECORD

    columns: tuple[str, ...] = ()
    split: str = "/"                     # separates several bodies in one cell ("CP/CCA/SP")
    pattern: str = r"^[A-Z]{2,}$"        # a part or word in capitals is an acronym
    threshold: float = 85.0


@dataclass(frozen=True)
class SourceMatch:
    """One spelling of a source in the budget lines, the source it names, and how sure."""

    spelling: str
    canonical: str | None                # None: no source of the totals table is close enough
    best: str                            # the closest name, even below the threshold
    score: float
    rows: tuple[int, ...]


@dataclass(frozen=True)
class SourceSum:
    """A source's lines added up, against the total the document states for it."""

    name: str
    spellings: tuple[str, ...]
    rows: tuple[int, ...]
    computed: float
    stated: float
    index: int                           # its row in the source-totals table


def legend_terms(legend: ExtractedTable | None, config: LegendConfig | None) -> dict[str, str]:
    """Acronym -> definition, the acronym without the colon the legend puts after it."""
    if legend is None or config is None:
        return {}
    items = legend.items()
    return {_bare(str(a)): str(d) for a, d in zip(items[config.acronym], items[config.definition]) if _bare(str(a))}


def _bare(text: str) -> str:
    return text.strip().strip(":;,.").strip()


def match_sources(
    lines: ExtractedTable, source_column: str, sources: ExtractedTable, config: SourcesConfig,
    legend: dict[str, str],
) -> dict[str, SourceMatch]:
    """Each spelling of the source column tied to a name of the totals table (or to none).

    A source may also be written out as the legend defines it ("Partenaires au Développement").
    """
    names = [str(n) for n in sources.items()[config.name]]
    aliases = [(name, name) for name in names]
    aliases += [(name, definition) for name in names for acronym, definition in legend.items()
                if fold(acronym) == fold(name)]
    spellings: dict[str, list[int]] = {}
    for index, text in lines.items()[source_column].items():
        if str(text).strip():
            spellings.setdefault(str(text).strip(), []).append(int(index))
    matches = {}
    for spelling, rows in spellings.items():
        score, best = max(((joined_ratio(spelling, alias), name) for name, alias in aliases), default=(0.0, ""))
        matches[spelling] = SourceMatch(spelling, best if score >= config.threshold else None, best,
                                        round(score, 1), tuple(rows))
    return matches


def check_source_names(
    matches: dict[str, SourceMatch], lines: ExtractedTable, source_column: str, amount_column: str,
    sources: ExtractedTable, config: SourcesConfig,
) -> list[Finding]:
    """Each spelling with the source it was read as and its score: exact, variant, or unknown."""
    findings = []
    unit = unit_of(lines, amount_column)
    for match in matches.values():
        amount = math.fsum(float(v) for v in lines.values.loc[list(match.rows), amount_column] if not pd.isna(v))
        said = {lang: {"spelling": match.spelling, "best": match.best, "canonical": match.canonical,
                       "score": format_number(match.score, lang), "threshold": format_number(config.threshold, lang)}
                for lang in ("fr", "en")}
        counts = MESSAGES["lines_amount"].render(
            {"n": len(match.rows), "s": _plural(len(match.rows)), "amount": format_quantity(amount, unit, "fr")},
            {"n": len(match.rows), "s": _plural(len(match.rows)), "amount": format_quantity(amount, unit, "en")})
        said["fr"]["count"], said["en"]["count"] = counts
        if match.canonical is None:
            status, severity = "fail", "error"
            fr, en = MESSAGES["source_unknown"].render(said["fr"], said["en"])
        elif match.spelling == match.canonical:
            status, severity = "pass", "info"
            fr, en = MESSAGES["source_exact"].render(said["fr"], said["en"])
        else:
            same = fold(match.spelling) == fold(match.canonical)
            status, severity = "fail", "info" if same else "warning"
            said["fr"]["how"], said["en"]["how"] = MESSAGES["case_only" if same else "variant"].render({})
            fr, en = MESSAGES["source_variant"].render(said["fr"], said["en"])
        findings.append(Finding(
            document=lines.provenance.document, check="source_name", status=status, severity=severity,
            subject=match.spelling, field=lines.column(source_column).label,
            expected=match.canonical or match.best, observed=match.spelling, unit="",
            tables=(lines.provenance.title, sources.provenance.title),
            location=cell_location(lines, match.rows[0], source_column),
            evidence=tuple(cell_location(lines, i, source_column) for i in match.rows[1:]),
            message_fr=fr, message_en=en, key=str(lines.cells.at[match.rows[0], ROW_LABEL]),
        ))
    return findings


def source_sums(
    matches: dict[str, SourceMatch], lines: ExtractedTable, amount_column: str,
    sources: ExtractedTable, config: SourcesConfig,
) -> list[SourceSum]:
    """Each source of the totals table: the lines whose spelling was read as it, added up."""
    sums = []
    for index in sources.items().index:
        name = str(sources.values.at[index, config.name])
        tied = [m for m in matches.values() if m.canonical == name]
        rows = tuple(sorted(r for m in tied for r in m.rows))
        amounts = [float(lines.values.at[r, amount_column]) for r in rows if not pd.isna(lines.values.at[r, amount_column])]
        stated = sources.values.at[index, config.amount]
        sums.append(SourceSum(name, tuple(m.spelling for m in tied), rows, math.fsum(amounts),
                              math.nan if pd.isna(stated) else float(stated), int(index)))
    return sums


def check_source_totals(sums: list[SourceSum], lines: ExtractedTable, amount_column: str,
                        sources: ExtractedTable, config: SourcesConfig) -> list[Finding]:
    """Each source's stated total against the lines it funds; the difference is that source's gap."""
    findings = []
    for total in sums:
        if math.isnan(total.stated):
            continue
        spelt, spelt_en = _quoted(total.spellings)
        finding = sum_finding(
            sources, total.index, config.amount, total.computed, total.stated,
            tuple(cell_location(lines, r, amount_column) for r in total.rows),
            *MESSAGES["by_source_sum"].render({"n": len(total.rows), "by": spelt or total.name},
                                              {"n": len(total.rows), "by": spelt_en or total.name}),
        )
        findings.append(replace(finding, key="by_source",
                                tables=(lines.provenance.title, sources.provenance.title)))
    return findings


def gap_by_source(sums: list[SourceSum], gap: float, where: Location, document: str,
                  tables: tuple[str, ...], unit: str) -> Finding:
    """Where the gap between the grand total and its lines sits: the sources whose lines fall short."""
    short = [s for s in sums if not math.isnan(s.stated) and abs(s.stated - s.computed) > 1e-6]
    gaps = [MESSAGES["source_gap"].render({"name": s.name, "gap": format_quantity(s.stated - s.computed, unit, "fr")},
                                          {"name": s.name, "gap": format_quantity(s.stated - s.computed, unit, "en")})
            for s in short]
    none_fr, none_en = MESSAGES["no_source_short"].render({})
    fr, en = MESSAGES["gap_by_source"].render(
        {"gap": format_quantity(gap, unit, "fr"), "parts": " ; ".join(fr for fr, _ in gaps) or none_fr},
        {"gap": format_quantity(gap, unit, "en"), "parts": "; ".join(en for _, en in gaps) or none_en})
    return Finding(
        document=document, check="sum_total", status="pass" if abs(gap) <= 1e-6 else "fail",
        severity="info", subject=where.row or "", field=where.column or "", expected=0.0, observed=gap,
        unit=unit, tables=tables, location=where,
        message_fr=fr, message_en=en,
        key="gap_by_source",
    )


def check_percentages(sources: ExtractedTable, config: SourcesConfig) -> list[Finding]:
    """Each stated percentage against the source's share of the Total row, rounded as written."""
    totals = sources.values.index[sources.values[ROW_KIND] == "total"]
    items = sources.items()
    base = float(sources.values.at[totals[0], config.amount]) if len(totals) else float(items[config.amount].sum())
    mode, rule_fr, rule_en = _ROUNDING[config.rounding]
    unit = unit_of(sources, config.amount)
    findings = []
    for index in sources.values.index:
        stated, amount = sources.values.at[index, config.percent], sources.values.at[index, config.amount]
        if pd.isna(stated) or pd.isna(amount) or not base:
            continue
        decimals = _decimals(str(sources.cells.at[index, config.percent]))
        share = 100 * float(amount) / base
        rounded = float(Decimal(repr(round(share, 9))).quantize(Decimal(1).scaleb(-decimals), rounding=mode))
        passed = abs(rounded - float(stated)) <= 1e-9
        label = str(sources.cells.at[index, ROW_LABEL])
        places = MESSAGES["decimal_places"].render({"n": decimals, "s": _plural(decimals)}) if decimals \
            else MESSAGES["whole_number"].render({})
        verdict = MESSAGES["as_stated" if passed else "not_as_stated"].render({})
        fr, en = MESSAGES["percentage"].render(
            {"label": label, "amount": format_quantity(float(amount), unit, "fr"), "base": format_quantity(base, unit, "fr"),
             "share": format_number(share, "fr", 2), "places": places[0], "rule": rule_fr,
             "rounded": format_number(rounded, "fr", decimals), "stated": format_number(float(stated), "fr"),
             "verdict": verdict[0]},
            {"label": label, "amount": format_quantity(float(amount), unit, "en"), "base": format_quantity(base, unit, "en"),
             "share": f"{share:.2f}", "places": places[1], "rule": rule_en, "rounded": f"{rounded:.{decimals}f}",
             "stated": f"{float(stated):g}", "verdict": verdict[1]})
        findings.append(Finding(
            document=sources.provenance.document, check="percentage", status="pass" if passed else "fail",
            severity="error", subject=label, field=sources.column(config.percent).label,
            expected=round(share, 4), observed=float(stated), unit="%", tables=(sources.provenance.title,),
            location=cell_location(sources, int(index), config.percent),
            evidence=(cell_location(sources, int(index), config.amount),),
            message_fr=fr, message_en=en, key=sources.key,
        ))
    return findings


def _decimals(text: str) -> int:
    try:
        return parse_quantity(text, "percent").decimals
    except QuantityError:
        return 0


def by_source_frame(sums: list[SourceSum], sources: ExtractedTable, config: SourcesConfig) -> pd.DataFrame:
    """One row per source: its spellings, lines, computed and stated totals, gap and shares."""
    totals = sources.values.index[sources.values[ROW_KIND] == "total"]
    base = float(sources.values.at[totals[0], config.amount]) if len(totals) else math.fsum(s.stated for s in sums)
    return pd.DataFrame([{
        "source": s.name, "spellings": " | ".join(s.spellings), "lines": len(s.rows),
        "computed": round(s.computed, 6), "stated": s.stated, "gap": round(s.stated - s.computed, 6),
        "stated_percent": sources.values.at[s.index, config.percent],
        "computed_percent": round(100 * s.stated / base, 4) if base else math.nan,
        "unit": unit_of(sources, config.amount),
    } for s in sums], columns=["source", "spellings", "lines", "computed", "stated", "gap",
                               "stated_percent", "computed_percent", "unit"])


@dataclass
class _Term:
    """An acronym as used: the spellings met and the cells they stand in."""

    spellings: dict[str, list[tuple[int, str]]]


def check_acronyms(
    table: ExtractedTable, config: AcronymConfig, legend: dict[str, str], source_names: tuple[str, ...],
    legend_title: str,
) -> list[Finding]:
    """Every acronym used in the configured columns: defined by the legend, written otherwise, or
    not defined. A term also written in lower case somewhere ("Tresor") is a word, not an acronym."""
    known = list(legend) + [n for n in source_names if n not in legend]
    aliases = [(term, term) for term in known] + [(term, definition) for term, definition in legend.items()]
    terms: dict[str, _Term] = {}
    for column in config.columns:
        for index, text in table.items()[column].items():
            for term, spelling in _terms(str(text), known, aliases, config):
                terms.setdefault(term, _Term({})).spellings.setdefault(spelling, []).append((int(index), column))
    findings = []
    for term, used in sorted(terms.items()):
        if term not in legend and any(not _capitals(s) for s in used.spellings):
            continue
        findings.append(_acronym_finding(table, term, used, legend, legend_title))
    return findings


def _terms(text: str, known: list[str], aliases: list[tuple[str, str]],
           config: AcronymConfig) -> list[tuple[str, str]]:
    """(term, spelling) pairs in a cell: the whole cell if it names a known term, else its parts."""
    whole = _known_term(text, known, aliases, config.threshold)
    if whole:
        return [(whole, text.strip())]
    found = []
    for part in filter(None, (p.strip() for p in re.split(config.split, text))):
        term = _known_term(part, known, aliases, config.threshold)
        if term:
            found.append((term, part))
            continue
        words = part.split() if len(part.split()) > 1 else [part]
        found += [(word, word) for word in (w.strip("()[].,;:'’") for w in words) if re.match(config.pattern, word)]
    return found


def _known_term(text: str, known: list[str], aliases: list[tuple[str, str]], threshold: float) -> str | None:
    """The legend acronym or source a text names: exactly (folded), else by a close score."""
    bare = fold(text).replace(" ", "")
    if not bare:
        return None
    for term in known:
        if fold(term).replace(" ", "") == bare:
            return term
    score, term = max(((joined_ratio(text, alias), term) for term, alias in aliases), default=(0.0, None))
    return term if score >= threshold else None


def _capitals(spelling: str) -> bool:
    letters = [c for c in spelling if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _acronym_finding(table: ExtractedTable, term: str, used: _Term, legend: dict[str, str], legend_title: str) -> Finding:
    cells = [cell for uses in used.spellings.values() for cell in uses]
    locations = tuple(cell_location(table, index, column) for index, column in cells)
    spellings = tuple(used.spellings)
    others = tuple(s for s in spellings if s != term)
    count = MESSAGES["uses"].render({"n": len(cells), "s": _plural(len(cells))})
    written, others_said = _quoted(spellings), _quoted(others)
    said = [{"term": term, "meaning": legend.get(term, ""), "count": count[i], "written": written[i],
             "others": others_said[i]} for i in (0, 1)]
    if term not in legend:
        status, severity, template = "fail", "warning", "acronym_undefined"
    elif others:
        status, severity, template = "fail", "info", "acronym_variant"
    else:
        status, severity, template = "pass", "info", "acronym_defined"
    fr, en = MESSAGES[template].render(*said)
    return Finding(
        document=table.provenance.document, check="acronym", status=status, severity=severity,
        subject=term, field="sigle", expected=term if term in legend else None, observed=spellings,
        tables=(table.provenance.title, legend_title), location=locations[0], evidence=locations[1:],
        message_fr=fr, message_en=en,
    )
