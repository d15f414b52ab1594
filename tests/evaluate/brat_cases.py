"""Hand-written brat documents and a fake pipeline shared by the corpus tests."""
from __future__ import annotations

from pipeline.document import Document
from pipeline.evaluate.mapping import load_mapping

MAPPING = load_mapping("maccrobat")

TEXT1 = ("He  received prednisolone 40 mg daily orally and antibiotics, then high-dose steroids.\n"
         "On day 5 methotrexate 15 mg/m2 was given intravenously.\n")
TEXT2 = "She took warfarin.\n"


def _ann(text: str, spans: list, extra: str = "") -> str:
    """brat lines for (id, label, surface, occurrence) spans found in ``text``."""
    lines = []
    for tid, label, surface, *occ in spans:
        i = -1
        for _ in range((occ[0] if occ else 0) + 1):
            i = text.index(surface, i + 1)
        lines.append(f"{tid}\t{label} {i} {i + len(surface)}\t{surface}")
    return "\n".join(lines) + "\n" + extra


ANN1 = _ann(TEXT1, [("T1", "Medication", "prednisolone"), ("T2", "Dosage", "40 mg daily"),
                    ("T3", "Administration", "orally"), ("T4", "Medication", "antibiotics"),
                    ("T5", "Dosage", "high-dose"), ("T6", "Medication", "steroids"),
                    ("T7", "Date", "day 5"), ("T8", "Medication", "methotrexate"),
                    ("T9", "Dosage", "15 mg/m2"), ("T10", "Administration", "intravenously"),
                    ("T11", "Sign_symptom", "received")],
            "E1\tMedication:T1 \nE2\tMedication:T8 \nE3\tMedication:T6 \n"
            "R1\tMODIFY Arg1:T2 Arg2:E1\t\nR2\tMODIFY Arg1:T3 Arg2:E1\t\n"
            "R3\tMODIFY Arg1:T9 Arg2:E2\t\nR4\tMODIFY Arg1:T10 Arg2:E2\t\n"
            "R5\tMODIFY Arg1:T5 Arg2:E3\t\n")
ANN2 = _ann(TEXT2, [("T1", "Medication", "warfarin")])


def fake_pipeline(text: str, path: str) -> Document:
    """Collapses the double space (as cleanup would: offsets shift by one), then 'recognizes'
    known strings in the cleaned text and links them."""
    doc = Document(raw=text)
    i = text.find("  ")
    if i >= 0:
        doc.replace([(i, i + 2, " ", "space")])
    t = doc.text
    ents = []

    def add(typ, surface, after=0):
        s = t.index(surface, after)
        ents.append({"id": f"T{len(ents) + 1}", "type": typ, "start": s, "end": s + len(surface),
                     "text": surface, "norm": None})
        return ents[-1]["id"]

    if "prednisolone" in t:
        d1 = add("DRUG", "prednisolone")
        n1 = add("DOSE", "40")
        u1 = add("UNIT", "mg", t.index("40"))
        f1 = add("FREQUENCY", "daily")  # inside the corpus Dosage span: ignored
        r1 = add("ROUTE", "orally")
        add("DRUG", "antibiotics")  # a class in the corpus: ignored, not a false positive
        add("DAY", "day 5")
        d2 = add("DRUG", "methotrexate")
        n2 = add("DOSE", "15")  # without its unit: a lenient hit, a strict miss
        add("DOSE", "5", t.index("day 5"))  # false positive
        doc.records = [
            {"id": "R1", "drug": d1, "dose": n1, "unit": u1, "frequency": f1, "route": r1,
             "days": [], "dates": [], "regimen": None, "case": "1"},
            {"id": "R2", "drug": d2, "dose": n2, "unit": None, "frequency": None, "route": None,
             "days": [], "dates": [], "regimen": None, "case": "1"}]
    doc.entities = ents
    return doc


