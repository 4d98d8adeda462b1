"""Every check of one EITI Summary Data declaration: pure functions from its parts to Findings.

Order: the parts present, the currency, then Part 3b against Part 4 (agencies), Part 3a against
Part 5 (companies), Part 4 against Part 5 (streams), then the cells themselves (GFS codes, duplicates,
numbers held as text, blanks in required fields, negative values) and Part 1's counts.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import partial

from extractors.quantity import format_number, format_quantity
from reconcilers.finding import Finding, Location
from reconcilers.summary_data.gfs import judge
from reconcilers.summary_data.template import (
    EXPECTED_PARTS,
    PART_ORDER,
    Declaration,
    PartTable,
    read_date,
    read_figure,
    template,
)
from reconcilers.summary_data.totals import (
    Comparison,
    Currencies,
    Entry,
    Materiality,
    compare,
    core_name,
)

SYSTEMIC_SHARE = 0.5       # past this share of subjects in disagreement, a part is not reconciled line by line
SYSTEMIC_MINIMUM = 5       # ... provided there are at least this many subjects
EVIDENCE_KEPT = 20         # cells listed in an aggregated finding


@dataclass(frozen=True)
class DeclarationResult:
    """What the report shows of one declaration, and its findings."""

    declaration: Declaration
    currencies: Currencies
    materiality: Materiality
    findings: tuple[Finding, ...]
    agencies: tuple[Comparison, ...] = ()
    companies: tuple[Comparison, ...] = ()
    streams: tuple[Comparison, ...] = ()
    systemic: dict[str, str] = field(default_factory=dict)    # side -> why it was not reconciled line by line
    revenue_total: float | None = None         # Part 4, in the declared currency
    revenue_reconciled: float | None = None    # of which agencies that agree
    classifications: tuple[Comparison, ...] = ()   # Part 4 against Part 5 per GFS classification

    @property
    def coverage(self) -> float | None:
        if not self.revenue_total:
            return None
        return (self.revenue_reconciled or 0.0) / self.revenue_total


def _title(part: str, lang: str) -> str:
    spec = template()[1][part]
    return spec.title_fr if lang == "fr" else spec.title_en


class _Findings:
    """Collects one declaration's findings with its name as their document."""

    def __init__(self, document: str) -> None:
        self.document = document
        self.items: list[Finding] = []

    def add(self, check: str, status: str, severity: str, subject: str, field: str, fr: str, en: str,
            **extra: object) -> None:
        self.items.append(Finding(document=self.document, check=check, status=status, severity=severity,
                                  subject=subject, field=field, message_fr=fr, message_en=en, **extra))


def check_declaration(declaration: Declaration, materiality: Materiality) -> DeclarationResult:
    found = _Findings(declaration.name)
    _check_parts(declaration, found)
    currencies = _currencies(declaration, found)
    _check_line_currencies(declaration, currencies, found)
    agencies = compare(_entries(declaration, "3b", "agency", "total"),
                       _entries(declaration, "4", "agency", "value"), currencies, materiality)
    _report_comparisons(agencies, "agency_total", "3b", "4", currencies, materiality, found, systemic=None)
    systemic: dict[str, str] = {}
    companies: list[Comparison] = []
    streams: list[Comparison] = []
    classifications: list[Comparison] = []
    if declaration.parts.get("5"):
        companies = compare(_entries(declaration, "3a", "company", "payments"),
                            _entries(declaration, "5", "company", "value"), currencies, materiality)
        streams = compare(_entries(declaration, "4", "stream", "value"),
                          _entries(declaration, "5", "stream", "value"), currencies, materiality)
        classifications = compare(_entries(declaration, "4", "gfs", "value"), _gfs_entries(declaration),
                                  currencies, materiality)
        systemic = _systemic(declaration, {"companies": (companies, "3a"), "streams": (streams, "4"),
                                           "classifications": (classifications, "4")}, found)
        _report_comparisons(companies, "company_total", "3a", "5", currencies, materiality, found,
                            systemic=systemic.get("companies"))
        _report_comparisons(streams, "stream_total", "4", "5", currencies, materiality, found,
                            systemic=systemic.get("streams"))
        _report_comparisons(classifications, "stream_total", "4", "5", currencies, materiality, found,
                            systemic=systemic.get("classifications"))
    _check_gfs(declaration, found)
    _check_duplicates(declaration, found)
    _check_cells(declaration, found)
    _check_counts(declaration, found)
    total, reconciled = _coverage(declaration, agencies, currencies)
    return DeclarationResult(declaration, currencies, materiality, tuple(found.items), tuple(agencies),
                             tuple(companies), tuple(streams), systemic, total, reconciled, tuple(classifications))


# --- Parts and period --------------------------------------------------------------------------------------


def _check_parts(declaration: Declaration, found: _Findings) -> None:
    present = [p for p in PART_ORDER if declaration.parts.get(p)]
    for part in EXPECTED_PARTS + ("3c",):
        pieces = declaration.parts.get(part, ())
        if pieces:
            files = ", ".join(dict.fromkeys(piece.table.document for piece in pieces))
            rows = sum(len(piece.rows) for piece in pieces)
            found.add("declaration_part", "pass", "info", _title(part, "en"), "part",
                      f"{_title(part, 'fr')} : {rows} ligne(s) lue(s) dans {files}.",
                      f"{_title(part, 'en')}: {rows} row(s) read from {files}.",
                      observed=rows, unit="count", location=Location(table=files))
            continue
        severity = "info" if part == "3c" else "warning"
        found.add("declaration_part", "fail", severity, _title(part, "en"), "part",
                  f"{_title(part, 'fr')} absente de la déclaration {declaration.name} (parties lues : "
                  f"{', '.join(present)}).",
                  f"{_title(part, 'en')} missing from the declaration {declaration.name} (parts read: "
                  f"{', '.join(present)}).", expected=part, observed=present)
    period = (declaration.start, declaration.end)
    for part in present:
        off = Counter()
        first: Location | None = None
        for table, row, record in declaration.rows(part):
            dates = (read_date(record.get("start", "")), read_date(record.get("end", "")))
            if dates != period and (record.get("start") or record.get("end")):
                off[f"{record.get('start', '')} – {record.get('end', '')}"] += 1
                first = first or table.location(row, "end")
        if off:
            shown = ", ".join(f"{k} ({v})" for k, v in off.most_common(5))
            found.add("declaration_part", "fail", "info", _title(part, "en"), "period",
                      f"{_title(part, 'fr')} : {sum(off.values())} ligne(s) portent une autre période que "
                      f"{_period(declaration)} : {shown}.",
                      f"{_title(part, 'en')}: {sum(off.values())} row(s) state another period than "
                      f"{_period(declaration)}: {shown}.", expected=_period(declaration),
                      observed=list(off), location=first or Location())


def _period(declaration: Declaration) -> str:
    return f"{declaration.start or '?'} – {declaration.end or '?'}"


# --- Currencies --------------------------------------------------------------------------------------------


def _part1(declaration: Declaration) -> tuple[PartTable, int, dict[str, str]] | None:
    rows = declaration.rows("1")
    if not rows:
        return None
    table, row, record = rows[0]
    return table, row, dict(record)


def _currencies(declaration: Declaration, found: _Findings) -> Currencies:
    """The declaration's currency (Part 1's reporting currency, else its national one, else Part 4's most
    used) and the Part 1 rate when it reads as a number."""
    part1 = _part1(declaration)
    rate = None
    if part1:
        table, row, record = part1
        figure = read_figure(record.get("exchange_rate", ""))
        rate = figure.value if figure.usable and figure.value > 0 else None
        for field, source in (("reporting_currency", "part1"), ("national_currency", "part1-national")):
            code = record.get(field, "").strip().upper()
            if len(code) == 3 and code.isalpha():
                if source == "part1-national":
                    found.add("currency", "fail", "warning", "Part 1", "reporting_currency",
                              f"Partie 1 : devise de déclaration illisible (« {record.get('reporting_currency', '')} ») ; "
                              f"la monnaie nationale {code} est retenue.",
                              f"Part 1: reporting currency unreadable (“{record.get('reporting_currency', '')}”); "
                              f"the national currency {code} is used.",
                              location=table.location(row, "reporting_currency"))
                return Currencies(code, source, rate)
    used = Counter(record.get("currency", "").strip().upper() for _, _, record in declaration.rows("4"))
    used.pop("", None)
    code = used.most_common(1)[0][0] if used else ""
    return Currencies(code, "part4", rate)


def _check_line_currencies(declaration: Declaration, currencies: Currencies, found: _Findings) -> None:
    """A line's currency against the declaration's: one finding per part and currency."""
    for part in ("4", "5"):
        by_currency: dict[str, list[tuple[PartTable, int, float]]] = defaultdict(list)
        for table, row, record in declaration.rows(part):
            currency = record.get("currency", "").strip().upper()
            if currency:
                by_currency[currency].append((table, row, read_figure(record.get("value", "")).value))
        if not by_currency:
            continue
        for currency, lines in sorted(by_currency.items()):
            if currency == currencies.declared:
                found.add("currency", "pass", "warning", _title(part, "en"), currency,
                          f"{_title(part, 'fr')} : {len(lines)} ligne(s) en {currency}, la devise de la déclaration.",
                          f"{_title(part, 'en')}: {len(lines)} line(s) in {currency}, the declaration's currency.",
                          observed=len(lines), unit="count", key=currency)
                continue
            total = sum(v for _, _, v in lines if not math.isnan(v))
            rate = currencies.rate
            convertible = currencies.convert(1.0, currency, currencies.declared) is not None
            how_fr = (f"convertie(s) au taux de la partie 1 (1 USD = {format_number(rate, 'fr')} {currencies.declared})"
                      if convertible and rate else "sans taux de conversion : comparées dans leur propre devise")
            how_en = (f"converted at the Part 1 rate (1 USD = {format_number(rate, 'en')} {currencies.declared})"
                      if convertible and rate else "no conversion rate: compared in their own currency")
            table, row, _ = lines[0]
            found.add("currency", "fail", "warning", _title(part, "en"), currency,
                      f"{_title(part, 'fr')} : {len(lines)} ligne(s) en {currency} ({format_quantity(total, currency, 'fr')}) "
                      f"alors que la déclaration est en {currencies.declared} ; {how_fr}.",
                      f"{_title(part, 'en')}: {len(lines)} line(s) in {currency} ({format_quantity(total, currency, 'en')}) "
                      f"while the declaration is in {currencies.declared}; {how_en}.",
                      expected=currencies.declared, observed=currency, key=currency,
                      location=table.location(row, "currency"))


# --- Totals against lines ----------------------------------------------------------------------------------


def _entries(declaration: Declaration, part: str, name_field: str, value_field: str) -> list[Entry]:
    entries = []
    for table, row, record in declaration.rows(part):
        name = record.get(name_field, "").strip()
        if not name:
            continue
        figure = read_figure(record.get(value_field, ""))
        entries.append(Entry(name, figure.value if figure.kind == "number" else math.nan,
                             record.get("currency", "").strip().upper(), partial(table.location, row, value_field)))
    return entries


def _gfs_entries(declaration: Declaration) -> list[Entry]:
    """Part 5 lines under the GFS classification Part 4 gives their revenue stream (Part 5 has none of its
    own); a stream Part 4 classifies two ways, or not at all, is left out."""
    classes: dict[str, set[str]] = defaultdict(set)
    for _, _, record in declaration.rows("4"):
        if record.get("stream") and record.get("gfs"):
            classes[core_name(record["stream"])].add(record["gfs"].strip())
    entries = []
    for entry in _entries(declaration, "5", "stream", "value"):
        known = classes.get(core_name(entry.name), set())
        if len(known) == 1:
            entries.append(Entry(next(iter(known)), entry.value, entry.currency, entry.locate))
    return entries


_WHAT = {
    "agency_total": ("l’entité", "agency", "total déclaré (partie 3b)", "total reported (Part 3b)",
                     "somme de ses lignes de la partie 4", "sum of its Part 4 lines"),
    "company_total": ("l’entreprise", "company", "paiements déclarés (partie 3a)", "payments reported (Part 3a)",
                      "somme de ses lignes de la partie 5", "sum of its Part 5 lines"),
    "stream_total": ("le flux", "stream", "somme de la partie 4", "Part 4 sum",
                     "somme de la partie 5", "Part 5 sum"),
}


def _report_comparisons(
    items: list[Comparison], check: str, left: str, right: str, currencies: Currencies,
    materiality: Materiality, found: _Findings, systemic: str | None,
) -> None:
    """One finding per subject; when the part is not reconcilable line by line (systemic), only the
    subjects' statuses are kept for the report, the one systemic finding standing for them."""
    if systemic:
        return
    who_fr, who_en, left_fr, left_en, right_fr, right_en = _WHAT[check]
    rule_fr = _rule(materiality, currencies, "fr")
    rule_en = _rule(materiality, currencies, "en")
    for item in items:
        unit = item.currency
        location = item.location or Location()
        extra = dict(unit=unit, location=location, evidence=item.evidence, key=core_name(item.subject))
        name = f"« {item.subject} »"
        name_en = f"“{item.subject}”"
        note_fr = f" ({item.note_fr})" if item.note_fr else ""
        note_en = f" ({item.note_en})" if item.note_en else ""
        if item.status == "agrees":
            found.add(check, "pass", "error", item.subject, "total",
                      f"{who_fr.capitalize()} {name} : {left_fr} {_money(item.stated, unit, 'fr')}, {right_fr} "
                      f"{_money(item.lines, unit, 'fr')} ({item.line_count} ligne(s)) — concordant ({rule_fr}){note_fr}.",
                      f"{who_en.capitalize()} {name_en}: {left_en} {_money(item.stated, unit, 'en')}, {right_en} "
                      f"{_money(item.lines, unit, 'en')} ({item.line_count} line(s)) — agrees ({rule_en}){note_en}.",
                      expected=item.lines if item.lines is not None else 0.0, observed=item.stated, **extra)
        elif item.status == "differs":
            found.add(check, "fail", "error", item.subject, "total",
                      f"{who_fr.capitalize()} {name} : {left_fr} {_money(item.stated, unit, 'fr')}, {right_fr} "
                      f"{_money(item.lines, unit, 'fr')} ({item.line_count} ligne(s)), écart "
                      f"{_money(item.difference, unit, 'fr')} au-delà du seuil ({rule_fr}){note_fr}.",
                      f"{who_en.capitalize()} {name_en}: {left_en} {_money(item.stated, unit, 'en')}, {right_en} "
                      f"{_money(item.lines, unit, 'en')} ({item.line_count} line(s)), difference "
                      f"{_money(item.difference, unit, 'en')} beyond the threshold ({rule_en}){note_en}.",
                      expected=item.lines, observed=item.stated, **extra)
        elif item.status == "no_lines":
            blank_fr = f" ({item.blank_lines} ligne(s), toutes vides)" if item.blank_lines else ""
            blank_en = f" ({item.blank_lines} line(s), all blank)" if item.blank_lines else ""
            found.add(check, "fail", "warning", item.subject, "total",
                      f"{who_fr.capitalize()} {name} : {left_fr} {_money(item.stated, unit, 'fr')} mais aucun montant "
                      f"en partie {right}{blank_fr}.",
                      f"{who_en.capitalize()} {name_en}: {left_en} {_money(item.stated, unit, 'en')} but no amount in "
                      f"Part {right}{blank_en}.", expected=0.0, observed=item.stated, **extra)
        elif item.status == "empty":
            found.add(check, "fail", "info", item.subject, "total",
                      f"{who_fr.capitalize()} {name} : listé(e) en partie {left}, sans total ni montant en partie {right}.",
                      f"{who_en.capitalize()} {name_en}: listed in Part {left}, with no total and no amount in Part {right}.",
                      **extra)
        elif item.status == "no_total":
            found.add(check, "fail", "warning", item.subject, "total",
                      f"{who_fr.capitalize()} {name} : {right_fr} {_money(item.lines, unit, 'fr')} mais aucun total "
                      f"en partie {left}.",
                      f"{who_en.capitalize()} {name_en}: {right_en} {_money(item.lines, unit, 'en')} but no total in "
                      f"Part {left}.", expected=item.lines, observed=None, **extra)
        elif item.status == "not_listed":
            found.add(check, "fail", "warning", item.subject, "total",
                      f"{who_fr.capitalize()} {name} : {item.line_count} ligne(s) en partie {right} "
                      f"({_money(item.lines, unit, 'fr')}) mais absent(e) de la partie {left}.",
                      f"{who_en.capitalize()} {name_en}: {item.line_count} line(s) in Part {right} "
                      f"({_money(item.lines, unit, 'en')}) but not in Part {left}.",
                      expected=item.lines, observed=None, **extra)
        elif item.status == "not_comparable":
            found.add(check, "fail", "warning", item.subject, "total",
                      f"{who_fr.capitalize()} {name} : non comparable ({item.note_fr}).",
                      f"{who_en.capitalize()} {name_en}: not comparable ({item.note_en}).", **extra)


def _money(value: float | None, unit: str, lang: str) -> str:
    if value is None:
        return "—"
    text = format_quantity(abs(value), unit, lang)
    return ("−" if value < 0 else "") + text


def _rule(materiality: Materiality, currencies: Currencies, lang: str) -> str:
    floor = format_quantity(materiality.floor, currencies.declared, lang)
    margin = format_number(materiality.margin_pct, lang)
    if lang == "fr":
        return f"seuil : {margin} % du total et au moins {floor}"
    return f"threshold: {margin}% of the total and at least {floor}"


@dataclass(frozen=True)
class _Unsupported:
    """How one side fares against Part 5 when Part 5 cannot support it line by line."""

    fr: str
    en: str
    stated: float
    lines: float
    unit: str
    worst: tuple[Location, ...]


_SIDES = {"companies": ("entreprises", "companies"), "streams": ("flux", "streams"),
          "classifications": ("classifications GFS", "GFS classifications")}


def _unsupported(side: str, items: list[Comparison], left: str, blank: int, values: int) -> _Unsupported | None:
    """Part 5 does not support this side when most of its values are blank or most subjects disagree."""
    judged = [c for c in items if c.status in ("agrees", "differs", "no_lines", "not_listed")]
    wrong = [c for c in judged if c.status != "agrees"]
    mostly_blank = bool(values) and blank > SYSTEMIC_SHARE * values
    mostly_wrong = len(judged) >= SYSTEMIC_MINIMUM and len(wrong) > SYSTEMIC_SHARE * len(judged)
    if not (mostly_blank or mostly_wrong):
        return None
    counts = Counter(c.status for c in judged)
    figures = {"judged": len(judged)} | {s: counts[s] for s in ("agrees", "differs", "no_lines", "not_listed")}
    n = {key: format_number(value, "fr") for key, value in figures.items()}
    e = {key: format_number(value, "en") for key, value in figures.items()}
    stated = sum(c.stated for c in judged if c.stated is not None)
    lines = sum(c.lines for c in judged if c.lines is not None)
    unit = next((c.currency for c in judged if c.currency), "")
    who_fr, who_en = _SIDES[side]
    worst = sorted((c for c in wrong if c.location is not None),
                   key=lambda c: -abs(c.difference if c.difference is not None else (c.stated or c.lines or 0.0)))
    fr = (f"partie {left} : sur {n['judged']} {who_fr} comparé(e)s, {n['agrees']} concordent, {n['differs']} "
          f"diffèrent, {n['no_lines']} ont un total sans montant en partie 5, {n['not_listed']} n’ont que des "
          f"lignes en partie 5 ; total partie {left} {_money(stated, unit, 'fr')}, somme partie 5 "
          f"{_money(lines, unit, 'fr')}.")
    en = (f"Part {left}: of {e['judged']} {who_en} compared, {e['agrees']} agree, {e['differs']} differ, "
          f"{e['no_lines']} have a total and no Part 5 amount, {e['not_listed']} have only Part 5 lines; "
          f"Part {left} total {_money(stated, unit, 'en')}, Part 5 sum {_money(lines, unit, 'en')}.")
    return _Unsupported(fr, en, stated, lines, unit, tuple(c.location for c in worst[:EVIDENCE_KEPT]))


def _systemic(declaration: Declaration, sides: dict[str, tuple[list[Comparison], str]], found: _Findings) -> dict[str, str]:
    """One finding per declaration when Part 5 cannot support Part 3a or Part 4 (the README's upstream
    fault is one such case), with the counts of each side, instead of one line per company or stream."""
    values = [read_figure(record.get("value", "")) for _, _, record in declaration.rows("5")]
    blank = sum(1 for v in values if v.kind == "blank")
    unsupported = {side: u for side, (items, left) in sides.items()
                   if (u := _unsupported(side, items, left, blank, len(values))) is not None}
    if not unsupported:
        return {}
    first = next(iter(unsupported.values()))
    fr = (f"La partie 5 ne justifie pas les autres parties : {format_number(blank, 'fr')} des "
          f"{format_number(len(values), 'fr')} valeurs de la partie 5 sont vides. "
          + " ".join(u.fr[0].upper() + u.fr[1:] for u in unsupported.values())
          + " Contrôle ligne à ligne suspendu : le détail est dans les tableaux du rapport.")
    en = (f"Part 5 does not support the other parts: {format_number(blank, 'en')} of the "
          f"{format_number(len(values), 'en')} Part 5 values are blank. "
          + " ".join(u.en for u in unsupported.values())
          + " Line-by-line check suspended: the detail is in the report's tables.")
    files = ", ".join(dict.fromkeys(piece.table.document for piece in declaration.parts.get("5", ())))
    found.add("company_total", "fail", "error", "Part 5", "systemic", fr, en, expected=first.lines,
              observed=first.stated, unit=first.unit, evidence=tuple(loc for u in unsupported.values() for loc in u.worst),
              location=Location(table=files))
    return {side: u.en for side, u in unsupported.items()}


def _coverage(declaration: Declaration, agencies: list[Comparison], currencies: Currencies) -> tuple[float | None, float]:
    """Part 4 revenue in the declared currency, and the part of it whose agency agrees with Part 3b."""
    agreeing = {s for c in agencies if c.status == "agrees" for s in c.spellings}
    total = reconciled = 0.0
    counted = False
    for _, _, record in declaration.rows("4"):
        figure = read_figure(record.get("value", ""))
        if figure.kind != "number":
            continue
        value = currencies.convert(figure.value, record.get("currency", "").strip().upper() or currencies.declared,
                                   currencies.declared)
        if value is None:
            continue
        counted = True
        total += value
        if record.get("agency", "").strip() in agreeing:
            reconciled += value
    return (total if counted else None), reconciled


# --- Cells -------------------------------------------------------------------------------------------------


def _check_gfs(declaration: Declaration, found: _Findings) -> None:
    """Each distinct Part 4 classification once: code known, label consistent with it."""
    seen: dict[str, list[Location]] = defaultdict(list)
    for table, row, record in declaration.rows("4"):
        text = record.get("gfs", "").strip()
        if text:
            seen[text].append(table.location(row, "gfs"))
    for text, locations in seen.items():
        verdict = judge(text)
        count = len(locations)
        extra = dict(location=locations[0], evidence=tuple(locations[1:EVIDENCE_KEPT]), key=text)
        if verdict.status == "ok":
            found.add("gfs_code", "pass", "warning", text, "gfs",
                      f"Classification « {text} » : code {verdict.code} connu ({verdict.known.origin}), libellé "
                      f"concordant ({count} ligne(s)).",
                      f"Classification “{text}”: code {verdict.code} known ({verdict.known.origin}), label "
                      f"consistent ({count} line(s)).", expected=verdict.known.label_en, observed=verdict.label, **extra)
        elif verdict.status == "label_mismatch":
            found.add("gfs_code", "fail", "warning", text, "gfs",
                      f"Classification « {text} » : le code {verdict.code} est « {verdict.known.label_fr} » "
                      f"(« {verdict.known.label_en} »), pas « {verdict.label} » ({count} ligne(s)).",
                      f"Classification “{text}”: code {verdict.code} is “{verdict.known.label_en}”, not "
                      f"“{verdict.label}” ({count} line(s)).", expected=verdict.known.label_en,
                      observed=verdict.label, **extra)
        else:
            why_fr = "sans code GFS" if verdict.status == "no_code" else f"code {verdict.code} inconnu de la classification GFS 2014 / ITIE"
            why_en = "no GFS code" if verdict.status == "no_code" else f"code {verdict.code} not in the GFS 2014 / EITI classification"
            found.add("gfs_code", "fail", "warning", text, "gfs",
                      f"Classification « {text} » : {why_fr} ({count} ligne(s)).",
                      f"Classification “{text}”: {why_en} ({count} line(s)).", observed=verdict.code, **extra)


_DUPLICATE_KEYS = {"3a": ("company",), "3b": ("agency",), "4": ("gfs", "stream", "agency", "value", "currency"),
                   "5": ("company", "agency", "stream", "value", "currency")}


def _check_duplicates(declaration: Declaration, found: _Findings) -> None:
    """The same name twice in Part 3; the same stream, agency and value twice in Parts 4 and 5."""
    for part, keys in _DUPLICATE_KEYS.items():
        groups: dict[tuple, list[Location]] = defaultdict(list)
        for table, row, record in declaration.rows(part):
            if "value" in keys and read_figure(record.get("value", "")).kind != "number":
                continue
            key = tuple(core_name(record.get(k, "")) if k in ("company", "agency") else record.get(k, "").strip().lower()
                        for k in keys)
            if any(key):
                groups[key].append(table.location(row, keys[0]))
        repeated = [(key, locations) for key, locations in groups.items() if len(locations) > 1]
        if len(repeated) > EVIDENCE_KEPT:
            locations = [loc for _, locs in repeated for loc in locs]
            found.add("duplicate_line", "fail", "warning", _title(part, "en"), "duplicates",
                      f"{_title(part, 'fr')} : {len(repeated)} groupes de lignes répétées ({len(locations)} lignes).",
                      f"{_title(part, 'en')}: {len(repeated)} groups of repeated lines ({len(locations)} lines).",
                      observed=len(repeated), unit="count", location=locations[0],
                      evidence=tuple(locations[1:EVIDENCE_KEPT]))
            continue
        for key, locations in repeated:
            shown = " / ".join(locations[0].text or "" for _ in (0,))
            what = ", ".join(k for k in key if k)
            found.add("duplicate_line", "fail", "warning", shown or what, "duplicate",
                      f"{_title(part, 'fr')} : la même ligne ({what}) figure {len(locations)} fois.",
                      f"{_title(part, 'en')}: the same line ({what}) appears {len(locations)} times.",
                      observed=len(locations), unit="count", location=locations[0],
                      evidence=tuple(locations[1:]), key=what)


def _check_cells(declaration: Declaration, found: _Findings) -> None:
    """Numbers held as text, blanks in required fields, negative values: one finding per part and field."""
    parts = template()[1]
    for part in PART_ORDER:
        spec = parts[part]
        rows = declaration.rows(part)
        if not rows:
            continue
        for field_name in spec.numbers:
            texts, negatives = [], []
            for table, row, record in rows:
                if field_name not in table.columns:
                    break
                figure = read_figure(record.get(field_name, ""))
                if figure.kind in ("text", "percent"):
                    texts.append((table.location(row, field_name), figure))
                elif figure.kind == "number" and figure.value < 0:
                    negatives.append(table.location(row, field_name))
            for location, figure in texts[:EVIDENCE_KEPT]:
                read_fr = (f" ; lu comme {format_number(figure.value, 'fr')} (cellule au format pourcentage)"
                           if figure.kind == "percent" else "")
                read_en = (f"; read as {format_number(figure.value, 'en')} (a percent-formatted cell)"
                           if figure.kind == "percent" else "")
                found.add("number_as_text", "fail", "warning", _title(part, "en"), location.column or field_name,
                          f"{_title(part, 'fr')}, {location.column} : « {location.text} » n’est pas un nombre{read_fr}.",
                          f"{_title(part, 'en')}, {location.column}: “{location.text}” is not a number{read_en}.",
                          observed=location.text, expected="number", location=location,
                          key=f"{location.sheet}!{location.cell}")
            if len(texts) > EVIDENCE_KEPT:
                found.add("number_as_text", "fail", "warning", _title(part, "en"), field_name,
                          f"{_title(part, 'fr')} : {len(texts)} cellules de texte dans une colonne de nombres.",
                          f"{_title(part, 'en')}: {len(texts)} text cells in a number column.",
                          observed=len(texts), unit="count", key=f"{field_name}-count")
            if negatives:
                found.add("negative_value", "fail", "info", _title(part, "en"), negatives[0].column or field_name,
                          f"{_title(part, 'fr')} : {len(negatives)} valeur(s) négative(s) (remboursements ?) à examiner.",
                          f"{_title(part, 'en')}: {len(negatives)} negative value(s) (refunds?) to look at.",
                          observed=len(negatives), unit="count", location=negatives[0],
                          evidence=tuple(negatives[1:EVIDENCE_KEPT]))
        for field_name in spec.required:
            blanks = [table.location(row, field_name) for table, row, record in rows
                      if field_name in table.columns and not record.get(field_name, "").strip()]
            missing_column = not any(field_name in table.columns for table, _, _ in rows)
            if missing_column:
                found.add("required_field", "fail", "warning", _title(part, "en"), field_name,
                          f"{_title(part, 'fr')} : la colonne « {spec.fields[field_name][0]} » manque.",
                          f"{_title(part, 'en')}: the column “{spec.fields[field_name][0]}” is missing.",
                          expected=spec.fields[field_name][0], key=field_name)
            elif blanks:
                found.add("required_field", "fail", "warning", _title(part, "en"), blanks[0].column or field_name,
                          f"{_title(part, 'fr')} : {len(blanks)} cellule(s) vide(s) dans « {blanks[0].column} », "
                          f"champ obligatoire.",
                          f"{_title(part, 'en')}: {len(blanks)} blank cell(s) in “{blanks[0].column}”, a required "
                          f"field.", observed=len(blanks), unit="count", location=blanks[0],
                          evidence=tuple(blanks[1:EVIDENCE_KEPT]), key=field_name)


def _check_counts(declaration: Declaration, found: _Findings) -> None:
    """Part 1's number of reporting agencies and companies against the rows of Parts 3b and 3a."""
    part1 = _part1(declaration)
    if not part1:
        return
    table, row, record = part1
    for field_name, part, fr, en in (("agencies_count", "3b", "entités déclarantes", "reporting agencies"),
                                     ("companies_count", "3a", "entreprises déclarantes", "reporting companies")):
        figure = read_figure(record.get(field_name, ""))
        if figure.kind != "number" or not declaration.parts.get(part):
            continue
        names = {core_name(r.get("agency" if part == "3b" else "company", "")) for _, _, r in declaration.rows(part)}
        names.discard("")
        listed = len(names)
        status = "pass" if int(figure.value) == listed else "fail"
        found.add("declared_count", status, "warning", f"Part 1 / {_title(part, 'en')}", field_name,
                  f"Partie 1 : {format_number(figure.value, 'fr')} {fr} annoncées ; {_title(part, 'fr')} en nomme {listed}.",
                  f"Part 1: {format_number(figure.value, 'en')} {en} stated; {_title(part, 'en')} names {listed}.",
                  expected=float(listed), observed=figure.value, unit="count", location=table.location(row, field_name))
