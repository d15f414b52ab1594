"""Stage 4: relation linking of the recognised entities into administration records.

A rule-based linker in the tradition of MedEx (Xu et al. 2010, JAMIA 17:19) and the medication
attribute linking of the n2c2 2018 track 2 systems (Henry et al. 2020, JAMIA 27:3): the unit of
linking is the *sentence* of the shared segmentation (:mod:`pipeline.nlp`, component
``doseline_sentences``), and inside it the *clause structure* decides which drug owns an
attribute, never a raw character window. The structure comes from spaCy: tokens, the parenthesis
nesting of the tokens (:mod:`.sentence`), semicolons and coordination, and token patterns
(``spacy.matcher.Matcher``) for clause breaks, stop verbs and drug-level cues. All cue words are
data in ``patterns/link/cues.jsonl``.

Per sentence, :class:`SentenceLinks` runs these decisions in order, each a module that can be
read and tested alone:

1. **Mentions** (:mod:`.mentions`): attributes that never link (routes of a class, doses of a
   level, and days of a clinical event, :func:`.days.event_days`), aliases ("mycophenolate
   mofetil (MMF)"), and drugs that are measured, susceptibility results, negated, planned or
   stopped rather than given.
2. **Candidate attachment** (:mod:`.attach`): pre-modifier chains before a drug ("400 mg of oral
   ciprofloxacin"), then each drug's span up to the next drug, the end of its parenthesis, a
   semicolon at its level or a clause break; the attributes in it are the drug's own.
3. **Regimen membership** (:mod:`.regimens`): "REG (drug ...; drug ...)", "drug, drug and drug
   (REG)", "REG, drug dose days, ...", "REG regimen consisting of drug, drug and drug"; across
   sentences, a regimen named in the sentence right after the one that lists its drugs and doses.
4. **Sentence-level days** (:mod:`.days`): a day or date before the drugs of its clause, or after
   a regimen whose components it lists.
5. **Coordination** (:mod:`.coordination`): what a coordinated list shares (days, a route
   before it or before its first dose, a frequency or route closing it), "respectively",
   "both"/"each", the route of a class word to the drugs a parenthesis names.
6. **Records** (:mod:`.records`): one record per dose clause of each administered drug.

``case`` comes from :mod:`.cases`.
"""
from __future__ import annotations

from . import attach, coordination, days, mentions, records, regimens
from .cases import CaseMap
from .sentence import Sentence, cues
from ..document import Document
from ..nlp import sentence_units


class SentenceLinks:
    """The linking state of one sentence; each attribute is the result of one step.

    ``drop``/``alias``/``level`` (no record: measured, negated, planned)/``stopped`` (item keys), ``drugs`` (the drug items that are not
    aliases), ``premod``/``span``/``own`` (per drug key), ``components`` (regimen key -> drugs),
    ``regimen`` (drug key -> regimen item), ``shared`` (drug key -> (item, how) pairs given by a
    sentence-level step: "lead", "push" or "list")."""

    def __init__(self, s: Sentence):
        self.s = s
        self.c = cues()
        self.matches = mentions.matches(self)
        self.drop = mentions.dropped(self)
        self.alias = mentions.aliases(self)
        self.drugs = [it for it in s.items if it.type == "DRUG" and it.k not in self.alias]
        self.drop |= days.event_days(self)
        self.alias_groups = frozenset(g.gid for g in s.groups if g.head is not None
                                      and g.head.type == "DRUG"
                                      and not any(i.type == "DRUG" and i.k not in self.alias for i in g.items))
        self.premod = {d.k: attach.premodifiers(self, d) for d in self.drugs}
        self.claimed = {p.k for ps in self.premod.values() for p in ps}
        self.span = {d.k: attach.span(self, d) for d in self.drugs}
        self.level = mentions.not_given(self)
        self.stopped = {d.k for d in self.drugs if mentions.is_stopped(self, d)}
        self.own = attach.own_attributes(self)
        self.shared: dict = {d.k: [] for d in self.drugs}
        self.regimen: dict = {}
        self.components: dict = {}
        regimens.regimens(self)
        days.sentence_days(self)
        coordination.share_lists(self)
        coordination.respectively(self)
        coordination.distributive(self)
        coordination.share_trailing(self)
        coordination.share_leading(self)
        coordination.class_apposition(self)

    def coordinated_list(self, d, relaxed: bool = False) -> list:
        return coordination.coordinated_list(self, d, relaxed)

    def records(self) -> list[dict]:
        return records.records(self)


def _spacy_doc(doc: Document):
    sd = getattr(doc, "spacy_doc", None)
    if sd is None:
        from ..nlp import sentences
        return sentences(doc.text)
    # the text recognition made it from (Doc.text would rebuild the string from every token)
    made_from = sd.user_data.get("doseline", {}).get("text") or sd.text
    if made_from == doc.text and sd.has_annotation("SENT_START"):
        return sd
    from ..nlp import sentences
    return sentences(doc.text)


def link(doc: Document) -> Document:
    """Fill ``doc.records`` from ``doc.entities`` (see the module docstring)."""
    ents = sorted((e for e in doc.entities if e.get("type")), key=lambda e: (e["start"], e["end"]))
    if not ents or not doc.text:
        doc.records = []
        return doc
    sdoc = _spacy_doc(doc)
    cases = CaseMap(doc.text, doc.sections, getattr(doc, "blocks", None))
    records = []
    j = 0
    prev = (-2, [])  # the last sentence with drugs: (unit index, its records)
    before = None  # the text of the sentence before (a background statement may go on)
    for u, (t0, t1) in enumerate(sentence_units(sdoc)):
        a = sdoc[t0].idx
        b = sdoc[t1 - 1].idx + len(sdoc[t1 - 1].text)
        previous, before = before, doc.text[a:b]
        while j < len(ents) and ents[j]["start"] < a:
            j += 1
        k = j
        while k < len(ents) and ents[k]["start"] < b:
            k += 1
        sent_ents = ents[j:k]
        j = k
        if not any(e["type"] == "DRUG" for e in sent_ents):
            if prev[0] == u - 1:  # "... The XYZ regimen was repeated"
                regimens.named_in_next_sentence(prev[1], sent_ents)
            continue
        recs = SentenceLinks(Sentence(sdoc, t0, t1, sent_ents)).records()
        for rec in recs:
            start = next(e["start"] for e in sent_ents if e["id"] == rec["drug"])
            rec["case"] = cases.case_at(start, doc.text[a:b], previous)  # = sdoc.text, not rebuilt
            records.append(rec)
        prev = (u, recs)
    doc.records = [{"id": f"R{i}", **r} for i, r in enumerate(records, 1)]
    return doc
