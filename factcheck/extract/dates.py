"""Dates: absolute, relative, year ranges and vague dates.

Absolute ("July 9", "9 July 2025", "in 2009"), relative ("on Tuesday", "yesterday"), year ranges ("from 1967
to 1979") and vague dates ("mid-May", "earlier this year", "last week") resolved to spans of days.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from factcheck.extract.text import MONTHS, WEEKDAYS
from factcheck.records import DateValue

_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|" \
         r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|Oct\.?|Nov\.?|Dec\.?)"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"

DATE_RE = re.compile(
    rf"\b(?:(?P<wd>{_WEEKDAY}),?\s+)?"
    rf"(?:(?P<m1>{_MONTH})\s+(?P<d1>{_DAY})(?!\d)(?:,?\s+(?P<y1>{_YEAR}))?"
    rf"|(?P<d2>{_DAY})\s+(?P<m2>{_MONTH})(?:,?\s+(?P<y2>{_YEAR}))?"
    rf"|(?P<m3>{_MONTH})\s+(?P<y3>{_YEAR})"
    rf"|(?:(?<=in )|(?<=since )|(?<=of )|(?<=by )|(?<=until ))(?P<y4>{_YEAR})(?!\d|,\d)"
    # an attributive year: "a 2008 event" (a singular noun follows; "the 2000 students" is a count)
    rf"|(?:(?<=\ba )|(?<=\bA )|(?<=\bthe )|(?<=\bThe ))(?P<y5>{_YEAR})(?=\s+[a-z]*[a-rt-z]\b)"
    rf"|(?P<wd2>{_WEEKDAY})(?:\s+(?P<part>morning|afternoon|evening|night))?"
    rf"|(?P<rel>yesterday|today|last night))\b",
)
_YEAR_RANGE_RE = re.compile(
    rf"\b(?:(?:from|between)\s+(?P<a>{_YEAR})\s+(?:to|and|until|till|through|thru)\s+(?P<b>{_YEAR})"
    rf"|(?P<c>{_YEAR})\s?[-–]\s?(?P<d>{_YEAR}|\d\d)(?![\d-]))\b"
)
_VAGUE_RE = re.compile(
    rf"\b(?:(?P<part>early|mid|late|(?:the\s+)?(?:end|beginning|start|middle)\s+of)[\s-]+(?P<m>{_MONTH})"
    rf"(?:,?\s+(?P<y>{_YEAR}))?"
    r"|(?P<rel>(?:earlier|later|early|late)\s+this\s+(?:year|month)|(?:last|this|next)\s+(?:week|month|year)"
    r"|earlier\s+this\s+week))\b",
    re.IGNORECASE,
)
# Days of the month each vague part covers (the last day is clipped to the month's length).
_PARTS = {"early": (1, 10), "beginning": (1, 7), "start": (1, 7), "mid": (11, 20), "middle": (11, 20),
          "late": (21, 31), "end": (22, 31)}


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date found in a sentence (offsets relative to the sentence)."""

    start: int
    end: int
    text: str
    value: DateValue


def _month(text: str | None) -> int | None:
    if not text:
        return None
    return MONTHS.get(text.lower().rstrip("."))


def find_dates(sentence: str, doc_date: dt.date | None = None) -> list[DateMention]:
    """All date mentions of a sentence; relative and vague ones resolved against `doc_date` when known."""
    out = _spans(sentence, doc_date)
    taken = [(m.start, m.end) for m in out]
    for match in DATE_RE.finditer(sentence):
        if any(match.start() < end and start < match.end() for start, end in taken):
            continue  # part of a range or a vague date ("mid-May", "from 1967 to 1979")
        g = match.groupdict()
        weekday_text = g["wd"] or g["wd2"]
        weekday = WEEKDAYS[weekday_text.lower()] if weekday_text else None
        month = _month(g["m1"] or g["m2"] or g["m3"])
        day_text = g["d1"] or g["d2"]
        day = int(re.sub(r"\D", "", day_text)) if day_text else None
        year_text = g["y1"] or g["y2"] or g["y3"] or g["y4"] or g["y5"]
        year = int(year_text) if year_text else None
        if g["m3"] and g["m3"].lower() == "may" and not year:
            continue
        if (g["m1"] or "").lower() == "may" and day is not None and not year and not weekday:
            # "may 5" is rarely a verb, keep; but "May" alone is not matched here
            pass
        relative = False
        if g["rel"] or (weekday is not None and month is None):
            relative = True
            resolved = _resolve_relative(g["rel"], weekday, doc_date)
            if resolved is not None:
                year, month, day = resolved.year, resolved.month, resolved.day
        if month is not None and day is not None:
            try:
                dt.date(year or 2000, month, day)
            except ValueError:
                continue  # "February 31": not a date
        if all(v is None for v in (year, month, day, weekday)):
            continue
        value = DateValue(year, month, day, weekday, relative)
        out.append(DateMention(match.start(), match.end(), match.group(), value))
    out.sort(key=lambda m: m.start)
    return out


def _spans(sentence: str, doc_date: dt.date | None) -> list[DateMention]:
    """Year ranges and vague dates of a sentence, each a DateValue with a span (lo..hi)."""
    out: list[DateMention] = []
    for match in _YEAR_RANGE_RE.finditer(sentence):
        first = int(match.group("a") or match.group("c"))
        last_text = match.group("b") or match.group("d")
        last = int(last_text) if len(last_text) == 4 else first // 100 * 100 + int(last_text)
        if last <= first:
            continue  # "1990-85" is no range (and "2014-15" reads as 2014 to 2015)
        value = DateValue(first, lo=f"{first:04d}-01-01", hi=f"{last:04d}-12-31")
        out.append(DateMention(match.start(), match.end(), match.group(), value))
    for match in _VAGUE_RE.finditer(sentence):
        if any(match.start() < m.end and m.start < match.end() for m in out):
            continue
        span = _vague_span(match, doc_date)
        if span is None:
            continue
        lo, hi = span
        value = DateValue(lo.year if lo.year == hi.year else None, lo.month if lo.month == hi.month else None,
                          relative=match.group("rel") is not None, lo=lo.isoformat(), hi=hi.isoformat(),
                          vague=True)
        out.append(DateMention(match.start(), match.end(), match.group(), value))
    return out


def month_span(year: int, month: int, first: int = 1, last: int = 31) -> tuple[dt.date, dt.date]:
    """Return the first and last day of a month, or of the part of it from day `first` to `last`."""
    days = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(first, days)), dt.date(year, month, min(last, days))


def _vague_span(match: re.Match[str], doc_date: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """Return the days a vague or relative date may mean, or None when no year can be placed."""
    if match.group("part"):
        month = _month(match.group("m"))
        year = int(match.group("y")) if match.group("y") else (doc_date.year if doc_date else None)
        if month is None or year is None:
            return None
        part = match.group("part").lower().split()[-2 if " " in match.group("part") else -1]
        first, last = _PARTS[part]
        return month_span(year, month, first, last)
    if doc_date is None:
        return None
    words = match.group("rel").lower().split()
    when, unit = words[0], words[-1]
    if unit == "year":
        year = doc_date.year + {"last": -1, "next": 1}.get(when, 0)
        lo, hi = dt.date(year, 1, 1), dt.date(year, 12, 31)
    elif unit == "month":
        month_index = doc_date.year * 12 + doc_date.month - 1 + {"last": -1, "next": 1}.get(when, 0)
        lo, hi = month_span(month_index // 12, month_index % 12 + 1)
    else:
        monday = doc_date - dt.timedelta(days=doc_date.weekday())
        lo = monday + dt.timedelta(days=7 * {"last": -1, "next": 1}.get(when, 0))
        hi = lo + dt.timedelta(days=6)
    if when == "earlier":
        hi = min(hi, doc_date)
    elif when == "later":
        lo = max(lo, doc_date)
    return lo, hi


def _resolve_relative(rel: str | None, weekday: int | None, doc_date: dt.date | None) -> dt.date | None:
    if doc_date is None:
        return None
    if rel:
        rel = rel.lower()
        if rel == "today":
            return doc_date
        if rel in {"yesterday", "last night"}:
            return doc_date - dt.timedelta(days=1)
        return None
    if weekday is None:
        return None
    # the most recent such weekday on or before the document date (news reports past events)
    delta = (doc_date.weekday() - weekday) % 7
    return doc_date - dt.timedelta(days=delta)


def format_date(v: DateValue) -> str:
    """Readable form of a DateValue: "2025-07-09", "July 2009", "Tuesday"."""
    names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    if v.lo and v.hi:
        if not v.vague:
            return f"{v.lo[:4]}–{v.hi[:4]}"
        return v.lo if v.lo == v.hi else f"{v.lo}..{v.hi}"
    parts = []
    if v.year and v.month and v.day:
        parts.append(f"{v.year:04d}-{v.month:02d}-{v.day:02d}")
    else:
        if v.month:
            parts.append(dt.date(2000, v.month, 1).strftime("%B") + (f" {v.day}" if v.day else ""))
        if v.year:
            parts.append(str(v.year))
    if v.weekday is not None and not (v.year and v.month and v.day):
        parts.insert(0, names[v.weekday])
    return " ".join(parts)
