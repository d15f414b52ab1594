"""Stage 3: entity recognition with normalization, as spaCy components.

The components run in this order on the shared tokenizer/sentence pipeline
(:func:`pipeline.recognize.pipeline.recognizer_nlp`); each adds candidates to ``doc.user_data`` and the last
one resolves them into ``doc.ents`` and ``doc.spans["doseline"]`` (``Span._.norm``,
``Span._.ids``):

==========================  ===================================================================
``doseline_zones``          text that carries no entities: the glossary footnote and headings
``doseline_abbreviations``  abbreviations defined in text (scispacy), glossary and caption keys
``doseline_drugs``          DRUG: lexicon (:mod:`pipeline.drugs`), document abbreviations, CAR T
``doseline_regimens``       REGIMEN: lexicon and document-defined acronyms (:mod:`pipeline.regimens`)
``doseline_quantities``     DOSE and UNIT (:mod:`pipeline.quantities`)
``doseline_timeline``       DAY and DATE (:mod:`pipeline.timeline`)
``doseline_administration`` FREQUENCY and ROUTE (:mod:`pipeline.administration`)
``doseline_entities``       overlap resolution (longest span, then type priority), zones removed,
                            tokens split at entity boundaries ("3750IU"), ``doc.ents`` set
==========================  ===================================================================

All rules and lexicons are data in ``patterns/``. :func:`recognize` fills ``Document.entities``
(sorted by start, ids T1...), merges ``Document.abbreviations`` and keeps the spaCy Doc on
``Document.spacy_doc`` for the linker.
"""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from ..document import Document

COMPONENTS = ("doseline_zones", "doseline_abbreviations", "doseline_drugs", "doseline_regimens",
              "doseline_quantities", "doseline_timeline", "doseline_administration",
              "doseline_entities")
PRIORITY = {"REGIMEN": 0, "DRUG": 1, "DATE": 2, "DAY": 3, "DOSE": 4, "UNIT": 4, "FREQUENCY": 5,
            "ROUTE": 6}
SPAN_KEY = "doseline"

from . import extensions  # noqa: F401  Span._.norm, Span._.ids
from .resolve import resolve, split_tokens


def _state(doc: Doc) -> dict:
    return doc.user_data.setdefault("doseline", {"candidates": []})


def _add(doc: Doc, start: int, end: int, label: str, norm, ids=None, source: str = ""):
    if end <= start:
        return
    _state(doc)["candidates"].append({"start": start, "end": end, "type": label, "norm": norm,
                                      "ids": ids, "source": source})


def _text(doc: Doc) -> str:
    """``doc.text`` rebuilds the string from the tokens on every access: keep it once."""
    st = _state(doc)
    if "text" not in st:
        st["text"] = doc.text
    return st["text"]


def _cands(doc: Doc, *labels) -> list[dict]:
    return [c for c in _state(doc)["candidates"] if c["type"] in labels]


def _sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Character ranges of the sentences of the shared ``doseline_sentences`` component
    (:mod:`pipeline.nlp`), the same sentences the linker reads."""
    st = _state(doc)
    if "sents" not in st:
        from ..nlp import sentence_char_bounds
        st["sents"] = sentence_char_bounds(doc)
    return st["sents"]


_STARTS: list = [None, []]  # the last bounds list and its start offsets (one document at a time)


def _sentence_of(bounds, pos: int) -> tuple[int, int]:
    import bisect
    if _STARTS[0] is not bounds:
        _STARTS[:] = [bounds, [a for a, _ in bounds]]
    i = bisect.bisect_right(_STARTS[1], pos) - 1
    return bounds[max(i, 0)]


# ---------------------------------------------------------------------------------------------
# zones
# ---------------------------------------------------------------------------------------------
HEADING_MAX_WORDS = 8


def heading_spans(text: str) -> list[tuple[int, int]]:
    """Lines that are headings: short, not ending in sentence punctuation, not table rows, not the
    title (first line), e.g. "Case presentation", "FIGURE 1", "2.1. PBPC Mobilization"."""
    out = []
    pos = 0
    for i, line in enumerate(text.split("\n")):
        s, e = pos, pos + len(line)
        pos = e + 1
        t = line.strip()
        if i == 0 or not t or "|" in t:
            continue
        if len(t.split()) <= HEADING_MAX_WORDS and not re.search(r"[.:;,)]$", t):
            out.append((s, e))
    return out


@Language.component("doseline_zones", assigns=["doc.user_data"])
def zones_component(doc: Doc) -> Doc:
    from .abbreviation import glossary_spans
    st = _state(doc)
    blocks = st.get("blocks") or []
    glossary = glossary_spans(_text(doc), blocks)
    titles = [(b["start"], b["end"]) for b in blocks if b.get("kind") == "title"]
    other = [(b["start"], b["end"]) for b in blocks
             if b.get("kind") in ("heading", "header", "footer", "running_header")
             and b.get("start") is not None and (b["start"], b["end"]) not in titles]
    st["glossary"] = glossary
    st["zones"] = glossary + other + [h for h in heading_spans(_text(doc)) if h not in titles]
    return doc


def _in_zone(doc: Doc, s: int, e: int) -> bool:
    return any(a <= s and e <= b for a, b in _state(doc)["zones"])


# ---------------------------------------------------------------------------------------------
# abbreviations
# ---------------------------------------------------------------------------------------------
@Language.factory("doseline_abbreviations", assigns=["doc.user_data"], requires=["doc.sents"])
def make_abbreviations(nlp: Language, name: str):
    """scispacy's AbbreviationDetector (Schwartz & Hearst 2003) built on this pipeline's vocab."""
    from scispacy.abbreviation import AbbreviationDetector
    from .abbreviation import ParenthesisMatches, ShortFormMatches
    detector = AbbreviationDetector(nlp)
    # the same matches as its two spaCy Matchers, in one pass each (see their docstrings)
    detector.matcher = ParenthesisMatches(nlp.vocab)
    detector.global_matcher = ShortFormMatches(nlp.vocab)
    return lambda doc: abbreviations_component(doc, detector)


def abbreviations_component(doc: Doc, detector) -> Doc:
    from . import abbreviation as ab
    st = _state(doc)
    pairs = []
    for a, b in st["glossary"]:
        pairs += ab.parse_pairs(_text(doc), a, b, "glossary")
    pairs += ab.caption_keys(_text(doc), st["glossary"])
    pairs += ab.detect(doc, detector)
    for p in st.get("known") or []:  # what cleanup already put on the Document
        pairs.append({"short": p["short"], "long": p["long"], "start": None, "end": None,
                      "source": "document"})
    st["pairs"] = pairs
    longs: dict = {}
    for p in pairs:
        longs.setdefault(p["short"], p["long"])
    st["long_of"] = longs
    return doc


# ---------------------------------------------------------------------------------------------
# drugs
# ---------------------------------------------------------------------------------------------
def _resolve_long(m, long: str):
    """The drug entry a long form names: the whole long form, or its first drug when the rest is
    a qualifier ("anti-thymocyte globulin, rabbit")."""
    e = m.lookup(long)
    if e is not None:
        return e
    found = m.find(long)
    if len(found) == 1:
        s, t, entry = found[0]
        rest = long[t:]
        if s == 0 and re.match(r"\s*[,(]", rest) and len(rest.split()) <= 2:
            return entry
    return None


# "(CFA)", "(RIF, 600 mg/d)", "(CZA; ...)", "(hereafter RIF)", "(hereafter referred to as RIF)"
PAREN_ACRONYM = re.compile(r"\((?:hereafter(?:\s+(?:referred\s+to\s+as|called))?\s+)?"
                           r"([A-Za-z0-9][A-Za-z0-9\-‐]{1,9})(?:\s*[,;]\s*[^()]{1,60})?\)")


# "sitagliptin-lovastatin interaction", "tramadol-citalopram combination": two drugs taken
# together, not one product (a fixed combination the lexicon knows is matched before this)
TWO_DRUGS_AFTER = re.compile(r"\W{0,2}(?:[\w-]+\s+){0,2}?(?:drug[- ])?(?:interactions?|combinations?|"
                             r"co-?administration|coadministration|co-?ingestion|co-?prescription)\b", re.I)


def _fixed_combinations(text: str, found: list) -> list:
    """Two drug names joined by a hyphen ("piperacillin-tazobactam", "trimethoprim-sulfamethoxazole",
    "amoxicillin-clavulanate") name one fixed-combination product: one DRUG, norm "a/b". A longer
    hyphen chain spells out a regimen ("rituximab-cyclophosphamide-vincristine-...") and a slash
    ("Carbo/Taxol") joins separate agents: both stay separate mentions; so do two drugs named
    for their interaction or combination ("sitagliptin-lovastatin interaction") and a name
    joined to a combination ("glipizide-trimethoprim/sulfamethoxazole")."""
    out, i = [], 0
    while i < len(found):
        s1, e1, a = found[i]
        if i + 1 < len(found):
            s2, e2, b = found[i + 1]
            joined = s2 == e1 + 1 and text[e1] in "-\u2010\u2011"
            chain = (s1 > 0 and text[s1 - 1] in "-\u2010\u2011") or text[e2:e2 + 1] in ("-", "\u2010", "\u2011")
            if joined and not chain and not a.flag and not b.flag and a.norm != b.norm \
                    and "/" not in a.norm + b.norm and not TWO_DRUGS_AFTER.match(text, e2):
                from .drugs import Entry
                out.append((s1, e2, Entry(f"{a.norm}/{b.norm}", None, "")))
                i += 2
                continue
        out.append(found[i])
        i += 1
    return out


@Language.component("doseline_drugs", assigns=["doc.user_data"], requires=["doc.sents"])
def drugs_component(doc: Doc) -> Doc:
    from . import drugs
    from .regimens import regimen_rules
    st = _state(doc)
    m = drugs.matcher()
    text = _text(doc)
    extra = {}
    regimen_names = {r[1] for r in regimen_rules()}
    for p in st["pairs"]:
        short, long = p["short"], p["long"]
        if m.exact.get(short) is not None and m.exact[short].flag == "abbreviation":
            extra[short] = m.exact[short]._replace(flag="")  # defined here: no longer ambiguous
            continue
        if short in extra or m.lookup(short) is not None and short in m.exact:
            continue
        entry = _resolve_long(m, long)
        if entry is None:
            continue
        if short in regimen_names and p["source"] not in ("key", "glossary", "document"):
            continue
        if len(short) < 2 and not short.isupper():
            continue
        extra[short] = entry
    found = m.find(text, extra)
    # "cyclophosphamide (CFA)": an acronym in parentheses right after one drug names that drug
    # (Schwartz-Hearst needs the letters of the short form in the long form; this does not)
    from .regimens import defined_acronyms
    regimen_defs = defined_acronyms(text, [(s, e) for s, e, _ in found])
    ends = {e: entry for s, e, entry in found}
    added = False
    for pm in PAREN_ACRONYM.finditer(text):
        short = pm.group(1)
        entry = ends.get(pm.start()) or ends.get(pm.start() - 1)
        if entry is None or short in extra or short in regimen_defs or m.lookup(short) \
                or not re.search(r"[A-Z]", short):
            continue
        if short in regimen_names:
            continue
        # the short form starts like the name (Schwartz & Hearst's first-letter condition), so
        # "inappropriate antidiuretic hormone (SIADH)" does not define the hormone; codes with a
        # digit ("FK506") are exempt
        starts = {s: e for s, e, _ in found}
        name = next((text[s:e] for s, e in starts.items() if e in (pm.start(), pm.start() - 1)), "")
        if not re.search(r"\d", short) and short[0].lower() not in {w[:1].lower() for w in re.split(r"[\s/-]+", name) if w}:
            continue
        extra[short] = entry
        st["pairs"].append({"short": short, "long": text[[s for s, e, _ in found
                                                           if e in (pm.start(), pm.start() - 1)][0]:
                                                          pm.start()].strip(),
                            "start": pm.start(1), "end": pm.end(1), "source": "drug"})
        added = True
    if added:
        found = m.find(text, extra)
    st["drug_abbreviations"] = set(extra)
    bounds = _sentence_bounds(doc)
    found = _fixed_combinations(text, found)
    plain = {_sentence_of(bounds, s) for s, e, entry in found if not entry.flag}
    tested = drugs.tested_list(text, found, lambda pos: _sentence_of(bounds, pos))
    tested |= drugs.class_heads(text, found)  # "the vitamin K antagonist warfarin": warfarin only
    for i, (s, e, entry) in enumerate(found):
        if i in tested:  # "sensitive to penicillin and vancomycin", "screen positive for cocaine"
            continue
        sent = _sentence_of(bounds, s)
        # an analyte that is also a drug ("serum calcium" / "calcium supplements") by its context
        if entry.flag.startswith("dual") and not drugs.dual_use_is_drug(text, s, e, sent,
                                                                        entry.flag == "dual-drug"):
            continue
        # a brand that is also a common word ("luminal irregularities"): in lower case only in a
        # drug context (another drug in the sentence, a dose, a route, an administration word)
        # "anti-estrogen therapy", "anti-TNF": a drug or target after "anti-" names a class
        if re.search(r"\banti[-\u2010\u2011]$", text[max(0, s - 5):s], re.I):
            continue
        # an organism's binomial ("Candida albicans" grew; "Saccharomyces boulardii 250 mg") is a
        # drug only next to a dose
        if entry.flag == "organism" and not drugs._dose_near(text, s, e, sent):
            continue
        # (capitalised only because it starts the sentence: "Yeasts of cryptococcosis ...")
        surface = text[s:e]
        lower = surface.islower() or surface[1:].islower() and not text[sent[0]:s].strip(" \t\n\"'“‘([")
        if entry.flag == "homograph" and lower and sent not in plain \
                and not drugs.administration_context(text, s, e, sent):
            continue
        # a standard abbreviation the document does not define ("ASA", "DAC"): likewise
        if entry.flag == "abbreviation" and sent not in plain \
                and not drugs.administration_context(text, s, e, sent) \
                and not drugs.given_next_to(text, s, e):
            continue
        ids = {"drugbank": entry.drugbank} if entry.drugbank else None
        _add(doc, s, e, "DRUG", entry.norm, ids, "lexicon")
    for s, e, entry in drugs.find_cell_therapies(text, st["long_of"]):
        _add(doc, s, e, "DRUG", entry.norm, None, "cell_therapy")
    # names no lexicon has, in an administration or "-induced" frame ("treated with Kayexalate")
    from .unknown_drugs import find_unknown_drugs
    for s, e, entry in find_unknown_drugs(text, [(c["start"], c["end"]) for c in _cands(doc, "DRUG")]):
        _add(doc, s, e, "DRUG", entry.norm, None, "context")
    return doc


# ---------------------------------------------------------------------------------------------
# regimens
# ---------------------------------------------------------------------------------------------
@Language.factory("doseline_regimens", assigns=["doc.user_data"],
                  default_config={"patterns": "recognize/regimens.jsonl"})
def make_regimens(nlp: Language, name: str, patterns: str):
    return lambda doc: regimens_component(doc, patterns)


def regimens_component(doc: Doc, patterns: str = "recognize/regimens.jsonl") -> Doc:
    from .regimens import defined_acronyms, find_regimens
    st = _state(doc)
    drug_spans = [(c["start"], c["end"]) for c in _cands(doc, "DRUG")]
    defined = defined_acronyms(_text(doc), drug_spans)
    # an acronym of a single drug is that drug's abbreviation, not a regimen
    from .drugs import matcher
    m = matcher()
    defined = {k: v for k, v in defined.items()
               if k not in st["drug_abbreviations"] and m.lookup(k) is None}
    st["regimen_acronyms"] = defined
    for s, e, norm in find_regimens(_text(doc), defined, st["drug_abbreviations"], patterns):
        _add(doc, s, e, "REGIMEN", norm, None, "regimen")
    return doc


# ---------------------------------------------------------------------------------------------
# doses and units
# ---------------------------------------------------------------------------------------------
@Language.factory("doseline_quantities", assigns=["doc.user_data"], requires=["doc.sents"],
                  default_config={"window_before": 160, "window_after": 80})
def make_quantities(nlp: Language, name: str, window_before: int, window_after: int):
    """``window_before`` / ``window_after``: how far (characters) a drug may stand before / after
    an amount in its sentence for the amount to be its dose."""
    return lambda doc: quantities_component(doc, window_before, window_after)


def quantities_component(doc: Doc, window_before: int = 160, window_after: int = 80) -> Doc:
    from .quantities import coordinated_numbers, find_quantities, is_dose, mixture_volume
    text = _text(doc)
    bounds = _sentence_bounds(doc)
    anchors = sorted((c["start"], c["end"]) for c in _cands(doc, "DRUG", "REGIMEN")
                     if not _in_zone(doc, c["start"], c["end"]))
    dose_ends = set()
    quantities = find_quantities(text)
    mixture_sents = {_sentence_of(bounds, q.start) for q in quantities if mixture_volume(text, q)}
    for q in quantities:
        sent = _sentence_of(bounds, q.start)
        if not is_dose(text, q, sent, anchors, window_before, window_after, sent in mixture_sents):
            continue
        # coordinated doses sharing the unit written once ("300 and 150 ng/kg/min"): one DOSE
        # each, all with that UNIT
        for a, b, value in coordinated_numbers(text, q.start):
            _add(doc, a, b, "DOSE", value, None, "quantity")
            _add(doc, q.unit_start, q.unit_end, "UNIT", q.unit_norm, None, "quantity")
        _add(doc, q.start, q.end, "DOSE", q.value, None, "quantity")
        _add(doc, q.unit_start, q.unit_end, "UNIT", q.unit_norm, None, "quantity")
        dose_ends.add(q.unit_end)
    _state(doc)["dose_ends"] = dose_ends
    return doc


# ---------------------------------------------------------------------------------------------
# days and dates
# ---------------------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def assay_context_re(patterns: str = "recognize/assay_context.csv"):
    from ..resources import alternation, load_csv
    cues = alternation(r["cue"].strip() for r in load_csv(patterns))
    return re.compile(rf"\b(?:{cues})\b", re.I)


@Language.factory("doseline_timeline", assigns=["doc.user_data"], requires=["doc.sents"],
                  default_config={"assay_patterns": "recognize/assay_context.csv"})
def make_timeline(nlp: Language, name: str, assay_patterns: str):
    return lambda doc: timeline_component(doc, assay_patterns)


def timeline_component(doc: Doc, assay_patterns: str = "recognize/assay_context.csv") -> Doc:
    from .timeline import find_dates, find_days
    text = _text(doc)
    bounds = _sentence_bounds(doc)
    treated = {_sentence_of(bounds, c["start"]) for c in _cands(doc, "DRUG", "REGIMEN", "DOSE")}
    assay = assay_context_re(assay_patterns)
    for s, e, norm in find_days(text):
        sent = _sentence_of(bounds, s)
        # "CFUs were determined on day 14" of a culture: the assay's day, not a treatment day
        if sent not in treated and assay.search(text[sent[0]:sent[1]]):
            continue
        _add(doc, s, e, "DAY", norm, None, "timeline")
    for s, e, norm in find_dates(_text(doc)):
        _add(doc, s, e, "DATE", norm, None, "timeline")
    return doc


# ---------------------------------------------------------------------------------------------
# frequency and route
# ---------------------------------------------------------------------------------------------
@Language.factory("doseline_administration", assigns=["doc.user_data"], requires=["doc.sents"],
                  default_config={"frequency_patterns": "recognize/frequency.jsonl",
                                  "route_patterns": "recognize/routes.jsonl"})
def make_administration(nlp: Language, name: str, frequency_patterns: str, route_patterns: str):
    return lambda doc: administration_component(doc, frequency_patterns, route_patterns)


def administration_component(doc: Doc, frequency_patterns: str = "recognize/frequency.jsonl",
                             route_patterns: str = "recognize/routes.jsonl") -> Doc:
    from .administration import find_frequencies, find_routes
    st = _state(doc)
    text = _text(doc)
    bounds = _sentence_bounds(doc)
    anchor_sents = {_sentence_of(bounds, c["start"])
                    for c in _cands(doc, "DRUG", "REGIMEN", "DOSE")}
    for s, e, norm in find_frequencies(text, st.get("dose_ends"), frequency_patterns):
        # a frequency describes a drug's administration: a drug, regimen or dose in the sentence
        if _sentence_of(bounds, s) in anchor_sents:
            _add(doc, s, e, "FREQUENCY", norm, None, "frequency")
    drug_starts = {c["start"] for c in _cands(doc, "DRUG", "REGIMEN")}
    for s, e, norm in find_routes(text, lambda pos: _sentence_of(bounds, pos) in anchor_sents,
                                  route_patterns, drug_starts):
        _add(doc, s, e, "ROUTE", norm, None, "route")
    return doc


# ---------------------------------------------------------------------------------------------
# resolution
# ---------------------------------------------------------------------------------------------
@Language.component("doseline_entities", assigns=["doc.ents", "doc.spans", "span._.norm", "span._.ids"],
                    requires=["doc.user_data"])
def entities_component(doc: Doc) -> Doc:
    st = _state(doc)
    cands = [c for c in st["candidates"] if not _in_zone(doc, c["start"], c["end"])]
    ents = resolve(cands, PRIORITY)
    # drop DOSE without its UNIT and UNIT without its DOSE (the pair is one quantity)
    kept = {(c["start"], c["end"]) for c in ents}
    quant = [c for c in cands if c["source"] == "quantity"]
    orphan = set()
    for i in range(0, len(quant) - 1, 2):
        d, u = quant[i], quant[i + 1]
        if ((d["start"], d["end"]) in kept) != ((u["start"], u["end"]) in kept):
            orphan.add((d["start"], d["end"], "DOSE"))
            orphan.add((u["start"], u["end"], "UNIT"))
    ents = [c for c in ents if (c["start"], c["end"], c["type"]) not in orphan]
    cuts = set()
    for c in ents:
        cuts.add(c["start"])
        cuts.add(c["end"])
    doc = split_tokens(doc, _text(doc), cuts)
    spans = []
    for c in ents:
        sp = doc.char_span(c["start"], c["end"], label=c["type"])
        if sp is None:
            continue
        sp._.norm = c["norm"]
        sp._.ids = c["ids"]
        spans.append(sp)
    doc.spans[SPAN_KEY] = spans
    doc.ents = spans
    st["entities"] = ents
    return doc


# ---------------------------------------------------------------------------------------------
# stage
# ---------------------------------------------------------------------------------------------
