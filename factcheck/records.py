"""Plain, frozen records that flow through the pipeline.

ingest -> Document; segment -> Sentence; extract -> Claim; cluster -> FactCluster;
rules -> Finding; pipeline -> Report (carrying the Corpus of factcheck.corpus).
Every stage takes and returns these records only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from factcheck.corpus import Corpus


class Severity(StrEnum):
    """How loud a finding is; `info` findings are notes, not alarms."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        """Order for sorting and `--fail-on` comparisons (higher is louder)."""
        return {"info": 0, "warning": 1, "error": 2}[self.value]


@dataclass(frozen=True, slots=True)
class Document:
    """One ingested document.

    `text` is the text that offsets refer to: the decoded file text for .txt/.md and stdin,
    the extracted main text for HTML.
    """

    path: str
    text: str
    sha256: str
    format: str = "txt"
    date: dt.date | None = None
    outlet: str | None = None
    language: str = "en"
    encoding: str = "utf-8"
    story: str | None = None  # the story it belongs to (sidecar `story =`, else set by read.stories)

    @property
    def name(self) -> str:
        """The file's base name (what reports and the scorer match on)."""
        return self.path.replace("\\", "/").rsplit("/", 1)[-1]


@dataclass(frozen=True, slots=True)
class IgnoredSpan:
    """A span of a document that produces no claims (boilerplate), with the reason."""

    document: str
    start: int
    end: int
    line: int
    column: int
    reason: str
    text: str


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence with exact offsets: `document.text[start:end] == text`."""

    doc_index: int
    index: int
    start: int
    end: int
    line: int
    column: int
    text: str
    kind: str = "prose"  # prose | headline | bullet


class ClaimKind(StrEnum):
    """What sort of value a claim asserts."""

    PERSON = "person"  # a named person in a context (value: the name)
    ROLE = "role"  # who holds a role (key: the role, value: the person)
    QUANTITY = "quantity"  # a number with unit and measured thing
    DATE = "date"  # the date/time of an event
    PLACE = "place"  # a named place/organisation in a context
    POLARITY = "polarity"  # a predicate asserted or negated
    PREDICATE = "predicate"  # a predicate word with an antonym (rise/fall, after/before)


@dataclass(frozen=True, slots=True)
class PersonName:
    """A resolved person name: given names (may be empty), surname, title/role words."""

    full: str
    given: str
    surname: str


@dataclass(frozen=True, slots=True)
class Quantity:
    """A normalised quantity: value (or range), unit, approximation and measured thing."""

    value: float
    unit: str  # "%", "USD", "EUR", "count", "year", ...
    high: float | None = None  # upper end of a range
    approx: str = ""  # "", "about", "at least", "more than", "less than", "up to", ...
    thing: str = ""  # the measured noun phrase, lower-case


@dataclass(frozen=True, slots=True)
class DateValue:
    """A resolved calendar value: any of year, month, day, weekday may be unknown."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None  # 0 = Monday
    relative: bool = False  # resolved from "Tuesday", "last week", ...
    # A span instead of one day: a year range ("from 1967 to 1979") or a vague date resolved to the days it
    # may mean ("mid-May", "earlier this year"); ISO dates, "" when the value is one (partial) date.
    lo: str = ""
    hi: str = ""
    vague: bool = False  # the span is soft ("mid-May"); otherwise it is a stated range


ClaimValue = PersonName | Quantity | DateValue | str | bool


@dataclass(frozen=True, slots=True)
class Frame:
    """What a value is said about, read from the sentence's dependency parse around the value.

    "Damage to the Wasilla Bible Church was estimated at $1 million, authorities said":
    head "damage", predicate "estimate", about ("wasilla", "bible", "church"), attribution ("authority",).
    Words are lower-case lemmas; an empty part is unknown, never a wildcard for a conflict.
    """

    thing: str = ""  # what the number counts: the noun it modifies ("people", "page")
    head: str = ""  # the measure or role: the noun the value or its thing belongs to ("population", "damage")
    predicate: str = ""  # the verb the value depends on ("injure", "receive"), light verbs excluded
    coordinated: tuple[str, ...] = ()  # verbs coordinated with the predicate ("flew to X and met ...")
    relation: str = ""  # the preposition that introduces the value ("from", "to", "in", "on")
    about: tuple[str, ...] = ()  # the entity the fact is about: subject, possessor or prepositional object
    about_named: bool = False  # `about` comes from proper nouns (a named entity, not "the company")
    attribution: tuple[str, ...] = ()  # the source: "according to the USGS", "Xinhua said"
    modality: str = ""  # "expect", "plan", "will", "may", ... (the fact is not asserted as true)
    negated: bool = False
    status: str = ""  # "former", "acting", ... on the entity or role
    part: bool = False  # the value counts part of a group ("five of the 30 miners")
    # the predicate's other participants: content words of its "from" object (the party taken from, the
    # place left) and of its "to"/"into" object (the party given to, the place reached)
    origin: tuple[str, ...] = ()
    goal: tuple[str, ...] = ()
    rate: str = ""  # the value is a rate: "$23 million per season", "$50,000 a year" -> "season", "year"
    cited: bool = False  # the value is named by who reported it: "the $184 million reported by Lynch"

    def text(self) -> str:
        """Return the frame as a short phrase (what gets embedded): about, head, thing, predicate, parties."""
        parts = [*self.about, self.head, self.thing, self.predicate, *self.origin, *self.goal]
        return " ".join(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class Claim:
    """A typed claim: the fact `key` (value removed) and the `value`, with doc offsets."""

    id: int
    kind: ClaimKind
    doc_index: int
    sentence_index: int
    key: str
    value_text: str
    value_start: int
    value_end: int
    value: ClaimValue
    key_start: int = -1
    key_end: int = -1
    role: str = ""  # normalised role for ROLE claims ("trade minister")
    scope: str = ""  # country/organisation of a role ("japan")
    hedged: bool = False  # tentative wording ("has yet to", "may", "plans")
    update: bool = False  # reports a change ("had grown to", "now", "in fact")
    frame: Frame | None = None  # from the dependency parse (None: not parsed, word-window key only)


@dataclass(frozen=True, slots=True)
class FactCluster:
    """Claims from different documents whose keys are about the same fact."""

    id: str
    claims: tuple[Claim, ...]
    similarity: float  # lowest key similarity on the edges that built the cluster
    pairs: tuple[tuple[int, int, float], ...] = ()  # (claim id, claim id, key similarity) edges


@dataclass(frozen=True, slots=True)
class ClaimRef:
    """Everything a renderer needs about one claim of a finding."""

    document: str
    start: int
    end: int
    line: int
    column: int
    text: str
    key: str
    value: str
    value_start: int
    value_end: int
    key_start: int = -1
    key_end: int = -1
    date: str | None = None
    outlet: str | None = None


@dataclass(frozen=True, slots=True)
class Side:
    """One value of a disputed fact and who states it.

    `claims` index into the finding's `claims`; `documents` are the distinct documents stating the
    value, `sources` how many independent sources they are (near-copies of one text count once).
    """

    value: str
    claims: tuple[int, ...]
    documents: tuple[str, ...]
    sources: int


@dataclass(frozen=True, slots=True)
class Finding:
    """One verdict about a disputed fact: its values, who states each, and the claims behind them."""

    code: str
    rule: str
    severity: Severity
    message: str
    values: tuple[str, ...]
    claims: tuple[ClaimRef, ...]
    cluster: str
    similarity: float
    fingerprint: str
    logic: str = ""  # which rule logic fired, in words
    fact: str = ""  # a readable label of the disputed fact
    sides: tuple[Side, ...] = ()  # each distinct value with its sources (most sources first)
    confidence: str = ""  # high | medium | low
    confidence_why: str = ""  # the evidence behind the confidence, in words
    timeline: tuple[tuple[str, str], ...] = ()  # (date, value) in date order, for updates
    codes: tuple[str, ...] = ()  # every rule code that fired on this fact
    confirmed: str = ""  # the value the knowledge base states for this fact, when it has one


@dataclass(frozen=True, slots=True)
class Report:
    """What `factcheck.check` returns and every renderer consumes.

    `corpus` holds every document the judgement saw.  For `ci` that is the checked documents
    followed by the ones retrieved from the index; `checked` then says how many come first, and
    `documents`, `sentences` and `claims` give only the checked ones (what a report lists), while
    clusters and findings resolve through the whole corpus.
    """

    corpus: Corpus
    findings: tuple[Finding, ...]
    clusters: tuple[FactCluster, ...] = ()
    timings: dict[str, float] = field(default_factory=dict, hash=False, compare=False)
    embedder: str = ""
    checked: int | None = None  # None: every document of the corpus was checked

    @property
    def documents(self) -> tuple[Document, ...]:
        """The checked documents."""
        documents = self.corpus.documents
        return documents if self.checked is None else documents[: self.checked]

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        """The sentences of the checked documents."""
        if self.checked is None:
            return self.corpus.sentences
        return tuple(s for s in self.corpus.sentences if s.doc_index < self.checked)

    @property
    def claims(self) -> tuple[Claim, ...]:
        """The claims of the checked documents."""
        if self.checked is None:
            return self.corpus.claims
        return tuple(c for c in self.corpus.claims if c.doc_index < self.checked)

    @property
    def ignored(self) -> tuple[IgnoredSpan, ...]:
        """The boilerplate spans dropped from the checked documents."""
        return self.corpus.ignored

    def count(self, severity: Severity) -> int:
        """Count the findings of exactly this severity."""
        return sum(1 for f in self.findings if f.severity is severity)
