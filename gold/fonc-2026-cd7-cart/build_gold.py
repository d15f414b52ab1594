#!/usr/bin/env python3
"""Build gold.json for fonc-2026-cd7-cart from clean.txt and annotations.jsonl.

Offsets are never typed: every entity is located through an anchor string of
annotations.jsonl in which its span is marked [[like this]]. With the markers
removed, the anchor must occur exactly once in clean.txt (or "occ" selects the
0-based occurrence). The script then checks the result and writes gold.json.

Usage: python3 build_gold.py              (writes gold.json next to this file)
       python3 build_gold.py --out PATH   (writes the document to PATH instead)
       python3 build_gold.py --check      (builds and checks, writes nothing)
Standard library only.
"""
import hashlib
import importlib.util
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DOC = "fonc-2026-cd7-cart"
SOURCE_PATH = f"gold/{DOC}/source.txt"

METADATA = {
    "title": ("Case report: Different outcomes of two cases of relapsed/refractory T cell acute "
              "lymphoblastic leukemia treated with anti-CD7 chimeric antigen receptor T cells "
              "bridging to allogeneic hematopoietic stem cell transplantation: from curative "
              "promise to fatal risk"),
    "authors": ["Pan Z", "Guo Y", "Zhang Y", "Chang S", "Sun J", "Guo Z", "Zhang Y"],
    "journal": "Frontiers in Oncology",
    "year": 2026,
    "doi": "10.3389/fonc.2026.1766948",
}

# DrugBank identifiers, only where known with confidence (optional per schema).
DRUGBANK = {
    "aclarubicin": "DB11617", "anti-thymocyte globulin": "DB00098", "azacitidine": "DB00928",
    "basiliximab": "DB00074", "busulfan": "DB01008", "cladribine": "DB00242",
    "cyclophosphamide": "DB00531", "cyclosporine": "DB00091", "cytarabine": "DB00987",
    "daunorubicin": "DB00694", "dexamethasone": "DB01234", "dopamine": "DB00988",
    "doxorubicin": "DB00997", "eculizumab": "DB01257", "filgrastim": "DB00099",
    "fludarabine": "DB01073", "idarubicin": "DB01177", "mercaptopurine": "DB01033",
    "methotrexate": "DB00563", "methylprednisolone": "DB00959",
    "mycophenolate mofetil": "DB00688", "norepinephrine": "DB00368", "oxygen": "DB09140",
    "pegaspargase": "DB00059", "rituximab": "DB00073", "tocilizumab": "DB06273",
    "venetoclax": "DB11581", "vindesine": "DB00309",
}

HEADINGS = ["Introduction", "Case presentation", "Case 1", "Case 2", "Discussion",
            "Limitations of this report"]
SECTION_CASE = {"Case 1": "1", "Case 2": "2"}

# Abbreviations defined in the running text and in the figure captions (short, long), each
# pair checked to occur in the text. The glossary footnote is parsed from the text itself.
IN_TEXT_ABBREVIATIONS = [
    ("T-ALL", "T-cell acute lymphoblastic leukemia"),
    ("IL-6", "interleukin-6"), ("MCP-1", "monocyte chemoattractant protein-1"),
    ("BU+CY", "busulfan plus cyclophosphamide"),
    ("VDCLP", "vinodixin, daunorubicin, cyclophosphamide, pegaspargase, and dexamethasone"),
    ("CIG", "cytarabine, idarubicin, and granulocyte colony-stimulating factor"),
    ("HD-MTX", "high-dose methotrexate"),
    ("hyper-CVAD B", "high-dose methotrexate plus cytarabine"),
    ("hyper-CVAD A", "cyclophosphamide, vinodixin, doxorubicin, and dexamethasone"),
    ("CAG", "cytarabine, aclarubicin, and granulocyte colony-stimulating factor"),
    ("MRD−", "minimal residual disease negativity"),
    ("IL-18", "interleukin-18"), ("TBI", "total body irradiation"),
    ("EBV", "Epstein–Barr virus"), ("MRI", "magnetic resonance imaging"),
    ("EBV-PTLD", "EBV-associated post-transplant lymphoproliferative disease"),
    ("PR", "partial remission"), ("MRD", "minimal residual disease"),
    ("G‐CSF", "granulocyte colony‐stimulating factor"),
    ("2D", "days after the second CAR T-cell infusion"),
    ("TCZ", "tocilizumab"), ("dex", "dexamethasone"),
    ("Ara-C", "cytarabine"), ("Bu", "busulfan"), ("CTX", "cyclophosphamide"),
    ("Se", "semustine"), ("rATG", "anti-thymocyte globulin, rabbit"), ("MTX", "methotrexate"),
    ("CLAG", "cladribine"), ("IDA", "idarubicin"),
]

# The anchor parser and the checks are shared with every gold folder: gold/build.py.
_spec = importlib.util.spec_from_file_location("doseline_gold_build",
                                               os.path.join(HERE, os.pardir, "build.py"))
core = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(core)
TYPES, fail = core.TYPES, core.fail


def block_spans(text):
    """(start, end) of every block (paragraph, heading, caption label) of the text."""
    spans, pos = [], 0
    for block in text[:-1].split("\n\n"):
        spans.append((pos, pos + len(block)))
        pos += len(block) + 2
    return spans


def build():
    text = open(os.path.join(HERE, "clean.txt"), encoding="utf-8").read()
    src_bytes = open(os.path.join(HERE, "source.txt"), "rb").read()

    # ---- text conventions
    if not text.endswith("\n") or text.endswith("\n\n"):
        fail("clean.txt must end with exactly one newline")
    if "\n\n\n" in text or re.search(r"[ \t]\n", text) or "\r" in text:
        fail("clean.txt: bad blank lines or trailing spaces")
    blocks = block_spans(text)
    for s, e in blocks:
        if "\n" in text[s:e]:
            fail(f"block at {s} spans several lines")
    block_text = [text[s:e] for s, e in blocks]
    heading_blocks = [b for b in blocks if text[b[0]:b[1]] in HEADINGS
                      or re.fullmatch(r"FIGURE \d", text[b[0]:b[1]])]
    glossary = [b for b in blocks if text[b[0]:b[1]].startswith("Abbreviations: ")]
    if len(glossary) != 1:
        fail("expected exactly one glossary block")
    glossary = glossary[0]
    excluded = heading_blocks + [glossary]

    # ---- entities and records from the annotation table, checked (gold/build.py)
    lines = open(os.path.join(HERE, "annotations.jsonl"), encoding="utf-8").read().splitlines()
    ents, recs, not_spans = core.parse_annotations(text, lines)
    for e in ents:
        if e["type"] == "DRUG" and e["norm"] in DRUGBANK:
            e["ids"] = {"drugbank": DRUGBANK[e["norm"]]}
    core.check(text, ents, recs, not_spans, blocks, excluded)

    # ---- sections
    sections = []
    abstract = blocks[1]
    sections.append({"title": "Abstract", "start": abstract[0], "end": abstract[1], "case": None})
    heads = [b for b in blocks if text[b[0]:b[1]] in HEADINGS]
    if [text[s:t] for s, t in heads] != HEADINGS:
        fail("headings missing or out of order")
    for i, (s, t) in enumerate(heads):
        nxt = heads[i + 1][0] if i + 1 < len(heads) else len(text)
        end = nxt - 2 if i + 1 < len(heads) else len(text) - 1
        title = text[s:t]
        sections.append({"title": title, "start": s, "end": end,
                         "case": SECTION_CASE.get(title)})

    # entity case annotation must agree with the section for the case sections' running text
    for e in ents:
        sec = [x for x in sections if x["start"] <= e["start"] < x["end"]]
        if sec and sec[0]["case"] and e["_case"] not in (sec[0]["case"], None):
            # captions placed inside a case section may concern the other patient only if so
            # marked on purpose: Figure 2 (case 1) sits inside Case 2
            blk = [b for b in blocks if b[0] <= e["start"] < b[1]][0]
            prev = block_text[blocks.index(blk) - 1]
            if not prev.startswith("FIGURE"):
                fail(f"entity {e['text']!r}@{e['start']} case {e['_case']} in section {sec[0]}")

    # ---- abbreviations
    gtext = text[glossary[0]:glossary[1]][len("Abbreviations: "):].rstrip(".")
    abbreviations, seen = [], set()
    for item in gtext.split("; "):
        short, long = item.split(", ", 1)
        abbreviations.append({"short": short, "long": long})
        seen.add(short)
    for short, long in IN_TEXT_ABBREVIATIONS:
        if short not in text or long not in text:
            fail(f"abbreviation pair not in text: {short!r} / {long!r}")
        if short not in seen:
            abbreviations.append({"short": short, "long": long})
            seen.add(short)

    # ---- output
    out_ents = []
    for e in ents:
        o = {"id": e["id"], "type": e["type"], "start": e["start"], "end": e["end"],
             "text": e["text"], "norm": e["norm"]}
        if "ids" in e:
            o["ids"] = e["ids"]
        out_ents.append(o)
    out_recs = []
    for i, r in enumerate(recs, 1):
        ref = lambda x: x["id"] if x else None
        out_recs.append({"id": f"R{i}", "drug": ref(r["drug"]), "dose": ref(r["dose"]),
                         "unit": ref(r["unit"]), "frequency": ref(r["frequency"]),
                         "route": ref(r["route"]), "days": [x["id"] for x in r["days"]],
                         "dates": [x["id"] for x in r["dates"]], "regimen": ref(r["regimen"]),
                         "case": r["case"]})
    doc = {
        "schema": "doseline.document/1",
        "source": {"path": SOURCE_PATH, "sha256": hashlib.sha256(src_bytes).hexdigest(),
                   "format": "text", "pages": None},
        "metadata": METADATA,
        "text": text,
        "sections": sections,
        "entities": out_ents,
        "records": out_recs,
        "repairs": [],
        "back_matter": [],
        "abbreviations": abbreviations,
    }
    # final self-check on the serialised form
    for e in doc["entities"]:
        assert doc["text"][e["start"]:e["end"]] == e["text"], e
    return doc


def main():
    doc = build()
    print(core.summary(doc))
    if "--check" not in sys.argv:
        out = os.path.join(HERE, "gold.json")
        if "--out" in sys.argv:
            i = sys.argv.index("--out")
            if i + 1 >= len(sys.argv):
                fail("--out needs a path")
            out = sys.argv[i + 1]
        print("wrote", core.write_json(doc, out))


if __name__ == "__main__":
    main()
