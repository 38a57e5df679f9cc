"""The parser model's last two steps (attribute rules, then lemmas), remembered per token.

`en_core_web_sm` ends with an `attribute_ruler` (a Matcher over ~180 patterns that maps each tagged
token to its coarse tag, morphology and some lemmas) and a rule `lemmatizer`.  Both run in Python per
token and took ~40 % of parsing time, although their output for a token depends only on the token
itself: its text, fine tag and dependency label, since every pattern of one token reads only those
(`TAG`, `LOWER`, `DEP`, `IS_SPACE`) and the rule lemmatizer reads the text, coarse tag and morphology
that the ruler set.  `TokenAttributes` therefore gives a token whose (text, tag, dependency) it has seen
before the remembered result, and runs the real components, once, over a document made of the tokens
it has not seen yet.

Patterns of several tokens ("gon na", "there is") read their neighbours.  A document holding a token
that any such pattern could start from (a word or dependency label named in it) is given to the real
components whole.  A pipeline whose ruler or lemmatizer is not of the expected kind is not handled
(`TokenAttributes.of` returns None) and the model runs unchanged; tests compare both paths token by
token.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["TokenAttributes"]

RULER = "attribute_ruler"
LEMMATIZER = "lemmatizer"
_READ_BY_ONE_TOKEN = frozenset({"TAG", "LOWER", "DEP", "IS_SPACE", "ORTH"})  # token-local attributes

Result = tuple[int, int, int, Any, int]  # pos, tag, dep, morphology (MorphAnalysis), lemma hash


class TokenAttributes:
    """Set coarse tag, morphology and lemma as the model's ruler + lemmatizer would, remembering tokens."""

    def __init__(self, ruler: Any, lemmatizer: Any, trigger_words: frozenset[str],
                 trigger_deps: frozenset[str]) -> None:
        self.ruler = ruler
        self.lemmatizer = lemmatizer
        strings = ruler.vocab.strings
        self.trigger_lower = frozenset(strings.add(w) for w in trigger_words)
        self.trigger_dep = frozenset(strings.add(d) for d in trigger_deps)
        self.known: dict[tuple[int, int, int], Result] = {}

    @classmethod
    def of(cls, nlp: Any) -> TokenAttributes | None:
        """Build for a loaded pipeline ending in attribute_ruler + rule lemmatizer; None if it does not."""
        names = list(nlp.pipe_names)
        if names[-2:] != [RULER, LEMMATIZER]:
            return None
        ruler, lemmatizer = nlp.get_pipe(RULER), nlp.get_pipe(LEMMATIZER)
        if getattr(lemmatizer, "mode", None) != "rule" or getattr(lemmatizer, "overwrite", True):
            return None
        words: set[str] = set()
        deps: set[str] = set()
        for entry in ruler.patterns:
            for pattern in entry["patterns"]:
                if not isinstance(pattern, list):
                    return None  # a phrase pattern: not read here
                if any(not set(spec) <= _READ_BY_ONE_TOKEN for spec in pattern):
                    return None  # a pattern reading something other than the token itself
                if len(pattern) > 1 and not _add_triggers(pattern, words, deps):
                    return None  # a pattern of several tokens with nothing concrete to recognise it by
        return cls(ruler, lemmatizer, frozenset(words), frozenset(deps))

    def __call__(self, docs: Sequence[Any]) -> None:
        """Set the attributes of every token of `docs` (parsed, not yet through ruler and lemmatizer).

        The tokens not seen before are learnt in one run over all of them: a run of the ruler costs
        about a millisecond whatever its length, as much as the rest of a sentence's attributes.
        """
        known = self.known
        remembered: list[tuple[Any, list[tuple[int, int, int]]]] = []
        missing: dict[tuple[int, int, int], None] = {}
        for doc in docs:
            if any(t.lower in self.trigger_lower or t.dep in self.trigger_dep for t in doc):
                self.lemmatizer(self.ruler(doc))  # a pattern of several tokens may match: run whole
                continue
            keys = [(t.orth, t.tag, t.dep) for t in doc]
            missing.update((k, None) for k in keys if k not in known)
            remembered.append((doc, keys))
        if missing:
            self._learn(list(missing))
        for doc, keys in remembered:
            for token, key in zip(doc, keys, strict=True):
                pos, tag, dep, morph, lemma = known[key]
                if token.tag != tag:
                    token.tag = tag
                if token.dep != dep:
                    token.dep = dep
                token.pos = pos
                token.morph = morph
                token.lemma = lemma

    def _learn(self, keys: list[tuple[int, int, int]]) -> None:
        """Run ruler + lemmatizer once over a document of the unseen tokens and remember each result."""
        from spacy.tokens import Doc

        vocab = self.ruler.vocab
        strings = vocab.strings
        doc = Doc(vocab, words=[strings[orth] for orth, _tag, _dep in keys], spaces=[False] * len(keys))
        for token, (_orth, tag, dep) in zip(doc, keys, strict=True):
            token.tag = tag
            token.dep = dep
        # none of these tokens can start a pattern of several tokens (documents holding one are run
        # whole), so each token's result is what the ruler gives it in any sentence
        self.lemmatizer(self.ruler(doc))
        for token, key in zip(doc, keys, strict=True):
            self.known[key] = (token.pos, token.tag, token.dep, token.morph, token.lemma)


def _add_triggers(pattern: list[dict[str, Any]], words: set[str], deps: set[str]) -> bool:
    """Add the words or label by which a match of `pattern` can be recognised; False if it names none.

    A match needs every token spec of the pattern, so a document holding no token that fits one chosen
    spec cannot match it.  The chosen spec is a concrete one (a lower-case word, a list of them, or a
    dependency label) with the fewest values, so that common words ("is", "on") do not send most
    documents down the slow path when a rarer spec of the same pattern ("expl", "c'm") decides.
    """
    choices: list[tuple[int, str, list[str]]] = []
    for spec in pattern:
        for attr in ("DEP", "LOWER", "ORTH"):
            value = spec.get(attr)
            if isinstance(value, str):
                choices.append((1, attr, [value]))
            elif isinstance(value, dict) and isinstance(value.get("IN"), list):
                choices.append((len(value["IN"]), attr, [str(v) for v in value["IN"]]))
    if not choices:
        return False
    _count, attr, values = min(choices, key=lambda choice: choice[0])
    if attr == "DEP":
        deps.update(values)
    else:  # compared with each token's lower-case form
        words.update(v.lower() for v in values)
    return True
