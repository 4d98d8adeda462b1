"""The words of a finding, in French and English, with numbers written each language's way."""

from __future__ import annotations

from extractors.quantity import format_quantity
from reconcilers.parts import Template

MESSAGES: dict[str, Template] = {
    "comparison": Template("{what} : {expected_word} {expected}, {observed_word} {observed}{difference}.",
                           "{what}: {expected_word} {expected}, {observed_word} {observed}{difference}."),
    "difference": Template(", écart {sign}{amount}", ", difference {sign}{amount}"),
}


def comparison(
    what_fr: str, what_en: str, expected: float, observed: float, unit: str,
    *, expected_fr: str = "attendu", expected_en: str = "expected",
    observed_fr: str = "lu", observed_en: str = "stated",
) -> tuple[str, str]:
    """`Total : attendu 12 300 m², lu 12 300 m².` plus the difference when there is one."""
    difference = observed - expected
    said = {lang: {"what": what, "expected_word": expected_word, "observed_word": observed_word,
                   "expected": format_quantity(expected, unit, lang), "observed": format_quantity(observed, unit, lang),
                   "difference": ""}
            for lang, what, expected_word, observed_word in (("fr", what_fr, expected_fr, observed_fr),
                                                            ("en", what_en, expected_en, observed_en))}
    if abs(difference) > 1e-9:
        sign = "+" if difference > 0 else "−"
        said["fr"]["difference"], said["en"]["difference"] = MESSAGES["difference"].render(
            {"sign": sign, "amount": format_quantity(abs(difference), unit, "fr")},
            {"sign": sign, "amount": format_quantity(abs(difference), unit, "en")})
    return MESSAGES["comparison"].render(said["fr"], said["en"])
