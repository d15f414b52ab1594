"""DAY (relative treatment days) and DATE (calendar dates), with normalised values.

DAY covers the written forms of protocol and case-report timelines: "day 0", "day +8", "day −7"
(Unicode minus), "days −4 to −2", "days +8 and +14", "days 1–7", "d1/8/15/22", "d1–14",
"d1–3 and d8-10", "d-4 to -2", "d1-4/11-14"; a qualifier before "day" ("postoperative day 6")
stays outside the span. The norm is the sorted list of integer days, ranges expanded. Only
"day(s) NUMBER" forms are DAY: "12 days after", "for 1 week", "50–90 days", "the first day" are
durations or ordinals (TimeML's DURATION vs. DATE distinction, Pustejovsky et al. 2003).

DATE covers "May 27 2021", "July 6, 2021", "30 January 2021", "1 June" and month-year
("December 2019"), normalised to ISO 8601 (TIMEX3 value format). A day-month without a year takes
the year of the nearest explicit date before it (else after it) in the document.
"""
from __future__ import annotations

import re

D = r"[-‐‑–—−]"  # range dashes and minus signs
SIGNED = rf"[+\-−‐–]?\s?\d{{1,4}}"
_DAY_ITEM = rf"{SIGNED}(?:\s?(?:{D}|to|through)\s?(?:days?\s?)?{SIGNED})?"  # "day 6 to day 12" is one range
DAY_WORD_RE = re.compile(
    rf"\b(?P<kw>[Dd]ays?|DAY|D)\s?(?P<body>{_DAY_ITEM}(?:(?:\s?,\s?|\s?/\s?|,?\s(?:and|or|&)\s)(?:days?\s)?{_DAY_ITEM})*)"
    rf"(?![\w.]\d|\d|\s?(?:%|mg|h\b|hours|weeks|months|years))")
D_NOTATION_RE = re.compile(
    rf"(?<![\w/^.])(?<!vitamin )d(?P<body>{SIGNED}(?:\s?(?:{D}|to)\s?{SIGNED})?(?:/{SIGNED}(?:{D}{SIGNED})?)*"
    rf"(?:\s(?:and|,)\s?d{SIGNED}(?:\s?(?:{D}|to)\s?{SIGNED})?(?:/{SIGNED}(?:{D}{SIGNED})?)*)*)"
    rf"(?![\w])")
ITEM_RE = re.compile(rf"({SIGNED})(?:\s?(?:{D}|to|through)\s?(?:days?\s?)?({SIGNED}))?")


def _int(s: str) -> int:
    s = s.replace(" ", "").replace("−", "-").replace("–", "-").replace("‐", "-")
    return int(s)


def _expand(body: str) -> list[int] | None:
    days: set[int] = set()
    # split into items on separators that are not range dashes: "/", ",", "and", "d"
    for m in ITEM_RE.finditer(body):
        a = _int(m.group(1))
        if m.group(2) is not None:
            b = _int(m.group(2))
            if a > 0 and b < 0 and m.group(2).lstrip()[0] in "-−‐–" and "to" not in m.group(0):
                b = -b  # "d1-4" read as 1..4, a dash is not a sign here
            if b < a or b - a > 400:
                return None
            days.update(range(a, b + 1))
        else:
            days.add(a)
    return sorted(days) if days else None


# ordinals written with digits and day numbers written as words (ANNOTATION_SCHEMA, DAY): "the 5th
# day", "8th postoperative day", "day 9th", "day three"; spelled ordinals ("the first day") are not
DAY_QUALIFIER = r"(?:(?:post-?operative|post-?transplant(?:ation)?|postpartum|hospital|treatment|admission|" \
                r"hospitali[sz]ation|illness|post-?infusion|post-?injection)\s)?"
ORDINAL_DAY_RE = re.compile(rf"\b(?P<n>\d{{1,3}})(?:st|nd|rd|th)\s{DAY_QUALIFIER}day\b", re.I)
DAY_ORDINAL_SUFFIX = re.compile(r"(?:st|nd|rd|th)\b")
WORD_DAYS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
             "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
             "fifteen": 15, "twenty": 20, "twenty-one": 21, "twenty-eight": 28, "thirty": 30}
WORD_DAY_RE = re.compile(rf"\b[Dd]ay\s(?P<w>{'|'.join(sorted(WORD_DAYS, key=len, reverse=True))})\b(?![\s-](?:days?|weeks?|hours?|times|doses?)\b)")


# a list separator of a day list, and a month name right after a number: "day 0, 3 March 2020" is
# day 0 and a date, not days 0 and 3
DAY_LIST_SEP = re.compile(r"\s?,\s?|\s?/\s?|,?\s(?:and|or|&)\s")
MONTH_NEXT = re.compile(r"\s(?:of\s)?(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
                        r"aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?", re.I)


def _drop_date_day(text: str, start: int, end: int) -> int:
    """The end of a day list without a last item that is the day of a calendar date."""
    if not MONTH_NEXT.match(text, end):
        return end
    seps = list(DAY_LIST_SEP.finditer(text, start, end))
    return start + len(text[start:seps[-1].start()].rstrip(" ,/")) if seps else end


def find_days(text: str) -> list[tuple[int, int, list[int]]]:
    out = []
    for m in ORDINAL_DAY_RE.finditer(text):
        out.append((m.start(), m.end(), [int(m.group("n"))]))
    for m in WORD_DAY_RE.finditer(text):
        out.append((m.start(), m.end(), [WORD_DAYS[m.group("w").lower()]]))
    for m in DAY_WORD_RE.finditer(text):
        kw = m.group("kw")
        if kw == "D" and not re.match(r"\s?[+\-−]", m.group("body")):
            continue  # "D 5" is too ambiguous; "D+30" is a day
        body = m.group("body")
        # a plain "days 3" preceded by a number ("for 5 days 3 times") is not a day
        prev = text[max(0, m.start() - 12):m.start()]
        if re.search(r"(?<![\w/^.])\d+(?:[.,]\d+)?\s*$", prev):  # a number, not a unit's "m2" ("mg/m2 day 1")
            continue
        # trim a trailing separator the pattern could not take back
        end = m.start("body") + len(body.rstrip(" ,/"))
        end = _drop_date_day(text, m.start("body"), end)
        norm = _expand(text[m.start("body"):end])
        if norm is None:
            continue
        suffix = DAY_ORDINAL_SUFFIX.match(text, end)  # "day 9th"
        if suffix and len(norm) == 1:
            end = suffix.end()
        out.append((m.start(), end, norm))  # "days +8 and +14 days": trailing word left out
    for m in D_NOTATION_RE.finditer(text):
        body = m.group("body")
        norm = _expand(re.sub(r"\bd", " ", body))
        if norm is None:
            continue
        out.append((m.start(), m.end(), norm))
    return out


MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"])}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})
MONTHS["sept"] = 9
MON = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|" \
      r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?)"
YEAR = r"(?:19|20)\d{2}"
MONTH_FULL = r"(?:January|February|March|April|June|July|August|September|October|November|December)"
# a position within the month, kept in the DATE span ("mid-October", "end of December")
POSITION = r"(?:(?:[Ee]arly|[Mm]id|[Ll]ate)[\s-]|(?:[Bb]eginning|[Ss]tart|[Ee]nd|[Mm]iddle)\sof\s)?"
MAY_AFTER_POSITION = r"(?:(?<=[Ee]nd\sof\s)|(?<=[Ss]tart\sof\s)|(?<=[Bb]eginning\sof\s)|(?<=[Mm]iddle\sof\s)|(?<=[Mm]id-)|(?<=[Mm]id\s)|(?<=[Ee]arly\s)|(?<=[Ll]ate\s)|(?<=[Ee]arly-)|(?<=[Ll]ate-))"
DATE_RES = [
    # May 27 2021 / July 6, 2021 / May 27th, 2021
    ("mdy", re.compile(rf"\b(?P<mon>{MON})\s(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s(?P<year>{YEAR})\b")),
    # 30 January 2021 / 1 June 2009
    ("dmy", re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s(?:of\s)?(?P<mon>{MON}),?\s(?P<year>{YEAR})\b")),
    # ISO 2021-05-27
    ("iso", re.compile(rf"\b(?P<year>{YEAR})-(?P<mon>\d{{2}})-(?P<day>\d{{2}})\b")),
    # December 2019, mid-October 2013, the end of May 2014 (the position word is part of the span)
    ("my", re.compile(rf"\b(?P<span>{POSITION}(?P<mon>{MON}),?\s(?P<year>{YEAR}))\b")),
    # 1 June (year from context)
    ("dm", re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s(?:of\s)?(?P<mon>{MON})(?![\w])")),
    # June 21 (year from context); not "May 5" style ambiguity with the verb: month capitalised
    ("md", re.compile(rf"\b(?P<mon>{MON})\s(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?![\w,.]?\d)")),
    # "in March", "since early February" (year from context): a full month name after a preposition
    # "by mid-December", "at the end of May": the position word stays in the span, the article and
    # preposition do not (TimeML TIMEX3 extent; gold/GUIDELINES.md §11)
    # ("May" alone is a verb too: a month only after a position word, "the end of May")
    ("m", re.compile(rf"\b(?i:in|since|during|until|till|by|from|to|of|at|near|around|towards?)\s(?:the\s)?"
                     rf"(?P<span>{POSITION}(?P<mon>{MONTH_FULL}|{MAY_AFTER_POSITION}May))\b"
                     rf"(?![\s,]+\d+(?:st|nd|rd|th)?\b(?!\s(?:months?|weeks?|days?|years?|hours?)\b))")),
]


def _month(s: str) -> int:
    s = s.lower().rstrip(".")
    return MONTHS.get(s) or MONTHS.get(s[:3])


def find_dates(text: str) -> list[tuple[int, int, str]]:
    taken: list[tuple[int, int]] = []
    found = []
    for kind, rx in DATE_RES:
        for m in rx.finditer(text):
            s, e = m.span("span") if "span" in rx.groupindex else m.span()  # "in March": the month only
            if any(a < e and s < b for a, b in taken):
                continue
            mon = m.group("mon")
            month = int(mon) if mon.isdigit() else _month(mon)
            if not month or not (1 <= month <= 12):
                continue
            day = int(m.group("day")) if "day" in rx.groupindex else None
            if day is not None and not (1 <= day <= 31):
                continue
            year = int(m.group("year")) if "year" in rx.groupindex else None
            taken.append((s, e))
            found.append((s, e, year, month, day))
    found.sort()
    explicit = [(s, y) for s, e, y, mo, d in found if y is not None]
    out = []
    for s, e, y, mo, d in found:
        if y is None:
            before = [yy for ss, yy in explicit if ss < s]
            after = [yy for ss, yy in explicit if ss > s]
            if before:
                y = before[-1]
            elif after:
                y = after[0]
        # no year anywhere in the document: "--MM" / "--MM-DD" (ANNOTATION_SCHEMA, DATE)
        norm = (f"{y:04d}-{mo:02d}" if y is not None else f"--{mo:02d}") + (f"-{d:02d}" if d else "")
        out.append((s, e, norm))
    return out
