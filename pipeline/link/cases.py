"""Which patient a stretch of text concerns: the ``case`` of an administration record.

The rule follows the annotation schema (``case`` is "1" wherever the patient of a single-patient
report is treated, abstract included; the section's case number in a multi-patient report; null in
the introduction, the discussion, methods of a study, and captions that cover several patients):

1. Sections: ``doc.sections`` from the cleanup stage when present, else headings found in the text
   (a short line of its own without a final period, not a table row or a "FIGURE N" label).
   Each heading gets a role from ``patterns/link/sections.csv`` (front, intro, case, case_n,
   discussion, methods, results, back); an unlisted heading after the front matter or the
   introduction is "unknown" (treated as the patient's story in a single-patient report), any
   other unlisted heading is a subsection and inherits its role. A discussion-type heading is
   null even when the cleanup stage gave its section a case.
2. The report kind: multi-patient when two or more numbered cases are found (headings "Case 1",
   "Patient 2", or paragraphs opening with them or with "The second patient",
   ``patterns/link/case_cues.csv``; patients labelled by a capital letter, "Case A" /
   "Patient B", keep the letter as written as their case); single-patient when a case section
   exists, or when there is no methods/results section and the text tells a "N-year-old"
   patient's story; otherwise a study (all null). In a multi-patient report, a sentence of the
   abstract that names exactly one case takes it.
3. Figure/table captions (``doc.blocks`` of kind caption, else the paragraph after a "FIGURE N"
   label or one opening with "Figure N:"): in a multi-patient report the one case the caption
   names, else null; in a single-patient report "1". Captions come from ``doc.blocks`` and from
   the text alike (a caption the layout stage missed still counts).
4. The discussion is null, except a sentence about the report's own patient ("our patient
   received 200 mg", ``patterns/link/own_patient.csv``): "1" in a single-patient report, the one
   case it names in a multi-patient report.
5. Anywhere, a sentence that states the literature or another patient ("Standard dose X (150 mg
   daily) achieves ... [7]", "another patient treated with ...") is null (:mod:`.background`);
   in a multi-patient report, so is a sentence about several of its patients at once ("Both
   patients were treated with ...", ``patterns/link/several_patients.csv``), as a caption that
   covers several patients is.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from ..resources import load_csv
from .background import is_background
from ..cleanup.sections import case_number as _number

NULL_ROLES = {"intro", "discussion", "methods", "back"}
LABEL_RE = re.compile(r"^\s*(figure|fig\.?|table|supplementary figure)\s*[A-Z]?\d+[A-Za-z]?\s*[.:]?\s*$", re.I)
CAPTION_START_RE = re.compile(r"^\s*(figure|fig\.?|table)\s*\d+[A-Za-z]?\s*[:.|]", re.I)
NUMBERING_RE = re.compile(r"^\s*(\d+(\.\d+)*\.?|[IVX]+\.)\s+")
# one patient's story: an age ("A 70-year-old", "70–year–old", "36-yr-old", "aged 45"), "we report",
# or the patient named as such ("the patient", "the proband", "the affected individual")
PATIENT_STORY_RE = re.compile(
    r"\b\d+\s*[-–—‐ ]\s*(?:years?|yrs?|months?|mos?|weeks?|wks?|days?)\.?\s*[-–—‐ ]\s*old\b"
    r"|\baged \d+|\b(?:we|here we) (?:report|present|describe)\b"
    r"|\b(?:the|our) (?:patient|proband|affected (?:individual|child|boy|girl)|index (?:patient|case))\b", re.I)
CASE_MENTION_RE = re.compile(r"\b(?:case|patient)\s+(\d+|(?-i:[A-Z])(?![\w-]))", re.I)
ROMAN_LETTERS = set("IVX")  # "Case I", "Patient V" are Roman numerals, not letters


def _label(tok: str | None) -> str | None:
    """A patient's case label: a number ("2", "II", "second" -> "2") or a single capital letter
    as written ("A", "B"; not I, V, X)."""
    if not tok:
        return None
    if len(tok) == 1 and "A" <= tok <= "Z" and tok not in ROMAN_LETTERS:
        return tok
    return _number(tok)


def _mention(tok: str) -> str:
    return str(int(tok)) if tok.isdigit() else (_label(tok) or tok)



@lru_cache(maxsize=None)
def _cue_res(name: str) -> tuple:
    """The compiled ``regex`` column of a cue list (case-insensitive), read once."""
    return tuple(re.compile(r["regex"], re.I) for r in load_csv(name))


def _own_patient(sentence: str) -> bool:
    """The sentence speaks of the report's own patient (``patterns/link/own_patient.csv``)."""
    return any(rx.search(sentence) for rx in _cue_res("link/own_patient.csv"))


def _several(sentence: str) -> bool:
    """The sentence speaks of several patients of the report at once ("Both patients were treated
    with ...", ``patterns/link/several_patients.csv``)."""
    return any(rx.search(sentence) for rx in _cue_res("link/several_patients.csv"))


def _role(title: str) -> tuple[str | None, str | None]:
    """(role, case number) of a heading, or (None, None) when unknown."""
    t = NUMBERING_RE.sub("", title.strip()).strip().rstrip(":").strip()
    for row in load_csv("link/sections.csv"):
        m = re.search(row["regex"], t, re.I)
        if m:
            if row["role"] == "case_n":
                num = None
                for g in m.groups():
                    if _label(g):
                        num = _label(g)
                return "case_n", num
            return row["role"], None
    return None, None


def _paragraphs(text: str):
    """(start, end, line) of every non-empty line."""
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            yield pos, pos + len(line), line
        pos += len(line) + 1


def _is_heading(line: str) -> bool:
    s = line.strip()
    if not s or len(s) > 70 or "|" in s or LABEL_RE.match(s):
        return False
    if s[-1] in ".;," or len(s.split()) > 9:
        return False
    if not (s[0].isupper() or s[0].isdigit()):
        return False
    return not re.search(r"\d\s*(mg|g|ml|%)\b", s, re.I)


@dataclass
class _Region:
    start: int
    end: int
    role: str | None
    case: str | None
    titled: bool = False  # the case number comes from the heading's own words


class CaseMap:
    """``case_at(pos)`` for a document: "1", "2", ... or None."""

    def __init__(self, text: str, sections: list | None = None, blocks: list | None = None):
        self.text = text
        paras = list(_paragraphs(text))
        heads = []  # (start, end_of_section_or_None, title, given_case)
        if sections:
            for s in sorted(sections, key=lambda s: s["start"]):
                heads.append((s["start"], s.get("end"), s.get("title", ""), s.get("case")))
        else:
            for i, (s, e, line) in enumerate(paras):
                if _is_heading(line) and i > 0:  # the first line is the title
                    heads.append((s, None, line.strip(), None))
        regions: list[_Region] = []
        first = heads[0][0] if heads else len(text)
        regions.append(_Region(0, first, "front", None))
        prev_role = "front"
        for k, (s, e, title, given) in enumerate(heads):
            nxt = heads[k + 1][0] if k + 1 < len(heads) else len(text)
            role, num = _role(title)
            titled = role == "case_n"  # the heading itself names the patient ("Case 2")
            lettered = titled and num is not None and not num.isdigit()  # "Case A": the heading's letter
            if given is not None and role not in NULL_ROLES and not lettered:  # the cleanup stage's
                role, num = "case_n", str(given)  # case, unless the heading says intro/discussion
            if role is None and prev_role in ("front", "intro", "unknown"):
                role = "unknown"  # e.g. an unlisted name for the case section
            elif role is None:  # a subsection inherits its parent's role (and case number)
                role, num = prev_role, (regions[-1].case if prev_role == "case_n" else None)
            elif role == "case" and prev_role == "case_n":  # "Treatment" under "Case 2"
                role, num = "case_n", regions[-1].case
            regions.append(_Region(s, nxt, role, num, titled))
            prev_role = role
        # numbered patients introduced inside a case presentation ("Case 2 ...", "The second patient")
        cues = [(re.compile(r["regex"], re.I), r["group"]) for r in load_csv("link/case_cues.csv")]
        split: list[_Region] = []
        for r in regions:
            cur = _Region(r.start, r.end, r.role, r.case)
            # a section numbered by its own heading keeps its number; one the cleanup stage
            # numbered from an unnumbered "Case presentation" may still tell several patients
            if r.role in ("case", "front") or (r.role == "case_n" and (sections is None or not r.titled)):
                for s, e, line in paras:
                    if not (r.start < s < r.end) or r.role == "front":
                        continue
                    for rx, g in cues:
                        m = rx.match(line)
                        if m and _label(m.group(g)):
                            cur.end = s
                            split.append(cur)
                            cur = _Region(s, r.end, "case_n", _label(m.group(g)))
                            break
            split.append(cur)
        self.regions = [r for r in split if r.end > r.start or r.start == r.end == 0]
        numbered = {r.case for r in self.regions if r.role == "case_n" and r.case}
        has_case = any(r.role in ("case", "case_n") for r in self.regions)
        study = any(r.role in ("methods", "results") for r in self.regions)
        if len(numbered) >= 2:
            self.kind = "multi"
        elif has_case:
            self.kind = "single"
        elif not study and PATIENT_STORY_RE.search(text):
            self.kind = "single"  # no case heading, but one patient's story
        else:
            self.kind = "study"
        self.starts = [r.start for r in self.regions]
        self.captions = self._captions(paras, blocks)

    def _captions(self, paras, blocks):
        caps = []
        for b in blocks or []:
            kind = str(b.get("kind") or b.get("type") or "").lower()
            if kind == "caption" and "start" in b and "end" in b:
                caps.append((b["start"], b["end"]))
        # also the captions the text shows ("FIGURE 2" then its paragraph; "Table 1: ..."): a
        # caption the layout stage missed lands inside a case section of a PDF
        for i, (s, e, line) in enumerate(paras):
            if LABEL_RE.match(line) and i + 1 < len(paras):
                caps.append((paras[i + 1][0], paras[i + 1][1]))
            elif CAPTION_START_RE.match(line):
                caps.append((s, e))
        return sorted(set(caps))

    def region_at(self, pos: int) -> _Region:
        i = bisect.bisect_right(self.starts, pos) - 1
        return self.regions[max(i, 0)]

    def case_at(self, pos: int, sentence: str | None = None, previous: str | None = None) -> str | None:
        """The case at text position ``pos``; ``sentence`` (the text around it) lets a sentence of a
        multi-patient report's abstract that names exactly one case ("Case 2 received ...") take it,
        and makes a literature or background sentence inside the story null (:mod:`.background`;
        ``previous``, the sentence before, for one that goes on with a background statement)."""
        case = self._region_case(pos, sentence)
        if case is not None and sentence and (is_background(sentence, previous) or
                                              (self.kind == "multi" and _several(sentence))):
            return None
        return case

    def _region_case(self, pos: int, sentence: str | None) -> str | None:
        if self.kind == "study":
            return None
        for s, e in self.captions:
            if s <= pos < e:
                return self._caption_case(self.text[s:e])
        r = self.region_at(pos)
        if r.role == "discussion" and sentence and _own_patient(sentence):
            if self.kind == "single":
                return "1"
            found = {_mention(n) for n in CASE_MENTION_RE.findall(sentence)}
            return found.pop() if len(found) == 1 else None
        if r.role in NULL_ROLES or r.role == "results" and self.kind != "single":
            return None
        if self.kind == "single":
            return "1"
        if r.role == "case_n":
            return r.case
        if r.role in ("front", "unknown") and sentence:
            found = {_mention(n) for n in CASE_MENTION_RE.findall(sentence)}
            return found.pop() if len(found) == 1 else None
        return None

    def _caption_case(self, caption: str) -> str | None:
        if self.kind == "single":
            return "1"
        found = {_mention(n) for n in CASE_MENTION_RE.findall(caption)}
        return found.pop() if len(found) == 1 else None
