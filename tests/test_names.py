"""Why the name threshold is 85, on the PAR's own names: variants above, different people below."""

import pytest
from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from reconcilers.names import (
    SCORERS,
    Mention,
    fold,
    joined_ratio,
    link_entities,
    split_joined,
)

THRESHOLD = 85  # raw/par.yaml, checks.entities.pap.threshold

SAME_PERSON = [
    ("Mamadou Kanté", "MadouKanté"),          # a lost syllable and a lost space
    ("Karamogo Keïta", "Karamoko Keita"),     # g/k and a dropped diaeresis
    ("MassamaKeïta", "Massamakeita"),         # case and accent only
    ("Naman Keïta", "NamanKeïta"),
    ("Siaka Keïta", "Siaka Keita"),
]
DIFFERENT_PEOPLE = [
    ("Moussa Keita", "Massamakeita"),         # same surname, close first names
    ("Karamoko Keita", "Karamoko Konaté"),    # same first name
    ("Abdoulaye Traoré", "Yacouba Traoré"),
    ("Chaka Traoré", "Issa Traoré"),
    ("Sindimory Traoré", "Tiémogo Traoré"),
    ("Siaka Keita", "Moussa Keita"),
]


@pytest.mark.parametrize(("a", "b"), SAME_PERSON)
def test_spellings_of_one_person_score_well_above_the_threshold(a, b):
    assert joined_ratio(a, b) >= 90 > THRESHOLD


@pytest.mark.parametrize(("a", "b"), DIFFERENT_PEOPLE)
def test_different_people_sharing_a_name_score_well_below_it(a, b):
    assert joined_ratio(a, b) < 80 < THRESHOLD


def test_a_lost_space_sinks_a_token_scorer_on_raw_names_not_ours():
    raw = fuzz.token_sort_ratio("Mamadou Kanté", "MadouKanté", processor=default_process)
    assert raw < 50
    assert SCORERS["joined_ratio"]("Mamadou Kanté", "MadouKanté") > 90
    assert SCORERS["token_sort"]("Mamadou Kanté", "MadouKanté") > 90   # fold() splits joined names first


def test_folding_and_splitting():
    assert split_joined("SindimoryTraoré") == "Sindimory Traoré"
    assert split_joined("Massamakeita") == "Massamakeita"
    assert fold("KaramogoKeïta") == "karamogo keita"


def test_an_entity_is_displayed_as_printed_a_lost_space_put_back_only_where_shown() -> None:
    """"Freeport-McMoRan Inc." (USEITI) keeps its capitals; "MadouKanté" (the PAR) gets its space back
    because "Mamadou Kanté" prints "Kanté" after a space."""
    def canonical(*spellings: str) -> str:
        mentions = [[Mention(f"T{i}", 0, spelling)] for i, spelling in enumerate(spellings)]
        [entity], _ = link_entities(mentions, 85.0)
        return entity.canonical

    assert canonical("Freeport-McMoRan Inc.", "Freeport-McMoRan Inc.", "Freeport McMoRan Inc.") == "Freeport-McMoRan Inc."
    assert canonical("MadouKanté", "MadouKanté", "Mamadou Kanté") == "Madou Kanté"
    assert canonical("ConocoPhillips", "ConocoPhillips") == "ConocoPhillips"
