"""Route families: neuraxial anaesthesia routes, routes right before a drug (systemic, ocular, the
open intra-/peri-/sub- family), anatomy and exposure uses that are no route."""
from __future__ import annotations

import pytest

from .helpers import ents


def routes(text):
    return ents(text, "ROUTE")


@pytest.mark.parametrize("text, expected", [
    # anaesthesia: "spinal"/"subarachnoid" -> intrathecal (schema), also coordinated with epidural
    ("Surgery was done under combined spinal and epidural anesthesia (CSEA).",
     [("spinal", "intrathecal"), ("epidural", "epidural")]),
    ("Combined Spinal and Epidural Anesthesia in the elderly",
     [("Spinal", "intrathecal"), ("Epidural", "epidural")]),
    ("For patients undergoing subarachnoid anesthesia, headache is common.",
     [("subarachnoid", "intrathecal")]),
    ("She delivered under epidural analgesia.", [("epidural", "epidural")]),
    # a route written once before coordinated or unnamed fluids
    ("He was kept hydrated with oral and intravenous fluids.",
     [("oral", "oral"), ("intravenous", "intravenous")]),
    # right before a named drug
    ("He received inhaled and systemic colistin.", [("inhaled", "inhalation"), ("systemic", "systemic")]),
    ("Ocular timolol maleate caused bradycardia.", [("Ocular", "ophthalmic")]),
    ("She was given intracoronary nitroglycerin.", [("intracoronary", "intracoronary")]),
    ("topical phenylephrine and submucosal epinephrine were used",
     [("topical", "topical"), ("submucosal", "submucosal")]),
    ("after peritonsillar infiltration with bupivacaine", [("peritonsillar", "peritonsillar")]),
    ("inhalation of salbutamol was started", [("inhalation", "inhalation")]),
])
def test_route_families(text, expected):
    assert routes(text) == expected


@pytest.mark.parametrize("text", [
    "The spinal cord was compressed after 5 mg morphine.",
    "The epidural needle was inserted at L3-L4 and 10 mg bupivacaine given.",
    "Options include oxygen therapy and epidural blood patches.",
    "the loss of cerebral spinal fluid after lidocaine",
    "Systemic steroids were given.",               # a class: no route (unseen-pdfs guideline)
    "Systemic sclerosis was treated with nifedipine.",
    "subtherapeutic vancomycin levels were found",
    "intraperitoneal fluid was seen after cisplatin",
    "intracranial pressure rose after mannitol",
    "peripheral blood counts fell after cytarabine",
    "the intraoperative use of ketamine",
    "Infestation is mostly seen subcutaneously and may produce a boil.",
    "Occasionally, inhalation of conidia may occur.",
    "Ocular examination was normal after ethambutol.",
])
def test_not_routes(text):
    assert routes(text) == []


@pytest.mark.parametrize("text, expected", [
    ("Two patients became hypokalemic after inhalation of normal doses of albuterol.",
     [("inhalation", "inhalation")]),
    ("Inhalation of conidia, then itraconazole, was discussed.", []),
])
def test_inhalation_of_needs_a_drug_in_its_phrase(text, expected):
    assert routes(text) == expected
