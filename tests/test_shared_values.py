"""Names linked by the other values their sentences share (link/shared_values.py), and the extraction fixes
that feed it: middle initials, attributive years, named islands."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from factcheck.corpus import Corpus
from factcheck.extract import extract_document
from factcheck.extract.dates import find_dates
from factcheck.extract.names import find_names
from factcheck.extract.text import tokens
from factcheck.link.shared_values import shared_value_pairs
from factcheck.read.segment import segment
from factcheck.records import Document


def corpus(*texts: str) -> Corpus:
    documents = [Document(f"{n}.txt", text, str(n)) for n, text in enumerate(texts)]
    sentences, claims = [], []
    for n, doc in enumerate(documents):
        found = segment(doc, n)
        sentences.extend(found)
        for claim in extract_document(n, doc, found):
            claims.append(claim)
    claims = [replace(c, id=k) for k, c in enumerate(claims)]  # unique ids across the documents
    return Corpus.of(documents, sentences, claims, [])


def linked_values(c: Corpus) -> set[frozenset[str]]:
    vectors = np.zeros((len(c.claims), 4), dtype=np.float32)
    by_id = {claim.id: claim for claim in c.claims}
    pairs = shared_value_pairs(c.claims, vectors, c.sentence_index, c.texts)
    return {frozenset((by_id[a].value_text, by_id[b].value_text)) for a, b, _ in pairs}


def test_a_middle_initial_does_not_make_a_name_an_acronym() -> None:
    text = "Representative Linda T. Sánchez of California defeated Representative Barbara Lee."
    names = {m.text: m for m in find_names(text, tokens(text))}
    assert names["Linda T. Sánchez"].person
    text = "The NATO summit opened in Vilnius."
    assert not any(m.person for m in find_names(text, tokens(text)) if m.text.startswith("NATO"))


def test_an_attributive_year_is_a_date_but_a_bare_number_is_not() -> None:
    assert [d.value.year for d in find_dates("he had misspoken at a 2008 event in Norfolk")] == [2008]
    assert [d.value.year for d in find_dates("The 2016 election was close")] == [2016]
    assert find_dates("the 2000 students of the school") == []  # a plural noun: a count, not a year


def test_a_named_island_after_on_is_a_place() -> None:
    text = "He spent six months on Parris Island and six years in the reserves."
    assert any(m.place and m.text == "Parris Island" for m in find_names(text, tokens(text)))


def test_places_left_over_in_sentences_sharing_a_year_and_a_place_are_linked() -> None:
    c = corpus('"I served in Korea," Senator Dana Whitfield told veterans in Hartford in March 2004.',
               "Senator Dana Whitfield said she had misspoken at a 2004 event in Stamford about Korea.")
    assert frozenset({"Hartford", "Stamford"}) in linked_values(c)


def test_places_are_not_linked_without_a_shared_time_or_number() -> None:
    c = corpus("Governor Tom Bellamy criticised President Ana Ruiz for inviting Carl Meyers to Hartford.",
               "Carl Meyers is heading to Stamford to meet President Ana Ruiz, Governor Tom Bellamy said.")
    assert not any(len(p) == 2 and "Hartford" in p for p in linked_values(c))


def test_same_surname_people_are_linked_by_a_shared_full_name() -> None:
    c = corpus("Maria Okonkwo won the race for deputy leader, beating Peter Hallworth by two votes.",
               "Grace Okonkwo defeated Peter Hallworth to become deputy leader.")
    assert frozenset({"Maria Okonkwo", "Grace Okonkwo"}) in linked_values(c)


def test_people_a_document_tells_apart_are_not_linked() -> None:
    c = corpus("Maria Okonkwo won the race for deputy leader, beating Peter Hallworth by two votes.",
               "Grace Okonkwo defeated Peter Hallworth to become deputy leader. Her sister Maria watched.")
    assert not any("Grace Okonkwo" in p and len(p) == 2 for p in linked_values(c))


def test_same_surname_people_in_two_different_roles_are_not_linked() -> None:
    c = corpus("Trade Minister Koichi Ishiba met Peter Hallworth in Tokyo.",
               "Prime Minister Shigeru Ishiba met Peter Hallworth in Tokyo.")
    assert frozenset({"Koichi Ishiba", "Shigeru Ishiba"}) not in linked_values(c)


def test_place_spelling_variants_are_misspellings_not_accents_abbreviations_or_containment() -> None:
    from factcheck.rules.names import place_spelling_variant_between

    assert place_spelling_variant_between("Paris Island", "Parris Island")
    assert not place_spelling_variant_between("São Paulo", "Sao Paulo")  # accents: FC102's business
    assert not place_spelling_variant_between("Ft. Myers", "Fort Myers")  # an abbreviation
    assert not place_spelling_variant_between("Paris", "Paris, France")  # containment
    assert not place_spelling_variant_between("Norwalk", "Norfolk")  # two towns: FC103
