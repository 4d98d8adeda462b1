"""Quantities as written in EITI/ITIE documents: one grammar, one unit model.

`12 300 m2`, `5120 000F`, `3. 45 ha`, `½ ha`, `2.750 m2`, `6,15ha`, `45 000` (Malian
administrative French), `$29,672,103`, `($12,222)`, `–1 234 FCFA`, `12,5 MFCFA`, `0.37%`
(English reports), and the markers a table prints instead of a figure (`DNP`, `N/A`, `néant`,
`-`): the same grammar serves a whole cell (`parse_quantity`) and a number inside a flattened
row (`NUMBER_PATTERN`), so that the row splitter and the cell parser never disagree.

Units are a model, not a list of spellings: each spelling names a unit of one dimension (area,
money, count, percent) and a factor to it (`ha` is 10 000 m², `MFCFA` and "millions de FCFA"
are 10⁶ FCFA, `XOF` is the FCFA, `$` and `USD` the US dollar). A money column keeps the
currency it is written in. Whether `1,234` is one thousand two hundred and thirty-four (English)
or one point two three four (French) is the convention of the column or document (`convention`),
decided from the cells that can only be read one way (`number_convention`); with no convention
the French reading applies, as in every Malian document.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# Which base unit each declared column type converts to (money: the default currency).
BASE_UNIT = {
    "area": "m2",
    "money": "FCFA",
    "money_millions": "MFCFA",
    "count": "count",
    "number": "",
    "percent": "%",
}
# Column type -> (dimension, scale of its base unit): money_millions counts millions of a currency.
_KINDS: dict[str, tuple[str | None, float]] = {
    "area": ("area", 1.0),
    "money": ("money", 1.0),
    "money_millions": ("money", 1e6),
    "count": ("count", 1.0),
    "number": (None, 1.0),
    "percent": ("percent", 1.0),
}
# Unit -> its dimension.
_DIMENSIONS = {"m2": "area", "FCFA": "money", "USD": "money", "EUR": "money", "count": "count", "%": "percent"}
# Written spelling (lower case, single spaces) -> (unit, factor to that unit).
_UNITS: dict[str, tuple[str, float]] = {
    "ha": ("m2", 10_000.0),
    "m2": ("m2", 1.0),
    "m²": ("m2", 1.0),
    "fcfa": ("FCFA", 1.0),
    "f cfa": ("FCFA", 1.0),
    "f": ("FCFA", 1.0),
    "xof": ("FCFA", 1.0),
    "mfcfa": ("FCFA", 1e6),
    "millions de fcfa": ("FCFA", 1e6),
    "millions de f cfa": ("FCFA", 1e6),
    "milliards de fcfa": ("FCFA", 1e9),
    "$": ("USD", 1.0),
    "us$": ("USD", 1.0),
    "usd": ("USD", 1.0),
    "€": ("EUR", 1.0),
    "eur": ("EUR", 1.0),
    "%": ("%", 1.0),
    "pieds": ("count", 1.0),
    "pied": ("count", 1.0),
}
# Markers printed instead of a figure, and what each says (kept as the reason of a missing value).
PLACEHOLDERS: dict[str, str] = {
    "dnp": "Did Not Participate / n'a pas participé",
    "dnr": "Did Not Report / n'a pas déclaré",
    "dna": "Did Not Allow / n'a pas autorisé",
    "n/a": "Not Applicable / sans objet",
    "na": "Not Applicable / sans objet",
    "n.a.": "Not Applicable / sans objet",
    "n.d.": "non disponible / not available",
    "nd": "non disponible / not available",
    "-": "néant / none",
    "–": "néant / none",
    "—": "néant / none",
    "néant": "néant / none",
    "neant": "néant / none",
    "pm": "pour mémoire / memorandum item",
    "p.m.": "pour mémoire / memorandum item",
}
# Units measured in whole numbers: there a dot before exactly three digits groups thousands.
_INTEGRAL_BASES = {"m2", "FCFA", "count", "USD", "EUR"}

_SPACE = "[ \u00a0\u202f]"
_FRACTIONS = {"½": 0.5, "¼": 0.25, "¾": 0.75}
_MINUS = "-−–"

# A number as it stands among other numbers. "2000 200 400 000 6 120 000" reads two ways;
# the left cells take the shortest reading that lets the whole row fit (row grammars are
# matched whole), so digits go to the right, where totals stand. A loose `5120 000` is
# read as one number only with a unit glued to it (`5120 000F`).
NUMBER_PATTERN = (
    r"(?:[½¼¾]"
    rf"|[1-9]\d{{3,}}(?:{_SPACE}\d{{3}})+(?=\s?(?:F|m2|ha)(?![a-z]))"
    r"|(?:[1-9]\d*|0)(?!\d)(?:[.,]\s?\d+)?"
    rf"|[1-9]\d{{0,2}}(?:{_SPACE}\d{{3}})+?(?:[.,]\s?\d+)?)"
)
# After a figure in running text: it does not stop before a thousands group ("6 120 000").
WHOLE_NUMBER_GUARD = r"(?!\s\d{3}(?!\d))"
UNIT_PATTERN = r"(?:\s?(?:m2|m²|ha|MFCFA|FCFA|F\s?CFA|F(?![A-Za-zÀ-ÿ])|%|pieds?))"
QUANTITY_PATTERN = rf"{NUMBER_PATTERN}{UNIT_PATTERN}?"

_PREFIX = r"(?:US\$|\$|€|USD|EUR)"
_SUFFIX = (r"m2|m²|ha|millions\s+de\s+F\s?CFA|milliards\s+de\s+F\s?CFA|MFCFA|FCFA|F\s?CFA|XOF|USD|EUR|€|\$"
           r"|F|%|pieds?")
_CELL = re.compile(
    rf"^\s*(?P<sign>[{_MINUS}+])?\s*(?P<pre>{_PREFIX})?\s*(?P<open>\()?\s*(?P<sign2>[{_MINUS}])?\s*"
    rf"(?P<pre2>{_PREFIX})?\s*"
    rf"(?P<number>(?:\d+{_SPACE}?)?[½¼¾]|\d[\d \u00a0\u202f]*(?:[.,]\s?\d+)*)"
    rf"\s*(?P<unit>{_SUFFIX})?(?![A-Za-zÀ-ÿ0-9])\s*(?P<close>\))?"
    r"(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_EQUIVALENT = re.compile(r"\s*(?:soit|ou|=)\s+(?P<alt>.+)$", re.IGNORECASE | re.DOTALL)
# Numbers only one convention reads: three-digit groups after commas twice or before a decimal
# dot, or after a leading dollar sign ("$3,831") (English); groups after spaces or dots, or a comma
# before other than three digits (French).
_ENGLISH = re.compile(r"\d,\d{3},\d{3}(?!\d)|\d,\d{3}\.\d|\$\s?\d{1,3},\d{3}(?![\d,])")
_FRENCH = re.compile(rf"\d{_SPACE}\d{{3}}(?!\d)|\d\.\d{{3}}\.\d{{3}}(?!\d)|\d\.\d{{3}},\d|\d,(?:\d{{1,2}}|\d{{4,}})(?!\d)")


class QuantityError(ValueError):
    """A cell that should hold a quantity and does not: the reason is the message."""


@dataclass(frozen=True)
class Quantity:
    """A parsed quantity in its base unit, with what the document wrote.

    A marker printed instead of a figure (`DNP`, `néant`) is a missing quantity: its value is
    NaN and `missing` says what the marker means.
    """

    value: float
    unit: str
    text: str
    decimals: int = 0          # decimals as written, in the written unit
    written_unit: str = ""     # the unit as written, or the column's default
    label: str = ""            # words after the quantity ("de <arbres>")
    equivalents: tuple[Quantity, ...] = ()  # "12 300 m2 soit 1,23ha": the 1,23 ha
    scale: float = 1.0         # the written unit in the base unit (10 000 for ha in m²)
    missing: str = ""          # the marker's meaning when no figure was printed

    @property
    def tolerance(self) -> float:
        """Half a unit of the last written digit, in the base unit: the rounding allowance."""
        return 0.5 * 10 ** (-self.decimals) * self.scale


def number_convention(texts: list[str]) -> str | None:
    """"en" or "fr" when some of the texts can only be read one way and none the other; None otherwise
    (no evidence, or both: then nothing is guessed)."""
    english = any(_ENGLISH.search(text) for text in texts)
    french = any(_FRENCH.search(text) for text in texts)
    if english == french:
        return None
    return "en" if english else "fr"


def is_english(text: str) -> bool:
    """Whether a document's words are English rather than French: it decides what `1,884` means in a
    column whose figures read both ways."""
    words = re.findall(r"[a-zà-ÿ]+", text.lower())
    english = sum(1 for w in words if w in _ENGLISH_WORDS)
    french = sum(1 for w in words if w in _FRENCH_WORDS)
    return english > 2 * french and english >= 5


_ENGLISH_WORDS = frozenset(["the", "and", "of", "to", "in", "for", "with", "is", "are", "by", "from", "this", "that"])
_FRENCH_WORDS = frozenset(["le", "la", "les", "des", "et", "du", "de", "en", "pour", "par", "est", "dans", "une", "sur", "au", "aux"])
def unit_in_label(text: str) -> str | None:
    """The unit a header or caption gives the bare figures under it: `(en millions de FCFA)`, `($)`."""
    match = re.search(rf"(?:\(|\ben\s+|\bin\s+)(?P<unit>{_SUFFIX})\)?", text, re.IGNORECASE)
    if not match:
        return None
    unit = " ".join(match.group("unit").lower().split())
    return unit if unit in _UNITS and unit not in ("f", "%") else None


def _number_value(number: str, integral_unit: bool, convention: str | None) -> tuple[float, int]:
    """The value of a written number and how many decimals it was written with."""
    text = re.sub(_SPACE, " ", number.strip())
    fraction = 0.0
    if text and text[-1] in _FRACTIONS:
        fraction = _FRACTIONS[text[-1]]
        text = text[:-1].strip()
        if not text:
            return fraction, 2
    if convention == "en":
        return _english_value(text, number)
    decimal_match = re.search(r"[.,]\s?(\d+)$", text)
    decimals = 0
    if convention == "fr" and re.fullmatch(r"\d{1,3}(?:\.\d{3})+", text):
        text = text.replace(".", "")                       # 1.234.567: dots group thousands
    elif decimal_match:
        digits = decimal_match.group(1)
        separator = text[decimal_match.start()]
        head = text[: decimal_match.start()].replace(" ", "")
        if convention == "fr" and separator == ",":
            head = head.replace(".", "")                   # 1.234,5
        if separator == "." and len(digits) == 3 and " " not in text[decimal_match.start():] and integral_unit:
            text = head + digits
        else:
            text = f"{head}.{digits}"
            decimals = len(digits)
    else:
        text = text.replace(" ", "")
    if not re.fullmatch(r"\d+(?:\.\d+)?", text):
        raise QuantityError(f"nombre illisible « {number.strip()} »")
    return float(text) + fraction, decimals


def _english_value(text: str, number: str) -> tuple[float, int]:
    """`1,234,567.89`: commas group thousands (by three), the dot is the decimal point."""
    compact = text.replace(" ", "")
    if not re.fullmatch(r"\d{1,3}(?:,\d{3})*(?:\.\d+)?|\d+(?:\.\d+)?", compact):
        raise QuantityError(f"nombre illisible « {number.strip()} » (lu à l'anglaise / read as English)")
    decimals = len(compact.split(".")[1]) if "." in compact else 0
    return float(compact.replace(",", "")), decimals


def _missing(raw: str, kind: str) -> Quantity | None:
    """The missing quantity a placeholder cell stands for, or None when the cell is no placeholder."""
    reason = PLACEHOLDERS.get(" ".join(raw.lower().split()))
    if reason is None:
        return None
    return Quantity(value=math.nan, unit=BASE_UNIT[kind], text=raw, missing=reason)


def _unit_of(written: str, kind: str) -> tuple[str, float]:
    """(unit name, factor from the written unit to it) for a column of `kind`; QuantityError when
    the written unit measures something else."""
    dimension, scale = _KINDS[kind]
    base = BASE_UNIT[kind]
    if not written:
        return base, 1.0
    unit, factor = _UNITS.get(" ".join(written.lower().split()), (base, 1.0))
    if _DIMENSIONS.get(unit) != dimension:
        raise QuantityError(f"unité « {written} » inattendue pour une quantité en {base or 'nombre'}")
    if dimension == "money":
        return (unit if scale == 1.0 else f"M{unit}"), factor / scale
    return base, factor


def base_unit(kind: str, written: str | None = None) -> str:
    """The unit a column's values are in: its type's base unit, or the currency its unit names
    (a money column written in `$` holds US dollars)."""
    if kind not in _KINDS or not written:
        return BASE_UNIT.get(kind, "")
    try:
        return _unit_of(written, kind)[0]
    except QuantityError:
        return BASE_UNIT[kind]


def parse_quantity(text: str, kind: str, default_unit: str | None = None, convention: str | None = None) -> Quantity:
    """Parse one cell as a quantity of `kind` (see BASE_UNIT) into its base unit.

    `convention` ("en", "fr" or None for French) says how `1,234` reads. Placeholders give a
    missing quantity (NaN, with their meaning). Raises QuantityError with a French reason when
    the cell holds no such quantity.
    """
    if kind not in BASE_UNIT:
        raise ValueError(f"unknown quantity kind {kind!r}")
    raw = text.strip()
    if not raw:
        raise QuantityError("cellule vide")
    missing = _missing(raw, kind)
    if missing:
        return missing
    match = _CELL.match(raw)
    if not match or (match.group("pre") and match.group("pre2")):
        raise QuantityError(f"aucun nombre dans « {raw} »")
    if bool(match.group("open")) != bool(match.group("close")):
        raise QuantityError(f"parenthèse non fermée dans « {raw} »")
    written = (match.group("pre") or match.group("pre2") or match.group("unit") or default_unit or "").strip()
    if match.group("unit") and (match.group("pre") or match.group("pre2")):
        raise QuantityError(f"deux unités dans « {raw} »")
    unit, factor = _unit_of(written, kind)
    integral_unit = unit in _INTEGRAL_BASES and factor == 1.0
    value, decimals = _number_value(match.group("number"), integral_unit, convention)
    negative = bool(match.group("open")) + bool(match.group("sign") and match.group("sign") != "+") \
        + bool(match.group("sign2"))
    if negative > 1:
        raise QuantityError(f"signe ambigu dans « {raw} »")
    rest = match.group("rest").strip()
    equivalents: tuple[Quantity, ...] = ()
    alternative = _EQUIVALENT.match(rest)
    if alternative:
        equivalents = (parse_quantity(alternative.group("alt"), kind, default_unit, convention),)
        rest = ""
    return Quantity(
        value=(-value if negative else value) * factor,
        unit=unit,
        text=raw,
        decimals=decimals,
        written_unit=written,
        label=rest,
        equivalents=equivalents,
        scale=factor,
    )


def format_number(value: float, lang: str = "fr", decimals: int | None = None) -> str:
    """`12 345 678` in French, `12,345,678` in English."""
    if decimals is None:
        decimals = 0 if float(value).is_integer() else min(3, _needed_decimals(value))
    text = f"{value:,.{decimals}f}"
    if lang == "fr":
        text = text.replace(",", " ").replace(".", ",")
    return text


def _needed_decimals(value: float) -> int:
    text = f"{value:.3f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


_DISPLAY_UNITS = {"m2": "m²", "count": "", "": "", "%": "%"}


def format_quantity(value: float | None, unit: str, lang: str = "fr") -> str:
    """A value in its base unit as a reader expects it: `12 300 m² (1,23 ha)`, `12 345 678 FCFA`."""
    if value is None:
        return "—"
    if unit == "m2" and abs(value) >= 10_000:
        return f"{format_number(value, lang)} m² ({format_number(value / 10_000, lang)} ha)"
    shown = _DISPLAY_UNITS.get(unit, unit)
    number = format_number(value, lang)
    if shown == "%":
        return f"{number} %" if lang == "fr" else f"{number}%"
    return f"{number} {shown}".strip()
