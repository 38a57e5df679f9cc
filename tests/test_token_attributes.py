"""TokenAttributes gives every token what the model's own attribute ruler + lemmatizer give it."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from factcheck.extract import syntax
from factcheck.extract.token_attributes import TokenAttributes, _add_triggers

SENTENCES = [
    "There were five deaths in the city on Monday, officials said.",  # expl + were: a two-token pattern
    "Let's go, he said, but it ain't over and we're gonna win, y'all.",  # let 's, ai n't, gon na, y' all
    "The minister said she would resign.",
    "The resigning minister's aides said they had resigned too.",  # the same words in other roles
    "Prices rose 5 % in May, and the bank raised its rates twice.",
    "Smith, 52, was named chief executive.\n\nHe leads   the firm.",  # whitespace tokens
    "The bank raised rates; prices rose; the minister resigned.",  # only tokens seen before
    "Ms. Smith was elected on Tuesday; the vote was close.",
    "Better results were expected by the better-known analysts.",
]


def _tokens(doc: Any) -> list[tuple[str, str, str, str, str, int]]:
    return [(t.pos_, t.tag_, t.dep_, str(t.morph), t.lemma_, t.head.i) for t in doc]


def test_remembered_attributes_equal_the_models_token_by_token() -> None:
    nlp = syntax._nlp()
    finish = TokenAttributes.of(nlp)
    assert finish is not None
    expected = [_tokens(doc) for doc in nlp.pipe(SENTENCES)]
    with nlp.select_pipes(disable=["attribute_ruler", "lemmatizer"]):
        docs = list(nlp.pipe(SENTENCES))
        finish(docs)
        got = [_tokens(doc) for doc in docs]
    assert got == expected
    assert len(finish.known) > 20  # tokens were remembered, not all documents run whole
    # a second pass is served from memory and still equal
    with nlp.select_pipes(disable=["attribute_ruler", "lemmatizer"]):
        docs = list(nlp.pipe(SENTENCES))
        finish(docs[:3])
        finish(docs[3:])
        again = [_tokens(doc) for doc in docs]
    assert again == expected


def test_parse_texts_lemmas_and_tags_come_out_as_before() -> None:
    analysis = syntax.parse_texts(["The ministers were resigning on Monday."])[0]
    assert [(w.text, w.lemma, w.pos) for w in analysis.words][:4] == [
        ("The", "the", "DET"), ("ministers", "minister", "NOUN"), ("were", "be", "AUX"),
        ("resigning", "resign", "VERB")]


def test_documents_that_may_match_a_pattern_of_several_tokens_run_whole() -> None:
    nlp = syntax._nlp()
    finish = TokenAttributes.of(nlp)
    assert finish is not None
    with nlp.select_pipes(disable=["attribute_ruler", "lemmatizer"]):
        doc = nlp("There is a problem.")
        finish([doc])
    assert finish.known == {}  # run through the real components, nothing learnt
    assert doc[1].pos_ == "VERB"  # the two-token rule `expl` + "is" -> VERB applied


def test_the_rarest_concrete_spec_recognises_a_pattern() -> None:
    words: set[str] = set()
    deps: set[str] = set()
    assert _add_triggers([{"DEP": "expl"}, {"LOWER": {"IN": ["is", "are"]}}], words, deps)
    assert (words, deps) == (set(), {"expl"})
    assert _add_triggers([{"LOWER": {"REGEX": "^y'?$"}}, {"LOWER": "all"}], words, deps)
    assert words == {"all"}
    assert not _add_triggers([{"LOWER": {"REGEX": "^a"}}, {"TAG": "NN"}], set(), set())


def _pipeline(patterns: list[dict[str, Any]], names: tuple[str, ...] = ("attribute_ruler", "lemmatizer"),
              mode: str = "rule") -> Any:
    ruler = SimpleNamespace(patterns=patterns, vocab=syntax._nlp().vocab)
    lemmatizer = SimpleNamespace(mode=mode, overwrite=False)
    pipes = {"attribute_ruler": ruler, "lemmatizer": lemmatizer}
    return SimpleNamespace(pipe_names=["tagger", *names], get_pipe=pipes.__getitem__)


EXPECTED = ("attribute_ruler", "lemmatizer")
NOUN_TAG = [{"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN"}}]


@pytest.mark.parametrize("patterns, names, mode", [
    (NOUN_TAG, ("lemmatizer", "attribute_ruler"), "rule"),  # another order
    (NOUN_TAG, EXPECTED, "lookup"),  # a lookup lemmatizer
    ([{"patterns": [[{"LOWER": "a"}, {"LOWER": "b", "OP": "?"}]], "attrs": {"LEMMA": "x"}}],
     ("attribute_ruler", "lemmatizer"), "rule"),  # an operator: may match one token, reads a neighbour
    ([{"patterns": [[{"IS_SENT_START": True}]], "attrs": {"POS": "X"}}], EXPECTED, "rule"),  # reads context
    ([{"patterns": [[{"TAG": "NN"}, {"LOWER": {"REGEX": "b"}}]], "attrs": {"POS": "X"}}],
     ("attribute_ruler", "lemmatizer"), "rule"),  # several tokens, nothing concrete to recognise them by
    ([{"patterns": ["a phrase"], "attrs": {"POS": "X"}}], ("attribute_ruler", "lemmatizer"), "rule"),
])
def test_pipelines_it_cannot_reproduce_are_left_to_the_model(patterns: Any, names: Any, mode: str) -> None:
    assert TokenAttributes.of(_pipeline(patterns, names, mode)) is None


def test_a_pipeline_of_the_expected_kind_is_handled() -> None:
    patterns = [{"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN"}},
                {"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "go"}}]
    found = TokenAttributes.of(_pipeline(patterns))
    assert found is not None
    assert {syntax._nlp().vocab.strings[h] for h in found.trigger_lower} == {"gon"}
