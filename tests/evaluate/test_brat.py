"""The brat reader: spans with their fragments, events resolved to their triggers."""
from __future__ import annotations

from pipeline.evaluate.brat import parse_ann


def test_brat_reader_resolves_events_and_fragments():
    spans, rels = parse_ann("T1\tDosage 0 3;10 14\t1 g once\nT2\tMedication 20 25\tfoo\n"
                            "E1\tMedication:T2 \nR1\tMODIFY Arg1:T1 Arg2:E1\t\nA1\tPOLARITY E1 NEG\n"
                            "#1\tAnnotatorNotes T1\tnote\n")
    assert (spans["T1"].start, spans["T1"].end, spans["T1"].fragments) == (0, 14, [(0, 3), (10, 14)])
    assert rels == [("MODIFY", "T1", "T2")]
