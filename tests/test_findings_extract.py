"""Extraction of checkable facts: sentences, quantities, dates and periods as intervals with offsets."""

import math
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.findings.extract import extract, parse_number, split_sentences


def _fact(text: str, quote: str, published: date | None = None):
    extraction = extract(text, published)
    found = [f for f in extraction.facts if quote in f.text]
    assert found, [(f.kind, f.text) for f in extraction.facts]
    fact = found[0]
    assert text[fact.start : fact.end] == fact.text
    return fact


def _day(value: float) -> date:
    return date.fromordinal(int(value))


def test_it_splits_sentences_at_code_point_offsets_past_abbreviations_and_emoji():
    body = "Maj. Gen. Ruiz met U.S. officials 🇺🇸 in Quito. “We agreed,” he said.\nNext line without a stop"
    sentences = split_sentences(body)
    assert [s.text for s in sentences] == [
        "Maj. Gen. Ruiz met U.S. officials 🇺🇸 in Quito.",
        "“We agreed,” he said.",
        "Next line without a stop",
    ]
    for sentence in sentences:
        assert body[sentence.start : sentence.end] == sentence.text


@pytest.mark.parametrize(
    ("written", "value"),
    [("2,500", 2500), ("1.5 million", 1_500_000), ("twenty-five", 25), ("two hundred and fifty", 250), ("a dozen", 12)],
)
def test_it_reads_numbers_in_digits_and_words(written, value):
    assert parse_number(written) == value


@pytest.mark.parametrize(
    ("text", "quote", "low", "high"),
    [
        ("Between 250 and 350 advisers stay.", "Between 250 and 350 advisers", 250, 350),
        ("A force of 250-350 advisers stays.", "250-350 advisers", 250, 350),
        ("Fewer than 2,000 troops will remain.", "Fewer than 2,000 troops", -math.inf, 2000),
        ("At least 250 troops will remain.", "At least 250 troops", 250, math.inf),
        ("More than 900 troops are there.", "More than 900 troops", 900, math.inf),
        ("Roughly 2,500 troops are there.", "Roughly 2,500 troops", 2250, 2750),
        ("Almost 2,500 troops are there.", "Almost 2,500 troops", 2250, 2500),
        ("Seven hundred doctors signed.", "Seven hundred doctors", 650, 750),
        ("Exactly 347 doctors signed.", "347 doctors", 347, 347),
    ],
)
def test_it_reads_quantities_as_intervals(text, quote, low, high):
    fact = _fact(text, quote)
    assert fact.kind == "quantity"
    assert fact.low == pytest.approx(low) and fact.high == pytest.approx(high, abs=1e-6)


def test_it_says_what_a_quantity_counts_and_where():
    fact = _fact("Between 40 and 60 fishing boats were seized off Palawan in Bohol.", "Between 40")
    assert fact.head == "boat"
    assert fact.place == ("bohol",)
    elided = _fact("The U.S. kept 2,500 troops in Iraq and over 900 in Syria.", "over 900")
    assert (elided.head, elided.place) == ("troop", ("syria",))


@pytest.mark.parametrize(
    ("text", "quote", "first", "last", "role"),
    [
        ("The plan ends by September 2025.", "September 2025", date(2025, 9, 1), date(2025, 9, 30), "end"),
        ("It ends by the end of September 2025.", "end of September 2025", date(2025, 9, 21), date(2025, 9, 30), "end"),
        ("The second phase would last through 2026.", "through 2026", date(2026, 1, 1), date(2026, 12, 31), "end"),
        ("The deal was signed on 4 March 2021.", "4 March 2021", date(2021, 3, 4), date(2021, 3, 4), "point"),
        ("Flights resume from June 2024.", "June 2024", date(2024, 6, 1), date(2024, 6, 30), "start"),
    ],
)
def test_it_reads_dates_as_periods_with_their_role(text, quote, first, last, role):
    fact = _fact(text, quote)
    assert (_day(fact.low), _day(fact.high), fact.role) == (first, last, role)


@pytest.mark.parametrize(
    ("quote", "first", "last"),
    [
        ("late last year", date(2024, 9, 1), date(2024, 12, 31)),
        ("last month", date(2025, 2, 1), date(2025, 2, 28)),
        ("in December", date(2024, 12, 1), date(2024, 12, 31)),
    ],
)
def test_it_resolves_relative_dates_against_the_publication_date(quote, first, last):
    text = "The regime fell late last year. Talks began last month. A rebel offensive came in December."
    fact = _fact(text, quote, published=date(2025, 3, 10))
    assert (_day(fact.low), _day(fact.high)) == (first, last)
    assert "2025-03-10" in fact.note


def test_it_says_so_when_a_relative_date_has_no_publication_date():
    fact = _fact("The regime fell late last year.", "late last year")
    assert not fact.resolved
    assert "no publication date" in fact.note


def test_a_delay_moves_the_date_it_delays():
    fact = _fact("The withdrawal, scheduled for September 2025, was delayed by at least three years.", "three years")
    assert (fact.kind, fact.role, _day(fact.low), fact.high) == ("date", "end", date(2028, 9, 1), math.inf)
    assert "September 2028 or later" in fact.phrase


def test_a_period_alone_is_a_duration_in_months():
    fact = _fact("The truce will last at least three years.", "three years")
    assert (fact.kind, fact.head, fact.low, fact.high) == ("quantity", "duration", 36, math.inf)


def test_it_leaves_adjectives_pronouns_and_groups_alone():
    text = "A two-phase plan. One of the main bases closed. The two countries agreed."
    assert [f.text for f in extract(text).facts if f.kind == "quantity"] == []


FRAGMENTS = [
    "Between 250 and 350 ",
    "advisers ",
    "fewer than 2,000 troops ",
    "by the end of September 2025",
    "delayed by at least 9,999 years ",
    "in December ",
    "last month, ",
    "31 February 2024 ",
    "U.S. ",
    "“quoted” ",
    "🇺🇸 ",
    "é ",
    "99999999999999999999 people ",
    "mid-2028 ",
    ". ",
    "\n",
    "two dozen ",
    "$1.2 billion ",
    "48% ",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=25), st.one_of(st.none(), st.dates()))
def test_extraction_never_fails_and_every_fact_is_its_body_slice(parts, published):
    body = "".join(parts)
    extraction = extract(body, published)
    for fact in extraction.facts:
        assert body[fact.start : fact.end] == fact.text
        assert fact.low <= fact.high
