"""Routes of procedures, mixtures, leading routes and dose changes (pipeline/link/mentions.py,
attach.py, coordination.py): sentences written for the rules, each with a case it must not take."""
from __future__ import annotations

from .marks import readable, run

STORY = "A 52-year-old woman was admitted.\n\n"


def recs(marked: str) -> list:
    return [r[:5] for r in readable(run(STORY + marked))]


def test_route_of_a_procedure_links_to_no_drug():
    assert recs("[[Oxygen|DRUG]] therapy, [[epidural|ROUTE]] blood patches and bed rest were tried.") == []
    assert recs("Hearing loss after [[spinal|ROUTE]] anesthesia was treated with [[oxygen|DRUG]].") == []


def test_route_of_an_anesthesia_with_a_named_drug_reaches_it():
    assert recs("[[Spinal|ROUTE]] anesthesia with [[bupivacaine|DRUG]] [[10|DOSE]] [[mg|UNIT]] was given.") == \
        [("bupivacaine", "10", "mg", None, "Spinal")]


def test_amount_of_a_mixture_is_no_drugs_dose():
    assert recs("We injected [[20|DOSE]] [[mL|UNIT]] of [[lidocaine|DRUG]] and [[bupivacaine|DRUG]] mixture "
                "for the sciatic block and [[20|DOSE]] [[mL|UNIT]] for the femoral block.") == []
    # each drug with its own amount: two doses
    assert recs("We injected [[20|DOSE]] [[mL|UNIT]] of [[lidocaine|DRUG]] and [[10|DOSE]] [[mg|UNIT]] of "
                "[[bupivacaine|DRUG]].") == [("lidocaine", "20", "mL", None, None),
                                            ("bupivacaine", "10", "mg", None, None)]


def test_formulation_word_between_dose_and_drug():
    assert recs("[[12.5|DOSE]] [[mg|UNIT]] of heavy [[bupivacaine|DRUG]] was injected.") == \
        [("bupivacaine", "12.5", "mg", None, None)]


def test_route_before_the_first_dose_of_a_dosed_list_is_shared():
    assert recs("[[Intrathecal|ROUTE]] [[12.5|DOSE]] [[mg|UNIT]] of [[bupivacaine|DRUG]] with [[15|DOSE]] "
                "[[µg|UNIT]] [[fentanyl|DRUG]] was injected.") == [
        ("bupivacaine", "12.5", "mg", None, "Intrathecal"), ("fentanyl", "15", "µg", None, "Intrathecal")]
    # the second member has its own route
    assert recs("[[Intravenous|ROUTE]] [[5|DOSE]] [[mg|UNIT]] [[morphine|DRUG]] and [[10|DOSE]] [[mg|UNIT]] "
                "[[oral|ROUTE]] [[metoclopramide|DRUG]] were given.") == [
        ("morphine", "5", "mg", None, "Intravenous"), ("metoclopramide", "10", "mg", None, "oral")]
    # another clause in between
    assert recs("[[Intravenous|ROUTE]] [[5|DOSE]] [[mg|UNIT]] [[morphine|DRUG]] was given, and [[10|DOSE]] "
                "[[mg|UNIT]] [[metoclopramide|DRUG]] later.") == [
        ("morphine", "5", "mg", None, "Intravenous"), ("metoclopramide", "10", "mg", None, None)]


def test_dose_change_after_but_is_the_drugs_own():
    assert recs("[[Cetuximab|DRUG]] was started and [[erlotinib|DRUG]] was continued but changed to low "
                "dose ([[100|DOSE]] [[mg|UNIT]]) [[daily|FREQUENCY]].") == [("erlotinib", "100", "mg", "daily", None)]
    # a new subject after "but": the dose is that drug's
    assert recs("[[Tacrolimus|DRUG]] was continued, but the dose of [[MMF|DRUG]] was reduced to [[500|DOSE]] "
                "[[mg|UNIT]].") == [("MMF", "500", "mg", None, None)]


def test_changed_to_a_dose_is_no_stop():
    r = readable(run(STORY + "[[Tacrolimus|DRUG]] was changed to [[2|DOSE]] [[mg|UNIT]] [[twice daily|FREQUENCY]] "
                            "on [[day 5|DAY|[5]]]."))
    assert r[0][5] == ("day 5",)
    # changed to another drug: the first is stopped, its day is not an administration day
    r = readable(run(STORY + "On [[day 5|DAY|[5]]], [[levofloxacin|DRUG]] [[500|DOSE]] [[mg|UNIT]] was changed "
                            "to [[cefepime|DRUG]]."))
    assert ("levofloxacin", "500", "mg", None, None, (), (), None, "1") in r


def test_volume_of_a_vehicle_is_no_dose():
    assert recs("She received [[vancomycin|DRUG]] [[1|DOSE]] [[g|UNIT]] in [[250|DOSE]] [[mL|UNIT]] over 2 h.") == \
        [("vancomycin", "1", "g", None, None)]
    assert recs("[[Alprostadil|DRUG]] [[300|DOSE]] [[ng/kg/min|UNIT]] diluted in [[4|DOSE]] [[ml|UNIT]] sterile "
                "normal saline.") == [("Alprostadil", "300", "ng/kg/min", None, None)]
    # a fluid given as treatment is a DRUG and keeps its volume; a volume of a drug is its dose
    assert recs("She received [[500|DOSE]] [[mL|UNIT]] of [[lactated Ringer's solution|DRUG]].") == \
        [("lactated Ringer's solution", "500", "mL", None, None)]
    assert recs("[[15|DOSE]] [[mL|UNIT]] of 2% [[lidocaine|DRUG]] was injected.") == \
        [("lidocaine", "15", "mL", None, None)]


def test_amount_of_the_mixture_named_after_it_is_no_drugs_dose():
    assert recs("An emulsion of [[oxaliplatin|DRUG]] and [[lipiodol|DRUG]] was prepared, [[35|DOSE]] [[mL|UNIT]] "
                "and [[3|DOSE]] [[mL|UNIT]] of the mixture were administered [[intra-arterially|ROUTE]].") == [
        ("oxaliplatin", None, None, None, "intra-arterially"), ("lipiodol", None, None, None, "intra-arterially")]
    # an amount of a drug: its dose
    assert recs("[[35|DOSE]] [[mL|UNIT]] of [[lipiodol|DRUG]] was given.") == [("lipiodol", "35", "mL", None, None)]


def test_dosage_form_words_between_route_or_dose_and_drug():
    assert recs("She was treated with an [[oral|ROUTE]] microemulsion form of [[cyclosporine|DRUG]].") == \
        [("cyclosporine", None, None, None, "oral")]
    assert recs("She took [[200|DOSE]] [[mg|UNIT]] tablets of [[ibuprofen|DRUG]].") == \
        [("ibuprofen", "200", "mg", None, None)]
    # a verb between: the route is not the drug's
    assert recs("[[Oral|ROUTE]] tablets were given and [[ibuprofen|DRUG]] was stopped.") == []


def test_dose_of_a_bolus_injection_of_a_drug():
    assert recs("She received an accidental [[450|DOSE]]-[[mg|UNIT]] bolus injection of [[morphine|DRUG]] "
                "[[intrathecally|ROUTE]].") == [("morphine", "450", "mg", None, "intrathecally")]


def test_a_drug_for_a_procedure_takes_the_procedures_route():
    assert recs("She received [[bupivacaine|DRUG]] [[12|DOSE]] [[mg|UNIT]] for [[spinal|ROUTE]] anesthesia.") == \
        [("bupivacaine", "12", "mg", None, "spinal")]
    assert recs("[[Propofol|DRUG]] for total [[intravenous|ROUTE]] anesthesia was used.") == \
        [("Propofol", None, None, None, "intravenous")]
    # the procedure is another event: no route for the drug
    assert recs("[[Oxygen|DRUG]] therapy for hearing loss following [[spinal|ROUTE]] anesthesia was tried.") == []
