"""The linear replacements of quadratic steps give exactly what they replace.

``ParenthesisMatches`` stands in for scispacy's ``"(" any+ ")"`` Matcher; ``doseline_sentences``
writes its starts with one ``Doc.from_array``."""
from __future__ import annotations

import pytest
from spacy.matcher import Matcher

from pipeline.nlp import base_nlp, sentences
from pipeline.recognize.abbreviation import MAX_INNER, ParenthesisMatches
from tests.conftest import GOLD, REPORT

TEXTS = [
    "a ( b ( c ) d ( e ) f ) g ( h ) ( ) ( ( ) )",
    "Tumor necrosis factor (TNF) and interleukin-6 (IL-6) rose (see Table 1 (right)).",
    "(x) starts the text ( and never closes",
    "one ) two ( three ( four ) five ) six ) seven (",
    "drug (" + " w" * (MAX_INNER + 3) + " ) and ( one two )",
]


def _scispacy(doc):
    m = Matcher(doc.vocab)
    m.add("parenthesis", [[{"ORTH": "("}, {"OP": "+"}, {"ORTH": ")"}]])
    # scispacy's filter_matches keeps spans of at most MAX_INNER tokens inside the brackets
    return [(s, e) for _, s, e in m(doc) if (e - 1) - (s + 1) <= MAX_INNER]


@pytest.mark.parametrize("text", TEXTS)
def test_parenthesis_matches_equal_the_matcher(text):
    doc = base_nlp().make_doc(text)
    assert [(s, e) for _, s, e in ParenthesisMatches(doc.vocab)(doc)] == _scispacy(doc)


def test_parenthesis_matches_on_the_report():
    doc = base_nlp().make_doc((GOLD / REPORT / "source.txt").read_text())
    got = [(s, e) for _, s, e in ParenthesisMatches(doc.vocab)(doc)]
    assert got == _scispacy(doc) and len(got) > 50


def test_no_parentheses_no_matches():
    doc = base_nlp().make_doc("Cyclophosphamide 500 mg/m2 was given on day 1.")
    assert ParenthesisMatches(doc.vocab)(doc) == []


def test_sentence_starts_set_on_every_token():
    doc = sentences("He got 5 mg i.v. daily. Then (see Fig. 2. above) it stopped.\nNext line")
    assert [s.text for s in doc.sents] == ["He got 5 mg i.v. daily.",
                                           "Then (see Fig. 2. above) it stopped.\n", "Next line"]
    assert all(t.is_sent_start in (True, False) for t in doc)


# --- LeftBounded: (?<!edge)core found by searching core -----------------------------------------
from pipeline.recognize.administration import frequency_rules, route_rules  # noqa: E402
from pipeline.recognize.regimens import regimen_rules  # noqa: E402
from pipeline.recognize.scan import LeftBounded  # noqa: E402

EDGE_TEXTS = ["xIV IV -IV .IV iv. IV/day", "Hyper-CVAD A, R-CHOP+R R-CHOP xR-CHOP",
              "aaa aa a", "given orally twice daily, p.o. q12h, 3 times a day; every 2 weeks",
              "", "IV"]


def _spans(it):
    return [(m.span(), m.groups(), m.groupdict()) for m in it]


@pytest.mark.parametrize("edge,core,flags,text", [
    (r"\w", "aa", 0, "aaa aa a"),  # the candidate inside a word fails; the search resumes at +1
    (r"[\w.]", r"(?:iv)(?![\w])", 2, "xIV IV .iv"),
    (r"\w", "a", 0, "ba a"),
    (r"\w", r"x?", 0, "x y"),  # empty matches: the reference pattern decides
])
def test_left_bounded_equals_the_lookbehind_pattern(edge, core, flags, text):
    lb = LeftBounded(edge, core, flags)
    assert _spans(lb.finditer(text)) == _spans(lb.full.finditer(text))


def test_left_bounded_finds_nothing_inside_words():
    assert [m.group() for m in LeftBounded(r"\w", "IV").finditer("xIV IV")] == ["IV"]


def test_rule_patterns_equal_their_lookbehind_form_on_the_report():
    text = (GOLD / REPORT / "source.txt").read_text()
    rules = [r[0] for r in regimen_rules() + route_rules() + frequency_rules()]
    n = 0
    for t in EDGE_TEXTS + [text]:
        for rx in rules:
            got = _spans(rx.finditer(t))
            assert got == _spans(rx.full.finditer(t)), rx.pattern
            n += len(got)
    assert n > 50


def test_rule_families_equal_each_rule_alone():
    from pipeline.recognize.administration import rule_family
    from pipeline.recognize.scan import RuleFamily
    text = (GOLD / REPORT / "source.txt").read_text()
    for rules in (route_rules(), frequency_rules()):
        fam = rule_family(rules)
        assert fam.scan is not None
        for t in EDGE_TEXTS + [text]:
            at = fam.positions(t)
            for r in rules:
                assert _spans(RuleFamily.finditer(r[0], t, at)) == _spans(r[0].full.finditer(t))


def test_rule_family_without_scan_falls_back_to_each_rule():
    from pipeline.recognize.scan import RuleFamily
    rx = LeftBounded(r"\w", r"(a)\1")  # a back-reference: no combined scan
    fam = RuleFamily([rx], r"\w")
    assert fam.scan is None and fam.positions("aa xaa") is None
    assert [m.span() for m in RuleFamily.finditer(rx, "aa xaa", None)] == [(0, 2)]


def test_short_form_matches_equal_the_matcher():
    from pipeline.recognize.abbreviation import ShortFormMatches
    doc = base_nlp().make_doc((GOLD / REPORT / "source.txt").read_text() + " IL - 6 IL-6 CAR T CAR")
    forms = {"CAR T": ["CAR", "T"], "interleukin": ["IL-6"], "cytokine release": ["CRS"],
             "absent": ["ZZZQ"], "split": ["IL", "-", "6"]}
    ours, ref = ShortFormMatches(doc.vocab), Matcher(doc.vocab)
    for key, toks in forms.items():
        for m in (ours, ref):
            m.add(key, [[{"ORTH": t} for t in toks]])
    got = sorted(ours(doc))
    assert got == sorted(ref(doc)) and len(got) > 5
    for key in forms:
        ours.remove(key)
    assert ours(doc) == [] and len(ours) == 0


def test_resolve_keeps_what_the_pairwise_overlap_scan_kept():
    import random
    from pipeline.recognize.entities import PRIORITY
    from pipeline.recognize.resolve import resolve

    def pairwise(cands):  # the former implementation: each candidate against all kept spans
        order = sorted(cands, key=lambda c: (-(c["end"] - c["start"]), PRIORITY[c["type"]], c["start"]))
        taken, out = [], []
        for c in order:
            if not any(a < c["end"] and c["start"] < b for a, b in taken):
                taken.append((c["start"], c["end"]))
                out.append(c)
        return sorted(out, key=lambda c: (c["start"], c["end"]))

    rng = random.Random(7)
    for _ in range(200):
        cands = []
        for _ in range(rng.randint(0, 40)):
            s = rng.randint(0, 120)
            cands.append({"start": s, "end": s + rng.randint(1, 15), "type": rng.choice(sorted(PRIORITY))})
        assert resolve(cands, PRIORITY) == pairwise(cands)
