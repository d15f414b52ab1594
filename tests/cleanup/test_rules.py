"""The text rules both paths share: one character table, one line-end hyphen decision, one list
of back-matter kinds (issue 11)."""
from __future__ import annotations

from pipeline.cleanup.chars import char_edits, in_context, normalise
from pipeline.cleanup.hyphens import dehyphenate
from pipeline.cleanup.matter import back_matter_kind, furniture_kind
from pipeline.cleanup.words import Vocab
from pipeline.document import Document


def _apply(text):
    d = Document(raw=text)
    d.replace(char_edits(text))
    return d.text


def test_character_table_same_decision_on_both_paths():
    # ligatures and math letters: context-free, the same for a glyph and for typed text
    for src, out in [("\ufb01", "fi"), ("\U0001d45d", "p"), ("\uff21", "A")]:
        assert normalise(src, drawn=True) == out and _apply(src) == out
    # µ only before a unit: decided in context on both paths
    assert _apply("10 \u03bcg/kg") == "10 \u00b5g/kg" and in_context("10 \u03bcg", 3) == "\u00b5"
    assert _apply("\u03bc-opioid") == "\u03bc-opioid" and in_context("a\u03bcg", 1) is None
    assert normalise("\u03bc", drawn=True) == "\u03bc"  # left for the line's context decision


def test_drawn_glyph_meaning_differs_only_where_the_table_says():
    assert normalise("\u00ad", drawn=True) == "-" and _apply("treat\u00adment") == "treatment"
    assert normalise("\u2010", drawn=True) == "-" and _apply("colony\u2010stimulating") == "colony\u2010stimulating"
    assert normalise("m\u00b2") == "m\u00b2"  # ² is no compatibility mapping here


def test_one_dehyphenation_rule():
    v = Vocab("")
    joined = [("treat", "ment"), ("thrombocyto", "penia"), ("under", "going"), ("pati", "ents")]
    kept = [("follow", "up"), ("T", "cell"), ("anti", "CD7"), ("IL", "18"), ("ganciclovir", "related"),
            ("Anti", "thymocyte"), ("graft-versus", "host"), ("long", "term"), ("x", "ray")]
    for a, b in joined:
        assert dehyphenate(a, b, v), (a, b)
    for a, b in kept:
        assert not dehyphenate(a, b, v), (a, b)
    # the document's own spelling wins both ways
    assert not dehyphenate("dose", "finding", Vocab("a dose-finding study"))
    assert dehyphenate("pegaspar", "gase", Vocab("pegaspargase was given"))


def test_one_list_of_back_matter_kinds():
    for heading, kind in [("References", "references"), ("4. Conflict of Interests", "competing_interests"),
                          ("Authors’ contributions", "author_contributions"), ("Sources of support", "funding"),
                          ("Availability of data and materials", "data_availability"),
                          ("Data availability statement", "data_availability"), ("Acknowledgments", "acknowledgements")]:
        assert back_matter_kind(heading) == kind, heading
    for heading in ("Discussion", "Case Presentation", "Reference values", "Funding of the hospital ward"):
        assert back_matter_kind(heading) is None, heading
    assert furniture_kind("Received 12 March 2016; Accepted 3 May 2016") == "front"
    assert furniture_kind("The patient received 12 mg") is None


def test_text_path_uses_the_same_kinds():
    from pipeline.cleanup.reflow import _split_back_matter, split_lines
    text = "Intro\n\nAuthors' contributions\n\nAB wrote it."
    lines = split_lines(text)
    blocks = [{"kind": "heading", "lines": [lines[1]]}, {"kind": "paragraph", "lines": [lines[2]]}]
    info = {"back_matter": []}
    _split_back_matter(blocks, lines, info)
    assert [b["kind"] for b in info["back_matter"]] == ["author_contributions"]
