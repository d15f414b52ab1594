"""The record error classifier: each class from a small hand-made case, and its negatives."""
from __future__ import annotations

from pipeline.evaluate.records import CLASSES, classify_records, pool


def rec(drug, dose=None, unit=None, route=None, days=(), case="1", **kw):
    return {"drug": drug, "dose": dose, "unit": unit, "frequency": kw.get("frequency"),
            "route": route, "days": list(days), "dates": [], "regimen": None, "case": case}


GOLD = [rec("G1", "G2", "G3", "G4"), rec("G5", "G6", "G7")]
IDS = {"P1": "G1", "P2": "G2", "P3": "G3", "P4": "G4", "P5": "G5", "P6": "G6", "P7": "G7"}


def counts(pred, gold=GOLD, lm=IDS):
    return classify_records(pred, gold, lm)["counts"]


def only(cls, n=1):
    return {c: (n if c == cls else 0) for c in CLASSES}


def test_exact_records_are_no_miss():
    assert counts([rec("P1", "P2", "P3", "P4"), rec("P5", "P6", "P7")]) == only(None)


def test_missing_attribute_and_its_slot():
    r = classify_records([rec("P1", "P2", "P3"), rec("P5", "P6", "P7")], GOLD, IDS)
    assert r["counts"] == only("missing attribute")
    assert r["slots"] == {"missing attribute: route": 1}


def test_wrong_value_counts_as_missing_attribute():
    r = classify_records([rec("P1", "P2", "P3", "P9"), rec("P5", "P6", "P7")], GOLD, IDS)
    assert r["counts"] == only("missing attribute")


def test_extra_attribute():
    r = classify_records([rec("P1", "P2", "P3", "P4", days=["P8"]), rec("P5", "P6", "P7")],
                         GOLD, {**IDS, "P8": "G8"})
    assert r["counts"] == only("extra attribute")
    assert r["slots"] == {"extra attribute: days": 1}


def test_wrong_case():
    assert counts([rec("P1", "P2", "P3", "P4", case="2"), rec("P5", "P6", "P7")]) == only("wrong case")


def test_wrong_drug_pairs_by_shared_attribute():
    # the dose and unit of the second gold record given to an unmatched drug mention
    assert counts([rec("P1", "P2", "P3", "P4"), rec("P9", "P6", "P7")]) == only("wrong drug")


def test_missed_and_spurious_records():
    assert counts([rec("P1", "P2", "P3", "P4")]) == only("missed record")
    c = counts([rec("P1", "P2", "P3", "P4"), rec("P5", "P6", "P7"), rec("P9", "P10")])
    assert c == only("spurious record")


def test_unrelated_record_is_not_wrong_drug():
    # nothing shared with the gold record left over: one missed, one spurious
    c = counts([rec("P1", "P2", "P3", "P4"), rec("P9", "P10", "P11")])
    assert c["missed record"] == 1 and c["spurious record"] == 1 and c["wrong drug"] == 0


def test_pairing_prefers_the_closest_record_of_a_drug():
    gold = [rec("G1", "G2", "G3"), rec("G1", "G4", "G3")]  # one drug mention, two doses
    pred = [rec("P1", "P4", "P3", "P9"), rec("P1", "P2", "P3")]
    r = classify_records(pred, gold, {**IDS, "P9": "G9"})
    assert r["counts"] == only("extra attribute")


def test_pool_adds_counts():
    a = classify_records([rec("P1", "P2", "P3")], GOLD, IDS)
    p = pool([a, a])
    assert p["counts"]["missing attribute"] == 2 and p["counts"]["missed record"] == 2


def test_evaluate_reports_record_errors():
    from pipeline.evaluate.score import evaluate, tables
    text = "Cyclophosphamide 500 mg iv."
    ents = [{"id": "T1", "type": "DRUG", "start": 0, "end": 16, "text": "Cyclophosphamide"},
            {"id": "T2", "type": "DOSE", "start": 17, "end": 20, "text": "500"},
            {"id": "T3", "type": "UNIT", "start": 21, "end": 23, "text": "mg"},
            {"id": "T4", "type": "ROUTE", "start": 24, "end": 26, "text": "iv"}]
    gold = {"text": text, "entities": ents, "records": [rec("T1", "T2", "T3", "T4")]}
    pred = {"text": text, "entities": ents, "records": [rec("T1", "T2", "T3")]}
    r = evaluate(pred, gold)
    assert r["record_errors"]["counts"] == only("missing attribute")
    assert r["record_errors"]["items"][0]["gold"]["route"] == "iv"
    assert "Record misses by class: missing attribute 1" in tables(r)
    assert "Record misses" not in tables(evaluate(gold, gold))


def rel_counts(gold, pred, found):
    from pipeline.evaluate.records import classify_relations
    return {k: v for k, v in classify_relations(gold, pred, found).items() if v}


G_REL = [{"type": "D->R", "drugs": {"G1"}, "attr": "G2"}]


def test_relation_found_is_no_miss():
    assert rel_counts(G_REL, {("D->R", "G1", "G2")}, {"G1", "G2"}) == {}


def test_relation_attribute_or_drug_not_found():
    assert rel_counts(G_REL, set(), {"G1"}) == {"attribute not found": 1}
    assert rel_counts(G_REL, set(), {"G2"}) == {"drug not found": 1}
    assert rel_counts(G_REL, set(), set()) == {"attribute not found": 1}


def test_relation_wrong_drug_and_missing_attribute():
    assert rel_counts(G_REL, {("D->R", "G3", "G2")}, {"G1", "G2", "G3"}) == {"wrong drug": 1}
    assert rel_counts(G_REL, {("D->R", "p:P9", "G2")}, {"G1", "G2"}) == {"wrong drug": 1}
    assert rel_counts(G_REL, set(), {"G1", "G2"}) == {"missing attribute": 1}
    # another relation type on the same attribute is not this one (and is itself extra)
    assert rel_counts(G_REL, {("D->X", "G3", "G2")}, {"G1", "G2", "G3"}) == {
        "missing attribute": 1, "extra attribute": 1}


def test_any_drug_of_an_ambiguous_treatment_counts():
    gold = [{"type": "D->R", "drugs": {"G1", "G3"}, "attr": "G2"}]
    assert rel_counts(gold, {("D->R", "G3", "G2")}, {"G1", "G2", "G3"}) == {}


def test_extra_attribute_only_between_found_gold_entities():
    pred = {("D->R", "G1", "G2"), ("D->R", "G1", "G4")}
    assert rel_counts(G_REL, pred, {"G1", "G2", "G4"}) == {"extra attribute": 1}
    # an attribute no gold span holds is an entity false positive, not a relation class
    assert rel_counts(G_REL, {("D->R", "G1", "G2"), ("D->R", "G1", "p:P4")}, {"G1", "G2"}) == {}
