"""Quantities: percentages, money, counts, ranges, spelled-out numbers and approximation words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from factcheck.extract.text import STOPWORDS, WORD_NUMBERS, word_set
from factcheck.records import Quantity

_WORDNUM = "|".join(sorted(WORD_NUMBERS, key=len, reverse=True))
_SPELLED = rf"(?:(?:half\s+)?an?\s+(?:dozen|hundred)|(?:{_WORDNUM})(?:[\s-](?:{_WORDNUM}))?)"
# "1,557", "1 557" (space, no-break or thin space between groups of three), "3.5", "2"
_DIGITS = (r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,]\d)|\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?![\d,.]\d)"
           r"|\d+(?:\.\d+)?")
# Vague plurals ("dozens of", "hundreds of thousands of") state only a lower bound: the smallest value
# the plural allows (two dozen, two hundred, ...), read as "at least": no conflict with a larger figure.
_VAGUE_LOWER = {"dozens": 24.0, "scores": 40.0, "hundreds": 200.0, "thousands": 2e3, "millions": 2e6,
                "billions": 2e9}
_VAGUE_OF = {"thousands": 1e3, "millions": 1e6, "billions": 1e9}  # "tens of thousands": tens x thousand
_VAGUE = (r"(?:(?:tens|dozens|hundreds)\s+of\s+(?:thousands|millions|billions)"
          r"|(?:dozens|scores|hundreds|thousands|millions|billions)(?=\s+of\b))")
_NUMBER = rf"(?:{_DIGITS}|{_VAGUE}|{_SPELLED})"
_SCALE = r"(?:thousand|million|billion|trillion|bn|mn|m|k|mln|bln|b)"
_CURRENCY_PREFIX = r"(?:US\$|A\$|C\$|NZ\$|HK\$|\$|€|£|¥|Rs\.?|USD|EUR|GBP|JPY)"
_CURRENCY_WORD = r"(?:dollars?|euros?|pounds?(?: sterling)?|yen|yuan|rupees?|francs?)"
_PERCENT = r"(?:%|percent|per cent|pct|(?<=\d)pc|percentage points?)"  # "25pc": British style, attached only
_APPROX = (
    r"(?:about|around|roughly|approximately|nearly|almost|some|more than|over|at least|less than|under|"
    r"up to|fewer than|as many as|as much as|just over|just under|close to|an estimated|estimated)"
)

QUANTITY_RE = re.compile(
    rf"(?<![\w.$€£¥])(?<![A-Za-z]-)(?:(?P<approx>{_APPROX})\s+)?"
    rf"(?P<cur>{_CURRENCY_PREFIX})?\s?(?P<num>{_NUMBER})"
    rf"(?:\s?(?:-|to|and)\s?(?P<cur2>{_CURRENCY_PREFIX})?(?P<num2>{_DIGITS}))?"
    rf"(?:[\s-]?(?P<scale>{_SCALE})\b)?"
    rf"(?:[\s-]?(?P<cur3>{_CURRENCY_WORD})\b)?"
    rf"(?:\s?(?P<pct>{_PERCENT}))?"
    r"(?![\w]|[.,]\d)",
    re.IGNORECASE,
)
_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "mln": 1e6, "billion": 1e9,
           "bn": 1e9, "bln": 1e9, "b": 1e9, "trillion": 1e12}
_CURRENCIES = {"$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD", "€": "EUR",
               "eur": "EUR", "euro": "EUR", "euros": "EUR", "£": "GBP", "gbp": "GBP", "pound": "GBP",
               "pounds": "GBP", "pound sterling": "GBP", "pounds sterling": "GBP", "¥": "JPY", "jpy": "JPY",
               "yen": "JPY", "yuan": "CNY", "a$": "AUD", "c$": "CAD", "nz$": "NZD", "hk$": "HKD",
               "rs": "INR", "rs.": "INR", "rupee": "INR", "rupees": "INR", "franc": "CHF", "francs": "CHF"}
_NOT_THINGS = {"per", "percent", "million", "billion", "times", "am", "pm", "or", "to", "and", "but", "in",
               "on", "at", "from", "for", "with", "by", "as", "is", "was", "were", "has", "had", "which"}
# Prepositions and conjunctions never name what a number counts: "the top 10 among ...", "5% despite ...".
_CONNECTIVES = word_set(
    """among amongst amid amidst against across along alongside around above below beneath beside besides
    between beyond despite except including excluding inside outside near toward towards within without via
    versus vs plus minus upon throughout unlike like onto past because although though whereas unless whether
    yet nor so than since until after before while if when where then compared following according apiece
    each"""
)
_THING_SKIP = {"of", "the", "a", "an", "its", "their", "his", "her", "in", "more", "additional", "other",
               "about", "some", "new", "than"}
_TIME_UNITS = {"year", "years", "month", "months", "week", "weeks", "day", "days", "hour", "hours",
               "minute", "minutes", "second", "seconds", "decade", "decades", "meters", "metres", "feet",
               "miles", "kilometers", "kilometres", "km", "mph", "inches", "pounds", "kg", "tons", "tonnes",
               "meter", "metre", "foot", "mile", "kilometer", "kilometre", "inch", "ton", "tonne"}
UNIT_ALIASES = {"metre": "meter", "metres": "meter", "meters": "meter", "kilometre": "kilometer",
                "kilometres": "kilometer", "kilometers": "kilometer", "km": "kilometer", "foot": "feet",
                "mile": "miles", "ton": "tons", "tonne": "tons", "tonnes": "tons", "kg": "kilogram",
                "kilograms": "kilogram", "inch": "inches", "percentage": "%"}
_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|" \
          r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
_MONTH_AFTER_RE = re.compile(rf"^\s*(?:of\s+)?{_MONTHS}\b")
_MONTH_BEFORE_RE = re.compile(rf"\b{_MONTHS}\.?\s*$")
_CONVERSION_RE = re.compile(r"\d(?:[\d,.]*\d)?(?:[\s-]?(?:million|billion|bn|m|thousand|trillion))?"
                            r"(?:[\s-]?[A-Za-z]{1,6})?\s*\($", re.IGNORECASE)
_RANGE_JOIN_RE = re.compile(r"^\s*(?:and|to|-|–)\s*$")
_RANGE_START_RE = re.compile(r"\b(?:between|from)\s+\S*$")
_YEAR_RE = re.compile(r"^(1[6-9]\d\d|20\d\d|2100)$")
# "Netherlands: 192", "Total deaths: 40": the label before a colon names what is counted
_LABEL_RE = re.compile(r"(?:^|[,;(]\s*|\s)(?P<label>[A-Z][\w'’-]*(?:\s+[A-Za-z][\w'’-]*){0,3}):\s*$")
LABEL_WINDOW = 60  # characters before a number searched for its "Label:" (bounded: tables stay linear)
_TIME_AFTER_RE = re.compile(r"^\s*(?:a\.?m\.?|p\.?m\.?|o'clock|GMT|ET|EST|BST|UTC)\b|^:\d\d", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class QuantityMention:
    """A quantity found in a sentence (offsets relative to the sentence)."""

    start: int
    end: int
    text: str
    quantity: Quantity


def vague_lower_bound(text: str) -> float | None:
    """Return the least value a vague plural allows ("dozens" -> 24, "tens of thousands" -> 20,000)."""
    words = text.lower().split()
    if not words or (words[0] not in _VAGUE_LOWER and words[0] != "tens"):
        return None
    if len(words) == 3 and words[1] == "of" and words[2] in _VAGUE_OF:
        lead = {"tens": 20.0, "dozens": 24.0, "hundreds": 200.0}.get(words[0])
        return lead * _VAGUE_OF[words[2]] if lead is not None else None
    return _VAGUE_LOWER.get(words[0]) if len(words) == 1 else None


def parse_number(text: str) -> float | None:
    """Parse "1,200", "1 200", "3.5", "twenty-five", "two", "a dozen", "half a dozen" to a float."""
    low = re.sub(r"[,\s\u00a0\u2009\u202f]", "", text.lower()) if text[:1].isdigit() else text.lower()
    vague = vague_lower_bound(low)
    if vague is not None:
        return vague
    try:
        return float(low)
    except ValueError:
        pass
    article = re.fullmatch(r"(half\s+)?an?\s+(dozen|hundred)", low)
    if article:
        return WORD_NUMBERS[article.group(2)] * (0.5 if article.group(1) else 1.0)
    total = 0.0
    for part in re.split(r"[\s-]+", low):
        if part not in WORD_NUMBERS:
            return None
        value = WORD_NUMBERS[part]
        total = total * value if value == 100 and total else total + value
    return total


_LOOK = 200  # characters before/after a number that the context patterns read (linear time per sentence)


def find_quantities(sentence: str) -> list[QuantityMention]:
    """All quantities in a sentence, skipping years, times and list numbering.

    The context tests around each number read a bounded window, so a sentence with thousands of
    numbers costs linear, not quadratic, time.
    """
    out: list[QuantityMention] = []
    for match in QUANTITY_RE.finditer(sentence):
        num_text = match.group("num")
        if not num_text:
            continue
        value = parse_number(num_text)
        if value is None:
            continue
        cur = match.group("cur") or match.group("cur2") or match.group("cur3")
        scale = match.group("scale")
        pct = match.group("pct")
        after = sentence[match.end() : match.end() + _LOOK]
        window = max(0, match.start() - _LOOK)
        colon_before = sentence[max(0, match.start("num") - 1) : match.start("num")] == ":"
        if _TIME_AFTER_RE.match(after) or colon_before:
            continue
        if not cur and not pct and not scale and _YEAR_RE.match(num_text):
            continue  # a year: the date extractor owns it
        month_next = _MONTH_AFTER_RE.match(after) or _MONTH_BEFORE_RE.search(sentence, window, match.start())
        if not cur and not pct and month_next:
            continue  # a day of the month: "12 November", "July 9"
        before = sentence[window : match.start()].rstrip()
        if (cur or match.group("cur3")) and (
            _CONVERSION_RE.search(before) or (out and sentence[out[-1].end : match.start()].strip() == "(")
        ):
            continue  # "(\$2.6 million)" right after "€2 million": a currency conversion, not a claim
        if scale and scale.lower() in {"m", "b"} and not cur:
            continue  # "5 m" without currency is metres, too ambiguous; "B" alone is a letter
        if _is_code(sentence, match, value):
            continue  # "737-8", "F-16", "Boeing 737": a model or route number, not an amount
        is_word = not num_text[0].isdigit()
        if is_word and num_text.lower() in {"one", "some"} and not (cur or pct or scale):
            continue  # "one of the", pronoun uses
        multiplier = _SCALES.get(scale.lower(), 1.0) if scale else 1.0
        high = None
        if match.group("num2"):
            second = parse_number(match.group("num2"))
            if second is not None:
                high = second * multiplier
        if pct:
            unit = "pp" if "point" in pct.lower() else "%"
        elif cur:
            unit = _CURRENCIES.get(cur.lower().rstrip("."), cur.upper())
        else:
            unit = "count"
        thing, thing_end = _thing_after(after)
        end = match.end()
        if unit == "count":
            if thing in _TIME_UNITS:
                singular = thing.rstrip("s") if thing.endswith("s") and thing != "miles" else thing
                unit = UNIT_ALIASES.get(thing, singular)
                end += thing_end  # the unit word belongs to the value: "23 years", "28-year"
                thing = ""
            elif not thing:
                label = _LABEL_RE.search(sentence, window, match.start())
                if label is None:
                    continue  # a bare number with nothing measured: not a claim
                thing = label.group("label").lower()  # "Netherlands: 192": a labelled list entry
        approx = (match.group("approx") or "").lower()
        if is_word and vague_lower_bound(num_text) is not None:
            approx = "at least"  # "dozens of": a lower bound, never an exact figure
        start = match.start("approx") if match.group("approx") else match.start()
        raw = sentence[start:end]
        start += len(raw) - len(raw.lstrip())
        text = sentence[start:end].rstrip()
        quantity = Quantity(value * multiplier, unit, high, approx, thing)
        previous = out[-1] if out else None
        if (previous is not None and previous.quantity.unit == unit and previous.quantity.high is None
                and _RANGE_JOIN_RE.match(sentence[previous.end : start])
                and _RANGE_START_RE.search(sentence, max(0, previous.start - _LOOK), previous.start)):
            # "between $140 million and $150 million": one range, not two claims
            merged = Quantity(previous.quantity.value, unit, value * multiplier, previous.quantity.approx,
                              previous.quantity.thing or thing)
            stop = start + len(text)
            out[-1] = QuantityMention(previous.start, stop, sentence[previous.start : stop], merged)
            continue
        out.append(QuantityMention(start, start + len(text), text, quantity))
    return out


_THING_RE = re.compile(r"^[\s-]*(?:(?:of|the|a|an|its|their|his|her|more|additional|other|new|than)\s+)*"
                       r"([A-Za-z][A-Za-z'-]*)")


def _thing_after(after: str) -> tuple[str, int]:
    """Find the measured noun right after a number ("five sons" -> "sons") and where it ends."""
    pronoun = re.match(r"^\s+of\s+(them|those|these|us|whom)\b", after)
    if pronoun:
        return "of " + pronoun.group(1), pronoun.end()
    match = _THING_RE.match(after)
    if not match:
        return "", 0
    word = match.group(1).lower()
    if word in STOPWORDS or word in _NOT_THINGS or word in _CONNECTIVES:
        return "", 0
    return word, match.end()


_CODE_LEAD = frozenset({"boeing", "airbus", "flight", "route", "highway", "interstate", "apollo", "windows",
                        "model", "type", "article", "section", "chapter", "title", "amendment", "proposition",
                        "prop", "resolution", "bill", "room", "gate", "terminal", "platform", "channel"})


def _is_code(sentence: str, match: re.Match[str], value: float) -> bool:
    """Check for a number that names a model, route or code rather than counting anything."""
    if match.group("approx") or match.group("cur") or match.group("pct") or match.group("scale"):
        return False
    num2 = match.group("num2")
    if num2 and sentence[match.end("num") : match.start("num2")] == "-":
        second = parse_number(num2)
        if second is not None and second < value:
            return True  # "737-8": a range never runs downwards
    tail = sentence[match.end() : match.end() + 2]
    if tail[:1] == "-" and tail[1:].isupper():
        return True  # "737-MAX"
    before = sentence[max(0, match.start() - _LOOK) : match.start()].split()  # the word before, bounded
    return bool(before) and before[-1].lower() in _CODE_LEAD and before[-1][:1].isupper()


def format_quantity(q: Quantity) -> str:
    """Human-readable normalised value: "25 %", "2,500,000 USD", "40 count (palestinians)"."""
    def num(x: float) -> str:
        if q.unit == "time":
            return f"{int(x) // 60:02d}:{int(x) % 60:02d}"
        return f"{x:,.0f}" if x == int(x) else f"{x:,.2f}".rstrip("0")

    value = num(q.value) + (f"–{num(q.high)}" if q.high is not None else "")
    prefix = f"{q.approx} " if q.approx else ""
    return f"{prefix}{value} {q.unit}"
