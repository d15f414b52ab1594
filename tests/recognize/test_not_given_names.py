"""Names that are no drug given: organisms' binomials without a dose (allergen extracts in
DrugBank, pathogens in case reports), a homograph capitalised only because it starts the sentence,
a name after "anti-", a lung function test ("carbon monoxide diffusion")."""
from __future__ import annotations

import pytest

from .helpers import ents


@pytest.mark.parametrize("text", [
    "Larvae of Musca domestica were identified.",
    "Cultures grew Candida albicans and Aspergillus fumigatus.",
    "Yeasts of cryptococcosis have variable sizes.",
    "Her regimen consisted only of anti-estrogen therapy.",
    "There was moderately reduced carbon monoxide diffusion.",
])
def test_not_drugs(text):
    assert ents(text, "DRUG") == []


@pytest.mark.parametrize("text, expected", [
    ("Saccharomyces boulardii 250 mg twice daily was given.",
     [("Saccharomyces boulardii", "saccharomyces boulardii")]),
    ("Luminal 100 mg was given.", [("Luminal", "phenobarbital")]),
    ("Estrogen was given after surgery.", [("Estrogen", "estrogen")]),
    ("She received anti-thymocyte globulin.", [("anti-thymocyte globulin", "anti-thymocyte globulin")]),
])
def test_still_drugs(text, expected):
    assert ents(text, "DRUG") == expected


def test_organism_flag_spares_binomial_looking_drug_names():
    from pipeline.recognize.lexicon import key_of, lexicon
    lex = lexicon()
    assert lex[key_of("candida albicans")].flag == "organism"
    for name in ("tebipenem pivoxil", "taliglucerase alfa", "levomefolic acid"):
        entry = lex.get(key_of(name))
        assert entry is None or entry.flag != "organism", name
