"""The review page without a browser: what it contains, gold marking, escaping, the timeline axis."""
import copy
import json
import re

import pytest

from pipeline.review.page import build, render
from pipeline.review.timeline import BrokenAxis, patient_timelines


def _doc(text, entities, records=(), fmt="text"):
    return {"schema": "doseline.document/1", "source": {"path": "x.txt", "sha256": None, "format": fmt, "pages": None},
            "metadata": {}, "text": text, "sections": [], "entities": list(entities), "records": list(records),
            "repairs": [], "back_matter": [], "abbreviations": []}


TEXT = "Fludarabine 30 mg/m2 on days -4 to -2 was started on May 27 2021 (day -4). Tocilizumab was given."


def _ent(i, typ, frag, norm, text=TEXT, nth=0):
    s = -1
    for _ in range(nth + 1):
        s = text.index(frag, s + 1)
    return {"id": f"T{i}", "type": typ, "start": s, "end": s + len(frag), "text": frag, "norm": norm}


ENTS = [_ent(1, "DRUG", "Fludarabine", "fludarabine"), _ent(2, "DOSE", "30", 30), _ent(3, "UNIT", "mg/m2", "mg/m2"),
        _ent(4, "DAY", "days -4 to -2", [-4, -3, -2]), _ent(5, "DATE", "May 27 2021", "2021-05-27"),
        _ent(6, "DAY", "day -4", [-4], nth=0), _ent(7, "DRUG", "Tocilizumab", "tocilizumab")]
ENTS[5] = {**ENTS[5], "start": TEXT.index("(day -4)") + 1, "end": TEXT.index("(day -4)") + 7}
RECS = [{"id": "R1", "drug": "T1", "dose": "T2", "unit": "T3", "frequency": None, "route": None, "days": ["T4"],
         "dates": ["T5"], "regimen": None, "case": "1",
         "derived_dates": [{"day": "T4", "value": n, "date": f"2021-05-{27 + k:02d}", "anchor": "T5", "anchor_day": "T6"}
                           for k, n in enumerate((-4, -3, -2))]},
        {"id": "R2", "drug": "T7", "dose": None, "unit": None, "frequency": None, "route": None, "days": [],
         "dates": [], "regimen": None, "case": "1"}]


def _data(page):
    m = re.search(r'<script type="application/json" id="data">(.*?)</script>', page, re.S)
    return json.loads(m.group(1))


def test_page_has_text_marks_records_and_timeline():
    page = render(_doc(TEXT, ENTS, RECS))
    assert page.count('<mark class="e') == len(ENTS)
    assert 'class="e t-DRUG" data-e="T1"' in page
    data = _data(page)
    assert [r["id"] for r in data["rows"]] == ["R1", "R2"]
    assert data["rows"][0]["derived"] == "2021-05-27 – 2021-05-29"
    assert data["ents"]["T2"]["norm"] == "30"
    assert page.count('<svg class="tl"') == 1  # the derived dates: one date panel, no day panel
    assert page.count('class="mk derived"') == 3 and ">d-4<" in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")  # nothing to fetch
    assert "<link rel=\"stylesheet\"" not in page and "src=" not in page


def test_relative_days_without_tie_get_a_day_panel():
    recs = copy.deepcopy(RECS)
    del recs[0]["derived_dates"]
    recs[0]["dates"] = []
    figs = patient_timelines(_doc(TEXT, ENTS, recs))
    assert len(figs) == 1 and figs[0].count("<svg") == 1 and "relative days" in figs[0]
    assert figs[0].count('class="mk day"') == 3 and "1 of 2 records have no day or date" in figs[0]


def test_gold_marks_fp_boundary_miss_and_records():
    gold = _doc(TEXT, ENTS, RECS[:1])
    pred_ents = [e for e in ENTS if e["id"] != "T3"]  # UNIT missed
    pred_ents = [dict(e, end=e["end"] - 1) if e["id"] == "T7" else e for e in pred_ents]  # boundary
    pred_ents.append({"id": "T9", "type": "DOSE", "start": TEXT.index("27"), "end": TEXT.index("27") + 2,
                      "text": "27", "norm": 27})  # false positive
    recs = copy.deepcopy(RECS)
    recs[0]["unit"] = None
    pred = _doc(TEXT, pred_ents, recs)
    data = build(pred, gold)
    st = {i: e["status"] for i, e in data["ents"].items()}
    assert st["T9"] == "fp" and st["T7"] == "bnd" and st["GT3"] == "miss" and st["T1"] == "ok"
    rows = {r["id"]: r["status"] for r in data["rows"]}
    assert rows == {"R1": "fp", "R2": "fp", "gold R1": "fn"}
    page = render(pred, gold)
    assert 'class="e t-UNIT miss" data-e="GT3"' in page and "fp" in page
    assert "<section id='scores'>" in page and "entities strict" in page


def test_gold_on_a_different_text_is_aligned():
    gold = _doc(TEXT, ENTS, RECS)
    shifted = "Case 1. " + TEXT
    ents = [dict(e, start=e["start"] + 8, end=e["end"] + 8) for e in ENTS if e["id"] != "T7"]
    data = build(_doc(shifted, ents, RECS[:1]), gold)
    assert all(data["ents"][e["id"]]["status"] == "ok" for e in ents)
    miss = next(s for s in data["spans"] if s["id"] == "GT7")
    assert shifted[miss["start"]:miss["end"]] == "Tocilizumab"  # mapped onto the prediction's text


def test_document_text_cannot_inject_markup():
    evil = 'He got <script>alert(1)</script> and </script><img src=x onerror=alert(2)> {{DATA}} \u2028 drug'
    e = {"id": "T1", "type": "DRUG", "start": evil.index("drug"), "end": len(evil), "text": "drug",
         "norm": "</script><b>x", "ids": {"drugbank": "<i>"}}
    page = render(_doc(evil, [e], [{"id": "R1", "drug": "T1", "dose": None, "unit": None, "frequency": None,
                                    "route": None, "days": [], "dates": [], "regimen": "<b>", "case": "<x>"}]))
    assert "<script>alert" not in page and "<img" not in page and "</script><b>" not in page
    assert page.count("<script") == 2  # the data block and the page's own script
    data = _data(page)
    assert data["ents"]["T1"]["norm"] == "</script><b>x" and data["rows"][0]["regimen"] == ""
    assert "{{" not in page.replace("{{DATA}}", "")  # every placeholder filled, none from the text


def test_pdf_entities_show_page_markers():
    ents = [dict(ENTS[0], page=1, bbox=[1, 2, 3, 4]), dict(ENTS[6], page=2, bbox=[5, 6, 7, 8])]
    page = render(_doc(TEXT, ents, fmt="pdf"))
    assert 'data-page="1">p.1<' in page and 'data-page="2">p.2<' in page
    assert _data(page)["ents"]["T7"]["bbox"] == [5, 6, 7, 8]


def test_broken_axis_keeps_runs_linear_and_breaks_gaps():
    ax = BrokenAxis([1, 2, 3, 100, 101], gap=30, px=10)
    assert ax(2) - ax(1) == pytest.approx(10) and ax(101) - ax(100) == pytest.approx(10)
    assert ax(100) - ax(3) < 97 * 10 and len(ax.breaks()) == 1
