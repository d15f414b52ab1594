"""Literature and background sentences inside a patient's story get case null
(pipeline/link/background.py, patterns/link/background.jsonl); the story itself keeps its case."""
from __future__ import annotations

import pytest

from pipeline.link.background import is_background, kind
from pipeline.link.cases import CaseMap

from .marks import readable, run

BACKGROUND = [
    "Standard dose imatinib (400 mg daily) achieves trough levels above 1000 ng/mL [4].",
    "Doubling the dose of voriconazole has been an effective strategy [2, 9].",
    "Weekly high-dose methotrexate up to 12 g/m2 is tolerable [11].",
    "Plasma from another patient treated with 600 mg rifampicin daily showed low levels.",
    "Jones et al. gave amikacin 15 mg/kg once daily to eight children.",
    "Oral prednisolone 1 mg/kg is the standard dose for this indication.",
    "A rise of the daily lithium dose above 1200 mg induces tremor.",
    "Ganciclovir 5 mg/kg twice daily is recommended for CMV colitis (Kotton, 2018).",
    "Studies have shown that IVIG 2 g/kg shortens the course.",
]
STORY = [
    "She was given ceftriaxone 2 g daily [5].",
    "Ceftriaxone 2 g daily was started according to the guidelines [12].",
    "In our patient, amikacin 15 mg/kg once daily was given, as Jones et al. advised.",
    "To raise CSF levels [3], we initiated weekly erlotinib at 1000 mg.",
    "On day 3, vancomycin 1 g every 12 h was added.",
    "Meropenem 1 g every 8 h for 10 days.",
    "Her dose of tacrolimus was lowered to 2 mg twice daily.",
]


@pytest.mark.parametrize("sentence", BACKGROUND)
def test_literature_and_other_patients_are_background(sentence):
    assert is_background(sentence), kind(sentence)


@pytest.mark.parametrize("sentence", STORY)
def test_the_patients_story_is_not_background(sentence):
    assert not is_background(sentence), kind(sentence)


def test_cue_order_own_beats_other_and_narrative_beats_citation():
    assert kind("In our patient, as Smith et al. reported, X was used.") == "own"
    assert kind("Another patient received X; he recovered.") == "other"
    assert kind("He was given X [3].") == "narrative"
    assert kind("X achieves high levels [3].") == "literature"
    assert kind("X 5 mg daily for 10 days.") is None


def test_case_map_nulls_a_background_sentence_in_a_case_section():
    text = ("A case of X\n\nCase presentation\n\nA 50-year-old man received drug A 5 mg. "
            "Drug B 10 mg daily achieves high levels [3].\n\nDiscussion\n\nNone.\n")
    cm = CaseMap(text)
    assert cm.case_at(text.index("drug A"), "A 50-year-old man received drug A 5 mg.") == "1"
    assert cm.case_at(text.index("Drug B"), "Drug B 10 mg daily achieves high levels [3].") is None


def test_linked_records_of_a_sectionless_story():
    # a MACCROBAT-style text: one patient's story and its discussion in one paragraph, no headings
    doc = run("A 60-year-old woman with lung cancer received [[erlotinib|DRUG]] [[150|DOSE]] [[mg|UNIT]] "
              "[[daily|FREQUENCY|\"q24h\"]]. Standard dose [[erlotinib|DRUG]] ([[150|DOSE]] [[mg|UNIT]] "
              "[[daily|FREQUENCY|\"q24h\"]]) achieves 3000 nM in plasma [7]. Then [[erlotinib|DRUG]] "
              "[[1000|DOSE]] [[mg|UNIT]] [[weekly|FREQUENCY|\"q1w\"]] was given to her.")
    cases = [r["case"] for r in doc.records]
    assert cases == ["1", None, "1"], readable(doc)


def test_an_anaphoric_sentence_goes_on_with_the_background_before_it():
    other = "Plasma from another patient treated with 600 mg rifampicin daily showed low levels."
    assert is_background("Therefore, such high doses of rifampicin achieved good levels.", other)
    assert is_background("These doses of rifampicin were well tolerated.", other)
    # after the patient's own story; no anaphoric opening; a cue of its own wins
    assert not is_background("Therefore, such high doses of rifampicin achieved good levels.",
                             "She was given rifampicin 600 mg daily.")
    assert not is_background("Rifampicin 900 mg daily was then started.", other)
    assert not is_background("Such doses were then given to her.", other)


def test_linked_continuation_sentence_is_null():
    doc = run("A 60-year-old woman received [[erlotinib|DRUG]] [[150|DOSE]] [[mg|UNIT]] [[daily|FREQUENCY|\"q24h\"]]. "
              "Another patient was treated with [[erlotinib|DRUG]] [[1500|DOSE]] [[mg|UNIT]] "
              "[[weekly|FREQUENCY|\"q1w\"]]. Therefore, such [[weekly|FREQUENCY|\"q1w\"]] administration of "
              "[[erlotinib|DRUG]] achieved high levels. Then [[erlotinib|DRUG]] [[1000|DOSE]] [[mg|UNIT]] was "
              "given to her.")
    assert [r["case"] for r in doc.records] == ["1", None, None, "1"], readable(doc)
