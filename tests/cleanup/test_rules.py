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


# one set of furniture / front-matter rows for both paths (patterns/text/furniture.jsonl)
def test_one_furniture_set_for_both_paths():
    from pipeline.cleanup.matter import kept_as, label_kind
    # the same row decides a PDF block and a text line
    for line, kind in [("Downloaded from https://academic.oup.com", "stamp"), ("Page 3 of 9", "journal"),
                       ("Frontiers in Oncology 12", "journal"), ("10.3389/fonc.2026.123456", "journal"),
                       ("BMC Cancer (2016) 16:123 Page 2 of 9", "journal"), ("Case Report", "type"),
                       ("Check for updates", "type"), ("Edited by: A. Person", "front"),
                       ("KEYWORDS", "front"), ("Academic Editor: B. Person", "front")]:
        assert furniture_kind(line) == kind, line
    # kept as back matter when it leaves the text, on both paths
    assert kept_as("*Correspondence: a@b.org") == "correspondence"
    assert kept_as("Corresponding author: C. Person") == "correspondence"
    assert kept_as("Copyright © 2016 A. Person et al.") == "licence"
    assert kept_as("This is an open access article distributed under ...") == "licence"
    assert kept_as("E-mail: a@b.org") is None and kept_as("Received 3 May 2019") is None


def test_labels_of_wrapped_text_never_start_a_sentence_continuation():
    from pipeline.cleanup.matter import label_kind
    assert label_kind("Received 12 March 2016; Accepted 3 May 2016") == "front"
    assert label_kind("KEYWORDS") == "front" and label_kind("Case Report") == "type"
    # a wrapped body line in lowercase continues a sentence, whatever it says
    assert label_kind("received chemotherapy in March 2019 and") is None
    assert label_kind("keywords were searched in PubMed") is None
    # affiliation rows are for the front region only: a wrapped body line may start "Department of"
    assert furniture_kind("Department of Haematology, X Hospital") == "front"
    assert label_kind("Department of Haematology on day 3 and") is None
    assert label_kind("The patient was admitted in 2019") is None


def test_affiliation_words_are_one_list():
    from pipeline.cleanup.front import front_matter
    from pipeline.cleanup.matter import affiliation_words
    from pipeline.cleanup.reflow import split_lines
    assert {"Department", "Hospital", "Service", "Universität"} <= set(affiliation_words())
    # the PDF row built from the list: a marked line that starts with any of the words
    assert furniture_kind("3Service des Laboratoires, Centre Hospitalier National") == "front"
    assert furniture_kind("3 services were offered") is None  # a word, not a prefix of one
    # the text path reads the same list in the front region
    text = ("A case of something rare\n\nAnna Smith1, Bo Chen2\n1Service de Chirurgie, Hôpital X\n"
            "2Clinic of Surgery, Y\n\nAbstract. The patient was well.")
    lines = split_lines(text)
    title, authors, front = front_matter(lines)
    assert authors == ["Anna Smith", "Bo Chen"]
    assert [lines[i].text[:9] for i in front] == ["Anna Smit", "1Service ", "2Clinic o"]
