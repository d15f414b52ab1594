"""Entity recognition, one rule family at a time, with positive and negative cases."""
from __future__ import annotations

import pytest

from pipeline.document import Document
from pipeline.recognize.stage import recognize


def ents(text: str, blocks=None):
    d = Document(raw=text)
    if blocks:
        d.blocks = blocks
    recognize(d)
    return d


def spans(text: str, label: str | None = None, blocks=None):
    d = ents(text, blocks)
    return [(e["text"], e["norm"]) for e in d.entities if label is None or e["type"] == label]


# ---- DRUG ----------------------------------------------------------------------------------
def test_drug_lexicon_generic_brand_and_ids():
    d = ents("She was given tocilizumab and Simulect, then Levofloxacin-induced thrombocytopenia.")
    got = {(e["text"], e["norm"]) for e in d.entities if e["type"] == "DRUG"}
    assert ("tocilizumab", "tocilizumab") in got
    assert ("Simulect", "basiliximab") in got
    assert ("Levofloxacin", "levofloxacin") in got
    toc = next(e for e in d.entities if e["text"] == "tocilizumab")
    assert toc["ids"] == {"drugbank": "DB06273"}


def test_drug_supplement_abbreviations_and_norms():
    got = spans("Ara-C, G-CSF, MMF and cyclosporine A were given; ATG was added.", "DRUG")
    assert ("Ara-C", "cytarabine") in got
    assert ("G-CSF", "filgrastim") in got
    assert ("MMF", "mycophenolate mofetil") in got
    assert ("cyclosporine A", "cyclosporine") in got
    assert ("ATG", "anti-thymocyte globulin") in got


def test_not_drugs_classes_analytes_procedures():
    text = ("Antibiotics, glucocorticoids and chemotherapy were given. Serum creatinine, sodium, "
            "glucose and lactate dehydrogenase were normal; oxygen saturation was 90%. "
            "Alanine aminotransferase was raised. Platelet transfusion was needed. IL-6 rose.")
    assert spans(text, "DRUG") == []


def test_oxygen_as_treatment_is_a_drug():
    assert ("oxygen", "oxygen") in spans("Oxygen saturation fell, and oxygen inhalation at 10 L/min "
                                         "was started.", "DRUG")


def test_abbreviation_defined_in_text_is_recognised_later():
    text = "Mobilisation used cyclophosphamide (CFA) at 4 g/m². Later, CFA was repeated."
    got = spans(text, "DRUG")
    assert got.count(("CFA", "cyclophosphamide")) == 2


def test_caption_key_and_glossary():
    text = ("Figure legend. TCZ, tocilizumab; dex, dexamethasone.\n"
            "Abbreviations: MMF, Mycophenolate mofetil; CR, complete remission.\n"
            "MMF was started. TCZ was given.")
    d = ents(text)
    got = [(e["text"], e["norm"]) for e in d.entities if e["type"] == "DRUG"]
    assert ("TCZ", "tocilizumab") in got and ("dex", "dexamethasone") in got
    gloss_start = text.index("Abbreviations")
    gloss_end = text.index("\n", gloss_start)
    assert not any(gloss_start <= e["start"] < gloss_end for e in d.entities)
    assert got.count(("MMF", "mycophenolate mofetil")) == 1  # only the use, not the glossary
    assert {"short": "MMF", "long": "Mycophenolate mofetil"} in d.abbreviations


def test_glossary_block_from_cleanup_is_excluded():
    text = "ATG, anti-thymocyte globulin; MMF, mycophenolate mofetil\nATG was given."
    d = ents(text, blocks=[{"kind": "glossary", "start": 0, "end": text.index("\n")}])
    assert [e["text"] for e in d.entities] == ["ATG"]


def test_headings_carry_no_entities():
    text = "Title of the report on cytarabine\n\nCytarabine\n\nCytarabine was given."
    d = ents(text)
    starts = [e["start"] for e in d.entities]
    assert text.index("Cytarabine was") in starts
    assert text.index("\nCytarabine\n") + 1 not in starts


@pytest.mark.parametrize("text,span", [
    ("treated with anti-CD7 CAR T cells bridging", "anti-CD7 CAR T cells"),
    ("CD7 CAR T-cell therapy was introduced", "CD7 CAR T-cell"),
    ("after CD7 CAR T therapy and", "CD7 CAR T"),
    ("selected anti-CD7 CAR (NS7CAR) T cells were", "anti-CD7 CAR (NS7CAR) T cells"),
    ("anti-BCMA CAR T cells at 1 × 10^6 cells/kg", "anti-BCMA CAR T cells"),
])
def test_car_t_with_target(text, span):
    got = spans(text, "DRUG")
    assert got and got[0][0] == span
    assert got[0][1].endswith(" car t cells")


def test_bare_car_t_is_not_a_drug():
    assert spans("CAR T-cell therapy and CAR T cells expanded.", "DRUG") == []


# ---- REGIMEN -------------------------------------------------------------------------------
def test_regimen_lexicon_and_defined_acronym():
    text = ("He received vincristine, daunorubicin and prednisone (VDP) and then FC regimen "
            "and R-CHOP. VDP was repeated. The conditioning regimen was busulfan.")
    got = spans(text, "REGIMEN")
    assert ("VDP", "VDP") in got and got.count(("VDP", "VDP")) == 2
    assert ("FC", "FC") in got and ("R-CHOP", "R-CHOP") in got
    assert not any("conditioning" in t for t, _ in got)


def test_regimen_spaces_collapsed_and_case_kept():
    got = spans("two cycles of hyper-CVAD B and CAM  ±  L with cytarabine", "REGIMEN")
    assert ("hyper-CVAD B", "hyper-CVAD B") in got
    assert ("CAM  ±  L", "CAM ± L") in got


def test_acronym_of_one_drug_is_a_drug_not_a_regimen():
    text = "Key: CLAG, cladribine; IDA, idarubicin."
    got = spans(text)
    assert ("CLAG", "cladribine") in got and not spans(text, "REGIMEN")


# ---- DOSE / UNIT ---------------------------------------------------------------------------
@pytest.mark.parametrize("text,dose,unit,unit_norm", [
    ("pegaspargase 3750IU d8/22", 3750, "IU", "[iU]"),
    ("daunorubicin 40mg/m2/d d1/8", 40, "mg/m2/d", "mg/m2/d"),
    ("fludarabine 30 mg/m², days −4 to −2", 30, "mg/m²", "mg/m2"),
    ("CD7 CAR T cells at a dose of 1 × 10^6 cells/kg", 1e6, "cells/kg", "{cells}/kg"),
    ("CD7 CAR T cells at a dose of 2.5 × 10^5 cells/kg", 2.5e5, "cells/kg", "{cells}/kg"),
    ("G-CSF 10 µg/kg/day subcutaneously", 10, "µg/kg/day", "ug/kg/d"),
    ("dexamethasone 7.5mg d1-5", 7.5, "mg", "mg"),
    ("methotrexate 40–80 mg weekly", [40, 80], "mg", "mg"),
    ("norepinephrine 0.1 µg/kg/min", 0.1, "µg/kg/min", "ug/kg/min"),
])
def test_dose_and_unit(text, dose, unit, unit_norm):
    d = ents(text)
    doses = [e for e in d.entities if e["type"] == "DOSE"]
    units = [e for e in d.entities if e["type"] == "UNIT"]
    assert len(doses) == 1 and len(units) == 1
    assert doses[0]["norm"] == pytest.approx(dose)
    assert units[0]["text"] == unit and units[0]["norm"] == unit_norm


@pytest.mark.parametrize("text", [
    "White blood cell count was 84.82 × 10^9/L before cytarabine.",
    "Glucose was 511 mg/dL during insulin treatment.",
    "The serum level of cyclosporine A was 406 ng/mL.",
    "EBV DNA of 5.19 × 10^5 copies/mL; rituximab followed.",
    "diarrhea (up to 2010 g/day) on the second day",
    "Fever peaked at 39.5 °C and 95% blasts were seen.",
    "A minimum of 1 × 10^6/kg CD34+ cells was collected after G-CSF.",
])
def test_lab_values_and_counts_are_not_doses(text):
    assert not [e for e in ents(text).entities if e["type"] in ("DOSE", "UNIT")]


def test_dose_needs_a_drug_nearby():
    assert not [e for e in ents("The tumour measured 30 mg in weight.").entities
                if e["type"] == "DOSE"]
    assert [e["norm"] for e in ents("Two 20 mg doses of basiliximab were given.").entities
            if e["type"] == "DOSE"] == [20]


# ---- DAY -----------------------------------------------------------------------------------
@pytest.mark.parametrize("text,span,norm", [
    ("On day 0, cells were infused.", "day 0", [0]),
    ("discharged on day +8 and", "day +8", [8]),
    ("on day −7 was", "day −7", [-7]),
    ("fludarabine, days −4 to −2;", "days −4 to −2", [-4, -3, -2]),
    ("vinodixin 4mg d1/8/15/22, then", "d1/8/15/22", [1, 8, 15, 22]),
    ("10mg d1–14 and", "d1–14", list(range(1, 15))),
    ("100mg/m2/d d1–3 and d8-10, next", "d1–3 and d8-10", [1, 2, 3, 8, 9, 10]),
    ("once daily on days +8 and +14 days", "days +8 and +14", [8, 14]),
    ("Day 27 marked", "Day 27", [27]),
    ("on postoperative day 6 she", "day 6", [6]),
    ("40mg/d d1-4/11-14.", "d1-4/11-14", [1, 2, 3, 4, 11, 12, 13, 14]),
    ("30mg/m2 d-4 to -2, next", "d-4 to -2", [-4, -3, -2]),
])
def test_day_forms(text, span, norm):
    got = spans(text, "DAY")
    assert got == [(span, norm)]


@pytest.mark.parametrize("text", [
    "Fever persisted for 1 week.", "the interval was 50–90 days", "two weeks later",
    "12 days after transplant", "on the first day of infusion", "within 90 days",
    "2D, days after the infusion",
])
def test_durations_are_not_days(text):
    assert spans(text, "DAY") == []


# ---- DATE ----------------------------------------------------------------------------------
@pytest.mark.parametrize("text,norm", [
    ("was initiated on May 27 2021 (day −4)", "2021-05-27"),
    ("on July 6, 2021 during", "2021-07-06"),
    ("on 30 January 2021.", "2021-01-30"),
    ("in December 2019 with", "2019-12"),
])
def test_dates_iso(text, norm):
    assert [n for _, n in spans(text, "DATE")] == [norm]


def test_date_without_year_takes_the_narrative_year():
    got = spans("Transplanted on 1 June 2009. Ganciclovir from 12 June. In 1998 it was shown.",
                "DATE")
    assert got == [("1 June 2009", "2009-06-01"), ("12 June", "2009-06-12")]


# ---- FREQUENCY -----------------------------------------------------------------------------
@pytest.mark.parametrize("text,span,norm", [
    ("tocilizumab 4 mg/kg once daily", "once daily", "q24h"),
    ("dexamethasone 10 mg every 6 h", "every 6 h", "q6h"),
    ("cytarabine 3g/m2 q12h d2-3", "q12h", "q12h"),
    ("ganciclovir 2.5 mg/kg b.i.d. was", "b.i.d.", "q12h"),
    ("levofloxacin 500 mg twice daily", "twice daily", "q12h"),
    ("rituximab 375 mg/m² weekly", "weekly", "q1w"),
    ("cidofovir 5 mg/kg every two weeks", "every two weeks", "q2w"),
    ("paracetamol 1 g three times daily", "three times daily", "q8h"),
])
def test_frequency(text, span, norm):
    assert spans(text, "FREQUENCY") == [(span, norm)]


def test_frequency_needs_an_administration_context():
    assert spans("The apheresis was continued daily until the target.", "FREQUENCY") == []
    assert spans("cytarabine 100mg/m2/d d1-3", "FREQUENCY") == []  # "/d" belongs to the unit


# ---- ROUTE ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text,span,norm", [
    ("rituximab was administered via intrathecal injection", "intrathecal", "intrathecal"),
    ("ganciclovir i.v. was", "i.v.", "intravenous"),
    ("Oral venetoclax (100 mg daily)", "Oral", "oral"),
    ("azacitidine 100 mg subcutaneously", "subcutaneously", "subcutaneous"),
    ("after intrathecal chemotherapy", "intrathecal", "intrathecal"),
    ("diazepam IV was given", "IV", "intravenous"),
])
def test_route(text, span, norm):
    assert spans(text, "ROUTE") == [(span, norm)]


@pytest.mark.parametrize("text", [
    "stage IV disease", "oral mucositis developed", "an invasive rectal mass",
    "subcutaneous emphysema was seen", "complex IV deficiency",
])
def test_not_routes(text):
    assert spans(text, "ROUTE") == []


# ---- document and spaCy Doc ----------------------------------------------------------------
def test_entities_sorted_with_ids_and_spacy_doc():
    text = "Cyclophosphamide 500mg/m2 d1 and cytarabine 3750IU d2 q12h i.v."
    d = ents(text)
    assert [e["id"] for e in d.entities] == [f"T{i + 1}" for i in range(len(d.entities))]
    assert [e["start"] for e in d.entities] == sorted(e["start"] for e in d.entities)
    assert all(text[e["start"]:e["end"]] == e["text"] for e in d.entities)
    sdoc = d.spacy_doc
    spans_ = sdoc.spans["doseline"]
    assert [(s.start_char, s.end_char) for s in spans_] == [(e["start"], e["end"]) for e in d.entities]
    glued = [s for s in sdoc.ents if s.text in ("3750", "IU")]
    assert len(glued) == 2 and glued[0]._.norm == 3750 and glued[1]._.norm == "[iU]"


def test_sentences_still_available():
    from pipeline.nlp import sentences
    assert len(list(sentences("One sentence. Two sentences.").sents)) == 2


def test_short_synonyms_only_as_acronyms_and_no_foods():
    assert spans("As Saha et al. reported, rosemary and bean extracts were eaten.", "DRUG") == []
    assert spans("SAHA was given.", "DRUG") == [("SAHA", "vorinostat")]
    assert spans("Taxol was given.", "DRUG") == [("Taxol", "paclitaxel")]
