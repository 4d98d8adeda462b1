"""French quantities as written in Malian administrative documents.

`12 300 m2`, `5120 000F`, `3. 45 ha`, `½ ha`, `2.750 m2`, `6,15ha`, `45 000`: the
same grammar serves a whole cell (`parse_quantity`) and a number inside a flattened
row (`NUMBER_PATTERN`), so that the row splitter and the cell parser never disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Which base unit each declared column type converts to.
BASE_UNIT = {
    "area": "m2",
    "money": "FCFA",
    "money_millions": "MFCFA",
    "count": "count",
    "number": "",
    "percent": "%",
}

# Written unit -> (base unit, factor to the base unit).
_UNITS: dict[str, tuple[str, float]] = {
    "ha": ("m2", 10_000.0),
    "m2": ("m2", 1.0),
    "m²": ("m2", 1.0),
    "fcfa": ("FCFA", 1.0),
    "f cfa": ("FCFA", 1.0),
    "f": ("FCFA", 1.0),
    "mfcfa": ("MFCFA", 1.0),
    "%": ("%", 1.0),
    "pieds": ("count", 1.0),
    "pied": ("count", 1.0),
}
# Units measured in whole numbers: there a dot before exactly three digits groups thousands.
_INTEGRAL_BASES = {"m2", "FCFA", "count"}

_SPACE = "[ \u00a0\u202f]"
_FRACTIONS = {"½": 0.5, "¼": 0.25, "¾": 0.75}

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

_CELL = re.compile(
    rf"^\s*(?P<number>(?:\d+{_SPACE}?)?[½¼¾]|[-+]?\d[\d \u00a0\u202f]*(?:[.,]\s?\d+)?)"
    rf"\s*(?P<unit>m2|m²|ha|MFCFA|FCFA|F\s?CFA|F|%|pieds?)?(?![A-Za-zÀ-ÿ0-9])"
    r"(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_EQUIVALENT = re.compile(r"\s*(?:soit|ou|=)\s+(?P<alt>.+)$", re.IGNORECASE | re.DOTALL)


class QuantityError(ValueError):
    """A cell that should hold a quantity and does not: the reason is the message."""


@dataclass(frozen=True)
class Quantity:
    """A parsed quantity in its base unit, with what the document wrote."""

    value: float
    unit: str
    text: str
    decimals: int = 0          # decimals as written, in the written unit
    written_unit: str = ""     # the unit as written, or the column's default
    label: str = ""            # words after the quantity ("de manguiers")
    equivalents: tuple[Quantity, ...] = ()  # "12 300 m2 soit 1,23ha": the 1,23 ha

    @property
    def tolerance(self) -> float:
        """Half a unit of the last written digit, in the base unit: the rounding allowance."""
        factor = _UNITS.get(self.written_unit.lower(), (self.unit, 1.0))[1]
        return 0.5 * 10 ** (-self.decimals) * factor


def _number_value(number: str, integral_unit: bool) -> tuple[float, int]:
    """The value of a written number and how many decimals it was written with."""
    text = re.sub(_SPACE, " ", number.strip())
    fraction = 0.0
    if text and text[-1] in _FRACTIONS:
        fraction = _FRACTIONS[text[-1]]
        text = text[:-1].strip()
        if not text:
            return fraction, 2
    decimal_match = re.search(r"[.,]\s?(\d+)$", text)
    decimals = 0
    if decimal_match:
        digits = decimal_match.group(1)
        separator = text[decimal_match.start()]
        is_thousands_dot = (
            separator == "." and len(digits) == 3 and " " not in text[decimal_match.start():]
            and integral_unit
        )
        head = text[: decimal_match.start()].replace(" ", "")
        if is_thousands_dot:
            text = head + digits
        else:
            text = f"{head}.{digits}"
            decimals = len(digits)
    else:
        text = text.replace(" ", "")
    if not re.fullmatch(r"[-+]?\d+(?:\.\d+)?", text):
        raise QuantityError(f"nombre illisible « {number.strip()} »")
    return float(text) + fraction, decimals


def parse_quantity(text: str, kind: str, default_unit: str | None = None) -> Quantity:
    """Parse one cell as a quantity of `kind` (see BASE_UNIT) into its base unit.

    Raises QuantityError with a French reason when the cell holds no such quantity.
    """
    if kind not in BASE_UNIT:
        raise ValueError(f"unknown quantity kind {kind!r}")
    base = BASE_UNIT[kind]
    raw = text.strip()
    if not raw:
        raise QuantityError("cellule vide")
    match = _CELL.match(raw)
    if not match:
        raise QuantityError(f"aucun nombre dans « {raw} »")
    written = (match.group("unit") or default_unit or "").strip()
    unit_base, factor = _UNITS.get(written.lower().replace("  ", " "), (base, 1.0))
    if written and unit_base != base and not (base == "count" and unit_base == "count"):
        raise QuantityError(f"unité « {written} » inattendue pour une quantité en {base or 'nombre'}")
    integral_unit = base in _INTEGRAL_BASES and factor == 1.0
    value, decimals = _number_value(match.group("number"), integral_unit)
    rest = match.group("rest").strip()
    equivalents: tuple[Quantity, ...] = ()
    alternative = _EQUIVALENT.match(rest)
    if alternative:
        equivalents = (parse_quantity(alternative.group("alt"), kind, default_unit),)
        rest = ""
    return Quantity(
        value=value * factor,
        unit=base,
        text=raw,
        decimals=decimals,
        written_unit=written,
        label=rest,
        equivalents=equivalents,
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
