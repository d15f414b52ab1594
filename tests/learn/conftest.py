"""A tiny brat corpus written by the tests: invented drug names in treatment sentences."""
from __future__ import annotations

import json

import pytest

DRUGS = ["zorbelumab", "quintravir", "palometinib", "veroxacin", "trelafungin", "dexoprinil",
         "miltrazole", "corvastatide"]
TEMPLATES = [
    "The patient received {d} 200 mg intravenously once daily.",
    "Treatment with {d} was started at 5 mg/kg twice a day.",
    "On day 3 she was given oral {d} 50 mg.",
    "The blood pressure was stable and the fever resolved.",
    "He was discharged home in good condition after two weeks.",
]


def write_brat(folder, n_docs=6):
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n_docs):
        text, ann, k = "", [], 1
        for j, tpl in enumerate(TEMPLATES):
            d = DRUGS[(i + j) % len(DRUGS)]
            sent = tpl.format(d=d)
            if "{d}" in tpl:
                s = len(text) + sent.index(d)
                ann.append(f"T{k}\tMedication {s} {s + len(d)}\t{d}")
                k += 1
            text += sent + " "
        (folder / f"doc{i:02d}.txt").write_text(text.strip() + "\n", encoding="utf-8")
        (folder / f"doc{i:02d}.ann").write_text("\n".join(ann) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def tiny_corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny")
    brat = write_brat(root / "brat")
    text = "Ganciclovir-like agent pexatrimab 10 mg was infused over one hour."
    s = text.index("pexatrimab")
    gold = {"text": text, "entities": [{"id": "T1", "type": "DRUG", "start": s, "end": s + 10,
                                        "text": "pexatrimab", "norm": "pexatrimab"}]}
    (root / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    return [brat, root / "gold.json"]
