"""The words of a finding, in French and English, with numbers written each language's way."""

from __future__ import annotations

from extractors.quantity import format_quantity


def comparison(
    what_fr: str, what_en: str, expected: float, observed: float, unit: str,
    *, expected_fr: str = "attendu", expected_en: str = "expected",
    observed_fr: str = "lu", observed_en: str = "stated",
) -> tuple[str, str]:
    """`Total : attendu 12 300 m², lu 12 300 m².` plus the difference when there is one."""
    difference = observed - expected
    fr = (f"{what_fr} : {expected_fr} {format_quantity(expected, unit, 'fr')}, "
          f"{observed_fr} {format_quantity(observed, unit, 'fr')}")
    en = (f"{what_en}: {expected_en} {format_quantity(expected, unit, 'en')}, "
          f"{observed_en} {format_quantity(observed, unit, 'en')}")
    if abs(difference) > 1e-9:
        sign = "+" if difference > 0 else "−"
        fr += f", écart {sign}{format_quantity(abs(difference), unit, 'fr')}"
        en += f", difference {sign}{format_quantity(abs(difference), unit, 'en')}"
    return fr + ".", en + "."
