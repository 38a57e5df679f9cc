"""Clock times: "4:10 p.m.", "11am", "noon", "16:30", and parts of a day ("Tuesday afternoon").

A time is a quantity in minutes after midnight (unit "time"); a part of the day is a range of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from factcheck.records import Quantity

CLOCK_UNIT = "time"
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
CLOCK_RE = re.compile(
    r"(?<![\w:.,$€£])(?:(?P<approx>about|around|shortly after|shortly before|just after|just before|"
    r"approximately|roughly)\s+)?"
    r"(?:(?P<h>1[0-2]|0?[1-9])(?::(?P<m>[0-5]\d))?\s?(?P<ampm>a\.?\s?m\b\.?|p\.?\s?m\b\.?)"
    r"|(?P<h24>[01]?\d|2[0-3])[:.](?P<m24>[0-5]\d)(?=\s*(?:GMT|UTC|BST|CET|EST|EDT|ET|PT|hours?|h\b|local))"
    r"|(?<!\d)(?P<hc>[01]?\d|2[0-3]):(?P<mc>[0-5]\d)(?![\d:.,]\d)"
    r"|(?P<word>noon|midday|midnight)"
    r"|(?P<part_lead>(?:this|yesterday|tomorrow|on\s+" + _WEEKDAY + r"|" + _WEEKDAY + r")\s+)"
    r"(?P<part>morning|afternoon|evening))",
    re.IGNORECASE,
)
PARTS_OF_DAY = {"morning": (300, 719), "afternoon": (720, 1079), "evening": (1020, 1320)}
_APPROX = {"about": "about", "around": "about", "approximately": "about", "roughly": "about",
           "shortly after": "about", "shortly before": "about", "just after": "about", "just before": "about"}


@dataclass(frozen=True, slots=True)
class ClockMention:
    """A time of day found in a sentence (offsets relative to the sentence)."""

    start: int
    end: int
    text: str
    quantity: Quantity


def find_times(sentence: str) -> list[ClockMention]:
    """All clock times and weekday-anchored parts of a day in a sentence."""
    out: list[ClockMention] = []
    for match in CLOCK_RE.finditer(sentence):
        g = match.groupdict()
        start, end = match.start(), match.end()
        high: float | None = None
        if g["h"]:
            hour = int(g["h"]) % 12 + (12 if g["ampm"].lower().startswith("p") else 0)
            value = hour * 60 + int(g["m"] or 0)
        elif g["h24"] or g["hc"]:
            value = int(g["h24"] or g["hc"]) * 60 + int(g["m24"] or g["mc"])
        elif g["word"]:
            value = 0 if g["word"].lower() == "midnight" else 720
        else:
            low, top = PARTS_OF_DAY[g["part"].lower()]
            value, high = low, float(top)
            start = match.start("part")
        approx = _APPROX.get((g["approx"] or "").lower(), "")
        if g["approx"] and g["part"]:
            approx = ""
        text = sentence[start:end].rstrip()
        quantity = Quantity(float(value), CLOCK_UNIT, high, approx)
        out.append(ClockMention(start, start + len(text), text, quantity))
    return out


def format_time(minutes: float) -> str:
    """Minutes after midnight as "16:10"."""
    total = int(minutes)
    return f"{total // 60:02d}:{total % 60:02d}"
