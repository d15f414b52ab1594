"""Each patient's treatment as an SVG timeline: one lane per drug, regimen components grouped.

A swimlane chart (the LifeLines view of patient histories, Plaisant et al. 1996, CHI '96): x is
time, one lane per drug (per regimen and drug, lanes of a regimen under its name), a mark at each
day or date a record gives, the dose as the mark's label.

Time has two scales in case reports: relative days ("day +8") and calendar dates. Records whose days
were anchored to dates (``derived_dates``, :mod:`pipeline.link.anchors`) are drawn on the date axis
(dashed marks, with their day number under the axis), so relative days and dates share one axis
where the document ties them; days without a tie get their own panel. Reports jump over months
between short bursts of treatment, so the axis is broken: runs of time points closer than a gap
threshold keep a linear scale, longer gaps are drawn as a fixed-width break.
"""
from __future__ import annotations

import html
import re
from datetime import date

LANE_H = 22
LEFT = 190
TOP = 22
BREAK_W = 34
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22")


def parse_date(norm) -> tuple[int, bool] | None:
    """(ordinal day, approximate?) of a DATE norm: YYYY-MM-DD exact, YYYY-MM / YYYY at their start."""
    m = DATE_RE.match(norm) if isinstance(norm, str) else None
    if not m:
        return None
    try:
        d = date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None
    return d.toordinal(), m.group(3) is None


class BrokenAxis:
    """Piecewise-linear x: runs of values within ``gap`` of each other are linear, gaps are breaks."""

    def __init__(self, values, gap: int, px: float):
        xs = sorted(set(values))
        self.segments = []  # [lo, hi, pixel at lo]
        pos = 12.0
        for v in xs:
            if self.segments and v - self.segments[-1][1] <= gap:
                self.segments[-1][1] = v
            else:
                if self.segments:
                    seg = self.segments[-1]
                    pos = seg[2] + (seg[1] - seg[0]) * px + BREAK_W
                self.segments.append([v, v, pos])
        self.px = px
        last = self.segments[-1] if self.segments else [0, 0, 0.0]
        self.width = last[2] + (last[1] - last[0]) * px + 110  # room for the last dose label

    def __call__(self, v) -> float:
        for lo, hi, p in self.segments:
            if lo <= v <= hi:
                return LEFT + p + (v - lo) * self.px
        return LEFT

    def breaks(self) -> list[float]:
        out = []
        for (lo, hi, p), nxt in zip(self.segments, self.segments[1:]):
            out.append(LEFT + (p + (hi - lo) * self.px + nxt[2]) / 2)
        return out

    def ticks(self, min_px: float = 78) -> list[int]:
        out = []
        for lo, hi, p in self.segments:
            step = max(1, int(min_px / self.px + 0.999))
            v = lo
            while v <= hi:
                out.append(v)
                v += step
            if out[-1] != hi and (hi - out[-1]) * self.px >= min_px / 2:
                out.append(hi)
        return out


def _label(r: dict, ents: dict) -> str:
    t = lambda i: ents[i]["text"] if i and i in ents else ""
    lab = " ".join(x for x in (t(r.get("dose")), t(r.get("unit"))) if x)
    return lab or t(r.get("frequency"))


def _points(r: dict, ents: dict):
    """(axis, x, kind, detail) for each time point of a record; axis "date" or "day"."""
    derived_days = {d["day"] for d in r.get("derived_dates") or []}
    for d in r.get("derived_dates") or []:
        yield "date", date.fromisoformat(d["date"]).toordinal(), "derived", \
            f"day {d['value']:+d} = {d['date']} (derived from {d['anchor']})", d["value"]
    for i in r.get("dates", []):
        e = ents.get(i)
        p = parse_date(e.get("norm")) if e else None
        if p:
            yield "date", p[0], "approx" if p[1] else "date", f"{e['text']} ({e.get('norm')})", None
    for i in r.get("days", []):
        e = ents.get(i)
        if not e or i in derived_days or not isinstance(e.get("norm"), list):
            continue
        for n in e["norm"]:
            if isinstance(n, int):
                yield "day", n, "day", f"{e['text']} (day {n:+d})", n


def _lanes(records: list, ents: dict, axis: str):
    """[(group, drug, [(x, kind, detail, day, record, label)])] in order of first appearance."""
    lanes: dict = {}
    for r in records:
        pts = [p for p in _points(r, ents) if p[0] == axis]
        if not pts:
            continue
        drug = ents.get(r.get("drug"), {})
        name = str(drug.get("norm") or drug.get("text") or "?")
        reg = ents.get(r.get("regimen"), {}) if r.get("regimen") else {}
        group = str(reg.get("norm") or reg.get("text") or "") if reg else ""
        lane = lanes.setdefault((group, name), [])
        for _, x, kind, detail, day in pts:
            lane.append((x, kind, detail, day, r, _label(r, ents)))
    groups: dict = {}
    for (g, name), pts in lanes.items():
        groups.setdefault(g, []).append((name, sorted(pts, key=lambda p: p[0])))
    order = sorted(groups, key=lambda g: (g == "", min(p[0] for _, pts in groups[g] for p in pts)))
    return [(g, name, pts) for g in order for name, pts in sorted(groups[g], key=lambda x: x[1][0][0])]


def _fmt(axis: str, v: int) -> str:
    return date.fromordinal(v).isoformat() if axis == "date" else f"day {v:+d}"


def panel(records: list, ents: dict, axis: str, title: str) -> str:
    lanes = _lanes(records, ents, axis)
    if not lanes:
        return ""
    xs = [p[0] for _, _, pts in lanes for p in pts]
    ax = BrokenAxis(xs, gap=45 if axis == "date" else 30, px=9 if axis == "date" else 12)
    n_groups = len({g for g, _, _ in lanes if g})
    height = TOP + LANE_H * (len(lanes) + n_groups) + 40
    width = int(LEFT + ax.width)
    out = [f'<svg class="tl" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
           f'xmlns="http://www.w3.org/2000/svg" role="img"><title>{html.escape(title)}</title>']
    axis_y = height - 34
    out.append(f'<line class="ax" x1="{LEFT}" y1="{axis_y}" x2="{width - 6}" y2="{axis_y}"/>')
    starts = {seg[0] for seg in ax.segments}
    kept: list = []
    for t in ax.ticks():  # the first tick after a break wins over a close one before it
        if kept and ax(t) - ax(kept[-1]) < 64:
            if t in starts and kept[-1] not in starts:
                kept[-1] = t
            continue
        kept.append(t)
    for t in kept:
        x = ax(t)
        out.append(f'<line class="tk" x1="{x:.1f}" y1="{TOP - 6}" x2="{x:.1f}" y2="{axis_y + 4}"/>'
                   f'<text class="tt" x="{x:.1f}" y="{axis_y + 15}">{html.escape(_fmt(axis, t))}</text>')
    for x in ax.breaks():
        out.append(f'<text class="brk" x="{x:.1f}" y="{axis_y + 4}">≈</text>')
    if axis == "date":  # the day numbers of anchored marks, on the same axis
        seen: dict = {}
        for _, _, pts in lanes:
            for x, kind, _, day, _, _ in pts:
                if kind == "derived":
                    seen.setdefault(x, day)
        last = -1e9
        for x, day in sorted(seen.items()):
            px = ax(x)
            if px - last >= 34:
                out.append(f'<text class="dd" x="{px:.1f}" y="{axis_y + 28}">d{day:+d}</text>')
                last = px
    y = TOP
    colors: dict = {}
    prev_group = None
    for group, name, pts in lanes:
        if group and group != prev_group:
            out.append(f'<text class="grp" x="6" y="{y + 14}">{html.escape(group)}</text>')
            y += LANE_H
        prev_group = group
        color = colors.setdefault(name, PALETTE[len(colors) % len(PALETTE)])
        indent = 18 if group else 6
        out.append(f'<line class="ln" x1="{LEFT}" y1="{y + 11}" x2="{width - 6}" y2="{y + 11}"/>'
                   f'<text class="lb" x="{indent}" y="{y + 15}">{html.escape(name[:28])}</text>')
        last_label, last_x = None, -1e9
        for x, kind, detail, day, r, label in pts:
            px = ax(x)
            rid = html.escape(str(r.get("id")), quote=True)
            tip = html.escape(f"{r.get('id')} {name} {label}: {detail}")
            shape = (f'<rect x="{px - 4:.1f}" y="{y + 7}" width="8" height="8"/>' if kind == "approx"
                     else f'<circle cx="{px:.1f}" cy="{y + 11}" r="4.5"/>')
            out.append(f'<g class="mk {kind}" data-r="{rid}" style="color:{color}"><title>{tip}</title>{shape}</g>')
            if label and (label != last_label or px - last_x > 90) and px - last_x > 8:
                out.append(f'<text class="dl" x="{px + 5:.1f}" y="{y + 6}">{html.escape(label)}</text>')
                last_label, last_x = label, px
        y += LANE_H
    out.append("</svg>")
    return "".join(out)


def patient_timelines(doc: dict) -> list[str]:
    """One ``<figure>`` per patient with a date panel and/or a relative-day panel."""
    ents = {e["id"]: e for e in doc.get("entities", [])}
    cases: dict = {}
    for r in doc.get("records", []):
        cases.setdefault(r.get("case"), []).append(r)
    out = []
    for case in sorted(cases, key=lambda c: (c is None, str(c))):
        recs = cases[case]
        who = f"Patient {case}" if case is not None else "No patient assigned"
        panels = [panel(recs, ents, "date", f"{who}: dates"), panel(recs, ents, "day", f"{who}: relative days")]
        untimed = sum(1 for r in recs if not any(True for _ in _points(r, ents)))
        body = "".join(
            f"<div class='panel'><div class='pt'>{'calendar dates (dashed: dated from a day&#8596;date tie in the text)' if k == 0 else 'relative days (no tie to a date)'}</div>{p}</div>"
            for k, p in enumerate(panels) if p)
        if not body:
            body = "<p class='none'>No record of this patient has a day or a date.</p>"
        note = f"<p class='none'>{untimed} of {len(recs)} records have no day or date.</p>" if untimed else ""
        out.append(f"<figure class='tlf' data-case='{html.escape(str(case), quote=True)}'>"
                   f"<figcaption>{html.escape(who)}</figcaption>{body}{note}</figure>")
    return out
