"""French and English wording of the inferred checks, apart from the logic that decides them.

Each template is a pair (fr, en) of `str.format` patterns; the checks fill them with numbers
already written each language's way.
"""

from __future__ import annotations

from extractors.quantity import format_quantity

Template = tuple[str, str]

# Rules (what a reviewer reads as the rule assumed).
RULE_SUM: Template = ("{target} = somme de {parts}", "{target} = sum of {parts}")
RULE_SUM_BELOW: Template = ("{target} = somme des {count} lignes qui suivent",
                            "{target} = sum of the {count} rows below")
RULE_SUM_ABOVE: Template = ("{target} = somme des {count} lignes au-dessus",
                            "{target} = sum of the {count} rows above")
RULE_SUM_SECTION: Template = ("{target} = somme des {count} lignes de « {section} »",
                              "{target} = sum of the {count} rows of “{section}”")
RULE_SUM_SUBTOTALS: Template = ("{target} = somme des {count} sous-totaux",
                                "{target} = sum of the {count} sub-totals")
RULE_CROSS_FOOT: Template = ("{target} = {parts}", "{target} = {parts}")
RULE_SHARE: Template = ("{target} = {amount} / {amount} de « {total} » × 100",
                        "{target} = {amount} / {amount} of “{total}” × 100")
RULE_THRESHOLD: Template = (
    "{category} : écart au-delà du seuil si {percent} > {pct_threshold} et {amount} > {floor}",
    "{category}: variance beyond the threshold when {percent} > {pct_threshold} and {amount} > {floor}")

# Findings.
TOTAL: Template = ("{label} — {column} ({rule}, règle déduite, {support}) : recalculé {expected}, lu {observed}",
                   "{label} — {column} ({rule}, inferred rule, {support}): recomputed {expected}, stated {observed}")
TOTAL_AVERAGE: Template = (("{label} — {column} : moyenne des {count} lignes {expected}, lu {observed} "
                           "(un total qui est une moyenne n’est pas additionné)"),
                           ("{label} — {column}: mean of the {count} rows {expected}, stated {observed} "
                           "(a total that is a mean is not summed)"))
TOTAL_UNTIED: Template = (("{label} — {column} : lu {observed}, ne correspond à aucun bloc de lignes "
                          "({tried}) ; non vérifié, aucune règle devinée"),
                          ("{label} — {column}: stated {observed}, matches no block of rows ({tried}); "
                          "not checked, no rule guessed"))
TOTAL_NOT_SUMMED: Template = (("{label} : lu {observed} ; {reason} ; non additionné, non vérifié"),
                               ("{label}: stated {observed}; {reason}; not summed, not checked"))
REASON_RATES: Template = ("ses chiffres sont dans l’étendue de ceux de ses lignes sur {within} colonnes sur {count} : "
                          "des taux ou des moyennes, pas leur somme",
                          "its figures lie within the range of its rows' in {within} of {count} columns: "
                          "rates or means, not their sum")
REASON_SCALE: Template = ("ses chiffres ({column}) suivent ceux des lignes voisines à pas constant ({step}) : "
                          "les graduations d’un graphique, pas une somme",
                          "its figures ({column}) continue the rows' around it at a constant step ({step}): "
                          "a chart's scale, not a sum")
RELATION: Template = ("{label} — {column} ({rule}, règle déduite, {support}) : calculé {expected}, lu {observed}",
                      "{label} — {column} ({rule}, inferred rule, {support}): computed {expected}, stated {observed}")
THRESHOLD: Template = (("{label} — {category} « {observed} » : écart {amount} ({percent}), seuils {pct_threshold} "
                       "et {floor} ({source}) ; attendu {expected}"),
                       ("{label} — {category} “{observed}”: variance {amount} ({percent}), thresholds "
                       "{pct_threshold} and {floor} ({source}); expected {expected}"))
DIFFERENCE: Template = (", écart {sign}{difference}", ", difference {sign}{difference}")


def fill(template: Template, **values: object) -> tuple[str, str]:
    """Both languages of a template; a value given as a (fr, en) pair goes to its language."""
    def pick(lang: int) -> dict[str, object]:
        return {k: (v[lang] if isinstance(v, tuple) else v) for k, v in values.items()}
    return template[0].format(**pick(0)), template[1].format(**pick(1))


def with_difference(fr: str, en: str, difference: float, unit: str, slack: float = 1e-9) -> tuple[str, str]:
    """The two sentences closed, with the difference when it is more than the allowance."""
    if abs(difference) > slack:
        sign = "+" if difference > 0 else "−"
        more = fill(DIFFERENCE, sign=sign, difference=(format_quantity(abs(difference), unit, "fr"),
                                                       format_quantity(abs(difference), unit, "en")))
        fr, en = fr + more[0], en + more[1]
    return fr + ".", en + "."
