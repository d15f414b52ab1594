"""The structure of one sentence that the linking steps read: items, tokens, parentheses, cues.

``Sentence`` holds the recognised entities of one sentence of the shared segmentation
(:func:`pipeline.nlp.sentence_units`) as ``Item`` objects, the spaCy tokens, and the parenthesis
groups over the tokens (parentheses inside an entity span do not count). A group's ``head`` is the
item right before its "(" ("fludarabine (FLU)", "FC regimen (fludarabine ...)"). ``cues`` loads
the cue words and token patterns of ``patterns/link/cues.jsonl``; ``matcher`` compiles the token
patterns once per vocabulary (``spacy.matcher.Matcher``).
"""
from __future__ import annotations

import bisect

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..resources import load_jsonl

ATTRS = ("DOSE", "UNIT", "FREQUENCY", "ROUTE", "DAY", "DATE")
TEMPORAL = ("DAY", "DATE")
OPEN, CLOSE = "([", ")]"


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
def matcher(vocab):
    from spacy.matcher import Matcher
    m = Matcher(vocab)
    c = cues()
    for kind in ("clause_break", "stop_before", "level_before", "nonadmin_before", "planned_before"):
        m.add(kind, c.get(kind, []))
    return m



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
        # token offsets once, so the look-ups below bisect instead of scanning the sentence
        self.tok_starts = [t.idx for t in self.toks]
        self.tok_ends = [t.idx + len(t.text) for t in self.toks]  # strictly increasing
        self.tok_space = [t.is_space for t in self.toks]
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
        """The groups of the token holding ``char`` or, in a gap, of the next token."""
        k = bisect.bisect_right(self.tok_ends, char)
        return self.tok_groups[k] if k < len(self.toks) else ()

    def tokens_between(self, a: int, b: int, skip_groups=frozenset()):
        """The tokens inside ``[a, b)`` that are not whitespace nor in ``skip_groups``."""
        lo = bisect.bisect_left(self.tok_starts, a)
        hi = bisect.bisect_right(self.tok_ends, b)
        return [self.toks[k] for k in range(lo, hi)
                if not self.tok_space[k] and not (skip_groups and set(self.tok_groups[k]) & skip_groups)]

    def words(self, a: int, b: int, skip_groups=frozenset()) -> set:
        return {t.lower_ for t in self.tokens_between(a, b, skip_groups)}

    def tok_index(self, char: int) -> int:
        """Sentence-relative index of the token holding (or following) ``char``."""
        return bisect.bisect_right(self.tok_ends, char)
