"""Decision (a), pipeline/link/mentions.py: which drug mentions are administrations at all."""
from __future__ import annotations

from .marks import readable, run

STORY = "A 52-year-old woman was admitted.\n\n"


def drugs(marked: str) -> list:
    return [r[0] for r in readable(run(STORY + marked))]


def test_given_drug_gives_a_record():
    assert drugs("She received [[tacrolimus|DRUG]] [[2|DOSE]] [[mg|UNIT]] [[twice daily|FREQUENCY]].") == ["tacrolimus"]


def test_measured_level_gives_no_record():
    assert drugs("The trough level of [[tacrolimus|DRUG]] was 12 ng/mL on [[day 5|DAY|[5]]].") == []
    assert drugs("Serum [[vancomycin|DRUG]] was measured on [[day 3|DAY|[3]]].") == []
    assert drugs("[[Tacrolimus|DRUG]] levels rose on [[day 5|DAY|[5]]].") == []


def test_levels_of_a_list_cover_every_member():
    assert drugs("Levels of [[tacrolimus|DRUG]] and [[sirolimus|DRUG]] were checked on [[day 5|DAY|[5]]].") == []


def test_susceptibility_list_gives_no_record():
    assert drugs("The isolate was susceptible to [[vancomycin|DRUG]], [[linezolid|DRUG]] and "
                 "[[daptomycin|DRUG]] on [[day 4|DAY|[4]]].") == []
    assert drugs("It was resistant to [[oxacillin|DRUG]] and [[ciprofloxacin|DRUG]] on [[day 4|DAY|[4]]].") == []


def test_drug_given_after_a_susceptibility_result_keeps_its_record():
    # a new clause after the list: the drug that was given is not part of the antibiogram list
    assert drugs("The isolate was susceptible to [[vancomycin|DRUG]]; she received [[linezolid|DRUG]] "
                 "[[600|DOSE]] [[mg|UNIT]] [[twice daily|FREQUENCY]].") == ["linezolid"]


def test_planned_or_recommended_drug_gives_no_record():
    assert drugs("[[Rituximab|DRUG]] [[375|DOSE]] [[mg/m2|UNIT]] was planned for [[day 8|DAY|[8]]].") == []
    assert drugs("We recommended [[rituximab|DRUG]] [[375|DOSE]] [[mg/m2|UNIT]] [[weekly|FREQUENCY]].") == []
    assert drugs("[[Imatinib|DRUG]] [[400|DOSE]] [[mg|UNIT]] will be given [[daily|FREQUENCY]].") == []


def test_a_drug_given_as_planned_keeps_its_record():
    # "as planned" after an administration verb does not make the drug planned
    assert drugs("She received [[rituximab|DRUG]] [[375|DOSE]] [[mg/m2|UNIT]] on [[day 8|DAY|[8]]] as planned.") \
        == ["rituximab"]


def test_allergy_and_negation_give_no_record():
    assert drugs("She had an allergy to [[penicillin|DRUG]] [[500|DOSE]] [[mg|UNIT]] [[orally|ROUTE]].") == []
    assert drugs("She was discharged without [[oxygen|DRUG]] [[2|DOSE]] [[L/min|UNIT]].") == []


def test_stopped_drug_keeps_dose_but_not_its_day():
    doc = run(STORY + "[[Foscarnet|DRUG]] [[90|DOSE]] [[mg/kg|UNIT]] was discontinued on [[day 12|DAY|[12]]].")
    assert readable(doc) == [("Foscarnet", "90", "mg/kg", None, None, (), (), None, "1")]


def test_held_drug_and_its_replacement():
    doc = run(STORY + "[[Warfarin|DRUG]] was held and [[heparin|DRUG]] was started on [[day 3|DAY|[3]]].")
    assert readable(doc) == [("heparin", None, None, None, None, ("day 3",), (), None, "1")]
