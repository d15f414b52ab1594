"""Stage 4: relation linking of the recognised entities into administration records.

A rule-based linker in the tradition of MedEx (Xu et al. 2010, JAMIA 17:19) and the medication
attribute linking of the n2c2 2018 track 2 systems (Henry et al. 2020, JAMIA 27:3): the unit of
linking is the *sentence*, and inside it the *clause structure* decides which drug owns an
attribute, never a raw character window. The structure comes from spaCy: the sentence
boundaries of the shared pipeline (``pipeline.nlp``; merged again where they cut an abbreviation
such as "i.v." or an open parenthesis, and split at line breaks), the tokens, the parenthesis
nesting of the tokens, semicolons and coordination, and token patterns (``spacy.matcher.Matcher``)
for clause breaks, stop verbs and drug-level cues. All cue words are data in
``patterns/link/cues.jsonl``.

Per sentence:

1. **Aliases.** A DRUG that opens a parenthesis right after a DRUG, or has its norm
   ("mycophenolate mofetil (MMF)", "CMVIG (10 g; Cytotect, ...)"), is an alias: no record, and the
   record goes on the full name.
2. **Pre-modifiers.** DOSE/UNIT/ROUTE/FREQUENCY entities chained right before a drug through
   filler words only ("Two 20 mg doses of basiliximab", "400 mg of oral ciprofloxacin"), and the
   attributes of a conjunct that opens with "and"/"or" and runs into the drug ("ciprofloxacin, and
   inhaled and systemic colistin").
3. **Drug spans.** A drug owns what follows it up to the next drug (or that drug's
   pre-modifiers), the end of the parenthesis it sits in, a semicolon at its level, or a clause
   break ("..., and the aphaeresis was started at day 5", "..., but by 23 July"). So in
   "fludarabine 30 mg/m², days −4 to −2; cyclophosphamide 500 mg/kg, days −3 to −2" no attribute
   jumps to the other drug.
4. **Dose clauses.** Inside a drug's span, semicolons, commas and coordination split clauses; with
   several doses each dose (with an alternative dose in parentheses, "5 mg/kg (294 mg)") is a key
   and gets the attributes of its clause: one record per clause ("dexamethasone (10 mg once daily
   on day +7; 10 mg every 6 h on days +8 to +9; ...)"; "via intrathecal injection (40 mg) and
   intravenous infusion (375 mg/m² weekly)"). With one dose but several frequencies in separate
   clauses, the frequencies are the keys. Days and dates of a clause without a key go to the
   nearest key before (else after); routes and frequencies there are shared.
5. **Sentence-level days and dates.** A DAY/DATE before the first drug of its clause
   ("On day 34 ..., the patient received busulfan plus cyclophosphamide") goes to every drug that
   follows in that clause when an administration word stands between (``admin_cue``), except
   drugs that are stopped ("foscarnet was discontinued", "switch from ganciclovir"), and a bare
   coordinated list shares the days/dates/route of its last member ("A, B and C were given on
   day 3"; "intravenous infusions of A and B"); "A and B ... 10 mg and 20 mg, respectively" pairs
   in order. A DAY/DATE after a regimen whose
   components it lists ("the FC regimen (...) was initiated on May 27 2021 (day −4)") is pushed
   down to the components whose own days it matches. Days never cross a sentence.
6. **Regimens.** "REG (drug ...; drug ...)", "drug, drug, and drug (REG)" (a bare coordinated
   list), definitions "REG, drug dose days, drug dose days" (captions) and "REG regimen
   consisting of drug, drug and drug" link the components.
7. **No record** for aliases, drug levels ("the absolute count of CD7 CAR T cells", doses with a
   concentration unit), negated or non-administration mentions ("without the need for home
   oxygen", "response to INO"), and bare mentions; a drug with no dose gets one when a day, date,
   frequency, route or regimen attaches. A ROUTE that modifies a class or procedure
   ("intrathecal chemotherapy") links to no drug.

``case`` comes from :mod:`pipeline.cases`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .cases import CaseMap
from ..document import Document
from ..nlp import sentence_units
from ..resources import load_jsonl

ATTRS = ("DOSE", "UNIT", "FREQUENCY", "ROUTE", "DAY", "DATE")
TEMPORAL = ("DAY", "DATE")
OPEN, CLOSE = "([", ")]"
NEG_SCOPE_END = {"and", "but", "then", "so", "after", "before", "when", "while", "until"}


# ---------------------------------------------------------------------------------------------
# cue data
# ---------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def cues() -> dict:
    out: dict = {}
    for row in load_jsonl("link/cues.jsonl"):
        k = row["kind"]
        if "words" in row:
            out.setdefault(k, set()).update(w.lower() for w in row["words"])
        elif "pattern" in row:
            out.setdefault(k, []).append(row["pattern"])
        elif "regex" in row:
            out[k] = re.compile(row["regex"], re.I)
    return out


@lru_cache(maxsize=4)
def _matcher(vocab):
    from spacy.matcher import Matcher
    m = Matcher(vocab)
    c = cues()
    for kind in ("clause_break", "stop_before", "level_before", "nonadmin_before"):
        m.add(kind, c.get(kind, []))
    return m


# ---------------------------------------------------------------------------------------------
# sentence units and their structure
# ---------------------------------------------------------------------------------------------
@dataclass
class Item:
    e: dict
    k: int  # index in the sentence's item list
    groups: tuple = ()  # enclosing parenthesis groups, innermost last

    @property
    def type(self):
        return self.e["type"]

    @property
    def start(self):
        return self.e["start"]

    @property
    def end(self):
        return self.e["end"]

    @property
    def grp(self):
        return self.groups[-1] if self.groups else -1


@dataclass
class Group:
    gid: int
    open_char: int
    close_char: int  # position of the closing parenthesis (or sentence end)
    parent: int
    head: Item | None = None
    items: list = field(default_factory=list)


class Sentence:
    def __init__(self, sdoc, t0: int, t1: int, ents: list):
        self.sdoc = sdoc
        self.toks = [sdoc[i] for i in range(t0, t1)]
        self.t0, self.t1 = t0, t1
        self.start = self.toks[0].idx
        self.end = self.toks[-1].idx + len(self.toks[-1].text)
        self.items = [Item(e, k) for k, e in enumerate(ents)]
        inside = set()
        for e in ents:
            inside.update(range(e["start"], e["end"]))
        # parenthesis structure over tokens (parentheses inside entity spans do not count)
        self.groups: list[Group] = []
        self.tok_groups: list[tuple] = []
        stack: list[int] = []
        for t in self.toks:
            if t.idx in inside:
                self.tok_groups.append(tuple(stack))
                continue
            if t.text in OPEN:
                g = Group(len(self.groups), t.idx, self.end, stack[-1] if stack else -1)
                self.groups.append(g)
                self.tok_groups.append(tuple(stack))
                stack.append(g.gid)
                continue
            if t.text in CLOSE and stack:
                self.groups[stack.pop()].close_char = t.idx
                self.tok_groups.append(tuple(stack))
                continue
            self.tok_groups.append(tuple(stack))
        for it in self.items:
            it.groups = self._groups_at(it.start)
            if it.groups:
                self.groups[it.grp].items.append(it)
        for g in self.groups:  # the head: the item right before the parenthesis
            prev = [it for it in self.items if it.end <= g.open_char and it.grp == g.parent]
            if prev:
                h = prev[-1]
                toks = self.tokens_between(h.end, g.open_char)
                words = {t.lower_ for t in toks}
                if not words or (h.type == "REGIMEN" and words <= cues().get("regimen_filler", set())):
                    g.head = h
                elif h.type == "DRUG" and len(toks) <= 2 and all(t.is_alpha for t in toks) and \
                        g.items and g.items[0].type == "DRUG":  # "quetiapine fumarate (Seroquel)"
                    g.head = h

    def _groups_at(self, char: int) -> tuple:
        for t, gs in zip(self.toks, self.tok_groups):
            if t.idx <= char < t.idx + len(t.text) or t.idx > char:
                return gs
        return ()

    def tokens_between(self, a: int, b: int, skip_groups=frozenset()):
        return [t for t, gs in zip(self.toks, self.tok_groups)
                if a <= t.idx and t.idx + len(t.text) <= b and not t.is_space
                and not (set(gs) & skip_groups)]

    def words(self, a: int, b: int, skip_groups=frozenset()) -> set:
        return {t.lower_ for t in self.tokens_between(a, b, skip_groups)}

    def tok_index(self, char: int) -> int:
        """Sentence-relative index of the token holding (or following) ``char``."""
        for k, t in enumerate(self.toks):
            if t.idx + len(t.text) > char:
                return k
        return len(self.toks)


# ---------------------------------------------------------------------------------------------
# the linker
# ---------------------------------------------------------------------------------------------
class _Linker:
    def __init__(self, s: Sentence):
        self.s = s
        self.c = cues()
        self.matches = self._matches()
        items = s.items
        self.drop = self._dropped()
        self.alias = self._aliases()
        self.drugs = [it for it in items if it.type == "DRUG" and it.k not in self.alias]
        self.alias_groups = frozenset(g.gid for g in s.groups if g.head is not None
                                      and g.head.type == "DRUG"
                                      and not any(i.type == "DRUG" and i.k not in self.alias for i in g.items))
        self.premod = {d.k: self._premod(d) for d in self.drugs}
        self.claimed = {p.k for ps in self.premod.values() for p in ps}
        self.span = {d.k: self._span(d) for d in self.drugs}
        self.level = {d.k for d in self.drugs if self._is_level(d)}
        self.level |= {d.k for d in self.drugs if self._is_negated(d)}
        self.stopped = {d.k for d in self.drugs if self._is_stopped(d)}
        self.own: dict = {}
        for d in self.drugs:
            a, b = self.span[d.k]
            seg = [it for it in items if a <= it.start < b and it.type in ATTRS
                   and it.k not in self.claimed and it.k not in self.drop]
            self.claimed.update(it.k for it in seg)
            self.own[d.k] = seg
        self.shared: dict = {d.k: [] for d in self.drugs}
        self.regimen: dict = {}
        self._regimens()
        self._orphans()
        self._lists()
        self._respectively()
        self._distributive()

    # ---- cues ---------------------------------------------------------------------------------
    def _matches(self):
        m = _matcher(self.s.sdoc.vocab)
        span = self.s.sdoc[self.s.t0:self.s.t1]
        out = []
        for mid, a, b in m(span):
            out.append((self.s.sdoc.vocab.strings[mid], a, b))
        return out

    def _dropped(self) -> set:
        """Attributes that never link: routes of a class or procedure, doses of a drug level."""
        s, c = self.s, self.c
        drop = set()
        heads = c.get("route_nondrug_head", set())
        conc = c.get("concentration_unit")
        for it in s.items:
            if it.type == "ROUTE":
                nxt = s.tokens_between(it.end, s.end)[:1]
                if nxt and nxt[0].lower_ in heads:
                    drop.add(it.k)
            if it.type == "UNIT" and conc is not None and conc.search(str(it.e.get("norm") or it.e["text"])):
                drop.add(it.k)
                prev = [d for d in s.items[:it.k] if d.type == "DOSE"]
                if prev and not s.tokens_between(prev[-1].end, it.start):
                    drop.add(prev[-1].k)
        return drop

    def _aliases(self) -> set:
        alias = set()
        for g in self.s.groups:
            h = g.head
            if h is None or h.type != "DRUG" or not g.items:
                continue
            for j, it in enumerate(g.items):
                if it.type != "DRUG" or it.grp != g.gid:
                    continue
                same = str(it.e.get("norm") or "").lower() == str(h.e.get("norm") or "").lower() and it.e.get("norm")
                first = j == 0 and not self.s.words(g.open_char + 1, it.start)  # "(MMF", not "(with Y"
                if first or same:
                    alias.add(it.k)
        return alias

    def _premod(self, d: Item) -> list:
        s, c = self.s, self.c
        fill = c.get("premod_filler", set())
        route_fill = fill | c.get("premod_route_filler", set())
        chain, cur = [], d.start
        for it in reversed(s.items[:d.k]):
            if it.end > cur:
                continue
            if it.type not in ("DOSE", "UNIT", "ROUTE", "FREQUENCY") or it.k in self.drop:
                break
            w = {x for x in s.words(it.end, cur) if not x.startswith("/")}  # "mg/kg" "/month"
            if "%" in w:  # a strength in percent names the product: "infusion of 15% glucose"
                w = {x for x in w if x != "%" and not re.fullmatch(r"[\d.,]+", x)}
            allowed = route_fill if (it.type == "ROUTE" and not chain) else fill
            if not w <= allowed:
                break
            chain.append(it)
            cur = it.start
        chain = list(reversed(chain))
        # a conjunct that opens with "and"/"or" and runs into the drug without punctuation belongs
        # to that drug: "ciprofloxacin, and inhaled and systemic colistin"
        prev_end = max([x.end for x in self.s.items[:d.k] if x.type == "DRUG"] + [s.start])
        toks = s.tokens_between(prev_end, d.start)
        cut = max([i for i, t in enumerate(toks) if t.is_punct and t.text not in "-‐"] + [-1])
        conj = toks[cut + 1:]
        if conj and conj[0].lower_ in ("and", "or") and len(conj) <= 6:
            a = conj[0].idx
            extra = [it for it in s.items[:d.k] if a <= it.start and it.end <= d.start
                     and it.type in ("DOSE", "UNIT", "ROUTE", "FREQUENCY") and it.k not in self.drop]
            if extra and all(it.groups == d.groups for it in extra):
                chain = sorted({it.k: it for it in extra + chain}.values(), key=lambda it: it.start)
        return chain

    def _span(self, d: Item) -> tuple[int, int]:
        s = self.s
        end = s.end
        if d.groups:
            end = min(end, s.groups[d.grp].close_char)
        for n in self.drugs:
            if n.start > d.start:
                p = self.premod[n.k]
                end = min(end, p[0].start if p else n.start)
                break
        for k, t in enumerate(s.toks):
            if t.idx < d.end or t.idx >= end:
                continue
            if s.tok_groups[k] == d.groups and t.text == ";":
                end = t.idx
                break
        for kind, a, b in self.matches:
            if kind == "clause_break":
                t = s.toks[a]
                if d.end <= t.idx < end and s.tok_groups[a] == d.groups:
                    end = t.idx
        return d.end, end

    def _next_tokens(self, d: Item, n: int):
        a, b = self.span[d.k]
        return self.s.tokens_between(a, self.s.end, self.alias_groups)[:n]

    def _is_level(self, d: Item) -> bool:
        k0 = self.s.tok_index(d.start)
        for kind, a, b in self.matches:
            if kind in ("level_before", "nonadmin_before") and b == k0:
                return True
        nxt = self._next_tokens(d, 1)
        return bool(nxt) and nxt[0].lower_ in self.c.get("level_after", set())

    def _is_negated(self, d: Item) -> bool:
        neg = self.c.get("negation", set())
        # "N2O was not used for inhalation anaesthesia": auxiliary + negation right after the drug
        nxt = [t.lower_ for t in self._next_tokens(d, 3)]
        aux = self.c.get("negation_after", set())
        if len(nxt) >= 2 and nxt[0] in aux and (nxt[1] in neg or nxt[1] == "n't" or
                                                (len(nxt) >= 3 and nxt[1] in ("been", "be") and nxt[2] in neg)):
            return True
        before = self.s.tokens_between(self.s.start, d.start)[-5:]
        for t in reversed(before):
            if (t.is_punct and t.text not in "-‐") or t.lower_ in NEG_SCOPE_END:
                return False
            if t.lower_ in neg:
                return True
        return False

    def _is_stopped(self, d: Item) -> bool:
        k0 = self.s.tok_index(d.start)
        for kind, a, b in self.matches:
            if kind == "stop_before" and b == k0:
                return True
        stop = self.c.get("stop_after", set())
        b = self.span[d.k][1]
        return any(t.lower_ in stop for t in self._next_tokens(d, 4) if t.idx < b)

    # ---- regimens -----------------------------------------------------------------------------
    def coordinated_list(self, d: Item, relaxed: bool = False) -> list:
        """The bare coordinated drug list that ends with ``d`` ("A, B, and C"); ``relaxed`` also
        lets members carry their own attributes ("A (30 mg/m2) and B (3.2 mg/kg)")."""
        conn = self.c.get("list_connector", set())
        out = [d]
        for p in reversed([x for x in self.drugs if x.start < d.start]):
            nxt = out[0]
            if not relaxed:
                ok = not self.premod[nxt.k] and self._gap_words(p.end, nxt.start, self.alias_groups) <= conn
            else:
                end = self.premod[nxt.k][0].start if self.premod[nxt.k] else nxt.start
                skip = frozenset(g.gid for g in self.s.groups if g.head is p) | self.alias_groups
                spans = [(it.start, it.end) for it in self.own.get(p.k, [])]
                ok = self._gap_words(p.end, end, skip, spans) <= conn
            if ok and p.groups == nxt.groups:
                out.insert(0, p)
            else:
                break
        return out

    def _gap_words(self, a: int, b: int, skip: frozenset, spans=()) -> set:
        """Words between a and b, leaving out the groups ``skip`` (with their parentheses) and
        the character ``spans``."""
        parens = {c for g in self.s.groups if g.gid in skip for c in (g.open_char, g.close_char)}
        return {t.lower_ for t in self.s.tokens_between(a, b, skip)
                if t.idx not in parens and not any(x <= t.idx < y for x, y in spans)}

    def _regimens(self):
        s, c = self.s, self.c
        self.components: dict = {}
        for g in s.groups:
            h = g.head
            if h is not None and h.type == "REGIMEN":  # REG (drug ..., drug ...)
                comps = [d for d in self.drugs if g.open_char < d.start < g.close_char]
                if comps:
                    self.components.setdefault(h.k, comps)
            elif h is not None and h.type == "DRUG" and g.items and g.items[0].type == "REGIMEN":
                r = g.items[0]  # drug, drug, and drug (REG)
                self.components.setdefault(r.k, self.coordinated_list(h))
        punct = c.get("definition_punct", set())
        regs = [it for it in s.items if it.type == "REGIMEN"]
        defs = []
        for r in regs:
            nxt = s.items[r.k + 1] if r.k + 1 < len(s.items) else None
            if nxt is None or nxt.type != "DRUG":
                continue
            toks = s.tokens_between(r.end, nxt.start)
            # "REG, drug ...", also with a short modifier: "HD-MTX ± L, high-dose methotrexate 3g/m2"
            mods = toks[1:]
            if toks and toks[0].text in punct and len(mods) <= 3 and \
                    all(not t.is_punct and not any(ch.isdigit() for ch in t.text) for t in mods):
                defs.append(r)
        for j, r in enumerate(defs):  # REG, drug dose days, drug dose days, ...
            stop = defs[j + 1].start if j + 1 < len(defs) else s.end
            for k, t in enumerate(s.toks):
                if r.end <= t.idx < stop and t.text == ";" and s.tok_groups[k] == r.groups:
                    stop = t.idx
                    break
            comps = [d for d in self.drugs if r.end <= d.start < stop]
            self.components.setdefault(r.k, comps)
        # "the FOLFIRI regimen consisting of irinotecan 180 mg/m2, leucovorin and fluorouracil":
        # filler words only, no parenthesis, then a coordinated list (members may carry attributes)
        filler = c.get("regimen_filler", set()) - punct
        conn = c.get("list_connector", set())
        for r in regs:
            nxt = s.items[r.k + 1] if r.k + 1 < len(s.items) else None
            if r.k in self.components or nxt is None or nxt.type != "DRUG" or nxt.k in self.alias \
                    or nxt.groups != r.groups:
                continue
            words = {t.lower_ for t in s.tokens_between(r.end, nxt.start)}
            if not words or not words <= filler or words <= {"regimen", "regimens", "chemotherapy"}:
                continue
            comps = [nxt]
            for d in [x for x in self.drugs if x.start > nxt.start]:
                p = comps[-1]
                spans = [(it.start, it.end) for it in self.own.get(p.k, [])]
                skip = frozenset(g.gid for g in s.groups if g.head is p) | self.alias_groups
                if d.groups == p.groups and self._gap_words(p.end, d.start, skip, spans) <= conn:
                    comps.append(d)
                else:
                    break
            self.components.setdefault(r.k, comps)
        for rk, comps in self.components.items():
            for d in comps:
                self.regimen.setdefault(d.k, s.items[rk])

    # ---- orphans: sentence-level days/dates and regimen-level push-down -----------------------
    def _top_clause(self, char: int) -> tuple[int, int]:
        s = self.s
        a, b = s.start, s.end
        for k, t in enumerate(s.toks):
            if t.text == ";" and not s.tok_groups[k]:
                if t.idx < char:
                    a = t.idx
                else:
                    b = t.idx
                    break
        return a, b

    def _orphans(self):
        s = self.s
        orphans = [it for it in s.items if it.type in TEMPORAL and it.k not in self.claimed
                   and it.k not in self.drop]
        for o in orphans:
            a, b = self._top_clause(o.start)
            before = [d for d in self.drugs if a <= d.start < o.start]
            after = [d for d in self.drugs if o.start < d.start < b]
            lead_doses = [it for it in s.items if it.type == "DOSE" and a <= it.start < o.start
                          and it.k not in self.claimed]
            cue = self.c.get("admin_cue", set())
            after = [d for d in after if self.s.words(o.end, self.span[d.k][1]) & cue]
            if not before and after and not lead_doses:
                # leading: "On day 34 ..., the patient received X plus Y"; not when a dose no drug
                # owns comes first (its drug was not recognised: "IVIG, 25 g daily, on d 32 to 36")
                for d in after:
                    self.shared[d.k].append((o, "lead"))
                continue
            regs = [(rk, comps) for rk, comps in self.components.items()
                    if s.items[rk].start < o.start and comps and max(x.start for x in comps) < o.start]
            if regs:
                rk, comps = max(regs, key=lambda x: s.items[x[0]].start)
                last = max(x.start for x in comps)
                if not [d for d in self.drugs if last < d.start < o.start]:
                    for d in comps:
                        self.shared[d.k].append((o, "push"))

    def _lists(self):
        seen = set()
        for d in reversed(self.drugs):
            if d.k in seen:
                continue
            lst = self.coordinated_list(d)
            seen.update(x.k for x in lst)
            if len(lst) < 2 or any(self.own[x.k] or self.premod[x.k] for x in lst[:-1]):
                continue
            share = [it for it in self.own[d.k] if it.type in TEMPORAL + ("ROUTE",)]
            for x in lst[:-1]:
                self.shared[x.k].extend((it, "list") for it in share)
        # "A (30 mg/m2/day) and B (3.2 mg/kg/day) were administered on days −6 to −3": a day or
        # date after the last member, at the list's level and after a word of administration
        cue = self.c.get("admin_cue", set())
        seen = set()
        for d in reversed(self.drugs):
            if d.k in seen:
                continue
            lst = self.coordinated_list(d, relaxed=True)
            seen.update(x.k for x in lst)
            if len(lst) < 2:
                continue
            own = self.own[d.k]
            closes = [g.close_char for g in self.s.groups if g.head is d]
            after = max([it.end for it in own if it.type not in TEMPORAL] + closes + [d.end])
            share = [it for it in own if it.type in TEMPORAL and it.groups == d.groups
                     and it.start >= after and self.s.words(after, it.start) & cue]
            for x in lst[:-1]:
                if share and not any(it.type in TEMPORAL for it in self.own[x.k]) and \
                        not any(o is it for o, _ in self.shared[x.k] for it in share):
                    self.shared[x.k].extend((it, "list") for it in share)
        # a route before the first member of a bare list: "intravenous infusions of A and B"
        for d in self.drugs:
            lst = self.coordinated_list(d)
            if len(lst) < 2 or lst[-1] is not d or any(self.premod[x.k] or self.own[x.k] for x in lst[1:-1]):
                continue
            if self.own[lst[0].k] or self.premod[d.k] or any(it.type in ("DOSE", "UNIT") for it in self.own[d.k]):
                continue
            routes = [it for it in self.premod[lst[0].k] if it.type == "ROUTE"]
            # only through a head noun that scopes over the list ("infusions of A and B"); a bare
            # "intravenous A and B" is ambiguous
            if routes and all(it.type == "ROUTE" for it in self.premod[lst[0].k]) and \
                    self.s.words(routes[-1].end, lst[0].start):
                for x in lst[1:]:
                    self.shared[x.k].append((routes[0], "list"))

    def _respectively(self):
        """"X and Y ... 10 mg and 20 mg, respectively": the i-th dose (with its unit) to the i-th drug."""
        if not {t.lower_ for t in self.s.toks} & self.c.get("respectively", set()):
            return
        for d in self.drugs:
            lst = self.coordinated_list(d)
            if len(lst) < 2 or lst[-1] is not d or any(self.own[x.k] or self.premod[x.k] for x in lst[:-1]):
                continue
            own = self.own[d.k]
            doses = [it for it in own if it.type == "DOSE"]
            if len(doses) != len(lst):
                continue
            for i, (x, dose) in enumerate(zip(lst, doses)):
                nxt = doses[i + 1].start if i + 1 < len(doses) else self.span[d.k][1]
                part = [it for it in own if dose.start <= it.start < nxt and it.type in ("DOSE", "UNIT", "FREQUENCY")]
                if x is not d:
                    self.own[x.k] = part
            self.own[d.k] = [it for it in own if it.start >= doses[-1].start or it.type not in ("DOSE", "UNIT", "FREQUENCY")]

    def _distributive(self):
        """"furosemide 20 mg and levothyroxine 100 µg, both once daily": a frequency or route after
        "both" (the two drugs before it) or "all"/"each" (every drug before it in the sentence)."""
        words = self.c.get("distributive", set())
        if not words or not {t.lower_ for t in self.s.toks} & words:
            return
        for i, d in enumerate(self.drugs):
            for it in self.own[d.k]:
                if it.type not in ("FREQUENCY", "ROUTE"):
                    continue
                prev = [t for t in self.s.tokens_between(d.end, it.start) if not t.is_punct]
                if not prev or prev[-1].lower_ not in words:
                    continue
                others = self.drugs[max(0, i - 1):i] if prev[-1].lower_ == "both" else self.drugs[:i]
                for x in others:
                    if not any(o.type == it.type for o in self.own[x.k]):
                        self.shared[x.k].append((it, "list"))

    # ---- records ------------------------------------------------------------------------------
    def records(self) -> list[dict]:
        out = []
        for d in self.drugs:
            if d.k in self.level:
                continue
            out.extend(self._drug_records(d))
        return out

    def _day_set(self, items) -> set:
        days = set()
        for it in items:
            n = it.e.get("norm")
            if isinstance(n, list):
                days.update(x for x in n if isinstance(x, (int, float)))
            elif isinstance(n, (int, float)):
                days.add(n)
        return days

    def _drug_records(self, d: Item) -> list[dict]:
        s = self.s
        stopped = d.k in self.stopped
        pre = self.premod[d.k]
        own = self.own[d.k]
        if stopped:
            own = [it for it in own if it.type not in TEMPORAL]
        own_days = self._day_set([it for it in pre + own if it.type == "DAY"])
        shared_items = []
        pushed_days = {}
        for o, how in self.shared[d.k]:
            if stopped and o.type in TEMPORAL:
                continue
            if o.type == "DAY" and how == "push" and own_days and not (self._day_set([o]) & own_days):
                pushed_days[o.k] = False
                continue
            pushed_days[o.k] = True
            shared_items.append(o)
        # a date anchored to a pushed-down day by parentheses follows that day's decision
        for o in list(shared_items):
            if o.type != "DATE":
                continue
            for g in s.groups:  # "on May 27 2021 (day −4)"
                if g.head is o and g.items and g.items[0].type == "DAY" \
                        and pushed_days.get(g.items[0].k) is False and o in shared_items:
                    shared_items.remove(o)
        items = sorted(pre + own, key=lambda it: it.start)
        # dose/unit pairs and dose groups (a dose with its alternative in parentheses)
        unit_of, paired = {}, set()
        for it in items:
            if it.type == "UNIT":
                prev = [x for x in items if x.type == "DOSE" and x.end <= it.start]
                if prev and not s.tokens_between(prev[-1].end, it.start) and prev[-1].k not in unit_of:
                    unit_of[prev[-1].k] = it
                    paired.add(it.k)
        # coordinated doses written with one unit ("300 and 150 ng/kg/min") share it
        doses = [it for it in items if it.type == "DOSE"]
        for x, y in reversed(list(zip(doses, doses[1:]))):
            if x.k not in unit_of and y.k in unit_of and \
                    all(t.lower_ in ("and", "or", ",", "&") for t in s.tokens_between(x.end, y.start)):
                unit_of[x.k] = unit_of[y.k]
        groups: list[list] = []
        for x in doses:
            if groups:
                last = groups[-1][-1]
                lend = unit_of[last.k].end if last.k in unit_of else last.end
                gap = [t.lower_ for t in s.tokens_between(lend, x.start)]
                # "5 mg/kg (294 mg)", "1.4 mg/m2 (max 2 mg)": the same administration
                if gap[:1] == ["("] and set(gap[1:]) <= self.c.get("dose_alt_qualifier", set()):
                    groups[-1].append(x)
                    continue
            groups.append([x])
        # clauses of the drug's span
        split = self.c.get("clause_split", set())
        a, b = self.span[d.k]
        cuts = [t.idx for t in s.tokens_between(a, b, self.alias_groups) if t.lower_ in split]
        clause = lambda it: -1 if it.start < d.start else sum(1 for c in cuts if c < it.start)
        freqs = [it for it in own if it.type == "FREQUENCY"]
        fclauses = {}
        for f in freqs:
            fclauses.setdefault(clause(f), f)
        if len(groups) >= 2:
            keys = [(g[0], g) for g in groups]
            key_items = {x.k for g in groups for x in g} | paired
            shared_dose = []
        elif len(fclauses) >= 2:
            keys = [(f, [f]) for f in fclauses.values()]
            key_items = {f.k for f in fclauses.values()}
            shared_dose = groups[0] if groups else []
        else:
            keys = [(d, groups[0] if groups else [])]
            key_items = {x.k for g in groups for x in g} | paired
            shared_dose = []
        assigned: dict = {id(k): [] for k, _ in keys}
        common = list(shared_items)
        if len(keys) == 1:
            common += [it for it in items if it.k not in key_items]
        else:
            kc = [(clause(k), k) for k, _ in keys]
            for it in items:
                if it.k in key_items or it in shared_dose or (it.type == "UNIT" and it.k in paired):
                    continue
                cl = clause(it)
                if cl == -1 and it.type in ("ROUTE", "FREQUENCY"):
                    common.append(it)
                    continue
                same = [k for c_, k in kc if c_ == cl]
                if same:
                    prev = [k for k in same if k.start <= it.start]
                    assigned[id(prev[-1] if prev else same[0])].append(it)
                elif it.type in TEMPORAL:
                    prev = [k for _, k in kc if k.start <= it.start]
                    nxt = [k for _, k in kc if k.start > it.start]
                    assigned[id(prev[-1] if prev else nxt[0])].append(it)
                else:
                    common.append(it)
        regimen = self.regimen.get(d.k)
        recs = []
        for key, grp in keys:
            dose_list = grp if key.type != "FREQUENCY" else shared_dose
            attrs = sorted(common + assigned[id(key)] + ([key] if key.type == "FREQUENCY" else []),
                           key=lambda it: it.start)
            for dose in (dose_list or [None]):
                unit = unit_of.get(dose.k) if dose is not None else None
                if unit is None:
                    lone = [it for it in attrs if it.type == "UNIT" and it.k not in paired]
                    unit = lone[0] if lone and dose is None else None
                first = lambda t: next((it.e["id"] for it in attrs if it.type == t), None)
                rec = {"drug": d.e["id"], "dose": dose.e["id"] if dose is not None else None,
                       "unit": unit.e["id"] if unit is not None else None,
                       "frequency": first("FREQUENCY"), "route": first("ROUTE"),
                       "days": _uniq(it.e["id"] for it in attrs if it.type == "DAY"),
                       "dates": _uniq(it.e["id"] for it in attrs if it.type == "DATE"),
                       "regimen": regimen.e["id"] if regimen is not None else None}
                if any(rec[k] for k in ("dose", "unit", "frequency", "route", "days", "dates", "regimen")):
                    recs.append(rec)
        return recs


def _uniq(xs) -> list:
    out = []
    for x in xs:
        if x not in out:
            out.append(x)
    return out


def _spacy_doc(doc: Document):
    sd = getattr(doc, "spacy_doc", None)
    if sd is not None and sd.text == doc.text and sd.has_annotation("SENT_START"):
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
    for t0, t1 in sentence_units(sdoc):
        a = sdoc[t0].idx
        b = sdoc[t1 - 1].idx + len(sdoc[t1 - 1].text)
        while j < len(ents) and ents[j]["start"] < a:
            j += 1
        k = j
        while k < len(ents) and ents[k]["start"] < b:
            k += 1
        sent_ents = ents[j:k]
        j = k
        if not any(e["type"] == "DRUG" for e in sent_ents):
            continue
        for rec in _Linker(Sentence(sdoc, t0, t1, sent_ents)).records():
            start = next(e["start"] for e in sent_ents if e["id"] == rec["drug"])
            rec["case"] = cases.case_at(start, sdoc.text[a:b])
            records.append(rec)
    doc.records = [{"id": f"R{i}", **r} for i, r in enumerate(records, 1)]
    return doc
