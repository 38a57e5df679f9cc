"""Temporal order (factcheck/extract/order.py): the act and the event a preposition places it against.

Real parses (the small spaCy model) of sentences written for these tests; FC504 end to end is covered by
fixtures/rules/FC504/ (test_rules.py).
"""

from __future__ import annotations

from factcheck.extract import extract_document
from factcheck.extract.order import ORDER_RE, order_frame
from factcheck.extract.syntax import parse_texts
from factcheck.records import ClaimKind, Document, Sentence


def _read(sentence: str) -> list[tuple[str, str, str, str] | None]:
    analysis = parse_texts([sentence])[0]
    out: list[tuple[str, str, str, str] | None] = []
    for m in ORDER_RE.finditer(sentence):
        frame = order_frame(analysis, m.start(), m.end())
        out.append(None if frame is None else (frame.predicate, frame.thing, frame.relation, frame.head))
    return out


def test_act_with_a_noun_object_and_its_reference() -> None:
    assert _read("The night guard raised the alarm during the fire at the depot.") == [
        ("raise", "alarm", "during", "fire")]


def test_gerund_reference_gives_its_object() -> None:
    assert _read("The guard had reportedly raised the alarm before leaving the depot.") == [
        ("raise", "alarm", "before", "depot")]


def test_clause_reference_is_its_noun_subject_or_object() -> None:
    assert _read("The guard raised the alarm before the fire reached the platform.") == [
        ("raise", "alarm", "before", "fire")]
    assert _read("The guard raised the alarm after the storm hit.") == [("raise", "alarm", "after", "storm")]
    assert _read("The guard raised the alarm before he locked the gate.") == [
        ("raise", "alarm", "before", "gate")]


def test_purpose_clause_inherits_the_time_of_its_verb() -> None:
    assert _read("The guard also called the police during the fire to report the damage.") == [
        ("call", "police", "during", "fire")]
    assert _read("The guard phoned 911 during the fire to report the damage.") == [
        ("report", "damage", "during", "fire")]


def test_negated_act_is_marked() -> None:
    analysis = parse_texts(["The guard did not raise the alarm before the fire."])[0]
    frame = order_frame(analysis, 34, 40)
    assert frame is not None and frame.negated
    analysis = parse_texts(["The guard raised the alarm before the fire."])[0]
    frame = order_frame(analysis, 27, 33)
    assert frame is not None and not frame.negated


def test_no_frame_without_an_act_with_an_object() -> None:
    assert _read("The guard spoke after the vote.") == [None]  # no object: too general to be one act
    assert _read("The guard had a sandwich before the fire.") == [None]  # a general verb


def test_during_makes_a_predicate_claim() -> None:
    text = "Officials said the night guard raised the alarm during the fire at the depot."
    document = Document(path="a.txt", text=text, sha256="0")
    sentence = Sentence(doc_index=0, index=0, start=0, end=len(text), line=1, column=1, text=text)
    claims = extract_document(0, document, [sentence])
    assert "during" in [c.value for c in claims if c.kind is ClaimKind.PREDICATE]
