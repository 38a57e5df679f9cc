"""Dates: absolute ("July 9", "9 July 2025", "in 2009") and relative ("on Tuesday", "yesterday")."""

from __future__ import annotations

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
    rf"|(?P<wd2>{_WEEKDAY})(?:\s+(?P<part>morning|afternoon|evening|night))?"
    rf"|(?P<rel>yesterday|today|last night|last week|last month|last year|this week))\b",
)


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
    """All date mentions of a sentence; relative ones resolved against `doc_date` when known."""
    out: list[DateMention] = []
    for match in DATE_RE.finditer(sentence):
        g = match.groupdict()
        weekday_text = g["wd"] or g["wd2"]
        weekday = WEEKDAYS[weekday_text.lower()] if weekday_text else None
        month = _month(g["m1"] or g["m2"] or g["m3"])
        day_text = g["d1"] or g["d2"]
        day = int(re.sub(r"\D", "", day_text)) if day_text else None
        year_text = g["y1"] or g["y2"] or g["y3"] or g["y4"]
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
    return out


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
