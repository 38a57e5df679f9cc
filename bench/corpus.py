"""Deterministic benchmark corpora built from realistic news text.

Source sentences come from ../shared/eval/dev/*/docs/*.txt (ECB+ news, one sentence per paragraph) and
seeds/*.txt.  A corpus is a set of *stories*; each story is a run of ~45 source sentences with its own
seeded substitutions (every proper noun -> an invented name that no other story uses, numbers rescaled,
years/months/weekdays shifted) and is published by 2-5 *outlets*.  Because the source sentences recur
across stories (windows of one pool), the substitution is what keeps stories apart: two stories about
different events never share a person, place or organisation name, as in real news, so the only
contradictions between stories are those a template sentence without any name carries.  Each outlet's
document keeps most of the story's sentences (so documents of one story are cross-document
near-duplicates, like multi-outlet news), adds a few sentences from other stories, and with a small
probability states a conflicting value (another number, another given name).

Usage:  python bench/corpus.py 10k [--out bench/corpora]   (the benchmark calls build_corpus itself)
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPORA = ROOT / "bench" / "corpora"
GENERATOR_VERSION = 2
SENTENCES_PER_DOC = 40
CONFLICT_RATE = 0.04  # per sentence with a number or a name, in one outlet's copy

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
KEEP_CAPS = {"I", "U.S.", "US", "UK", "UN", "EU", "Mr", "Mrs", "Ms", "Dr", "Jan", "Feb", "Mar", "Apr", "Jun",
             "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"}
SYLLABLES = ["ka", "lo", "mi", "ra", "ten", "vor", "sa", "bel", "dan", "ri", "no", "gar", "fe", "lin", "to",
             "mar", "zu", "el", "ho", "van", "di", "qu", "sor", "al", "be", "ran", "cho", "ma", "te", "lu",
             "os", "kin", "pe", "dra", "wi", "son", "ga", "fi", "ver", "nu"]
GIVEN = ["James", "Maria", "Ahmed", "Yuki", "Elena", "David", "Fatima", "Carlos", "Ingrid", "Tomas", "Aisha",
         "Pierre", "Olga", "Ravi", "Lena", "Kofi", "Sofia", "Hiro", "Nadia", "Peter", "Amara", "Jonas",
         "Chen", "Lucia", "Omar", "Greta", "Sanjay", "Ines", "Mateo", "Hana"]

WORD = re.compile(r"[A-Z][a-zA-Z]+")
ABBREVIATION_END = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Prof|Rev|Jr|Sr|No|Mt|Ft)|\b[A-Z])\.[\"”’]?$")
NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?![\d,])|(?<![\w.,])\d+(?:\.\d+)?(?![\d])")
SENTENCE_SPLIT = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’]))\s+(?=[\"“A-Z])")


@dataclass(frozen=True)
class CorpusInfo:
    """What build_corpus wrote."""

    path: Path
    documents: int
    sentences: int  # sentences written (the segmenter's count may differ slightly)
    stories: int
    conflicts: int


def parse_size(text: str) -> int:
    """'1k' -> 1000, '100k' -> 100000, '2500' -> 2500."""
    text = text.strip().lower()
    scale = 1000 if text.endswith("k") else 1
    return int(float(text.rstrip("k")) * scale)


def size_label(size: int) -> str:
    """1000 -> '1k'."""
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def _clean(sentence: str) -> str | None:
    sentence = " ".join(sentence.split())
    words = sentence.split()
    if len(words) < 6 or len(words) > 60:
        return None
    letters = sum(ch.isascii() and ch.isalpha() for ch in sentence)
    if letters < 0.6 * len(sentence) or sentence.lower().startswith(("published:", "updated:", "date:")):
        return None
    return sentence


def source_sentences(shared: Path = SHARED, seeds: Path = ROOT / "seeds") -> list[str]:
    """Unique, ordered sentences of the dev documents and the seeds (order kept for topical runs)."""
    files = sorted(shared.glob("eval/dev/*/docs/*.txt")) + sorted(seeds.glob("*.txt"))
    if not files:
        raise SystemExit(f"no source texts under {shared}/eval/dev or {seeds}")
    seen: set[str] = set()
    out: list[str] = []
    for file in files:
        for paragraph in re.split(r"\n\s*\n", file.read_text(encoding="utf-8", errors="replace")):
            for piece in _join_abbreviations(SENTENCE_SPLIT.split(paragraph.strip())):
                sentence = _clean(piece)
                if sentence and sentence not in seen:
                    seen.add(sentence)
                    out.append(sentence)
    return out


def _join_abbreviations(pieces: list[str]) -> list[str]:
    """Undo splits after 'Mr.', 'Dr.', initials and the like (the split regex cannot look behind them)."""
    out: list[str] = []
    for piece in pieces:
        if out and ABBREVIATION_END.search(out[-1]):
            out[-1] += " " + piece
        else:
            out.append(piece)
    return out


def _proper_nouns(sentences: list[str], common: set[str]) -> set[str]:
    """Capitalised words seen inside a sentence (not first) whose lower-case form never occurs."""
    found: set[str] = set()
    for sentence in sentences:
        first = re.match(r"\W*\w+", sentence)
        head_end = first.end() if first else 0
        for match in WORD.finditer(sentence, head_end):
            if match.group().lower() not in common:
                found.add(match.group())
    return found


def _lowercase_vocabulary(sentences: list[str]) -> set[str]:
    words: set[str] = set()
    for sentence in sentences:
        words.update(w for w in re.findall(r"[a-z][a-z'\-]+", sentence))
    return words


class Substituter:
    """One story's consistent substitutions: proper nouns, numbers, years, months, weekdays."""

    def __init__(self, seed: int, common: set[str], proper: set[str], taken: dict[str, int]) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.common = common
        self.proper_nouns = proper
        self.taken = taken  # invented name -> the story seed that owns it (shared by all stories)
        self.names: dict[str, str] = {}
        self.numbers: dict[str, str] = {}
        self.year_shift = self.rng.randint(-6, 6)
        self.month_shift = self.rng.randint(0, 11)
        self.weekday_shift = self.rng.randint(0, 6)

    def _invent(self, word: str) -> str:
        """A name of 2-4 syllables that no other story has used (re-drawn on a clash, deterministically)."""
        digest = hashlib.blake2b(f"{self.seed}:{word}".encode(), digest_size=8).digest()
        rng = random.Random(digest)
        while True:
            parts = rng.choice((2, 3, 3, 4))
            name = "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()
            owner = self.taken.setdefault(name, self.seed)
            if owner == self.seed and name.lower() not in self.common and name not in self.names.values():
                return name

    def proper(self, word: str) -> str:
        """A consistent invented replacement for a capitalised word that is not a common word."""
        if word in KEEP_CAPS or word.lower() in self.common:
            return word
        if word in MONTHS:
            return MONTHS[(MONTHS.index(word) + self.month_shift) % 12]
        if word in WEEKDAYS:
            return WEEKDAYS[(WEEKDAYS.index(word) + self.weekday_shift) % 7]
        if word not in self.names:
            self.names[word] = self._invent(word)
        return self.names[word]

    def number(self, text: str) -> str:
        """A consistent rescaled number with the same shape (commas, decimals, years)."""
        if text not in self.numbers:
            self.numbers[text] = _rescale(text, self.rng, self.year_shift)
        return self.numbers[text]

    def apply(self, sentence: str) -> str:
        """Substitute names and numbers; a sentence's first word only when it is a known proper noun."""
        first = re.match(r"\W*\w+", sentence)
        head_end = first.end() if first else 0

        def name(match: re.Match[str]) -> str:
            word = match.group()
            if match.start() < head_end and word not in MONTHS + WEEKDAYS and word not in self.proper_nouns:
                return word
            return self.proper(word)

        sentence = WORD.sub(name, sentence)
        return NUMBER.sub(lambda m: self.number(m.group()), sentence)


def _rescale(text: str, rng: random.Random, year_shift: int) -> str:
    plain = text.replace(",", "")
    if re.fullmatch(r"(19|20)\d\d", plain):
        return str(int(plain) + year_shift)
    if "." in plain:
        value = float(plain) * rng.uniform(0.5, 1.8)
        decimals = len(plain.split(".")[1])
        return f"{value:.{decimals}f}"
    value_int = int(plain)
    if value_int <= 31:
        return str(max(1, min(28, value_int + rng.randint(-3, 3))))
    new = max(1, round(value_int * rng.uniform(0.5, 1.8)))
    return f"{new:,}" if "," in text else str(new)


def _conflict(sentence: str, rng: random.Random) -> str | None:
    """Another outlet's wrong value: a different number, or a different given name before a surname."""
    numbers = list(NUMBER.finditer(sentence))
    if numbers:
        match = rng.choice(numbers)
        plain = match.group().replace(",", "")
        try:
            value = float(plain)
        except ValueError:
            return None
        new = value + max(1, round(value * rng.uniform(0.1, 0.4)))
        new_text = f"{int(new):,}" if "," in match.group() else (
            str(int(new)) if "." not in plain else f"{new:.{len(plain.split('.')[1])}f}")
        return sentence[: match.start()] + new_text + sentence[match.end():]
    pair = re.search(r"\b([A-Z][a-z]+) ([A-Z][a-z]+)\b", sentence[1:])
    if pair:
        start = pair.start(1) + 1
        replacement = rng.choice([g for g in GIVEN if g != pair.group(1)])
        return sentence[:start] + replacement + sentence[start + len(pair.group(1)):]
    return None


def _paragraphs(sentences: list[str], rng: random.Random) -> str:
    out: list[str] = []
    i = 0
    while i < len(sentences):
        take = rng.choice((1, 1, 2, 3))
        out.append(" ".join(sentences[i : i + take]))
        i += take
    return "\n\n".join(out) + "\n"


def build_corpus(size: int, out_root: Path = CORPORA, seed: int = 20250701) -> CorpusInfo:
    """Write (or reuse) bench/corpora/<size>/ with about `size` sentences; deterministic for a seed."""
    target = out_root / size_label(size)
    manifest_file = target / "manifest.json"
    params = {"generator": GENERATOR_VERSION, "size": size, "seed": seed}
    if manifest_file.exists():
        manifest = json.loads(manifest_file.read_text())
        if manifest.get("params") == params:
            return CorpusInfo(target, manifest["documents"], manifest["sentences"], manifest["stories"],
                              manifest["conflicts"])
    pool = source_sentences()
    common = _lowercase_vocabulary(pool)
    proper = _proper_nouns(pool, common)
    taken: dict[str, int] = {}
    rng = random.Random(seed)
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob("*.txt"):
        old.unlink()
    written = documents = stories = conflicts = 0
    base_date = dt.date(2024, 1, 1)
    while written < size:
        story_seed = rng.randrange(1 << 30)
        sub = Substituter(story_seed, common, proper, taken)
        story_rng = random.Random(story_seed)
        start = story_rng.randrange(len(pool))
        story = [sub.apply(pool[(start + k) % len(pool)]) for k in range(SENTENCES_PER_DOC + 6)]
        story_date = base_date + dt.timedelta(days=story_rng.randrange(600))
        outlets = story_rng.randint(2, 5)
        stories += 1
        for outlet in range(outlets):
            if written >= size:
                break
            doc_rng = random.Random(f"{story_seed}:{outlet}")
            sentences = [s for s in story if doc_rng.random() < 0.85]
            for _ in range(doc_rng.randint(0, 3)):  # a few sentences from elsewhere (other stories' wording)
                other = Substituter(doc_rng.randrange(1 << 30), common, proper, taken)
                sentences.insert(doc_rng.randrange(len(sentences) + 1), other.apply(doc_rng.choice(pool)))
            sentences = sentences[: min(SENTENCES_PER_DOC, size - written)]
            for k, sentence in enumerate(sentences):
                if doc_rng.random() < CONFLICT_RATE:
                    changed = _conflict(sentence, doc_rng)
                    if changed and changed != sentence:
                        sentences[k] = changed
                        conflicts += 1
            date = story_date + dt.timedelta(days=doc_rng.randint(0, 2))
            text = f"Date: {date.isoformat()}\n\n" + _paragraphs(sentences, doc_rng)
            name = f"s{stories:05d}-{outlet}.txt"
            (target / name).write_text(text, encoding="utf-8")
            written += len(sentences)
            documents += 1
    manifest = {"params": params, "documents": documents, "sentences": written, "stories": stories,
                "conflicts": conflicts}
    manifest_file.write_text(json.dumps(manifest, indent=2) + "\n")
    return CorpusInfo(target, documents, written, stories, conflicts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="+", help="corpus sizes such as 1k 10k 100k")
    parser.add_argument("--out", type=Path, default=CORPORA)
    args = parser.parse_args(argv)
    for size in args.sizes:
        info = build_corpus(parse_size(size), args.out)
        print(f"{info.path}: {info.documents} documents, {info.sentences} sentences, {info.stories} stories, "
              f"{info.conflicts} conflicting values")
    return 0


if __name__ == "__main__":
    sys.exit(main())
