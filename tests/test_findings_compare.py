"""Pre-flag comparison on stories of our own: conflicts it must find and differences of scope it must not call one."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.findings.compare import CONFLICTING, CONSISTENT, Doc, preflag


def _flags(first: str, second: str, published: date | None = None):
    docs = [Doc(1, "A", first, published), Doc(2, "B", second, published)]
    return preflag(docs)


def _pair(findings, quote_a: str, quote_b: str, kind: str) -> bool:
    """Whether A's fact containing quote_a is flagged `kind` with B's fact containing quote_b as counterpart."""
    return any(
        f.kind == kind and f.doc_id == 1 and quote_a in f.quote and any(quote_b in c.quote for c in f.counterparts)
        for f in findings
    )


CONFLICTS = [
    pytest.param(
        "The ministry said the new bridge over the Danube will be completed by March 2027.",
        "Officials said the new bridge over the Danube will be completed by June 2029.",
        "March 2027",
        "June 2029",
        None,
        id="deadline-months",
    ),
    pytest.param(
        "The flood killed 34 people in Sindh, officials said on Tuesday.",
        "At least 120 people were killed by the flood in Sindh, officials said.",
        "34 people",
        "At least 120 people",
        None,
        id="exact-against-lower-bound",
    ),
    pytest.param(
        "Between 40 and 60 fishing boats were seized by the coast guard off Palawan.",
        "The coast guard seized more than 200 fishing boats off Palawan, the navy said.",
        "Between 40 and 60 fishing boats",
        "more than 200 fishing boats",
        None,
        id="range-against-lower-bound",
    ),
    pytest.param(
        "Twelve miners were trapped underground after the collapse at the Zonguldak mine.",
        "Rescuers said 30 miners were trapped underground after the collapse at the Zonguldak mine.",
        "Twelve miners",
        "30 miners",
        None,
        id="number-words",
    ),
    pytest.param(
        "The textile factory closed last month, the union said in a statement.",
        "The textile factory closed in November 2023, according to the union.",
        "last month",
        "November 2023",
        date(2024, 3, 15),
        id="relative-date-resolved",
    ),
    pytest.param(
        "Roughly 5,000 people attended the rally in Tbilisi on Sunday.",
        "Police said 12,000 people attended the rally in Tbilisi on Sunday.",
        "Roughly 5,000 people",
        "12,000 people",
        None,
        id="approximation-far-apart",
    ),
    pytest.param(
        "Fewer than 100 students sat the entrance exam at the Lagos centre this year.",
        "At least 300 students sat the entrance exam at the Lagos centre this year.",
        "Fewer than 100 students",
        "At least 300 students",
        None,
        id="upper-against-lower-bound",
    ),
    pytest.param(
        "The ceasefire between the two militias will last for 30 days, the mediators said.",
        "The ceasefire between the two militias will last six months, according to the mediators.",
        "30 days",
        "six months",
        None,
        id="durations-in-other-units",
    ),
    pytest.param(
        "The launch of the weather satellite, planned for May 2026, has been postponed by two years.",
        "The weather satellite launch will take place by December 2026, the agency said.",
        "two years",
        "December 2026",
        None,
        id="delay-moves-the-date",
    ),
    pytest.param(
        "The new stadium cost $450 million, the city council said.",
        "The city council said the new stadium cost $1.2 billion.",
        "$450 million",
        "$1.2 billion",
        None,
        id="money",
    ),
    pytest.param(
        "Turnout in the regional election was 48% in the capital, the commission said.",
        "The commission said turnout in the regional election reached 71 percent in the capital.",
        "48%",
        "71 percent",
        None,
        id="percentages",
    ),
    pytest.param(
        "The border treaty was signed in 1997 after years of talks.",
        "The border treaty was signed in 2003 after years of talks.",
        "1997",
        "2003",
        None,
        id="years-of-one-event",
    ),
]


@pytest.mark.parametrize(("first", "second", "quote_a", "quote_b", "published"), CONFLICTS)
def test_it_flags_facts_that_cannot_both_hold(first, second, quote_a, quote_b, published):
    findings = _flags(first, second, published)
    assert _pair(findings, quote_a, quote_b, CONFLICTING), [(f.kind, f.quote, f.reason) for f in findings]


TRAPS = [
    pytest.param(
        "Fewer than 3,000 soldiers will remain in the country after the drawdown.",
        "Between 200 and 300 trainers will stay at the Bagram base after the drawdown.",
        "3,000",
        "300",
        None,
        id="different-things-counted",
    ),
    pytest.param(
        "About 1,200 people were evacuated in Porto as the river rose.",
        "About 300 people were evacuated in Lisbon as the river rose.",
        "1,200",
        "300",
        None,
        id="different-places",
    ),
    pytest.param(
        "The company employs 1,500 workers at the Gdansk plant.",
        "The Gdansk plant has 1,532 workers, the company said.",
        "1,500",
        "1,532",
        None,
        id="rounding",
    ),
    pytest.param(
        "Almost 10,000 tickets were sold for the cup final.",
        "Over 9,500 tickets were sold for the cup final, the club said.",
        "10,000",
        "9,500",
        None,
        id="almost-and-over",
    ),
    pytest.param(
        "The mayor of Ghent resigned last month after the audit.",
        "The mayor of Ghent resigned in February 2024 after the audit.",
        "last month",
        "February 2024",
        date(2024, 3, 15),
        id="relative-date-agrees",
    ),
    pytest.param(
        "The army had 5,000 troops in the region at the start of the year.",
        "Only 2,000 troops will remain in the region after the withdrawal.",
        "5,000",
        "2,000",
        None,
        id="now-and-later",
    ),
    pytest.param(
        "The ceasefire between the two militias will last 60 days.",
        "The ceasefire between the two militias will last two months.",
        "60 days",
        "two months",
        None,
        id="units",
    ),
    pytest.param(
        "The first phase of the gas pipeline will be finished by June 2025.",
        "The second phase of the gas pipeline will be finished by December 2027.",
        "June 2025",
        "December 2027",
        None,
        id="different-phases",
    ),
    pytest.param(
        "The children's hospital in Kano opened in 2019.",
        "The children's hospital in Kano closed in 2023.",
        "2019",
        "2023",
        None,
        id="different-events",
    ),
    pytest.param(
        "The referendum was originally planned for June 2025.",
        "The referendum has been delayed by a year from June 2025, the government said.",
        "June 2025",
        "a year",
        None,
        id="original-and-revised-plan",
    ),
    pytest.param(
        "Fewer than 1,500 peacekeepers will stay in Mali once the mission ends.",
        "Between 100 and 150 advisers will remain at the Gao airport once the mission ends.",
        "1,500",
        "100",
        None,
        id="country-and-one-base",
    ),
]


@pytest.mark.parametrize(("first", "second", "quote_a", "quote_b", "published"), TRAPS)
def test_it_does_not_call_a_difference_of_scope_a_conflict(first, second, quote_a, quote_b, published):
    findings = _flags(first, second, published)
    facts_a = [f for f in findings if f.doc_id == 1 and quote_a in f.quote]
    assert not _pair(findings, quote_a, quote_b, CONFLICTING), [(f.kind, f.quote, f.reason) for f in facts_a]


def test_it_calls_agreeing_figures_consistent():
    findings = _flags(
        "Almost 10,000 tickets were sold for the cup final.",
        "Over 9,500 tickets were sold for the cup final, the club said.",
    )
    assert _pair(findings, "10,000", "9,500", CONSISTENT)


def test_it_calls_a_figure_no_other_article_gives_unsupported():
    findings = _flags(
        "The storm destroyed 340 homes in Leyte. The governor, Carlos Mendoza, asked for help.",
        "A storm hit Leyte on Friday and the governor asked for help.",
    )
    unsupported = {f.quote for f in findings if f.kind == "unsupported"}
    assert "340 homes" in unsupported
    assert "Carlos Mendoza" in unsupported


def test_every_reason_quotes_both_sides_and_every_quote_is_the_body_at_its_offsets():
    first = "The flood killed 34 people in Sindh, officials said on Tuesday."
    second = "At least 120 people were killed by the flood in Sindh, officials said."
    bodies = {1: first, 2: second}
    for finding in _flags(first, second):
        assert bodies[finding.doc_id][finding.start : finding.end] == finding.quote
        for other in finding.counterparts:
            assert bodies[other.doc_id][other.start : other.end] == other.quote
            assert other.quote in finding.reason
        assert "A says “" in finding.reason and "B says “" in finding.reason


def test_a_conflict_says_in_words_which_value_lies_before_the_other():
    findings = _flags(
        "The ministry said the new bridge over the Danube will be completed by March 2027.",
        "Officials said the new bridge over the Danube will be completed by June 2029.",
    )
    reason = next(f.reason for f in findings if f.kind == CONFLICTING and f.doc_id == 1)
    assert "will be completed by March 2027" in reason
    assert "March 2027 comes before June 2029" in reason


def test_a_story_of_one_article_gets_no_unsupported_flags():
    alone = [Doc(1, "A", "The storm destroyed 340 homes in Leyte on 3 May 2024.")]
    assert preflag(alone) == []
    assert preflag([]) == []


FRAGMENTS = [
    "The withdrawal will end by September 2025. ",
    "The withdrawal, scheduled for September 2025, was delayed by at least 9,999 years. ",
    "Between 250 and 350 advisers will stay at the base. ",
    "Fewer than 2,000 troops will remain in Iraq. ",
    "About 2,500 troops were in Iraq last month. ",
    "The withdrawal will end by 2023. ",
    "The talks began in December. ",
    "Carlos Mendoza said 40% of the budget went on schools. ",
    "\n",
]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=6), min_size=1, max_size=4),
    st.one_of(st.none(), st.dates()),
)
def test_comparison_never_fails_and_points_into_the_right_bodies(stories, published):
    docs = [Doc(i, f"#{i}", "".join(parts), published) for i, parts in enumerate(stories)]
    bodies = {doc.id: doc.body for doc in docs}
    for finding in preflag(docs):
        assert bodies[finding.doc_id][finding.start : finding.end] == finding.quote
        assert finding.reason
        for other in finding.counterparts:
            assert other.doc_id != finding.doc_id
            assert bodies[other.doc_id][other.start : other.end] == other.quote
