"""Routes: minimal span and norm, schema route norms, modes and devices are not routes."""
from __future__ import annotations

import pytest

from pipeline.recognize.administration import find_routes
from .helpers import ents


def r(text):
    return [(text[a:b], n) for a, b, n in find_routes(text, lambda pos: True)]


@pytest.mark.parametrize("text, span, norm", [
    ("by continuous intravenous infusion", "intravenous", "intravenous"),
    ("intrauterine instillation", "intrauterine", "intrauterine"),
    ("administered intravaginally", "intravaginally", "intravaginal"),
    ("under spinal anaesthesia", "spinal", "intrathecal"),
    ("given parenterally", "parenterally", "parenteral"),
    ("intramuscular injection", "intramuscular", "intramuscular"),
    ("applied topically", "topically", "topical"),
    ("transdermal patch", "transdermal", "transdermal"),
    ("sublingual tablets", "sublingual", "sublingual"),
    ("given by inhalation", "inhalation", "inhalation"),
])
def test_routes(text, span, norm):
    assert (span, norm) in r(text)


@pytest.mark.parametrize("text", ["smoke inhalation", "inhalation injury", "by infusion", "as a bolus",
                                  "by mask", "via nasal cannula", "intrauterine pregnancy",
                                  "spinal cord", "vaginal bleeding"])
def test_not_routes(text):
    assert r(text) == []


def test_ivig_one_drug_no_route():
    assert ents("IVIG 2 g/kg was given.", "ROUTE") == []
    assert ents("IVIG 2 g/kg was given.", "DRUG") == [("IVIG", "immune globulin")]


def test_ivcy_one_drug_span():
    assert ents("IVCY 500 mg was given monthly.", "DRUG") == [("IVCY", "cyclophosphamide")]
    assert ents("IVCY 500 mg was given monthly.", "ROUTE") == []


def test_intravenous_immune_globulin_route_and_drug():
    text = "He received intravenous immunoglobulin 2 g/kg."
    assert ents(text, "ROUTE") == [("intravenous", "intravenous")]
    assert ents(text, "DRUG") == [("immunoglobulin", "immune globulin")]
