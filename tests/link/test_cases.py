"""Decision (e), pipeline/link/cases.py: the case of a caption and of a discussion sentence."""
from __future__ import annotations

from pipeline.link.cases import CaseMap

MULTI = """Two patients treated with venetoclax

Case 1

A 40-year-old man received azacitidine 75 mg/m2.

FIGURE 1: Regimens of both patients. AZA, azacitidine 75 mg/m2 d1-7; VEN, venetoclax 400 mg d1-28.

Case 2

A 17-year-old girl received venetoclax 400 mg.

Discussion

Venetoclax 400 mg is the usual dose. In our second patient (case 2), venetoclax 200 mg was enough.
"""


def test_caption_for_several_patients_is_null_from_text():
    cm = CaseMap(MULTI)
    assert cm.case_at(MULTI.index("AZA, azacitidine")) is None
    assert cm.case_at(MULTI.index("azacitidine 75 mg/m2.")) == "1"


def test_caption_missed_by_the_layout_stage_is_still_a_caption():
    # from a PDF: the layout stage found another caption but not this one, and the cleanup
    # stage's section numbers the caption's paragraph as case 1
    blocks = [{"kind": "caption", "start": 0, "end": 10}]
    secs = [{"title": "Case 1", "start": MULTI.index("Case 1"), "end": MULTI.index("Case 2"), "case": 1},
            {"title": "Case 2", "start": MULTI.index("Case 2"), "end": MULTI.index("Discussion"), "case": 2},
            {"title": "Discussion", "start": MULTI.index("Discussion"), "end": len(MULTI)}]
    cm = CaseMap(MULTI, secs, blocks)
    assert cm.case_at(MULTI.index("AZA, azacitidine")) is None
    assert cm.case_at(MULTI.index("a 40-year-old".capitalize())) == "1"


def test_caption_block_for_several_patients_is_null():
    blocks = [{"kind": "caption", "start": MULTI.index("FIGURE 1"), "end": MULTI.index("Case 2") - 2}]
    cm = CaseMap(MULTI, None, blocks)
    assert cm.case_at(MULTI.index("VEN, venetoclax")) is None


def test_our_patient_in_the_discussion_takes_the_case():
    single = ("A case of X\n\nCase presentation\n\nA 50-year-old man got drug A.\n\nDiscussion\n\n"
              "Drug B is given at 10 mg. In our patient, drug C 5 mg was given. We gave drug D.\n")
    cm = CaseMap(single)
    at = lambda x: cm.case_at(single.index(x), x)
    assert cm.case_at(single.index("Drug B"), "Drug B is given at 10 mg.") is None
    assert cm.case_at(single.index("drug C"), "In our patient, drug C 5 mg was given.") == "1"
    assert cm.case_at(single.index("drug D"), "We gave drug D.") == "1"
    assert at("drug A") == "1"


def test_our_patient_in_a_multi_patient_discussion_needs_the_case_named():
    cm = CaseMap(MULTI)
    s = "In our second patient (case 2), venetoclax 200 mg was enough."
    assert cm.case_at(MULTI.index("venetoclax 200"), s) == "2"
    assert cm.case_at(MULTI.index("Venetoclax 400 mg is"), "Venetoclax 400 mg is the usual dose.") is None
    assert cm.case_at(MULTI.index("Venetoclax 400 mg is"), "In our patients venetoclax was used.") is None


def test_a_sentence_about_several_patients_of_a_multi_patient_report_is_null():
    text = MULTI.replace("A 17-year-old girl received venetoclax 400 mg.",
                         "A 17-year-old girl received venetoclax 400 mg. Both patients were treated with "
                         "metronidazole intravenously.")
    cm = CaseMap(text)
    s = "Both patients were treated with metronidazole intravenously."
    assert cm.case_at(text.index("metronidazole"), s) is None
    assert cm.case_at(text.index("venetoclax 400 mg."), "A 17-year-old girl received venetoclax 400 mg.") == "2"
    # a single-patient report: "both eyes" or "both" alone says nothing about patients
    single = "A case of X\n\nCase presentation\n\nA 50-year-old man got drug A in both eyes.\n"
    assert CaseMap(single).case_at(single.index("drug A"), "A 50-year-old man got drug A in both eyes.") == "1"


def test_a_sectionless_story_is_a_single_patient_report():
    for opening in ("A 70–year–old female presented with palpitations.", "A 36-yr-old man presented with fever.",
                    "The affected individual, a male, was the fourth child.", "A man aged 45 presented with fever."):
        text = opening + "\nShe was treated with aspirin 100 mg/day.\n"
        assert CaseMap(text).case_at(text.index("aspirin"), "She was treated with aspirin 100 mg/day.") == "1", opening
    # no story, no sections: a statement, null
    text = "Aspirin 100 mg/day lowers the risk of stroke.\nHeparin is an anticoagulant.\n"
    assert CaseMap(text).case_at(text.index("Aspirin")) is None
    # a study with methods and results stays null even when it mentions the patients' ages
    study = ("Trial of X\n\nMethods\n\nPatients aged 18 or more were enrolled.\n\nResults\n\n"
             "Aspirin 100 mg/day was given.\n")
    assert CaseMap(study).case_at(study.index("Aspirin")) is None
