"""``doseline layout-report PDF...``: how the layout analysis went on PDFs nobody annotated.

Per PDF: pages, columns per page (1 or 2) and per region (``regions``: per page, 1 or 2 for
each horizontal band, pages separated by "/"), line kinds (furniture removed: running headers, page
numbers, manuscript line numbers; chart text; captions; tables), blocks by kind, one-line
paragraphs (share of paragraphs; a symptom of interleaved columns or chart residue), glued and
split tokens per 1,000 words (:func:`pipeline.evaluate.score.text_defects`), back matter found.
No gold is needed: these are the defects a reader would see first.
"""
from __future__ import annotations

import sys
from pathlib import Path


def layout_report(path: Path, backend: str | None = None) -> dict:
    from ..cleanup.repair import cleanup
    from ..evaluate.score import text_defects
    from .pdf_reader import read_pdf
    data = Path(path).read_bytes()
    doc = read_pdf(Path(path), data, backend=backend)
    stats = getattr(doc, "layout", None) or {}
    back = [b["kind"] for b in doc.back_matter]
    cleanup(doc)
    d = text_defects(doc.text)
    blocks = stats.get("blocks", {})
    paras = blocks.get("para", 0)
    kinds = stats.get("line_kinds", {})
    return {
        "pdf": Path(path).name, "pages": doc.source.get("pages"),
        "columns": "".join(str(c) for c in stats.get("columns", [])),
        "regions": "/".join(stats.get("regions", [])),  # per page, columns per horizontal band
        "blocks": sum(blocks.values()), "paragraphs": paras, "headings": blocks.get("heading", 0),
        "captions": blocks.get("caption", 0), "tables": blocks.get("table", 0),
        "footnotes": blocks.get("footnote", 0),
        "one_line_share": round(stats.get("one_line_paragraphs", 0) / max(sum(blocks.values()), 1), 4),
        "one_line_examples": stats.get("one_line_examples", []),
        "one_line_pages": stats.get("one_line_pages", []),  # (page, count): where to look first
        "furniture_lines": kinds.get("header", 0) + kinds.get("drop", 0), "chart_lines": kinds.get("chart", 0),
        "words": d["words"], "glued_per_1k": round(d["glued_per_1k_words"], 2),
        "split_per_1k": round(d["split_per_1k_words"], 2), "glued": d["glued"][:5], "split": d["split"][:5],
        "back_matter": sorted(set(back)), "layout_error": doc.source.get("layout_error"),
    }


def run_layout_report(args) -> int:
    import json
    import pandas as pd
    from ..errors import InputError
    paths = []
    for a in args.pdfs:
        p = Path(a)
        paths.extend(sorted(p.glob("*.pdf")) if p.is_dir() else [p])
    rows = []
    for p in paths:
        try:
            rows.append(layout_report(p, getattr(args, "backend", None)))
        except InputError as exc:
            print(f"layout-report: {exc}", file=sys.stderr)
    if not rows:
        return 2
    cols = ["pdf", "pages", "columns", "regions", "blocks", "headings", "captions", "tables", "one_line_share",
            "furniture_lines", "chart_lines", "glued_per_1k", "split_per_1k", "back_matter"]
    df = pd.DataFrame(rows)[cols]
    df["pdf"] = df["pdf"].str.slice(0, 45)
    df["regions"] = df["regions"].map(lambda r: r if len(r) <= 24 else r[:23] + "…")
    df["back_matter"] = df["back_matter"].map(lambda k: ",".join(x[:4] for x in k))
    print(df.to_string(index=False))
    if getattr(args, "json", None):
        Path(args.json).write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0
