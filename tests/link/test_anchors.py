"""Day->date anchoring (pipeline.link.anchors): explicit ties only, scoped to their paragraph."""
import pytest

from pipeline.datasets.export import from_brat, record_rows, to_brat, to_dict, validate
from pipeline.link.anchors import derive_dates, find_anchors
from pipeline.run import run_text


def _derived(text):
    obj = to_dict(run_text(text))
    validate(obj)
    ents = {e["id"]: e for e in obj["entities"]}
    out = {}
    for r in obj["records"]:
        for d in r.get("derived_dates", []):
            out.setdefault(ents[r["drug"]]["norm"], set()).add((d["value"], d["date"]))
    return obj, out


@pytest.mark.parametrize("text, drug, expect", [
    # date (day)
    ("Lymphodepletion with fludarabine 30 mg/m2 on days -4 to -2 was started on May 27 2021 (day -4).",
     "fludarabine", {(-4, "2021-05-27"), (-3, "2021-05-28"), (-2, "2021-05-29")}),
    # day (date)
    ("Tocilizumab 8 mg/kg was given intravenously on day +8 (June 4, 2021).",
     "tocilizumab", {(8, "2021-06-04")}),
    # date, day apposition
    ("On 3 March 2020, day 0, the patient received cyclophosphamide 500 mg/m2 intravenously.",
     "cyclophosphamide", {(0, "2020-03-03")}),
    # day was date
    ("Day 0 was 27 May 2021. Cyclophosphamide 500 mg/m2 was given on days -3 to -2.",
     "cyclophosphamide", {(-3, "2021-05-24"), (-2, "2021-05-25")}),
])
def test_explicit_tie_anchors(text, drug, expect):
    obj, derived = _derived(text)
    assert derived.get(drug) == expect
    rec = next(r for r in obj["records"] if r.get("derived_dates"))
    d = rec["derived_dates"][0]
    types = {e["id"]: e["type"] for e in obj["entities"]}
    assert types[d["anchor"]] == "DATE" and types[d["anchor_day"]] == "DAY" and types[d["day"]] == "DAY"


def test_anchor_reaches_other_days_of_its_paragraph():
    text = ("The patient received fludarabine 30 mg/m2 on days -4 to -2. CAR T cells were infused on "
            "May 27 2021 (day 0). Tocilizumab 8 mg/kg was given on day +8.")
    _, derived = _derived(text)
    assert derived["fludarabine"] == {(-4, "2021-05-23"), (-3, "2021-05-24"), (-2, "2021-05-25")}
    assert derived["tocilizumab"] == {(8, "2021-06-04")}


@pytest.mark.parametrize("text", [
    # a date and a day in one sentence, not tied
    "She was admitted on May 2, 2021, and on day 8 received cyclophosphamide 500 mg/m2 intravenously.",
    "On 3 March 2020, day 8 of the first cycle, cyclophosphamide 500 mg/m2 was given.",
    "Cyclophosphamide 500 mg/m2 was given on day 3; the fever resolved on June 4, 2021.",
    # a partial date is no anchor
    "Tocilizumab 8 mg/kg was given on day +8 (June 2021).",
    # no date at all
    "Tocilizumab 8 mg/kg was given on day +8 and day +14.",
])
def test_no_tie_keeps_relative_days(text):
    obj, derived = _derived(text)
    assert derived == {}
    assert any(r["days"] for r in obj["records"])


def test_scope_stops_at_another_date_and_paragraph():
    text = ("Fludarabine 30 mg/m2 was started on May 27 2021 (day -4). A second infusion of CAR T cells "
            "followed on June 21 2021 and dexamethasone 10 mg was given on day 2.\n\n"
            "Tocilizumab 8 mg/kg was given on day +8.")
    _, derived = _derived(text)
    assert derived == {"fludarabine": {(-4, "2021-05-27")}}


def test_day_date_apposition():
    # "on day 0, 3 March 2020" (the recognizer does not yet take "day 0" before a comma and a
    # number as a DAY, so the tie is checked on entities given directly)
    text = "infused on day 0, 3 March 2020, after"
    a, b = text.index("day 0"), text.index("3 March")
    ents = [{"id": "T1", "type": "DAY", "start": a, "end": a + 5, "norm": [0]},
            {"id": "T2", "type": "DATE", "start": b, "end": b + 12, "norm": "2020-03-03"}]
    assert [(x["date"], x["day"]) for x in find_anchors(text, ents)] == [("T2", "T1")]
    assert find_anchors(text.replace(", 3 March", "; 3 March"), ents) == []


def test_find_anchors_needs_single_day_and_full_date():
    text = "x on May 27 2021 (days -4 to -2) and 2021-05-27 (day 0)"
    ents = [{"id": "T1", "type": "DATE", "start": 5, "end": 16, "norm": "2021-05-27"},
            {"id": "T2", "type": "DAY", "start": 18, "end": 31, "norm": [-4, -3, -2]},
            {"id": "T3", "type": "DATE", "start": 37, "end": 47, "norm": "2021-05-27"},
            {"id": "T4", "type": "DAY", "start": 49, "end": 54, "norm": [0]}]
    assert text[49:54] == "day 0"
    anchors = find_anchors(text, ents)
    assert [(a["date"], a["day"]) for a in anchors] == [("T3", "T4")]


def test_derived_dates_in_exports():
    obj, _ = _derived("Tocilizumab 8 mg/kg was given intravenously on day +8 (June 4, 2021).")
    row = next(r for r in record_rows(obj) if r["derived_dates"])
    assert row["derived_dates"] == '["2021-06-04"]' and row["derived_anchors"].startswith("T")
    back = from_brat(*to_brat(obj))
    assert [r.get("derived_dates") for r in back["records"]] == [r.get("derived_dates") for r in obj["records"]]


def test_document_without_records_untouched():
    from pipeline.document import Document
    doc = Document(raw="on day 0 (May 27 2021)")
    assert derive_dates(doc).records == []
