"""Letter-spaced capitals rejoined: "R E F E R E N C E S" -> "REFERENCES", "F I G U R E 1 2" -> "FIGURE 12".

Journals set headings and float labels in tracked (letter-spaced) capitals. Every gap between
two letters is then wider than the word-space threshold of :mod:`.lines` (``space_gap`` em), so
each letter comes out as a word and the heading is not recognised (back matter stays in the
body, the caption label is missed). Tracking is uniform: it adds the same amount after every
letter, so inside a run of tracked capitals the letter gaps form one tight cluster at the bottom
and the word gaps sit a whole word space (>= 0.2 em) above it. This is the interword/intercharacter
gap clustering of classic OCR word segmentation (e.g. Kahan, Pavlidis & Baird 1987; the
docstrum's two gap modes, O'Gorman 1993), applied only where the evidence is strong:

- a run of at least 4 one-letter tokens that are capitals (tracked lower case is rare and
  "a b c d" option lists are not tracking), extended by short capital or digit tokens between
  them (kerned pairs such as "TA" stay joined inside a tracked word: "S TAT E M E N T");
- the smallest gap of the run is below a normal word space (``max_letter_gap`` em);
- a gap is a letter gap when it is within ``word_gap_rise`` em of the run's smallest gap.

It works on the rendered pieces of one line (``(text, box)``, box ``None`` for inserted spaces),
so the character boxes and the offset map stay as they are.
"""
from __future__ import annotations

import re

MAX_LETTER_GAP = 0.22  # em: tracking gaps are 0.05-0.2 em; a justified word space rarely falls below
WORD_GAP_RISE = 0.2  # em: a word gap in tracked text is a letter gap plus a word space (>= 0.25 em)
MIN_RUN = 4  # one-letter capital tokens in a run

_HINT = re.compile(r"(?:(?<!\S)[A-Z] ){3}[A-Z](?!\S)")  # cheap filter: 4 single capitals in a row


def _token_ok(t: str) -> bool:
    return len(t) <= 3 and t.isalnum() and (t.isupper() or t.isdigit())


def rejoin(pieces: list, size: float) -> list:
    """``pieces`` of one rendered line with the inserted spaces inside tracked capitals removed.
    Returns the same list object when nothing changes."""
    text = "".join([t for t, _ in pieces])
    if not _HINT.search(text) or size <= 0:
        return pieces
    # tokens: (first piece index, last piece index, text); spaces: index of the inserted " "
    toks, spaces, cur = [], [], None
    for i, (t, b) in enumerate(pieces):
        if t == " " and b is None:
            if cur is not None:
                toks.append(cur)
                cur = None
            spaces.append(i)
            continue
        if cur is None:
            cur = [i, i, t]
        else:
            cur[1], cur[2] = i, cur[2] + t
    if cur is not None:
        toks.append(cur)
    drop = set()
    k = 0
    while k < len(toks):
        if not _token_ok(toks[k][2]):
            k += 1
            continue
        j = k
        while j + 1 < len(toks) and _token_ok(toks[j + 1][2]) and toks[j + 1][0] - toks[j][1] == 2:
            j += 1  # the next token follows after exactly one inserted space
        run = toks[k:j + 1]
        k = j + 1
        if sum(len(t[2]) == 1 and t[2].isalpha() for t in run) < MIN_RUN:
            continue
        gaps = []
        for a, b in zip(run, run[1:]):
            ba, bb = pieces[a[1]][1], pieces[b[0]][1]
            gaps.append(((bb[1] - ba[3]) / size, a[1] + 1))
        g0 = min(g for g, _ in gaps)
        if g0 > MAX_LETTER_GAP:
            continue
        letter = [i for g, i in gaps if g < g0 + WORD_GAP_RISE]
        if len(letter) >= MIN_RUN - 1:
            drop.update(letter)
    if not drop:
        return pieces
    return [p for i, p in enumerate(pieces) if i not in drop]
