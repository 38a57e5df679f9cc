"""Roles: which words make a role, how roles normalise, and role phrases around a name."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from factcheck.extract.text import Token, word_set

ROLE_HEADS = word_set(
    """minister secretary president chancellor representative negotiator governor mayor chief director
    spokesman spokeswoman spokesperson ambassador senator chairman chairwoman chair ceo coo cfo cto executive
    officer commissioner judge prosecutor attorney general captain coach manager premier king queen prince
    princess leader head editor founder owner pm vice deputy envoy speaker sheriff superintendent commander
    lieutenant sergeant detective trooper analyst economist strategist host anchor treasurer adviser advisor
    advisers counsel pope bishop archbishop cardinal emperor dean principal provost diplomat lawmaker
    congressman congresswoman councillor councilman councilwoman administrator inspector marshal
    correspondent reporter producer agent"""
)
# Heads of roles that one person holds at a time (within a scope).
SINGLE_HOLDER_HEADS = word_set(
    """minister secretary president chancellor governor mayor premier king queen pope emperor ceo coo cfo
    cto chairman chairwoman chair speaker sheriff superintendent treasurer dean principal provost
    negotiator coach manager owner founder"""
)
ROLE_MODIFIERS = word_set(
    """chief deputy senior top lead vice acting former interim assistant associate general executive prime
    foreign finance trade defence defense interior justice health education agriculture economy economic
    revitalization commerce treasury state home labor labour energy transport environment culture
    tourism industry police prison fire army navy military federal national regional district county city
    state's team club party union press communications operating financial technology tariff trade-policy
    special first second managing"""
)
TITLE_ABBREVIATIONS = {"mr.": "", "mrs.": "", "ms.": "", "dr.": "", "prof.": "professor", "gen.": "general",
                       "sen.": "senator", "rep.": "representative", "gov.": "governor", "lt.": "lieutenant",
                       "col.": "colonel", "sgt.": "sergeant", "capt.": "captain", "pres.": "president"}

SCOPE_ALIASES = {
    "japan's": "japan", "japanese": "japan", "japan": "japan", "tokyo's": "japan",
    "us": "us", "u.s.": "us", "u.s": "us", "american": "us", "america's": "us", "washington's": "us",
    "united states": "us", "uk": "uk", "u.k.": "uk", "british": "uk", "britain's": "uk",
    "china's": "china", "chinese": "china", "german": "germany", "germany's": "germany",
    "french": "france", "france's": "france", "greek": "greece", "greece's": "greece",
    "israeli": "israel", "israel's": "israel", "palestinian": "palestine", "eu": "eu", "european": "eu",
}

DEFAULT_ROLE_SYNONYMS: dict[str, str] = {
    "minister of economy, trade and industry": "trade minister",
    "economy, trade and industry minister": "trade minister",
    "economy trade and industry minister": "trade minister",
    "minister of trade": "trade minister",
    "meti minister": "trade minister",
    "industry minister": "trade minister",
    "chief trade negotiator": "chief negotiator",
    "top tariff negotiator": "chief negotiator",
    "top trade negotiator": "chief negotiator",
    "top negotiator": "chief negotiator",
    "lead negotiator": "chief negotiator",
    "chief tariff negotiator": "chief negotiator",
    "lead trade negotiator": "chief negotiator",
    "minister of finance": "finance minister",
    "pm": "prime minister",
    "premier": "prime minister",
    "ceo": "chief executive",
    "chief executive officer": "chief executive",
    "coo": "chief operating officer",
    "cfo": "chief financial officer",
    "treasury secretary": "treasury secretary",
    "secretary of the treasury": "treasury secretary",
    "minister in charge of economic revitalization": "economic revitalization minister",
    "economic revitalisation minister": "economic revitalization minister",
}

# Countries as they follow "of" in a title ("Minister of Finance of Japan"), with their scope.
SCOPE_COUNTRIES = {
    "japan": "japan", "the united states": "us", "the us": "us", "the u.s.": "us", "the u.s": "us",
    "america": "us", "britain": "uk", "the uk": "uk", "the u.k.": "uk", "the united kingdom": "uk",
    "china": "china", "germany": "germany", "france": "france", "greece": "greece", "israel": "israel",
}
_COUNTRY_ALTERNATIVES = "|".join(re.escape(c) for c in sorted(SCOPE_COUNTRIES, key=len, reverse=True))
_TRAILING_SCOPE_RE = re.compile(rf"\s+of (?P<country>{_COUNTRY_ALTERNATIVES})$")
_TO_RE = re.compile(r"^(?P<head>[a-z -]+?) to (?:the )?(?P<principal>[a-z .,&'-]+)$")
_OF_RE = re.compile(r"^(?P<head>[a-z ]+?) (?:of|for) (?:the )?(?P<field>[a-z ,&-]+)$")


@dataclass(frozen=True, slots=True)
class RolePhrase:
    """A role found next to a name: canonical role, scope and sentence offsets."""

    role: str
    scope: str
    start: int
    end: int
    text: str


# Words that make a role a past one: "former", "ex-", "then-", and verbs or adjectives before a title
# that say the holder left it ("fired Secretary of State Rex Tillerson", "the late senator").
FORMER_WORDS = frozenset({"former", "ex", "then", "onetime", "one-time", "erstwhile", "previous", "late",
                          "outgoing", "departed", "ousted", "fired", "sacked", "dismissed", "deposed",
                          "retired", "disgraced", "exiled", "impeached", "resigned"})
# Relatives of a role holder: "the president's daughter Ivanka Trump" holds no role of her father's.
KIN_WORDS = frozenset({"wife", "husband", "son", "daughter", "brother", "sister", "mother", "father",
                       "widow", "widower", "niece", "nephew", "cousin", "uncle", "aunt", "grandson",
                       "granddaughter", "grandmother", "grandfather", "stepson", "stepdaughter", "fiancee",
                       "fiancée", "fiance", "partner", "girlfriend", "boyfriend", "child", "children",
                       "sons", "daughters", "parents", "spouse", "in-law", "son-in-law", "daughter-in-law",
                       "sister-in-law", "brother-in-law", "father-in-law", "mother-in-law"})


def is_former(role: str) -> bool:
    """Whether a canonical role names a past holder ("former state secretary")."""
    return role.split()[:1] == ["former"]


def _strip_former(words: list[str]) -> tuple[list[str], bool]:
    """Drop past-holder words from a role phrase: "Former Secretary", "ex-president", "then-Gov."."""
    kept, former = [], False
    for word in words:
        low = word.lower()
        for prefix in ("ex-", "then-", "former-"):
            if low.startswith(prefix) and len(low) > len(prefix):
                word, low, former = word[len(prefix) :], low[len(prefix) :], True
        if low in FORMER_WORDS:
            former = True
            continue
        kept.append(word)
    return kept, former


HEAD_ALIASES = {"spokesman": "spokesperson", "spokeswoman": "spokesperson", "chairwoman": "chair",
                "chairman": "chair", "congresswoman": "congressman", "councilwoman": "councillor",
                "councilman": "councillor", "advisor": "adviser", "defense": "defence", "labour": "labor"}


def canonical_role(text: str, synonyms: Mapping[str, str] = DEFAULT_ROLE_SYNONYMS) -> tuple[str, str]:
    """Normalise a role phrase to (role, scope).

    "Japan's chief trade negotiator" -> ("chief negotiator", "japan").

    The scope is the country or organisation the role belongs to: a possessive ("HP's"), a
    country adjective ("Japanese"), or leading capitalised words that are not role words
    ("UNRWA spokesman", "Angels general manager").
    """
    words = " ".join(text.replace("’", "'").split()).strip(" ,.").split()
    words, former = _strip_former(words)
    role, scope = _canonical(words, synonyms)
    return (f"former {role}" if former and role else role), scope


def _canonical(words: list[str], synonyms: Mapping[str, str]) -> tuple[str, str]:
    while words and words[0].lower() in {"the", "a", "an"}:
        words.pop(0)
    whole = " ".join(HEAD_ALIASES.get(w, w) for w in " ".join(words).lower().split())
    if whole in synonyms:
        return synonyms[whole], ""
    scope_words: list[str] = []
    while len(words) > 1:
        word = words[0]
        low = word.lower()
        if low in SCOPE_ALIASES and len(words) > 1:
            scope_words.append(SCOPE_ALIASES[low])
            words.pop(0)
            continue
        if low.endswith("'s"):
            scope_words.append(SCOPE_ALIASES.get(low, low[:-2]))
            words.pop(0)
            break
        bare = low.strip(",.;:")
        if word[:1].isupper() and bare not in ROLE_HEADS and bare not in ROLE_MODIFIERS:
            scope_words.append(low)
            words.pop(0)
            continue
        break
    low = " ".join(words).lower()
    trailing = _TRAILING_SCOPE_RE.search(low)
    if trailing:  # "the Minister of Finance of Japan": the country is the scope
        low = low[: trailing.start()]
        if not scope_words:
            scope_words.append(SCOPE_COUNTRIES[trailing.group("country")])
    scope = " ".join(scope_words)
    low = " ".join(HEAD_ALIASES.get(w, w) for w in low.split())
    if low in synonyms:
        return synonyms[low], scope
    staff = _TO_RE.match(low)
    if staff:  # "senior adviser to the president": the adviser's role, the president is its scope
        return staff.group("head").strip(), scope or staff.group("principal").strip()
    match = _OF_RE.match(low)
    if match:
        swapped = f"{match.group('field').strip()} {match.group('head').strip()}"
        return synonyms.get(swapped, swapped), scope
    return low, scope


def role_head(role: str) -> str:
    """Return the head word of a canonical role ("chief negotiator" -> "negotiator")."""
    words = role.split()
    return words[-1] if words else ""


def roles_match(a: str, b: str) -> bool:
    """Check for the same role: equal, or same head with one's modifiers a subset of the other's."""
    if a == b:
        return True
    wa, wb = a.split(), b.split()
    if not wa or not wb or wa[-1] != wb[-1]:
        return False
    ma, mb = set(wa[:-1]), set(wb[:-1])
    return bool(ma) and bool(mb) and (ma <= mb or mb <= ma) and "prime" not in ma ^ mb


_PAST_PREFIX_RE = re.compile(r"^(?:ex|then|former)-(?=\w)")


def _is_role_word(token: Token) -> bool:
    low = _PAST_PREFIX_RE.sub("", token.lower)
    return low in ROLE_HEADS or low in ROLE_MODIFIERS


def _is_title_word(token: Token) -> bool:
    """Check for a capitalised word that can be one field of a title ("Economy", "Trade")."""
    return token.text[:1].isupper() and token.text.isalpha()


def _of_list_end(toks: list[Token], comma: int) -> int | None:
    """Index just past an "A, B and C" list that a comma inside "Minister of A, B and C" continues.

    The comma must follow one capitalised word, and single capitalised words separated by commas must
    lead to "and" (or "&") and one or two capitalised words: "Economy, Trade and Industry",
    "Land, Infrastructure, Transport and Tourism".  Anything else ends the title at the comma.
    """
    if comma == 0 or not _is_title_word(toks[comma - 1]):
        return None
    k, n = comma + 1, len(toks)
    while True:
        if k >= n or not _is_title_word(toks[k]):
            return None
        k += 1
        if k + 1 < n and toks[k].text == "," and toks[k + 1].lower in {"and", "&"}:
            k += 1  # Oxford comma: "Land, Transport, and Tourism"
            break
        if k < n and toks[k].text == ",":
            k += 1
            continue
        if k < n and toks[k].lower in {"and", "&"}:
            break
        return None
    k += 1  # past "and"
    if k >= n or not _is_title_word(toks[k]):
        return None
    return k + 1


def _of_list_start(toks: list[Token], first: int) -> int | None:
    """Index of the role head of a "Minister of A, B and C" title that ends right before a name."""
    k = first - 1
    fields = 0
    while k > 0 and first - k <= 12:
        token = toks[k]
        if _is_title_word(token) and token.lower not in {"and", "of", "for"}:
            fields += 1
        elif token.text == "," or token.lower in {"and", "&"}:
            if not fields or not _is_title_word(toks[k + 1]):
                return None  # a separator must sit between fields
        elif token.lower == "the" and toks[k - 1].lower in {"of", "for"}:
            pass
        elif token.lower in {"of", "for"}:
            if fields and toks[k + 1].text != "," and toks[k - 1].lower in ROLE_HEADS:
                return k - 1
            return None
        else:
            return None
        k -= 1
    return None


def role_before(toks: list[Token], first: int) -> tuple[int, int] | None:
    """Token range [i, first) of a title right before a name ("Trade Minister", "UNRWA spokesman").

    The title may end in an "of" field or list: "Minister of Economy, Trade and Industry Yoji Muto".
    """
    if first == 0:
        return None
    prev = toks[first - 1]
    i = first - 1
    bare = _PAST_PREFIX_RE.sub("", prev.lower)
    if bare not in ROLE_HEADS and bare.rstrip(".") not in {"pm", "ceo", "coo", "cfo"}:
        head = _of_list_start(toks, first)
        if head is None:
            return None
        i = head
    return _extend_left(toks, i, capitals=True, limit=None), first


def _extend_left(toks: list[Token], i: int, *, capitals: bool, limit: int | None) -> int:
    """Walk left from token i over role words (and capitalised words) to an optional scope word."""
    while i > 0 and (limit is None or limit - i < 6):
        cand = toks[i - 1]
        title_word = capitals and cand.text[:1].isupper() and cand.text.isalpha() and i - 1 > 0
        if _is_role_word(cand) or title_word:
            i -= 1
            continue
        if cand.text.endswith(("'s", "’s")) or cand.lower in SCOPE_ALIASES:
            i -= 1
        break
    return i


_LATER_WORDS = frozenset({"later", "then", "now", "since", "subsequently", "eventually", "afterwards"})
_APPOSITION_STOP = {",", ".", ";", ":", "(", ")", "—", "–", '"', "“", "”"}


def role_after(toks: list[Token], last: int) -> tuple[int, int] | None:
    """Token range of an apposition role after a name: "Akio Akazawa, Japan's chief trade negotiator,"."""
    i = last + 1
    if i >= len(toks) or toks[i].text != ",":
        return None
    j = i + 1
    if j < len(toks) and toks[j].lower in {"who", "which"}:
        # "X, who took over as HP's chief executive", "X, who was hired as chief executive"
        k = j + 1
        while k < len(toks) and k < j + 6 and toks[k].lower != "as":
            if toks[k].text in _APPOSITION_STOP:
                return None
            k += 1
        if k >= len(toks) or toks[k].lower != "as":
            return None
        j = k + 1
    begin = j
    limit, in_field = 8, False
    while j < len(toks) and j - begin < limit:
        if toks[j].text == "," and in_field:
            list_end = _of_list_end(toks, j)
            if list_end is not None:  # "Minister of Economy, Trade and Industry,": the commas are the title's
                limit += list_end - j
                j = list_end
                continue
        if toks[j].text in _APPOSITION_STOP:
            break
        if toks[j].lower == "and" and j + 1 < len(toks) and toks[j + 1].lower in _LATER_WORDS:
            break  # "then a district attorney and later the chief justice": the first role is the one then
        if toks[j].lower in {"of", "for"} and j > begin and toks[j - 1].lower in ROLE_HEADS:
            in_field = True
        j += 1
    if j == begin:
        return None
    phrase = toks[begin:j]
    heads = [k for k, t in enumerate(phrase) if t.lower in ROLE_HEADS]
    if not heads or any(t.lower in KIN_WORDS for t in phrase[: heads[-1]]):
        return None  # "Ivanka Trump, daughter of the president,": a relative holds no role of his
    end = begin + heads[-1] + 1
    if end < len(toks) and toks[end].text[:1].isupper() and toks[end].text[:1].isalpha():
        return None  # ", general manager Tony Reagins said": a title of the next name, not an apposition
    # allow "of Z" after the head: "the president of the Academy"
    if end < j and toks[end].lower in {"of", "for"}:
        end = j
    if any(t.lower in {"said", "says", "told", "is", "was", "has", "had"} for t in toks[begin:end]):
        return None
    return begin, end


def role_before_comma(toks: list[Token], first: int) -> tuple[int, int] | None:
    """Role phrase followed by a comma and the name: "Japan's chief negotiator, Ryosei Akazawa,"."""
    if first < 2 or toks[first - 1].text != ",":
        return None
    end = first - 1
    if toks[end - 1].lower not in ROLE_HEADS:
        return None
    return _extend_left(toks, end - 1, capitals=False, limit=end), end
