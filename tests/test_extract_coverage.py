"""Extraction coverage (issue #11 part 2): scale and number words, codes, thousands separators, label lists,
clock times, units, durations, year ranges, vague and relative dates, hard-wrapped lines, place names."""

from __future__ import annotations

import datetime as dt

import pytest

from factcheck.extract.clock import find_times
from factcheck.extract.dates import find_dates
from factcheck.extract.names import find_names
from factcheck.extract.places import is_gazetteer_place, is_known_place
from factcheck.extract.polarity import negation_scopes
from factcheck.extract.quantities import find_quantities, format_quantity
from factcheck.extract.text import tokens
from factcheck.extract.units import convert, unit_group
from factcheck.read.segment import segment
from factcheck.records import DateValue, Document, Quantity
from factcheck.rules.dates import dates_conflict
from factcheck.rules.numbers import quantities_conflict

DOC_DATE = dt.date(2025, 6, 4)  # a Wednesday


def quantities(sentence: str) -> list[tuple[str, Quantity]]:
    return [(m.text, m.quantity) for m in find_quantities(sentence)]


def one(sentence: str) -> Quantity:
    found = find_quantities(sentence)
    assert len(found) == 1, found
    return found[0].quantity


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(("sentence", "text", "value", "unit"), [
    ("The deal cost $13.7B last year.", "$13.7B", 13.7e9, "USD"),
    ("The deal cost €2.5bn in cash.", "€2.5bn", 2.5e9, "EUR"),
    ("About 1.5 million people live there.", "About 1.5 million", 1.5e6, "count"),
    ("Six people died in the fire.", "Six", 6, "count"),
    ("A dozen people died in the fire.", "A dozen", 12, "count"),
    ("Half a dozen people died in the fire.", "Half a dozen", 6, "count"),
    ("In all 1 557 people were counted.", "1 557", 1557, "count"),
    ("In all 1\u202f557 people were counted.", "1\u202f557", 1557, "count"),
])
def test_number_and_scale_words(sentence: str, text: str, value: float, unit: str) -> None:
    found = quantities(sentence)
    assert [(t, q.value, q.unit) for t, q in found] == [(text, value, unit)]


def test_a_bare_b_is_not_billions() -> None:
    assert quantities("Plan 4 B was rejected by the board.") == []


@pytest.mark.parametrize("sentence", [
    "The airline grounded its 737-8 jets after the inspection.",
    "Two F-16 fighters escorted the plane.",  # "Two" is the count, "16" is the model
    "The COVID-19 cases rose in the city.",
    "Boeing 737 jets were grounded.",
    "Flight 370 vanished over the ocean.",
])
def test_model_numbers_and_codes_are_not_quantities(sentence: str) -> None:
    values = [q.value for _, q in quantities(sentence)]
    assert 737 not in values and 16 not in values and 19 not in values and 370 not in values
    assert 8 not in values


def test_a_real_range_still_is_a_range() -> None:
    assert one("Between 5 and 7 people were hurt.").high == 7
    assert one("They hired 20-30 workers.").high == 30


def test_label_lists_count_the_labelled_thing() -> None:
    found = quantities("Medals by team. Netherlands: 192, Belgium: 50.")
    assert [(t, q.value, q.thing) for t, q in found] == [("192", 192, "netherlands"), ("50", 50, "belgium")]


def test_a_bare_number_without_a_label_is_still_no_claim() -> None:
    assert quantities("The score was 192, he said.") == []


def test_durations_carry_their_unit_and_approximation() -> None:
    q = one("The strike lasted more than three months.")
    assert (q.value, q.unit, q.approx) == (3, "month", "more than")


# --------------------------------------------------------------------------- units


def test_units_convert_within_a_dimension_only() -> None:
    assert convert(5, "kilometer", "miles") == pytest.approx(3.10686, rel=1e-4)
    assert convert(2, "week", "day") == pytest.approx(14)
    assert convert(5, "kilometer", "day") is None
    assert convert(5, "count", "kilometer") is None
    assert unit_group("miles") == unit_group("kilometer") == "length"
    assert unit_group("USD") == "USD"


def test_converted_values_conflict_only_beyond_rounding() -> None:
    km = one("The leak fouled 5 km of coastline.")
    assert not quantities_conflict(km, one("The leak fouled 3.1 miles of coastline."))
    assert quantities_conflict(km, one("The leak fouled 5 miles of coastline."))
    assert not quantities_conflict(one("It lasted three months."), one("It lasted 90 days."))
    assert quantities_conflict(one("It lasted three months."), one("It lasted eight weeks."))


@pytest.mark.parametrize(("sentence", "text", "least"), [
    ("Dozens of deputies walked out of the chamber.", "Dozens", 24),
    ("Hundreds of farmers blocked the road.", "Hundreds", 200),
    ("Thousands of residents lost power.", "Thousands", 2000),
    ("Tens of thousands of fans filled the square.", "Tens of thousands", 20000),
])
def test_vague_plurals_are_lower_bounds(sentence: str, text: str, least: float) -> None:
    found = quantities(sentence)
    assert [(t, q.value, q.approx) for t, q in found] == [(text, least, "at least")]


def test_vague_plural_never_conflicts_with_a_larger_figure() -> None:
    dozens = one("Dozens of deputies walked out of the chamber.")
    assert not quantities_conflict(dozens, one("About 55 deputies walked out of the chamber."))
    assert not quantities_conflict(one("Some 70 deputies walked out."), dozens)
    assert quantities_conflict(dozens, one("Three deputies walked out of the chamber."))
    assert quantities("He spent hundreds on the repairs.") == []  # no "of": not a count of anything


def test_far_apart_magnitudes_in_other_units_are_other_measurements() -> None:
    crater, camp = one("The crater was two metres wide."), one("The camp lies 10 miles away.")
    assert not quantities_conflict(crater, camp)


# --------------------------------------------------------------------------- clock times


@pytest.mark.parametrize(("sentence", "text", "minutes", "high"), [
    ("It began at 4:10 p.m. on Monday.", "4:10 p.m.", 16 * 60 + 10, None),
    ("He spoke at 11am from his home.", "11am", 11 * 60, None),
    ("The vote closed at 16:30 GMT.", "16:30", 16 * 60 + 30, None),
    ("The fire started shortly after noon.", "shortly after noon", 12 * 60, None),
    ("He made the announcement Tuesday afternoon.", "afternoon", 12 * 60, 1079),
])
def test_clock_times(sentence: str, text: str, minutes: int, high: float | None) -> None:
    found = find_times(sentence)
    assert [(m.text, m.quantity.value, m.quantity.high) for m in found] == [(text, minutes, high)]
    assert all(m.quantity.unit == "time" for m in found)


def test_scores_and_ratios_are_not_times() -> None:
    assert find_times("The final score was 3:1 after extra time.") == []


def test_clock_times_compare_with_half_an_hour_for_about() -> None:
    ten_past, half_past = find_times("at 4:10 p.m.")[0].quantity, find_times("at 4:30 p.m.")[0].quantity
    assert quantities_conflict(ten_past, half_past)
    assert not quantities_conflict(find_times("at about 4 p.m.")[0].quantity, ten_past)
    assert quantities_conflict(find_times("at 11am")[0].quantity, find_times("Tuesday afternoon")[0].quantity)
    assert format_quantity(ten_past) == "16:10 time"


def test_times_are_not_quantities_too() -> None:
    assert quantities("It began at 4:10 p.m. on Monday.") == []


# --------------------------------------------------------------------------- dates


def test_year_ranges() -> None:
    found = find_dates("He ran the orchestra from 1967 to 1979 and again in 1985.")
    assert [(m.text, m.value.lo, m.value.hi) for m in found] == [
        ("from 1967 to 1979", "1967-01-01", "1979-12-31"), ("1985", "", "")]
    short = find_dates("He served 1967-79.")[0].value
    assert (short.lo, short.hi) == ("1967-01-01", "1979-12-31")


def test_year_ranges_compare_by_both_ends_and_not_with_one_year() -> None:
    def value(text: str) -> DateValue:
        return find_dates(text)[0].value
    assert dates_conflict(value("from 1967 to 1979"), value("from 1967 to 1981"))
    assert not dates_conflict(value("from 1967 to 1979"), value("between 1967 and 1979"))
    assert not dates_conflict(value("from 1967 to 1979"), value("in 1970"))


@pytest.mark.parametrize(("text", "lo", "hi"), [
    ("in mid-May", "2025-05-11", "2025-05-20"),
    ("by the end of February 2024", "2024-02-22", "2024-02-29"),
    ("in early March", "2025-03-01", "2025-03-10"),
    ("earlier this year", "2025-01-01", "2025-06-04"),
    ("last week", "2025-05-26", "2025-06-01"),
    ("last month", "2025-05-01", "2025-05-31"),
    ("last year", "2024-01-01", "2024-12-31"),
])
def test_vague_and_relative_dates_resolve_to_spans(text: str, lo: str, hi: str) -> None:
    found = find_dates(f"The plant closed {text}.", DOC_DATE)
    assert len(found) == 1
    assert (found[0].value.lo, found[0].value.hi, found[0].value.vague) == (lo, hi, True)


def test_relative_spans_need_a_document_date() -> None:
    assert find_dates("The plant closed last week.") == []
    assert find_dates("The plant closed in mid-May.") == []


def test_vague_dates_compare_softly_as_spans() -> None:
    def value(text: str) -> DateValue:
        return find_dates(text, DOC_DATE)[0].value
    assert dates_conflict(value("in mid-May"), value("on May 2"))
    assert not dates_conflict(value("in mid-May"), value("on May 14"))
    assert not dates_conflict(value("by the end of February"), value("on March 1"))  # a few days' slack
    assert dates_conflict(value("last week"), value("on April 2"))
    assert not dates_conflict(value("last week"), value("on May 28"))
    assert dates_conflict(value("last year"), value("in 2022"))
    assert not dates_conflict(value("last week"), value("on Tuesday"))  # a bare weekday has no place


# --------------------------------------------------------------------------- sentences and places


WRAPPED = (
    "Officials in Tokyo said on Thursday that the talks had been led by Trade Minister\n"
    "Koichi Ishiba, who met his counterpart in Washington on Monday and again on\n"
    "Tuesday, and that a further round would follow in the second week of July.\n"
    "\n"
    "Short lines stay apart\n"
    "When the text is not wrapped.\n"
)


def test_hard_wrapped_sentences_are_joined_with_exact_offsets() -> None:
    doc = Document("a.txt", WRAPPED, "x")
    sentences = segment(doc, 0)
    assert sentences[0].text.startswith("Officials") and sentences[0].text.endswith("July.")
    assert "Trade Minister\nKoichi Ishiba" in sentences[0].text
    assert all(WRAPPED[s.start : s.end] == s.text for s in sentences)


def test_unwrapped_lines_with_a_capital_start_stay_apart() -> None:
    text = "Japan and the US agree on tariffs\nThe deal was signed in Tokyo on Monday.\n"
    sentences = segment(Document("a.txt", text, "x"), 0)
    assert [s.kind for s in sentences] == ["headline", "prose"]


def test_a_line_ending_mid_clause_runs_on() -> None:
    text = "The minister said on Monday,\nAkazawa would travel to Washington.\n"
    assert [s.text for s in segment(Document("a.txt", text, "x"), 0)] == [text.strip()]


def test_multi_word_places_are_not_people() -> None:
    assert is_known_place("Santa Barbara") and is_known_place("Costa Rica")
    assert not is_known_place("Mary Cheney") and not is_known_place("Jackson")
    assert is_gazetteer_place("Paris") and not is_gazetteer_place("Brindlecorp")
    sentence = "Santa Barbara officials met Mary Cheney."
    names = {m.text: m.person for m in find_names(sentence, tokens(sentence))}
    assert names == {"Santa Barbara": False, "Mary Cheney": True}


# --------------------------------------------------------------------------- negation scope


@pytest.mark.parametrize(("clause", "parts"), [
    ("and it should not happen that the ferry stops early",
     ["and it should not happen ", "that the ferry stops early"]),
    ("the spokesman did not say that Ardell had resigned",
     ["the spokesman did not say ", "that Ardell had resigned"]),
    ("it is not true that the ferry stopped early", ["it is not true that the ferry stopped early"]),
    ("the ferry did not stop early", ["the ferry did not stop early"]),
    ("officials said that the ferry did not stop", ["officials said that the ferry did not stop"]),
])
def test_a_negation_stops_at_a_that_complement(clause: str, parts: list[str]) -> None:
    assert [clause[a:b] for a, b in negation_scopes(clause)] == parts
