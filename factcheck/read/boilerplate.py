"""Find the lines of a document that are not prose in its main language.

Pasted web text carries ads, navigation and widget labels, bylines, contact lines and
foreign-language footers.  Each line is judged on its own, by its shape (a lone
identifier, a run of hashtags, a `Label: value` credit), its script (letters mostly
CJK/Cyrillic/... in a Latin-script document), its language (py3langid, only on lines long
enough to trust) and a few generic call-to-action patterns.  Nothing here knows the seed
documents' strings.

The result is one `IgnoredSpan` per ignored line (the line without its newline), or per
inline HTML comment; `segment.segment` skips those spans.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from factcheck.records import Document, IgnoredSpan

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["find_boilerplate", "line_script", "main_script", "script_of"]


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Lines with at least this many words are long enough for a language-ID verdict.
MIN_WORDS_FOR_LANGID = 8
LANGID_CONFIDENCE = 0.95

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_WORD = re.compile(r"\w+(?:['’.-]\w+)*")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
_IDENTIFIER = re.compile(r"[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)*")
_HASHTAG = re.compile(r"#\w+")
_RELATIVE_TIME = re.compile(
    r"(?:\d+|an?|one|few)\s+(?:sec(?:ond)?s?|min(?:ute)?s?|h(?:ou)?rs?|hours?|days?|weeks?|months?|years?)"
    r"\s+ago|just now|yesterday|today",
    re.IGNORECASE,
)
_DATE_VALUE = re.compile(
    r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{1,2}\s+[A-Za-z]{3,9}\.?,?\s+\d{4}"
    r"|[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})"
)
_METADATA_LABEL = re.compile(
    r"(?:date|dated|published(?: on)?|first published|posted(?: on)?)\s*:?\s+", re.IGNORECASE
)
_TIMESTAMP_LABEL = re.compile(r"(?:last\s+)?(?:updated|modified|edited)(?: on| at)?\s*:?\s+", re.IGNORECASE)
# Labels of credit/attribution lines, in a few languages: "Source: X", "作者 X", "Автор: X".
_CREDIT_LABELS = _wordset(
    """source credit credits photo photos image images picture pictures photograph graphic chart
    illustration video author authors reporter reporters writer editor editing reporting
    contributor contributors via copyright caption
    作者 来源 來源 记者 記者 编辑 編輯 责编 責編 出处 出處 图片 圖片 撰文 文 图 圖 著者 出典 写真 기자 출처
    автор источник фото quelle autor fuente fonte auteur"""
)
_CREDIT_LINE = re.compile(r"(?:photo|image|video|illustration|graphic)s?\s+(?:by|credit|courtesy)\b", re.I)
_BY_LINE = re.compile(
    r"(?i:(?:written|reported|posted|edited)\s+)?(?i:by)\s+(?:[A-Z][\w.'’-]*\s*){1,4}"
    r"(?:(?:,|\||and|&|-|–|—)\s*.{0,60})?$"
)
_AD = re.compile(
    r"\bclick\s+(?:here|now|below|the link)\b|\btap\s+here\b|\bsubscribe\s+(?:to|now|today|for|here)\b"
    r"|\bsign\s+up\s+(?:now|today|here|for\s+(?:our|free|the))\b|\bnewsletters?\b.*\b(?:sign|subscri)"
    r"|\b(?:sign|subscri)\w*\b.*\bnewsletters?\b|\bdownload\s+(?:the|our)\s+(?:\w+\s+)?app\b"
    r"|\bfollow\s+us\b|\b(?:read|learn|see)\s+more\s*(?:here|:|»|›|>|$)|\badvertisement\b"
    r"|\bsponsored\s+(?:content|post|by)\b|\bputs\s+you\s+on\b|\b\d+\s*\+\s+(?:top\s+)?(?:sites|outlets|media)\b"
    r"|\b(?:get|try|buy|order|shop|join|grab|claim|start|book)\s+(?:\w+\s+){0,3}(?:now|today)\s*[!.]?$"
    r"|^(?:get|try|buy|order|shop|join|grab|claim|download|register|subscribe)\b.{0,60}\b(?:here|now|today)\b",
    re.IGNORECASE,
)
_CONTACT = re.compile(
    r"\bplease\s+(?:contact|e-?mail|write to|call)\b|\bfor\s+(?:queries|enquiries|inquiries)\b", re.I
)
_AD_KEYS = (
    "click", "tap", "subscri", "sign", "newsletter", "download", "follow", "more", "advertis",
    "sponsor", "puts you", "+", "now", "today", "here",
)  # fmt: skip
_DISCLAIMER_KEYS = ("disclaimer", "rights reserved", "©", "advice", "informational")
_DISCLAIMER = re.compile(
    r"^disclaimer\b|\ball rights reserved\b|^(?:copyright\s*)?©|\bnot (?:financial|investment) advice\b"
    r"|\bfor informational purposes only\b|\bdoes not constitute (?:financial |investment )?advice\b",
    re.IGNORECASE,
)
_ENGLISH_FUNCTION_WORDS = _wordset(
    """the of and to in is was for on that with as at by from it its he she they his her their
    has have had be been are were will would said says this which who an a but not or also after
    than more over about into up out we our you i"""
)
_SENTENCE_END = ".!?…。！？:;,\"'”’)]»"


@lru_cache(maxsize=4096)
def script_of(ch: str) -> str:
    """Return the script of one letter: latin, cjk, cyrillic, greek, arabic, hebrew, indic, thai or other."""
    o = ord(ch)
    if o < 0x250 or 0x1E00 <= o < 0x1F00 or 0x2C60 <= o < 0x2C80 or 0xA720 <= o < 0xA800:
        return "latin"
    if (
        0x2E80 <= o < 0xA000
        or 0xAC00 <= o < 0xD7B0
        or 0x1100 <= o < 0x1200
        or 0xF900 <= o < 0xFB00
        or 0xFF00 <= o < 0xFFF0
        or 0x20000 <= o < 0x30000
    ):
        return "cjk"
    if 0x400 <= o < 0x530 or 0x1C80 <= o < 0x1C90:
        return "cyrillic"
    if 0x370 <= o < 0x400 or 0x1F00 <= o < 0x2000:
        return "greek"
    if 0x600 <= o < 0x700 or 0x750 <= o < 0x780 or 0xFB50 <= o < 0xFE00 or 0xFE70 <= o < 0xFF00:
        return "arabic"
    if 0x590 <= o < 0x600:
        return "hebrew"
    if 0x900 <= o < 0xE00:
        return "indic"
    if 0xE00 <= o < 0xE80:
        return "thai"
    return "other"


def line_script(line: str) -> tuple[str, float, int]:
    """Return the majority script of `line`'s letters, its share of them and the letter count."""
    total = sum(map(str.isalpha, line))
    if not total:
        return "", 0.0, 0
    if line.isascii():
        return "latin", 1.0, total
    counts: dict[str, int] = {}
    for ch in _NON_ASCII.findall(line):
        if ch.isalpha():
            script = script_of(ch)
            if script != "latin":
                counts[script] = counts.get(script, 0) + 1
    counts["latin"] = total - sum(counts.values())
    best = max(counts, key=counts.__getitem__)
    return best, counts[best] / total, total


def main_script(text: str, sample: int = 200_000) -> str:
    """Return the script most letters of `text` (its first `sample` characters) are written in."""
    script, _, total = line_script(text[:sample])
    return script if total else "latin"


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def classify_language(text: str) -> tuple[str, float]:
    """Language code and probability for `text` (py3langid with normalised probabilities)."""
    lang, prob = _identifier().classify(text)
    return str(lang), float(prob)


def _iter_lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every line, `end` excluding the newline and a trailing carriage return."""
    start = 0
    n = len(text)
    while start <= n:
        nl = text.find("\n", start)
        end = n if nl < 0 else nl
        stop = end - 1 if end > start and text[end - 1] == "\r" else end
        yield start, stop
        if nl < 0:
            return
        start = nl + 1


def _markup_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges of HTML comments and of leading front matter (`---` ... `---`)."""
    ranges: list[tuple[int, int]] = []
    if text.startswith(("---\n", "---\r\n", "+++\n", "+++\r\n")):
        fence = text[:3]
        for closing in (f"\n{fence}\n", f"\n{fence}\r\n"):
            pos = text.find(closing, 3)
            if 0 <= pos < 20_000:
                ranges.append((0, pos + 1 + len(fence)))
                break
        else:
            if text.endswith(f"\n{fence}") or text.endswith(f"\n{fence}\r"):
                ranges.append((0, len(text.rstrip("\r"))))
    pos = text.find("<!--")
    while pos >= 0:
        close = text.find("-->", pos + 4)
        end = len(text) if close < 0 else close + 3
        ranges.append((pos, end))
        pos = text.find("<!--", end)
    return ranges


def _is_english_prose(words: Sequence[str]) -> bool:
    """Cheap check that a line is English: enough common function words."""
    hits = sum(1 for w in words if w.lower() in _ENGLISH_FUNCTION_WORDS)
    return hits >= 2 and hits * 8 >= len(words)


def _first_token(line: str) -> str:
    head = line.split(None, 1)[0] if line.split(None, 1) else ""
    return head.rstrip(":：").lower()


def _label_value(line: str) -> tuple[str, str] | None:
    """Split a `Label: value` line; None when there is no short label."""
    for sep in (":", "："):
        label, found, value = line.partition(sep)
        if found and value.strip() and 0 < len(label.split()) <= 3 and len(label) <= 30:
            return label.strip(), value.strip()
    return None


def classify_line(
    line: str, *, doc_script: str, doc_language: str, prev_line: str, header: bool
) -> str | None:
    """Return why `line` (stripped, non-empty) is not prose, or None when it is prose.

    `prev_line` is the previous line (stripped; "" when blank or absent); `header` is true
    for the first five non-empty lines of the document.
    """
    script, share, letters = line_script(line)
    words = _WORD.findall(line)
    n_words = len(words)
    # Foreign script: letters mostly in another script than the document's.
    if letters and script != doc_script and share > 0.5:
        return "foreign-script"
    first = _first_token(line)
    if letters and n_words <= 6 and first:
        first_script = line_script(first)[0]
        if first in _CREDIT_LABELS and (first_script != doc_script or ":" in line[: len(first) + 2]):
            return "byline"
        if first_script and first_script != doc_script:
            return "foreign-script"
    has_digit = any(map(str.isdigit, line))
    if has_digit and n_words <= 14 and _DATE_VALUE.search(line):
        m = _METADATA_LABEL.match(line)
        if m and _DATE_VALUE.match(line, m.end()):
            return "metadata"
        if header and _DATE_VALUE.fullmatch(line.rstrip(".")):
            return "metadata"
    if has_digit and n_words <= 12 and _TIMESTAMP_LABEL.match(line):
        return "byline"
    if n_words <= 5 and _RELATIVE_TIME.fullmatch(line.strip(" .·|-–—")):
        return "byline"
    if n_words <= 30 and "@" in line and _EMAIL.search(line):
        return "contact"
    low = line.lower()
    if n_words <= 30 and ("please" in low or "for " in low) and _CONTACT.search(line):
        return "contact"
    tokens = line.split()
    tags = sum(1 for t in tokens if _HASHTAG.fullmatch(t.rstrip(",;"))) if "#" in line else 0
    if tags and tags * 2 >= len(tokens) and not line.startswith("# "):
        return "hashtags"
    if (
        len(tokens) == 1
        and _IDENTIFIER.fullmatch(line)
        and not (len(prev_line.split()) >= 6 and prev_line[-1] not in _SENTENCE_END)
    ):
        return "widget"
    if n_words <= 30 and any(k in low for k in _AD_KEYS) and _AD.search(line):
        return "ad"
    if n_words <= 40 and any(k in low for k in _DISCLAIMER_KEYS) and _DISCLAIMER.search(line):
        return "disclaimer"
    if n_words <= 12:
        lv = _label_value(line)
        if lv and lv[0].lower() in _CREDIT_LABELS and len(lv[1].split()) <= 6:
            return "byline"
        if _BY_LINE.match(line) or _CREDIT_LINE.match(line):
            return "byline"
    if n_words >= MIN_WORDS_FOR_LANGID and not (doc_language == "en" and _is_english_prose(words)):
        lang, prob = classify_language(line)
        if lang != doc_language and prob >= LANGID_CONFIDENCE:
            return "foreign-language"
    return None


def find_boilerplate(doc: Document) -> list[IgnoredSpan]:
    """Every line of `doc` that is not prose in the document's main language, with a reason."""
    from factcheck.read.suppress import is_directive

    text = doc.text
    spans: list[IgnoredSpan] = []
    doc_script = main_script(text)
    markup = _markup_ranges(text)
    mi = 0
    prev = ""
    header_left = 5
    line_no = 0
    for start, end in _iter_lines(text):
        line_no += 1
        raw = text[start:end]
        line = raw.strip()
        if not line:
            prev = ""
            continue
        # HTML comments and front matter: whole lines become "markup", inline comments their span.
        while mi < len(markup) and markup[mi][1] <= start:
            mi += 1
        covered = False
        j = mi
        while j < len(markup) and markup[j][0] < end:
            m_start, m_end = markup[j]
            lead = start + (len(raw) - len(raw.lstrip()))
            trail = start + len(raw.rstrip())
            if m_start <= lead and m_end >= trail:
                covered = True
                break
            s, e = max(m_start, start), min(m_end, end)
            spans.append(IgnoredSpan(doc.path, s, e, line_no, s - start + 1, "markup", text[s:e]))
            j += 1
        if covered:
            spans.append(IgnoredSpan(doc.path, start, end, line_no, 1, "markup", raw))
            prev = line
            continue
        if "factcheck" in line and is_directive(line):  # `# factcheck: ignore[FC101]` comment lines
            spans.append(IgnoredSpan(doc.path, start, end, line_no, 1, "directive", raw))
            prev = ""
            continue
        header = header_left > 0
        header_left -= 1
        reason = classify_line(
            line, doc_script=doc_script, doc_language=doc.language, prev_line=prev, header=header
        )
        if reason is not None:
            spans.append(IgnoredSpan(doc.path, start, end, line_no, 1, reason, raw))
        prev = line if reason is None else ""
    return spans
