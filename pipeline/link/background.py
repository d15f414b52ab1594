"""Whether a sentence inside a patient's story is a literature or background statement.

Case reports cite and generalise inside the case narrative, and single-patient texts without
sections (MACCROBAT) hold the discussion in the same paragraph as the story: "Standard dose
erlotinib (150 mg daily) achieves 3000 nM in plasma [7]", "CSF from another patient treated with
1500 mg erlotinib weekly ...". The schema gives such statements case null ("general statements
(other patients, the literature, advice)"), so a record's case cannot come from its section alone.

The decision is a cue cascade over the sentence, in the manner of the section and assertion cue
lists of ConText (Harkema et al. 2009, J Biomed Inform 42:839) and of citation-context detection
(Teufel et al. 2006, EMNLP: citation markers and reporting verbs mark others' work), with the cues
as data (``patterns/link/background.jsonl``), first kind that matches wins:

1. **own**: the report's own patient named as such ("our patient", "in this case", "we initiated",
   and ``patterns/link/own_patient.csv``): the patient's, whatever else the sentence cites.
2. **other**: another patient, earlier cases, studies or authors ("another patient", "et al.",
   "studies have shown", "in the literature"): background, even with a pronoun in it.
3. **narrative**: the told story ("the patient", he/she, "was started", "received"): the patient's.
4. **literature**: a citation marker ("[7]", "(Smith, 2009)"), a reporting perfect ("has been
   reported"), a generic present ("is tolerable", "induces"), "the standard dose": background.
5. Otherwise the patient's (a sentence of the story needs no cue), except a sentence without
   cues that goes on with the background statement before it by an anaphoric opening
   ("Therefore, such high dose weekly administration of X achieved ...", kind ``continuation``).

Narrative cues come before literature cues because a story sentence may carry a citation ("She was
given ceftriaxone 2 g daily [5]"); "other" cues come before them because a statement about
another patient uses the same pronouns and past tense as the story.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..resources import load_csv, load_jsonl

ORDER = ("own", "other", "narrative", "literature")
BACKGROUND = {"other", "literature"}


@lru_cache(maxsize=None)
def _cues() -> tuple:
    rows = [(r["kind"], re.compile(r["regex"], re.I)) for r in load_jsonl("link/background.jsonl")
            if r["kind"] != "continuation"]
    rows += [("own", re.compile(r["regex"], re.I)) for r in load_csv("link/own_patient.csv")]
    unknown = {k for k, _ in rows} - set(ORDER)
    if unknown:
        raise ValueError(f"patterns/link/background.jsonl: unknown kind(s) {sorted(unknown)}")
    return tuple(rows)


def kind(sentence: str) -> str | None:
    """The first cue kind (in :data:`ORDER`) that matches the sentence, or None."""
    found = {k for k, rx in _cues() if rx.search(sentence)}
    return next((k for k in ORDER if k in found), None)


def is_background(sentence: str, previous: str | None = None) -> bool:
    """True when the sentence states the literature or another patient, not the report's patient;
    with ``previous`` (the sentence before), also when it has no cue of its own but goes on with
    a background statement by an anaphoric opening ("Therefore, such high dose weekly
    administration of X achieved ...", cue kind ``continuation``)."""
    k = kind(sentence)
    if k is not None or not previous:
        return k in BACKGROUND
    return any(rx.search(sentence) for rx in _continuation()) and kind(previous) in BACKGROUND


@lru_cache(maxsize=None)
def _continuation() -> tuple:
    return tuple(re.compile(r["regex"], re.I) for r in load_jsonl("link/background.jsonl")
                 if r["kind"] == "continuation")
