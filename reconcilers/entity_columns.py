"""Columns of names found without a spec, linked across tables and documents, and the same
entity's figures compared wherever the column labels agree.

A column names entities (people, companies, agencies) when its item cells are mostly short,
name-like texts, one per row (a category repeats, a code has no letters, a sentence is long).
Names are linked with `reconcilers.names` (rapidfuzz `joined_ratio`) on a company key that drops
legal suffixes (`Inc.`, `LLC`, `SA`, `SARL`, `Corporation`...) and compares a bracketed acronym
on its own: "Office of Example Revenue (OER)" ~ "OER". Catch-all rows ("Others",
"Autres", totals) are never entities.

Why 90 (`COMPANY_THRESHOLD`): on the 45 USEITI companies, spelling variants between the appendix
tables, its prose and the spreadsheet (a legal suffix
present in one place only, a hyphen for a space) score 100 once the suffixes go, while the closest
two different companies (two names sharing their second word, "X Resources" / "Y Resources") score 83 (tests/test_entity_columns.py holds both sides).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import pandas as pd

from extractors.quantity import format_number
from extractors.table import ExtractedDocument
from reconcilers.finding import Finding, Location
from reconcilers.meaning import InterpretedTable
from reconcilers.names import (
    Entity,
    KeyedScorer,
    Mention,
    NearMiss,
    fold,
    joined_key,
    link_entities,
)
from reconcilers.parts import CROSS_TABLE, NAME_MATCH, Check, CheckContext, Template

COMPANY_THRESHOLD = 90.0
_LEGAL_SUFFIXES = frozenset([
    "inc", "incorporated", "llc", "ltd", "limited", "lp", "llp", "plc", "sa", "sarl", "sas", "suarl", "corp",
    "corporation", "co", "company", "cie", "gie", "gmbh", "ag", "nv", "bv",
])
_CATCH_ALL = re.compile(r"^(?:others?|autres?|divers|misc\w*|sous[- ]?total|sub[- ]?total|total\b.*|ensemble)$",
                        re.IGNORECASE)
_BRACKETED = re.compile(r"\(([^()]*)\)")
_FIGURE = re.compile(r"[$€£%]|\d[\d,.\s]{2,}")     # a name holds no amount
_CUT = (":", ",", "/", "-", "–", "&")    # a heading, or a phrase cut at the end of its line
_MIN_NAMES = 3
_MAX_WORDS = 7
_MAX_LENGTH = 60


@lru_cache(maxsize=1 << 16)
def company_key(name: str) -> str:
    """The folded name without its bracketed part and trailing legal suffixes: "Noble Energy, Inc." -> "noble energy"."""
    words = fold(_BRACKETED.sub(" ", name)).split()
    while len(words) > 1 and words[-1] in _LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)


def _abbreviates(acronym: str, name: str) -> bool:
    """Whether a bracketed part is the name's acronym: its letters are capitals of the name, in order,
    the first one first ("OER" of "Office of Example Revenue"); a bracketed qualifier
    many names share ("Academic Skills (WJIII)", the test a score comes from) is none."""
    capitals = [c for c in _BRACKETED.sub(" ", name) if c.isupper()]
    letters = [c for c in acronym.upper() if c.isalpha()]
    if len(letters) < 2 or not capitals or letters[0] != capitals[0]:
        return False
    rest = iter(capitals)
    return all(letter in rest for letter in letters)


def aliases(name: str) -> set[str]:
    """The keys a name may be written under: its company key, and its bracketed acronym on its own."""
    keys = {company_key(name)}
    keys |= {fold(part) for part in _BRACKETED.findall(name) if fold(part) and _abbreviates(part, name)}
    return keys - {""}


@lru_cache(maxsize=1 << 16)
def company_keys(name: str) -> tuple[str, ...]:
    """Each alias as `joined_ratio` compares it (folded, spaces removed), computed once per name."""
    return tuple(sorted({joined_key(alias)[0] for alias in aliases(name)}))


# `joined_ratio` between the closest aliases of two names (0..100).
company_ratio = KeyedScorer(company_keys)


def is_catch_all(name: str) -> bool:
    """"Others", "Autres", a total: a row that gathers entities rather than naming one."""
    return bool(_CATCH_ALL.match(" ".join(name.split()).strip(" .:")))


@lru_cache(maxsize=1 << 16)
def name_like(text: str) -> bool:
    """A short text of mostly letters, no amount, not a heading or a catch-all: a name. A name
    holds one comma at most (before its legal form, or between surname and first name: more is an
    enumeration) and does not end as a line cut in mid-phrase does."""
    words = text.split()
    letters = sum(c.isalpha() for c in text)
    return (0 < len(words) <= _MAX_WORDS and len(text) <= _MAX_LENGTH and letters >= max(3, len(text) // 2)
            and not text.rstrip().endswith(_CUT) and text[0].isalpha() and not is_catch_all(text)
            and text.count(",") <= 1 and not _FIGURE.search(text) and company_key(text) not in _LEGAL_SUFFIXES)


def entity_rows(table: InterpretedTable) -> list[int]:
    """The rows that may name an entity: the item rows, and the rows the table's meaning reads as
    headings for want of a figure although they print a marker where the figure goes (`DNR`,
    `N/A`: a company that did not report), or stand in a list of names (one column, no figures)."""
    figures = table.columns_with("quantity", "percent")
    alone = not figures and len(table.table.columns) == 1
    cells = table.table.cells
    return [index for index, role in zip(table.table.values.index, table.row_roles, strict=True)
            if role == "item" or (role == "section" and (alone or any(
                isinstance(text := cells.at[index, key], str) and text.strip() for key in figures)))]


def column_texts(table: InterpretedTable, key: str, rows: list[int]) -> list[str]:
    """One column's cells at these rows, spaces folded; the column read once (a cell at a time
    through pandas cost most of a Summary Data run)."""
    cells = dict(zip(table.table.cells.index, table.table.cells[key].tolist(), strict=True))
    return [" ".join(str(cells[index] or "").split()) for index in rows]


def entity_column(table: InterpretedTable) -> str | None:
    """The column naming one entity per item row, when the table has one (label or text role,
    at least 3 names, filled on 80 % of the item rows from its first name to its last and 80 % of
    its cells name-like, 90 % of them distinct: a name wrapped over two lines in a list leaves a
    fragment or two). A column of descriptions wrapped over several lines is none: its pieces fill
    one row in two, and read as enumerations or end in mid-phrase."""
    items = entity_rows(table)
    for key in table.columns_with("label", "text"):
        cells = column_texts(table, key, items)
        filled = [n for n, text in enumerate(cells) if text]
        texts = [cells[n] for n in filled]
        names = [text for text in texts if name_like(text)]
        if (len(names) >= _MIN_NAMES and len(texts) >= 0.8 * (filled[-1] - filled[0] + 1)
                and len(names) >= 0.8 * len(texts)
                and len({company_key(n) for n in names}) >= 0.9 * len(names)):
            return key
    return None


@dataclass(frozen=True)
class Source:
    """One document's interpreted tables, as the run hands them (with what was read, for its prose)."""

    document: str
    tables: Sequence[InterpretedTable]
    extracted: ExtractedDocument | None = None


def _mentions(source: Source) -> list[list[Mention]]:
    """The names of each table's entity column; a Mention's table is "document\x1ftable key"."""
    found = []
    for table in source.tables:
        column = entity_column(table)
        if column is None:
            continue
        rows = entity_rows(table)
        found.append([Mention(f"{source.document}\x1f{table.key}", int(index), text)
                      for index, text in zip(rows, column_texts(table, column, rows), strict=True)
                      if text and name_like(text)])
    return found


def link_sources(sources: Sequence[Source], threshold: float = COMPANY_THRESHOLD) -> list[Entity]:
    """The entities named in the sources' entity columns, each with every table row naming it."""
    return link_with_near_misses(sources, threshold)[0]


def link_with_near_misses(sources: Sequence[Source], threshold: float = COMPANY_THRESHOLD) -> tuple[
        list[Entity], list[NearMiss]]:
    """The entities, and the names left apart although they resemble one (shown to a reviewer)."""
    mentions = [names for source in sources for names in _mentions(source)]
    return link_entities(mentions, threshold, company_ratio) if mentions else ([], [])


# Words of the process ("Reporting Results", "Taxes Reconciliation Data") say nothing of which figure a column holds.
_GENERIC = frozenset("""table tableau result results résultats resultats total totals reported declared by par of the and
de du des la le les et en a an for pour amount montant data donnees données sheet feuille in on entity entite
percentage pourcentage percent reporting reconciliation rapprochement""".split())
_ORDINALS = {"1st": "first", "2nd": "second", "3rd": "third", "1er": "premier", "1re": "premiere"}
_TITLE_NUMBER = re.compile(r"^\s*(?:table|tableau|annexe|appendix)?\s*[A-Z]?-?\d+[\w.-]*\s*[:.—–-]?\s*|^T\d+$",
                           re.IGNORECASE)


def label_words(text: str) -> set[str]:
    """The words of a header or title that say what a figure is, singular and without filler
    ("Total Reported by Government Entity" -> {"government"}; "Royalties" -> {"royalty"})."""
    words = set()
    for word in fold(text).split():
        word = _ORDINALS.get(word, word)
        if word in _GENERIC or word.isdigit() or len(word) < 2:
            continue
        if word.endswith("ies") and len(word) > 4:
            word = word[:-3] + "y"
        elif re.search(r"(?:x|ss|ch|sh|us)es$", word):
            word = word[:-2]
        elif word.endswith("s") and len(word) > 3 and not word.endswith("ss"):
            word = word[:-1]
        words.add(word)
    return words


@dataclass(frozen=True)
class FigureColumn:
    """A figure column described by the words of its header and of its table's title."""

    source: str
    table: InterpretedTable
    column: str
    role: str
    header: frozenset[str]
    full: frozenset[str]


def _figure_columns(source: Source, table: InterpretedTable) -> list[FigureColumn]:
    title = label_words(_TITLE_NUMBER.sub("", table.table.provenance.title))
    columns = []
    for key in table.columns_with("quantity", "percent"):
        header = label_words(table.header(key))
        if header:
            columns.append(FigureColumn(source.document, table, key, table.role_of(key), frozenset(header),
                                        frozenset(header | title)))
    return columns


def _agree(x: FigureColumn, y: FigureColumn) -> int | None:
    """How many words the two columns' descriptions do not share, when they can mean the same
    figure: same role, each header's words found in the other's description, two words at least in
    common ("Company" alone says nothing of the stream), and no word on both sides that the other
    lacks (C-1 "Royalties" against C-2 "Rents" disagree)."""
    if x.role != y.role or not (x.header <= y.full and y.header <= x.full) or len(x.full & y.full) < 2:
        return None
    extra_x, extra_y = x.full - y.full, y.full - x.full
    if extra_x and extra_y:
        return None
    return len(extra_x | extra_y)


def matched_columns(a: list[FigureColumn], b: list[FigureColumn]) -> list[tuple[FigureColumn, FigureColumn]]:
    """Columns of two tables paired where each is the other's one best agreeing column."""
    def best(column: FigureColumn, others: list[FigureColumn]) -> FigureColumn | None:
        scored = sorted((score, i) for i, other in enumerate(others)
                        if (score := _agree(column, other)) is not None)
        if not scored or (len(scored) > 1 and scored[0][0] == scored[1][0]):
            return None
        return others[scored[0][1]]
    return [(x, y) for x in a if (y := best(x, b)) is not None and best(y, a) is x]


MESSAGES: dict[str, Template] = {
    "linked": Template("{entity} — nommé dans {n} tableaux{documents} sous {k} graphies : {spellings}.",
                       "{entity} — named in {n} tables{documents} under {k} spellings: {spellings}."),
    "documents": Template(" de {n} documents", " of {n} documents"),
    "near_miss": Template("« {spelling} » ressemble à « {entity} » (score {score}) mais reste sous le seuil de "
                          "{threshold} : traités comme deux entités.",
                          "“{spelling}” resembles “{entity}” (score {score}) but stays below the threshold of "
                          "{threshold}: kept as two entities."),
    "run_links": Template("{n} entités nommées dans plusieurs documents ({documents}) : {names}.",
                          "{n} entities named in several documents ({documents}): {names}."),
    "agree": Template("{a} « {ca} » et {b} « {cb} » : mêmes chiffres pour {n} entités sur {m}.",
                      "{a} “{ca}” and {b} “{cb}”: same figures for {n} entities out of {m}."),
    "differ": Template("{entity} : {a} « {ca} » donne {va}, {b} « {cb} » donne {vb}.",
                       "{entity}: {a} “{ca}” gives {va}, {b} “{cb}” gives {vb}."),
}


def _where(column: FigureColumn, several: bool) -> str:
    title = column.table.table.provenance.title
    return f"{column.source} {title}" if several else title


def _value(column: FigureColumn, row: int) -> float | None:
    value = column.table.numbers.at[row, column.column] if row in column.table.numbers.index else None
    return None if value is None or pd.isna(value) else float(value)


def _scale(x: FigureColumn, y: FigureColumn, pairs: list[tuple[float, float]]) -> float:
    """1, or 100 when one column holds shares as fractions (0.0037) and the other as percents (0.37)."""
    if x.role != "percent" or not pairs:
        return 1.0
    close = sum(abs(a - b) <= 0.01 for a, b in pairs)
    scaled = sum(abs(a - 100 * b) <= 0.01 for a, b in pairs)
    return 100.0 if scaled > close else 1.0


def compare_entity_figures(sources: Sequence[Source], entities: Sequence[Entity],
                           across_documents: bool) -> list[Finding]:
    """The same entity's figures in every pair of agreeing columns: one finding per column pair
    (its support), one per entity whose figures differ, with both cells. Figures are compared
    unsigned (one table prints variances without sign where the other signs them)."""
    rows: dict[tuple[str, str], dict[str, int]] = {}       # (document, table key) -> entity -> row
    for entity in entities:
        for mention, _ in entity.mentions:
            document, key = mention.table.split("\x1f")
            rows.setdefault((document, key), {})[entity.canonical] = mention.row
    columns = {(source.document, table.key): _figure_columns(source, table)
               for source in sources for table in source.tables if (source.document, table.key) in rows}
    keys = sorted(columns)
    several = len({document for document, _ in keys}) > 1
    tables_of: dict[str, list[int]] = {}          # entity -> the tables naming it, by position in keys
    for position, key in enumerate(keys):
        for name in rows[key]:
            tables_of.setdefault(name, []).append(position)
    # Only pairs of tables sharing two entities or more are compared: found from the entities, not
    # by trying every pair of tables (which grew with the square of a run's tables).
    sharing = Counter(pair for positions in tables_of.values() for pair in combinations(positions, 2))
    findings: list[Finding] = []
    for i, j in sorted(pair for pair, count in sharing.items() if count >= 2):
        a, b = keys[i], keys[j]
        if (a[0] != b[0]) != across_documents:
            continue
        shared = sorted(set(rows[a]) & set(rows[b]))
        for x, y in matched_columns(columns[a], columns[b]):
            findings += _compare_pair(x, y, shared, rows[a], rows[b], several)
    return findings


def _compare_pair(x: FigureColumn, y: FigureColumn, shared: list[str], rows_x: Mapping[str, int],
                  rows_y: Mapping[str, int], several: bool) -> list[Finding]:
    values = [(name, vx, vy) for name in shared
              if (vx := _value(x, rows_x[name])) is not None and (vy := _value(y, rows_y[name])) is not None]
    if len(values) < 2:
        return []
    scale = _scale(x, y, [(vx, vy) for _, vx, vy in values])
    where_x, where_y = _where(x, several), _where(y, several)
    header_x, header_y = x.table.header(x.column), y.table.header(y.column)
    findings: list[Finding] = []
    agreeing = 0
    for name, vx, vy in values:
        allowance = max(x.table.tolerance(rows_x[name], x.column), scale * y.table.tolerance(rows_y[name], y.column), 0.5)
        if abs(abs(vx) - abs(scale * vy)) <= allowance:
            agreeing += 1
            continue
        unit = x.table.unit(x.column)
        shown = {lang: (format_number(vx, lang), format_number(scale * vy, lang)) for lang in ("fr", "en")}
        fr, en = MESSAGES["differ"].render(
            {"entity": name, "a": where_x, "ca": header_x, "va": f"{shown['fr'][0]} {unit}".strip(),
             "b": where_y, "cb": header_y, "vb": f"{shown['fr'][1]} {unit}".strip()},
            {"entity": name, "a": where_x, "ca": header_x, "va": f"{shown['en'][0]} {unit}".strip(),
             "b": where_y, "cb": header_y, "vb": f"{shown['en'][1]} {unit}".strip()})
        findings.append(Finding(
            document=x.source, check="cross_table", status="fail", severity="warning", subject=name,
            field=header_x, expected=vx, observed=scale * vy, unit=unit,
            tables=(where_x, where_y), location=x.table.location(rows_x[name], x.column),
            evidence=(y.table.location(rows_y[name], y.column),),
            message_fr=fr, message_en=en, key=f"{x.table.key}-{x.column}-{y.source}-{y.table.key}-{y.column}",
        ))
    fr, en = MESSAGES["agree"].render({"a": where_x, "ca": header_x, "b": where_y, "cb": header_y,
                                       "n": agreeing, "m": len(values)})
    findings.append(Finding(
        document=x.source, check="cross_table", status="pass" if agreeing == len(values) else "fail",
        severity="info", subject=f"{where_x} / {where_y}", field=header_x, expected=len(values), observed=agreeing,
        unit="count", tables=(where_x, where_y), message_fr=fr, message_en=en,
        location=Location(table=x.table.table.provenance.title, column=header_x, table_key=x.table.key),
        evidence=(Location(table=y.table.table.provenance.title, column=header_y, table_key=y.table.key),),
        key=f"{x.table.key}-{x.column}-{y.source}-{y.table.key}-{y.column}",
    ))
    return findings


def link_findings(entities: Sequence[Entity], across_documents: bool) -> list[Finding]:
    """One finding per entity named under several spellings (across documents: only those named
    in more than one document), so that a reviewer sees who was taken for whom."""
    findings = []
    for entity in entities:
        documents = {mention.table.split("\x1f")[0] for mention, _ in entity.mentions}
        spellings = sorted({mention.spelling for mention, _ in entity.mentions})
        if len(spellings) < 2 or (across_documents and len(documents) < 2):
            continue
        tables = {mention.table for mention, _ in entity.mentions}
        first = entity.mentions[0][0]
        document, key = first.table.split("\x1f")
        fr, en = MESSAGES["linked"].render(
            {"entity": entity.canonical, "n": len(tables), "k": len(spellings), "spellings": " ; ".join(spellings),
             "documents": MESSAGES["documents"].render({"n": len(documents)})[0] if across_documents else ""},
            {"entity": entity.canonical, "n": len(tables), "k": len(spellings), "spellings": "; ".join(spellings),
             "documents": MESSAGES["documents"].render({"n": len(documents)})[1] if across_documents else ""})
        findings.append(Finding(
            document=document, check="name_match", status="pass", severity="info", subject=entity.canonical,
            field="entités / entities", expected=entity.canonical, observed=spellings, unit="",
            location=Location(row=first.spelling, table_key=key),
            message_fr=fr, message_en=en, key="documents" if across_documents else "",
        ))
    return findings


def near_miss_findings(near: Sequence[NearMiss], document: str) -> list[Finding]:
    """One info finding per name kept apart from an entity it resembles, with the score."""
    findings = []
    for miss in near:
        key = miss.mention.table.split("\x1f")[1]
        fr, en = MESSAGES["near_miss"].render(
            {"spelling": miss.mention.spelling, "entity": miss.entity, "score": format_number(miss.score, "fr", 1),
             "threshold": f"{COMPANY_THRESHOLD:g}"},
            {"spelling": miss.mention.spelling, "entity": miss.entity, "score": format_number(miss.score, "en", 1),
             "threshold": f"{COMPANY_THRESHOLD:g}"})
        findings.append(Finding(
            document=document, check="name_match", status="pass", severity="info", subject=miss.mention.spelling,
            field="entités / entities", expected=miss.entity, observed=miss.mention.spelling, unit="score",
            location=Location(row=miss.mention.spelling, table_key=key), message_fr=fr, message_en=en,
            key=f"near-{key}-{miss.mention.row}",
        ))
    return findings


def entities_across_documents(sources: Sequence[Source]) -> list[Finding]:
    """The run-level step: entities linked across the documents of one run and their figures
    compared between documents (within one document, `EntityColumnsCheck` does it)."""
    if len(sources) < 2:
        return []
    entities = link_sources(sources)
    return _run_links(entities, sources) + link_findings(entities, True) + compare_entity_figures(sources, entities, True)


def _run_links(entities: Sequence[Entity], sources: Sequence[Source]) -> list[Finding]:
    """One line saying how many entities the run's documents share, so that the linking shows its support."""
    shared = [e.canonical for e in entities if len({m.table.split("\x1f")[0] for m, _ in e.mentions}) > 1]
    if not shared:
        return []
    documents = ", ".join(source.document for source in sources)
    fr, en = MESSAGES["run_links"].render({"n": len(shared), "documents": documents, "names": " ; ".join(shared)},
                                          {"n": len(shared), "documents": documents, "names": "; ".join(shared)})
    first = next(m for m, _ in entities[0].mentions) if entities else None
    document, key = first.table.split("\x1f") if first else (sources[0].document, None)
    return [Finding(document=document, check="name_match", status="pass", severity="info",
                    subject=documents, field="entités / entities", observed=len(shared), unit="count",
                    location=Location(table_key=key),
                    message_fr=fr, message_en=en, key="run-links")]


class EntityColumnsCheck(Check):
    """Every document: the columns of names no spec declares, linked across its tables, and each
    entity's figures compared between tables wherever the column labels agree."""

    name = "entity_columns"
    emits = (NAME_MATCH, CROSS_TABLE)
    messages = MESSAGES

    def run(self, context: CheckContext, config: None) -> list[Finding]:
        specified = {t.key for t in context.spec.tables} if context.spec else set()
        source = Source(context.document.name,
                        [t for t in context.interpreted_tables() if t.key not in specified])
        entities, near = link_with_near_misses([source])
        return (link_findings(entities, False) + near_miss_findings(near, source.document)
                + compare_entity_figures([source], entities, False))
