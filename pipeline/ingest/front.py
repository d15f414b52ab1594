"""Flattened blocks -> the article text: front matter (title, authors, metadata) out of page 1,
furniture paragraphs dropped, back-matter sections moved to ``back_matter`` (one list of kinds,
``patterns/text/back_matter.jsonl``), each kept character with its page and box."""
from __future__ import annotations

import re
from collections import Counter

from ..cleanup.matter import affiliation_words, back_matter_kind, compiled, furniture_kind, kept_as
from ..document import Document
from ..errors import InputError


DOI_RE = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+[^\s\"<>.,;)\]])")


YEAR_RE = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")


SECTION_RE = re.compile(r"^((\d+(\.\d+)*|[IVX]+)\.?\s+[A-Z]|(introduction|background|case (report|presentation|"
                        r"description|history)|methods?|materials and methods|results|discussion)\b)", re.I)


def _empty_meta() -> dict:
    return {"title": None, "authors": [], "journal": None, "year": None, "doi": None}


def finish(flat, body, page1_lines, page1_meta, pages) -> Document:
    """``flat``: (kind, pieces, page, block) in reading order -> the Document."""
    # front matter on page 1: title, authors, the blocks before the abstract
    meta = _empty_meta()
    back = []
    p1 = [i for i, f in enumerate(flat) if f[2] <= min(3, len(pages)) and f[0] in ("para", "heading")]
    title_i = None
    cands = [i for i in p1 if len(_txt(flat[i][1])) >= 20 and furniture_kind(_txt(flat[i][1])) is None]
    if cands:
        title_i = max(cands, key=lambda i: (round(flat[i][3].size), -flat[i][2], len(_txt(flat[i][1]))))
        if flat[title_i][3].size < body + 2:
            title_i = None
    drop = set()
    abstract_i = None
    if title_i is not None:
        meta["title"] = _txt(flat[title_i][1]).strip()
        for i in p1:
            if i < title_i:
                drop.add(i)
        tpage = flat[title_i][2]
        after = [i for i, f in enumerate(flat) if i > title_i and f[2] <= tpage + 2 and f[0] in ("para", "heading")]
        abs_h = [i for i in after if flat[i][0] == "heading" and re.match(r"^\W*abstract\W*$", _txt(flat[i][1]).strip(), re.I)]
        if abs_h:
            after = [i for i in after if i <= abs_h[0]]
        for n_i, i in enumerate(after):
            kind, pcs, _, blk = flat[i]
            t = _txt(pcs).strip()
            if kind == "heading" and SECTION_RE.match(t):  # the body starts (no abstract)
                abstract_i = i
                break
            if kind == "heading" and re.match(r"^abstract\b", t, re.I):
                drop.add(i)
                abstract_i = i
                break
            fk = furniture_kind(t)
            if kind == "heading" and n_i > 0 and fk is None and not abs_h and not _author_list(t):
                abstract_i = i  # a heading that is not a bold author list starts the body
                break
            if fk is None and kind == "para" and _abstract_like(t):
                abstract_i = i
                break
            if fk is None and not meta["authors"] and (n_i == 0 or _author_list(t)) and _names_like(t):
                meta["authors"] = _authors(t)
            if fk == "front" and kept_as(t):
                back.append({"kind": kept_as(t), "text": t, "page": 1})
            drop.add(i)
    # metadata from page-1 furniture
    joined1 = "\n".join(page1_lines)
    m = DOI_RE.search(joined1)
    if m:
        meta["doi"] = m.group(1)
    for k, v in page1_meta.items():
        meta[k] = meta[k] or v
    if meta["year"] is None:
        ys = [int(y) for y in YEAR_RE.findall(joined1)]
        if ys:
            meta["year"] = Counter(ys).most_common(1)[0][0]

    # body: furniture paragraphs out, back-matter sections out
    section_back = None
    after_affiliation = False  # the previous block was a page-1 affiliation block (dropped)
    parts, out_blocks, kept = [], [], []  # kept: flat indices of the paragraphs in the text
    pos = 0
    for i, (kind, pcs, page, blk) in enumerate(flat):
        if i in drop:
            continue
        t = _txt(pcs).strip()
        if not t:
            continue
        if kind in ("para", "footnote") and (_citation_line(t) or (page == 1 and _affiliation_block(t))):
            after_affiliation = page == 1 and not _citation_line(t)
            continue
        if after_affiliation and kind in ("para", "footnote") and not MARKER_RE.match(t) \
                and (kind == "footnote" or (blk is not None and blk.size <= body - 1)) and len(t) <= 200 \
                and not furniture_kind(t):
            continue  # the rest of a page-1 affiliation note cut into blocks ("Hindenburgdamm 30, Berlin")
        after_affiliation = False
        if kind == "footnote":
            tc = re.sub(r"^[\^\s*†‡§¶#\d,]+", "", t)
            if not any(ch.isalpha() for ch in tc):
                continue  # a lone footnote marker
            if re.search(r"creative ?commons|licen[cs]e[ds]? under|open access|^©|copyright", tc, re.I):
                back.append({"kind": "licence", "text": t, "page": page})
                continue
            if re.match(r"^(correspondence|corresponding author|e-?mail)", tc, re.I):
                back.append({"kind": "correspondence", "text": t, "page": page})
                continue
            if furniture_kind(tc) or furniture_kind(t):
                continue
        fk = furniture_kind(t) if kind in ("para", "heading") else None
        if fk in ("stamp", "journal", "type") and len(t) < 200:
            continue
        if fk == "front" and kind == "para" and (abstract_i is None or i < abstract_i + 3 or page == 1
                                                 or t.startswith("©")):  # a © line is never body text
            if kept_as(t):
                back.append({"kind": kept_as(t), "text": t, "page": page})
            continue
        if kind == "heading" or (kind == "para" and len(t) < 60 and not t.endswith(".")):
            bk = back_matter_kind(t)
            if bk:
                section_back = {"kind": bk, "text": "", "page": page, "heading": t}
                back.append(section_back)
                continue
            if section_back is not None and section_back["kind"] != "references" and kind == "heading":
                section_back = None
        if section_back is not None and kind in ("para", "heading", "equation"):
            section_back["text"] = (section_back["text"] + "\n" + t).strip()
            continue
        if parts:
            parts.append(("\n\n", None))
            pos += 2
        start = pos
        for p in pcs:
            if p[0]:
                parts.append(p)
                pos += len(p[0])
        end = pos
        if kind in ("heading", "caption", "table", "footnote"):
            out_blocks.append({"kind": kind, "raw_start": start, "raw_end": end})
        elif kind == "para":
            kept.append(i)
    if parts:
        parts.append(("\n", None))  # the text ends with a newline, like a text file
    raw = "".join(p[0] for p in parts)
    bx = []
    for t, b in parts:
        bx.extend([b] * len(t))
    for b in back:
        b.pop("heading", None)
    if not raw.strip():
        raise InputError("no text layer (scanned or image-only PDF); OCR it first")
    doc = Document(raw=raw, boxes=bx, metadata=meta, back_matter=back, blocks=out_blocks)
    doc.kept_paragraphs = kept  # for the layout report, not exported
    return doc


def _page1_meta(page1_lines) -> dict:
    """Journal and year from the page-1 furniture lines (patterns/ingest/metadata.jsonl)."""
    meta = {}
    for _, rx in compiled("ingest/metadata.jsonl"):
        for line in page1_lines:
            mm = rx.search(line.strip())
            if mm:
                gd = mm.groupdict()
                if gd.get("journal") and not meta.get("journal"):
                    meta["journal"] = gd["journal"].strip()
                if gd.get("year") and not meta.get("year"):
                    meta["year"] = int(gd["year"])
    return meta


def _txt(pcs) -> str:
    return "".join([t for t, _ in pcs])


def _abstract_like(t: str) -> bool:
    """Running sentences, not an author list or an affiliation."""
    words = [w for w in t.split() if w[:1].isalpha()]
    if len(words) < 10:
        return False
    lower = sum(w[0].islower() for w in words) / len(words)
    return lower >= 0.5 and t.count(",") / len(words) < 0.2


MARKER_RE = re.compile(r"^(\^[\w*†‡§]+(,[\w*†‡§]+)*|[*†‡§]+)\s*[^\W\d_]")  # "^1Cushing ...", "^a Department"


def _affiliation_block(t: str) -> bool:
    """An affiliation paragraph or footnote: it opens with an affiliation marker (a superscript
    digit or letter, or a symbol) and names an institution (an affiliation word of
    ``patterns/text/furniture.jsonl``, also inside a compound: "Universitätsmedizin"). Page 1 only:
    footnotes further on ("^a Values are ...") are not affiliations.
    "^1Charité – Universitätsmedizin Berlin, ..." yes; "^1 Rheumatology Department, ..." yes;
    "^1These authors contributed equally." no (no institution)."""
    if len(t) > 3000 or not MARKER_RE.match(t) or kept_as(t):  # "*Correspondence: ..." is kept as back matter
        return False
    return bool(_affiliation_re().search(t))


def _affiliation_re():
    global _AFF
    if _AFF is None:
        _AFF = re.compile(r"\b(" + "|".join(re.escape(w) for w in affiliation_words()) + ")", re.I)
    return _AFF


_AFF = None


CITATION_RE = re.compile(r"(https?://)?(dx\.)?doi\.org/10\.\d{4,}/\S+|\bdoi:?\s*10\.\d{4,}/\S+", re.I)


def _citation_line(t: str) -> bool:
    """The article's citation line, a paragraph of its own: journal, year, volume and DOI with no
    sentence around them ("npj Microgravity (2021) 7:1 ; https://doi.org/10.1038/..."). Eight
    words or fewer besides the DOI; a sentence that cites a DOI stays."""
    m = CITATION_RE.search(t)
    if not m or len(t) > 200:
        return False
    rest = (t[:m.start()] + " " + t[m.end():]).strip()
    return len(re.findall(r"[^\W\d_]{2,}", rest)) <= 8 and not rest.endswith(".")


def _author_list(t: str) -> bool:
    """A names line with affiliation markers or several commas (a bold author list is set like a
    heading): "Noura Biha,^1,2 S. M. Ghaber,^2,3 and Corinne Collet^5"."""
    return _names_like(t) and ("^" in t or t.count(",") >= 2) and not SECTION_RE.match(t)


def _names_like(t: str) -> bool:
    toks = [w for w in re.findall(r"[^\W\d_][\w’'.-]*", t) if w.lower() not in ("and", "et", "al", "de", "van", "von", "der")]
    return bool(toks) and len(t) < 600 and sum(w[0].isupper() for w in toks) / len(toks) >= 0.7


def _authors(t: str) -> list:
    t = re.sub(r"\^[\w*†‡§]+(?:,(?=\S)[\w*†‡§]+)*", "", t)
    t = re.sub(r"[\d*†‡§]+(?=,|\s|$)", "", t)
    names = re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*", t)
    return [re.sub(r"\s+", " ", n).strip(" ,") for n in names if len(n.strip()) > 2][:50]
