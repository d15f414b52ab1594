"""Context rules of the recognizer: analytes that are drugs when given, homograph brands, Greek
letters and locants in names, units ("million units", "UI", decimal comma), route words and
coordinated doses sharing one unit. Each rule with positive and negative cases."""
from __future__ import annotations

import pytest

from pipeline.recognize import drugs
from pipeline.document import Document
from pipeline.recognize.quantities import coordinated_numbers, find_quantities
from pipeline.recognize.stage import recognize


def spans(text: str, label: str):
    d = Document(raw=text)
    recognize(d)
    return [(e["text"], e["norm"]) for e in d.entities if e["type"] == label]


# ---- analytes that are drugs when given (patterns/dual_use.csv, analyte_context.csv) ---------
@pytest.mark.parametrize("text, span, norm", [
    ("Metabolic acidosis was treated with bicarbonate and diuretics.", "bicarbonate", "sodium bicarbonate"),
    ("It was corrected with an intravenous infusion of 15% glucose.", "glucose", "glucose"),
    ("She took calcium supplements and loratadine.", "calcium", "calcium"),
    ("The rash resolved after zinc supplementation.", "zinc", "zinc"),
    ("Then 4.0 g of fibrinogen concentrate was given.", "fibrinogen", "fibrinogen human"),
    ("Diuretic therapy combined with albumin infusion was performed.", "albumin", "albumin human"),
    ("Oral vitamin B12 was used.", "vitamin B12", "cyanocobalamin"),
    ("Medications included vitamin D and amlodipine.", "vitamin D", "vitamin d"),
    ("He received 2 g/kg intravenous immunoglobulin.", "immunoglobulin", "immune globulin"),
    ("He was treated with GH for a year.", "GH", "somatropin"),
])
def test_analyte_given_is_a_drug(text, span, norm):
    assert (span, norm) in spans(text, "DRUG")


@pytest.mark.parametrize("text", [
    "Serum calcium was 2.1 mmol/L and glucose 7.8 mmol/L.",
    "The serum acyl carnitine profile and muscle carnitine levels were normal.",
    "Her total carnitine level was <3 μmol/L (normal range, 25–69 μmol/L).",
    "Two weeks later, his HCG level was 176 mIU/mL.",
    "Staining was positive for β-human chorionic gonadotropin.",
    "Serum vitamin B12 and folic acid levels were within normal limits.",
    "Antibodies were negative (glutamic acid decarboxylase, anti-insulin).",
    "This may be linked to insulin resistance.",
    "Albumin was 3.2 g/dL and fibrinogen was low.",
])
def test_analyte_measured_is_not_a_drug(text):
    assert spans(text, "DRUG") == []


def test_insulin_is_a_drug_by_default_unless_lab_context():
    assert ("insulin", "insulin") in spans("He was discharged on insulin.", "DRUG")
    assert spans("High insulin levels were found.", "DRUG") == []


def test_lab_context_next_to_the_name_wins_over_the_sentence():
    text = "After therapy with carnitine supplements, her total carnitine levels had increased."
    got = spans(text, "DRUG")
    assert len(got) == 1 and got[0][1] == "levocarnitine"


# ---- homographs ---------------------------------------------------------------------------
def test_homograph_brand_in_lower_case_needs_drug_context():
    assert spans("Angiography showed luminal irregularities.", "DRUG") == []
    assert ("Luminal", "phenobarbital") in spans("Luminal 100 mg was given at night.", "DRUG")
    # a generic written in lower case with a dose, a route or other drugs stays a drug
    assert ("paracetamol", "acetaminophen") in spans("Analgesia with paracetamol 1 g was given.", "DRUG")
    assert ("penicillin", "penicillin") in spans("He was started on intravenous penicillin.", "DRUG")


def test_homograph_flag_is_from_word_frequency():
    lex = drugs.lexicon()
    assert lex[("luminal",)].flag == "homograph"
    assert lex[("imatinib",)].flag == ""


# ---- lexicon: Greek letters, locants, supplement -------------------------------------------
def test_greek_letters_are_keyed_by_name():
    assert drugs.key_of("β-interferon-1a") == drugs.key_of("beta-interferon-1a")
    got = spans("He was placed on β-interferon-1a 44 μg subcutaneously.", "DRUG")
    assert ("β-interferon-1a", "interferon beta-1a") in got


def test_name_without_its_leading_locant():
    assert ("hydroxycamptothecin", "10-hydroxycamptothecin") in spans(
        "An emulsion of oxaliplatin and hydroxycamptothecin was given.", "DRUG")


@pytest.mark.parametrize("text, span, norm", [
    ("He was discharged with chlorphenamine.", "chlorphenamine", "chlorpheniramine"),
    ("He commenced coenzyme Q10 daily.", "coenzyme Q10", "ubidecarenone"),
    ("N2O was used for anaesthesia.", "N2O", "nitrous oxide"),
    ("She was started on chemotherapy (Carbo/Taxol).", "Carbo", "carboplatin"),
    ("Infusions of Tris-hydroxymethyl aminomethane were given.", "Tris-hydroxymethyl aminomethane",
     "tromethamine"),
])
def test_supplement_names(text, span, norm):
    assert (span, norm) in spans(text, "DRUG")


def test_oxygen_saturations_plural_is_not_a_drug():
    assert spans("Blood pressure and oxygen saturations were normal.", "DRUG") == []


# ---- units ----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, value, unit", [
    ("penicillin G, 24 million units intravenously", 24, "M[iU]"),
    ("1000UI of prothrombin complex", 1000, "[iU]"),
    ("fraxiparine of 0,6 ml/day", 0.6, "mL/d"),
    ("10 flacon/day", 10, "{vial}/d"),
    ("1,000 mg", 1000, "mg"),
])
def test_units_and_decimal_comma(text, value, unit):
    q = find_quantities(text)
    assert [(x.value, x.unit_norm) for x in q] == [(value, unit)]


def test_ambiguous_comma_is_not_a_decimal():
    assert find_quantities("doses of 5,10 mg") == []


# ---- routes ---------------------------------------------------------------------------------
def test_new_route_words():
    assert ("perorally", "oral") in spans("She was given allopurinol 300 mg/day perorally.", "ROUTE")
    assert ("parenteral", "parenteral") in spans("The rash resolved after parenteral zinc supplementation.",
                                                 "ROUTE")
    assert spans("Total parenteral nutrition was started.", "ROUTE") == []


def test_route_before_a_class_word_is_a_route():
    got = spans("Uveitis was controlled by topical and oral corticosteroids.", "ROUTE")
    assert got == [("topical", "topical"), ("oral", "oral")]
    assert spans("Oral ulcers were seen.", "ROUTE") == []


def test_route_adjective_is_not_part_of_the_drug_name():
    assert ("intravenous", "intravenous") in spans("She got intravenous immunoglobulin (IVIG).", "ROUTE")


# ---- coordinated doses ------------------------------------------------------------------------
def test_coordinated_doses_share_the_unit():
    text = "Patients received two doses of alprostadil (300 and 150 ng/kg/min) or placebo."
    assert spans(text, "DOSE") == [("300", 300), ("150", 150)]
    assert spans(text, "UNIT") == [("ng/kg/min", "ng/kg/min")]


@pytest.mark.parametrize("text", ["dexamethasone 10mg d1–14 and 5mg d15", "on day 3, 20 mg",
                                  "days 1 and 2 mg"])
def test_not_coordinated_doses(text):
    start = text.rindex(" ", 0, text.rindex("mg")) + 1 if " mg" in text else text.rindex("5mg")
    assert coordinated_numbers(text, start) == []


# ---- DAY of an assay ------------------------------------------------------------------------
def test_day_of_a_culture_assay_is_not_a_day():
    assert spans("Colony forming units (CFUs) were determined on day 14 by using an inverted "
                 "microscope.", "DAY") == []
    # a treatment sentence keeps its day, and so does a day with no assay word
    assert spans("G-CSF 10 μg/kg was given on day 14 of the culture protocol.", "DAY") == [("day 14", [14])]
    assert spans("Counts were determined on day 14.", "DAY") == [("day 14", [14])]


def test_clinical_cultures_keep_their_day():
    assert spans("On hospital day 2, blood cultures grew gram-positive cocci.", "DAY") == [("day 2", [2])]


# ---- frequency after a dose, across a drug name or route word ---------------------------------
@pytest.mark.parametrize("text, found", [
    ("He was commenced on 60 mg prednisolone per day.", [("per day", "q24h")]),
    ("Penicillin G, 24 million units intravenously per day, was given.", [("per day", "q24h")]),
    ("Aspirin 100 mg was given a day later.", []),
    ("Aspirin 100 mg. A day later he fell.", []),
])
def test_per_day_after_a_dose(text, found):
    assert spans(text, "FREQUENCY") == found


# ---- misspelt generic names ---------------------------------------------------------------------
@pytest.mark.parametrize("word, norm", [("Sevofluorane", "sevoflurane"), ("cetixumab", "cetuximab"),
                                        ("Remifentanyl", "remifentanil")])
def test_misspelt_generic_names(word, norm):
    assert (word, norm) in spans(f"Anaesthesia was maintained with {word} and oxygen.", "DRUG")


@pytest.mark.parametrize("word", ["hepatosplenomegaly", "lymphadenopathy", "pneumatosis", "sevoquintane"])
def test_common_or_far_words_are_not_fuzzy_drugs(word):
    assert drugs.matcher().fuzzy(word.lower()) is None


def test_lab_word_before_a_drug_name_does_not_block_its_dose():
    text = ("Therapy was started (500 mg of aspirin and subcutaneous low-molecular-weight heparin "
            "(0.6ml of enoxaparin)).")
    assert ("0.6", 0.6) in spans(text, "DOSE")
    assert spans("His weight was 70 kg when cisplatin was given.", "DOSE") == []


def test_lab_word_after_an_abbreviation_in_parentheses():
    text = ("Tests revealed borderline values for growth hormone (GH) deficiency and he was therefore "
            "treated for a period with GH.")
    assert spans(text, "DRUG") == [("GH", "somatropin")]
