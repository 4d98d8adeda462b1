"""The French quantity parser: the document's own spellings, and properties over generated ones."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.quantity import (
    QuantityError,
    format_number,
    format_quantity,
    parse_quantity,
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
    assert math.isfinite(quantity.value)
