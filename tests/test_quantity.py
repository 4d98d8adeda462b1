"""The quantity parser: the documents' own spellings (French and English), and properties over generated ones."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.quantity import (
    QuantityError,
    format_number,
    format_quantity,
    number_convention,
    parse_quantity,
    unit_in_label,
)


@pytest.mark.parametrize(("text", "kind", "unit", "value"), [
    ("40 700 m2", "area", "m2", 40_700),
    ("8140 000F", "money", None, 8_140_000),
    ("5. 55 ha", "area", "m2", 55_500),
    ("½ ha", "area", "m2", 5_000),
    ("4.250 m2", "area", "m2", 4_250),        # a thousands dot in m²
    ("24.925 ha", "area", "m2", 249_250),     # a decimal dot in ha
    ("2 500", "area", "m2", 2_500),
    ("4,07ha", "area", "m2", 40_700),
    ("129,44ha", "area", "m2", 1_294_400),
    ("87 000", "money", None, 87_000),
    ("1050m2", "area", "m2", 1_050),
    ("16 pieds de manguiers", "count", None, 16),
    ("0.79", "money_millions", None, 0.79),
    ("56%", "percent", None, 56),
])
def test_document_spellings(text, kind, unit, value):
    assert parse_quantity(text, kind, unit).value == pytest.approx(value)


def test_two_writings_of_one_figure_are_both_kept():
    quantity = parse_quantity("40 700 m2 soit 4,07ha", "area", "m2")
    assert quantity.value == 40_700
    assert quantity.equivalents[0].value == pytest.approx(40_700)
    assert quantity.equivalents[0].tolerance == pytest.approx(50)   # 4,07 ha is ± 0,005 ha


def test_rounding_allowance_follows_the_written_decimals():
    assert parse_quantity("9.77 ha", "area", "m2").tolerance == pytest.approx(50)
    assert parse_quantity("9.625 ha", "area", "m2").tolerance == pytest.approx(5)
    assert parse_quantity("4500", "area", "m2").tolerance == pytest.approx(0.5)


@pytest.mark.parametrize("text", ["", "abc", "PK", "ha"])
def test_cells_without_a_figure_are_errors_with_a_reason(text):
    with pytest.raises(QuantityError) as error:
        parse_quantity(text, "area", "m2")
    assert str(error.value)


def test_a_unit_of_the_wrong_kind_is_refused():
    with pytest.raises(QuantityError, match="unité"):
        parse_quantity("200 FCFA", "area", "m2")


def test_french_and_english_formats():
    assert format_quantity(16_282_200, "FCFA", "fr") == "16 282 200 FCFA"
    assert format_quantity(16_282_200, "FCFA", "en") == "16,282,200 FCFA"
    assert format_quantity(40_700, "m2", "fr") == "40 700 m² (4,07 ha)"
    assert format_quantity(40_700, "m2", "en") == "40,700 m² (4.07 ha)"


def _french(value: int) -> str:
    return f"{value:,}".replace(",", " ")


@given(st.integers(min_value=0, max_value=10**12))
def test_spaced_thousands_round_trip(value):
    assert parse_quantity(_french(value), "money", None).value == value
    assert parse_quantity(_french(value) + " FCFA", "money", None).value == value
    assert parse_quantity(format_number(value, "fr"), "money", None).value == value


@given(st.integers(min_value=1, max_value=10**9), st.sampled_from(["F", "FCFA", " F", " FCFA"]))
def test_glued_and_spaced_currency(value, suffix):
    assert parse_quantity(_french(value) + suffix, "money", None).value == value


@given(st.integers(min_value=0, max_value=99_999), st.integers(min_value=0, max_value=99))
def test_hectares_with_a_decimal_comma_or_dot(whole, cents):
    for separator in (",", "."):
        text = f"{whole}{separator}{cents:02d} ha"
        assert parse_quantity(text, "area", "m2").value == pytest.approx((whole + cents / 100) * 10_000)


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=999))
def test_a_dot_before_three_digits_groups_thousands_in_square_metres(head, tail):
    assert parse_quantity(f"{head}.{tail:03d} m2", "area", "m2").value == head * 1000 + tail


@given(st.text(max_size=30))
def test_any_text_parses_or_raises_a_quantity_error(text):
    try:
        quantity = parse_quantity(text, "area", "m2")
    except QuantityError:
        return
    assert math.isfinite(quantity.value) or quantity.missing


@pytest.mark.parametrize(("text", "kind", "convention", "value", "unit"), [
    ("$29,672,103", "money", "en", 29_672_103, "USD"),          # USEITI 2015, table C-1
    ("($12,222)", "money", "en", -12_222, "USD"),               # a negative in parentheses (C-4)
    ("$(1,234)", "money", "en", -1_234, "USD"),
    ("-1 234 FCFA", "money", None, -1_234, "FCFA"),
    ("–1 234", "money", "fr", -1_234, "FCFA"),                  # an en dash as the minus sign
    ("1.234.567 F CFA", "money", "fr", 1_234_567, "FCFA"),
    ("1 234 567 XOF", "money", None, 1_234_567, "FCFA"),        # XOF is the FCFA
    ("12,5 MFCFA", "money", None, 12_500_000, "FCFA"),          # MFCFA is 10⁶ FCFA
    ("12 500 000 FCFA", "money_millions", None, 12.5, "MFCFA"),
    ("3,2 millions de FCFA", "money", None, 3_200_000, "FCFA"),
    ("€ 1 000", "money", None, 1_000, "EUR"),
    ("USD 2,500,000", "money", "en", 2_500_000, "USD"),
    ("0.37%", "percent", "en", 0.37, "%"),
    ("9,50 %", "percent", "fr", 9.5, "%"),
    ("1\u00a0234\u202f567", "money", None, 1_234_567, "FCFA"),   # no-break spaces group thousands
])
def test_currencies_scales_signs_and_separators(text, kind, convention, value, unit):
    quantity = parse_quantity(text, kind, None, convention)
    assert quantity.value == pytest.approx(value)
    assert quantity.unit == unit


@pytest.mark.parametrize(("text", "meaning"), [
    ("DNP", "Did Not Participate"), ("DNR", "Did Not Report"), ("N/A", "Not Applicable"),
    ("n.d.", "non disponible"), ("-", "néant"), ("—", "néant"), ("néant", "néant"), ("PM", "pour mémoire"),
])
def test_placeholders_are_missing_values_that_keep_their_reason(text, meaning):
    quantity = parse_quantity(text, "money")
    assert math.isnan(quantity.value)
    assert meaning in quantity.missing
    assert quantity.text == text


def test_the_convention_decides_how_a_lone_comma_reads_and_is_never_guessed():
    assert parse_quantity("1,406", "money", None, "en").value == 1_406
    assert parse_quantity("1,406", "money", None, "fr").value == pytest.approx(1.406)
    assert number_convention(["$29,672,103", "$1,406"]) == "en"
    assert number_convention(["1 406", "2,5"]) == "fr"
    assert number_convention(["1,406"]) is None                          # nothing says which
    assert number_convention(["29,672,103", "1 406 000"]) is None         # both: no guess
    with pytest.raises(QuantityError):
        parse_quantity("1,23,4", "money", None, "en")


def test_a_unit_printed_in_a_header_applies_to_bare_figures():
    assert unit_in_label("Montant (en millions de FCFA)") == "millions de fcfa"
    assert unit_in_label("Variance Amount ($)") == "$"
    assert unit_in_label("Total Reported by Company") is None
    assert parse_quantity("12,5", "money", unit_in_label("Montant (MFCFA)")).value == pytest.approx(12_500_000)


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_english_amounts_round_trip_with_their_sign(value):
    written = f"(${-value:,})" if value < 0 else f"${value:,}"
    assert parse_quantity(written, "money", None, "en").value == value
    assert parse_quantity(f"{value:,}", "money", None, "en").value == value


@given(st.integers(min_value=1, max_value=10**12), st.sampled_from(["-", "–", "−"]))
def test_french_negatives_with_any_dash(value, dash):
    assert parse_quantity(f"{dash}{_french(value)} FCFA", "money").value == -value


def test_a_dollar_before_a_comma_group_is_english_evidence():
    """"$3,831" in a column of the USEITI executive summary is 3 831 dollars, not 3,831."""
    assert number_convention(["$3,831", "$207"]) == "en"
    assert parse_quantity("$3,831", "money", None, "en").value == 3831
    assert number_convention(["1,5", "$ 2"]) == "fr"
