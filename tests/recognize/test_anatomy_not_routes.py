"""Route adjectives that name a place in the body, not where a drug went: "subretinal fluid",
"intramuscular pressure", "intravenous invasion" (patterns/recognize/routes.jsonl, not_before).
The same words before a drug or an administration noun stay routes."""
from __future__ import annotations

import pytest

from .helpers import ents


def routes(text):
    return ents(text, "ROUTE")


@pytest.mark.parametrize("text", [
    "Optical coherence tomography showed subretinal fluid after ranibizumab.",
    "The intraretinal/subretinal fluid resolved after the vitrectomy and bevacizumab.",
    "CT showed a perihepatic collection while on piperacillin.",
    "An intra-abdominal effusion persisted despite cefuroxime.",
    "Perineural tumor infiltration was seen; gemcitabine was planned.",
    "The intramuscular pressure rose to 45 mmHg after heparin.",
    "An intramuscular lipoma of the thigh was excised under propofol.",
    "The subcutaneous surface was red after the warfarin overdose.",
    "Intravenous invasion by the tumour was noted after cisplatin.",
])
def test_anatomy_is_no_route(text):
    assert routes(text) == []


@pytest.mark.parametrize("text, expected", [
    ("Subretinal tissue plasminogen activator was injected.", [("Subretinal", "subretinal")]),
    ("She received intravenous cefuroxime 1.5 g.", [("intravenous", "intravenous")]),
    ("Intramuscular ceftriaxone 1 g was given once.", [("Intramuscular", "intramuscular")]),
    ("after perineural infiltration with ropivacaine", [("perineural", "perineural")]),
    ("Subcutaneous enoxaparin 40 mg was started.", [("Subcutaneous", "subcutaneous")]),
    ("The pump delivered intraperitoneal fluids with cisplatin.", [("intraperitoneal", "intraperitoneal")]),
])
def test_the_same_words_before_a_drug_stay_routes(text, expected):
    assert routes(text) == expected


# devices and events of a vein are no route: "IV line", "intravenous access", "IV infiltration"
@pytest.mark.parametrize("text", [
    "Two IV lines were placed before vancomycin was started.",
    "Intravenous access was difficult; ceftriaxone was delayed.",
    "An IV infiltration of the forearm occurred during the vancomycin course.",
    "A peripheral intravenous catheter was inserted and heparin was flushed.",
    "Intravenous drug use was reported; methadone 60 mg daily was continued.",
    "The IV site was swollen after the cefazolin dose.",
])
def test_devices_and_events_of_a_vein_are_no_route(text):
    assert routes(text) == []


@pytest.mark.parametrize("text, expected", [
    ("IV vancomycin 1 g twice daily was started through the line.", [("IV", "intravenous")]),
    ("Intravenous lines of therapy included cefazolin given intravenously.", [("intravenously", "intravenous")]),
    ("Cefazolin was given IV over 30 minutes.", [("IV", "intravenous")]),
])
def test_a_vein_as_the_route_of_a_drug_stays(text, expected):
    assert routes(text) == expected
